/* ckpt_write_random: reproducible, a valid legacy checkpoint of the asked
 * shape, and at the trained model's scale. */
#include "ckpt.h"
#include "fixture.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void write_random(const char *dir, const char *name, const ckpt_config *cfg, uint64_t seed,
                         char out[PATH_MAX_LEN]) {
  char err[512];
  snprintf(out, PATH_MAX_LEN, "%s/%s", dir, name);
  cr_assert_eq(ckpt_write_random(out, cfg, seed, err, sizeof err), 0, "%s", err);
}

Test(random_ckpt, same_seed_same_bytes_other_seed_other_bytes) {
  char dir[PATH_MAX_LEN], a[PATH_MAX_LEN], b[PATH_MAX_LEN], c[PATH_MAX_LEN];
  scratch_make(dir);
  write_random(dir, "a.bin", &CKPT_STORIES260K, 42, a);
  write_random(dir, "b.bin", &CKPT_STORIES260K, 42, b);
  write_random(dir, "c.bin", &CKPT_STORIES260K, 43, c);
  size_t na, nb, nc;
  unsigned char *ba = file_read(a, &na), *bb = file_read(b, &nb), *bc = file_read(c, &nc);
  scratch_remove(dir);
  cr_assert_eq(na, nb);
  cr_assert_eq(na, nc);
  cr_expect_eq(memcmp(ba, bb, na), 0, "seed 42 written twice differs");
  cr_expect_neq(memcmp(ba + 28, bc + 28, na - 28), 0, "seeds 42 and 43 give the same weights");
  free(ba); free(bb); free(bc);
}

/* Same size as the real file (same legacy layout), loads cleanly. */
Test(random_ckpt, is_a_valid_stories260k_checkpoint) {
  char dir[PATH_MAX_LEN], path[PATH_MAX_LEN], real[PATH_MAX_LEN], err[512];
  model_file("stories260K.bin", real);
  scratch_make(dir);
  write_random(dir, "r.bin", &CKPT_STORIES260K, 7, path);
  size_t n_real, n_rand;
  free(file_read(real, &n_real));
  free(file_read(path, &n_rand));
  ckpt w;
  int rc = ckpt_load(path, &w, err, sizeof err);
  scratch_remove(dir);
  cr_expect_eq(n_rand, n_real, "random %zu bytes, real %zu bytes", n_rand, n_real);
  cr_assert_eq(rc, 0, "%s", err);
  cr_expect_eq(ckpt_check_shape(path, &w, &CKPT_STORIES260K, err, sizeof err), 0, "%s", err);
  ckpt_free(&w);
}

Test(random_ckpt, unshared_classifier_round_trips) {
  char dir[PATH_MAX_LEN], path[PATH_MAX_LEN], err[512];
  ckpt_config cfg = CKPT_STORIES260K;
  cfg.shared_classifier = 0;
  scratch_make(dir);
  write_random(dir, "u.bin", &cfg, 3, path);
  ckpt w;
  int rc = ckpt_load(path, &w, err, sizeof err);
  scratch_remove(dir);
  cr_assert_eq(rc, 0, "%s", err);
  cr_expect_eq(w.cfg.shared_classifier, 0);
  cr_expect_neq(w.wcls, w.token_embedding);
  cr_expect_eq(ckpt_check_shape(path, &w, &cfg, err, sizeof err), 0, "%s", err);
  ckpt_free(&w);
}

Test(random_ckpt, refuses_an_implausible_shape) {
  char dir[PATH_MAX_LEN], path[PATH_MAX_LEN], err[512];
  ckpt_config cfg = CKPT_STORIES260K;
  cfg.n_kv_heads = 3;
  scratch_make(dir);
  path_join(path, dir, "bad.bin");
  int rc = ckpt_write_random(path, &cfg, 1, err, sizeof err);
  int left = scratch_entries(dir);
  scratch_remove(dir);
  cr_expect_eq(rc, -1);
  cr_expect(contains_any(err, "n_kv_heads"), "%s", err);
  cr_expect_eq(left, 0, "a file was written for a refused shape");
}

static double stddev(const float *v, size_t n) {
  double m = 0, s = 0;
  for (size_t i = 0; i < n; i++) m += v[i];
  m /= (double)n;
  for (size_t i = 0; i < n; i++) s += (v[i] - m) * (v[i] - m);
  return sqrt(s / (double)n);
}

/* Each matrix's spread is within 25% of the trained tensor's, and the norm
 * weights are positive with the trained ones' mean within 0.2. */
Test(random_ckpt, weights_at_the_trained_scale) {
  char dir[PATH_MAX_LEN], path[PATH_MAX_LEN], real_path[PATH_MAX_LEN], err[512];
  model_file("stories260K.bin", real_path);
  scratch_make(dir);
  write_random(dir, "r.bin", &CKPT_STORIES260K, 11, path);
  ckpt r, t;
  int rc = ckpt_load(path, &r, err, sizeof err);
  scratch_remove(dir);
  cr_assert_eq(rc, 0, "%s", err);
  cr_assert_eq(ckpt_load(real_path, &t, err, sizeof err), 0, "%s", err);
  const size_t d = 64, h = 172, L = 5, kv = 32, V = 512;
  const struct { const char *name; const float *r, *t; size_t n; int norm; } ts[] = {
    {"token_embedding", r.token_embedding, t.token_embedding, V * d, 0},
    {"wq", r.wq, t.wq, L * d * d, 0}, {"wk", r.wk, t.wk, L * kv * d, 0},
    {"wv", r.wv, t.wv, L * kv * d, 0}, {"wo", r.wo, t.wo, L * d * d, 0},
    {"w1", r.w1, t.w1, L * h * d, 0}, {"w2", r.w2, t.w2, L * d * h, 0},
    {"w3", r.w3, t.w3, L * h * d, 0},
    {"rms_att", r.rms_att, t.rms_att, L * d, 1}, {"rms_ffn", r.rms_ffn, t.rms_ffn, L * d, 1},
    {"rms_final", r.rms_final, t.rms_final, d, 1},
  };
  for (size_t k = 0; k < sizeof ts / sizeof ts[0]; k++) {
    if (ts[k].norm) {
      double mr = 0, mt = 0, lo = INFINITY;
      for (size_t i = 0; i < ts[k].n; i++) {
        mr += ts[k].r[i];
        mt += ts[k].t[i];
        if (ts[k].r[i] < lo) lo = ts[k].r[i];
      }
      mr /= (double)ts[k].n;
      mt /= (double)ts[k].n;
      cr_expect(lo > 0, "%s has a non-positive weight %g", ts[k].name, lo);
      cr_expect(fabs(mr - mt) < 0.2, "%s mean %.3f, trained %.3f", ts[k].name, mr, mt);
    } else {
      double sr = stddev(ts[k].r, ts[k].n), st = stddev(ts[k].t, ts[k].n);
      cr_expect(fabs(sr / st - 1) < 0.25, "%s std %.4f, trained %.4f", ts[k].name, sr, st);
    }
  }
  ckpt_free(&r);
  ckpt_free(&t);
}

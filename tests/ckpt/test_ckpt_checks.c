/* ckpt_load / ckpt_check_shape / tok_load: the real files load with the
 * expected layout, and every corrupt input is refused with one line that
 * names the bad file and the problem. */
#include "ckpt.h"
#include "fixture.h"

#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <string.h>

/* Loads what the packer loads, in its order; returns 0 or the first error. */
static int load_all(const char *ckpt_path, const char *tok_path, char *err, size_t errn) {
  ckpt w;
  tokenizer t;
  if (ckpt_load(ckpt_path, &w, err, errn)) return -1;
  int rc = ckpt_check_shape(ckpt_path, &w, &CKPT_STORIES260K, err, errn);
  if (rc == 0) {
    rc = tok_load(tok_path, w.cfg.vocab_size, &t, err, errn);
    if (rc == 0) tok_free(&t);
  }
  ckpt_free(&w);
  return rc;
}

Test(ckpt_real, loads_with_stories260k_shape) {
  char path[PATH_MAX_LEN], err[512];
  model_file("stories260K.bin", path);
  ckpt w;
  cr_assert_eq(ckpt_load(path, &w, err, sizeof err), 0, "%s", err);
  cr_expect_eq(ckpt_check_shape(path, &w, &CKPT_STORIES260K, err, sizeof err), 0, "%s", err);
  cr_expect_eq(w.cfg.shared_classifier, 1);
  cr_expect_eq(w.wcls, w.token_embedding, "shared classifier must alias the embedding");
  cr_expect_eq(w.wq - w.token_embedding, 512 * 64 + 5 * 64);
  cr_expect_eq(w.rms_final - w.w3, 5 * 172 * 64);
  ckpt_free(&w);
}

/* The tensors sit where run.c's layout puts them: compare a few elements
 * with the file's bytes at independently computed offsets. */
Test(ckpt_real, tensors_match_file_bytes) {
  char path[PATH_MAX_LEN], err[512];
  model_file("stories260K.bin", path);
  size_t len;
  unsigned char *raw = file_read(path, &len);
  ckpt w;
  cr_assert_eq(ckpt_load(path, &w, err, sizeof err), 0, "%s", err);
  const struct { const char *name; const float *t; size_t i; } probes[] = {
    {"token_embedding", w.token_embedding, 0}, {"wq", w.wq, 999}, {"wk", w.wk, 10239},
    {"wv", w.wv, 5}, {"wo", w.wo, 20000}, {"rms_ffn", w.rms_ffn, 319},
    {"w1", w.w1, 1}, {"w2", w.w2, 55039}, {"w3", w.w3, 31337}, {"rms_final", w.rms_final, 63},
  };
  for (size_t k = 0; k < sizeof probes / sizeof probes[0]; k++) {
    float want;
    memcpy(&want, raw + tensor_offset(probes[k].name, probes[k].i), 4);
    cr_expect_eq(memcmp(&probes[k].t[probes[k].i], &want, 4), 0, "%s[%zu] differs from the file",
                 probes[k].name, probes[k].i);
  }
  /* After rms_final come the two skipped freq_cis tables and nothing else. */
  size_t rope_bytes = 2 * 512 * (64 / 8 / 2) * 4;
  cr_expect_eq(tensor_offset("rms_final", 63) + 4 + rope_bytes, len);
  ckpt_free(&w);
  free(raw);
}

Test(tok_real, loads_512_pieces) {
  char path[PATH_MAX_LEN], err[512];
  model_file("tok512.bin", path);
  tokenizer t;
  cr_assert_eq(tok_load(path, 512, &t, err, sizeof err), 0, "%s", err);
  cr_expect_eq(t.vocab_size, 512);
  cr_expect_eq(t.max_token_length, 7u);
  for (int i = 0; i < t.vocab_size; i++) {
    cr_expect(t.piece_len[i] >= 1 && t.piece_len[i] <= 7, "piece %d length %d", i, t.piece_len[i]);
    cr_expect_eq(t.piece[i][t.piece_len[i]], '\0');
  }
  /* llama2.c's byte-fallback tokens start at 3: "<0x00>". */
  cr_expect_str_eq(t.piece[3], "<0x00>");
  tok_free(&t);
}

Test(ckpt_shape, mismatch_names_the_field) {
  char path[PATH_MAX_LEN], err[512];
  model_file("stories260K.bin", path);
  ckpt w;
  cr_assert_eq(ckpt_load(path, &w, err, sizeof err), 0, "%s", err);
  ckpt_config want = CKPT_STORIES260K;
  want.n_kv_heads = 8;
  cr_assert_eq(ckpt_check_shape(path, &w, &want, err, sizeof err), -1);
  char expect[PATH_MAX_LEN + 64];
  snprintf(expect, sizeof expect, "%s: wrong shape: n_kv_heads (expected 8, got 4)", path);
  cr_expect_str_eq(err, expect);
  cr_expect_eq(ckpt_check_shape(path, &w, NULL, err, sizeof err), 0, "NULL accepts any shape");
  ckpt_free(&w);
}

ParameterizedTestParameters(corrupt, library_refuses) {
  static size_t idx[64];
  for (size_t i = 0; i < N_CORRUPT_CASES; i++) idx[i] = i;
  return cr_make_param_array(size_t, idx, N_CORRUPT_CASES);
}

ParameterizedTest(size_t *i, corrupt, library_refuses) {
  const corrupt_case *c = &CORRUPT_CASES[*i];
  char dir[PATH_MAX_LEN], ck[PATH_MAX_LEN], tok[PATH_MAX_LEN], err[512] = "";
  scratch_make(dir);
  corrupt_make(c, dir, ck, tok);
  int rc = load_all(ck, tok, err, sizeof err);
  scratch_remove(dir);

  cr_assert_eq(rc, -1, "%s: accepted", c->name);
  const char *bad = c->bad_is_tokenizer ? tok : ck;
  size_t n = strlen(bad);
  cr_expect(strncmp(err, bad, n) == 0 && err[n] == ':', "%s: error does not start with the file: %s",
            c->name, err);
  cr_expect(contains_any(err, c->keywords), "%s: error does not say %s: %s", c->name, c->keywords, err);
  cr_expect_null(strchr(err, '\n'), "%s: error is not one line: %s", c->name, err);
}

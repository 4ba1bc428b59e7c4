/* llama2.c checkpoint (legacy "version 0" layout of run.c) and tokenizer
 * reader, with the checks the packer and the float reference rely on, and
 * a seeded random-checkpoint writer for tests. */
#include "ckpt.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const ckpt_config CKPT_STORIES260K = {
  .dim = 64, .hidden_dim = 172, .n_layers = 5, .n_heads = 8, .n_kv_heads = 4,
  .vocab_size = 512, .seq_len = 512, .shared_classifier = 1,
};

enum { HEADER_INTS = 7, HEADER_BYTES = HEADER_INTS * 4 };
/* Generous bound on every header field: keeps all size arithmetic far from
 * overflow and rejects garbage headers before any allocation. */
enum { MAX_FIELD = 1 << 20 };

static int fail(char *err, size_t errn, const char *path, const char *fmt, ...) {
  char what[256];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(what, sizeof what, fmt, ap);
  va_end(ap);
  if (err && errn) snprintf(err, errn, "%s: %s", path, what);
  return -1;
}

/* One tensor of the file layout: where it goes and how many floats. */
typedef struct {
  const char *name;
  float **dst;      /* NULL for tensors that are skipped (freq_cis) */
  uint64_t count;
  int kind;         /* how ckpt_write_random fills it */
} tensor_slot;

enum { KIND_MATRIX, KIND_NORM, KIND_ROPE_REAL, KIND_ROPE_IMAG };
enum { MAX_SLOTS = 14 };

/* The tensors in file order, as run.c's memory_map_weights reads them. */
static int layout(const ckpt_config *c, ckpt *w, tensor_slot *s) {
  uint64_t d = (uint64_t)c->dim, h = (uint64_t)c->hidden_dim,
           L = (uint64_t)c->n_layers, V = (uint64_t)c->vocab_size,
           hs = d / (uint64_t)c->n_heads,
           kv = d * (uint64_t)c->n_kv_heads / (uint64_t)c->n_heads,
           rope = (uint64_t)c->seq_len * hs / 2;
  int n = 0;
#define SLOT(nm, field, cnt, k) \
  s[n++] = (tensor_slot){nm, w ? &w->field : NULL, (cnt), (k)}
  SLOT("token_embedding", token_embedding, V * d, KIND_MATRIX);
  SLOT("rms_att", rms_att, L * d, KIND_NORM);
  SLOT("wq", wq, L * d * d, KIND_MATRIX);
  SLOT("wk", wk, L * kv * d, KIND_MATRIX);
  SLOT("wv", wv, L * kv * d, KIND_MATRIX);
  SLOT("wo", wo, L * d * d, KIND_MATRIX);
  SLOT("rms_ffn", rms_ffn, L * d, KIND_NORM);
  SLOT("w1", w1, L * h * d, KIND_MATRIX);
  SLOT("w2", w2, L * d * h, KIND_MATRIX);
  SLOT("w3", w3, L * h * d, KIND_MATRIX);
  SLOT("rms_final", rms_final, d, KIND_NORM);
#undef SLOT
  s[n++] = (tensor_slot){"freq_cis_real", NULL, rope, KIND_ROPE_REAL};
  s[n++] = (tensor_slot){"freq_cis_imag", NULL, rope, KIND_ROPE_IMAG};
  if (!c->shared_classifier)
    s[n++] = (tensor_slot){"wcls", w ? &w->wcls : NULL, V * d, KIND_MATRIX};
  return n;
}

static uint64_t expected_bytes(const ckpt_config *c) {
  tensor_slot s[MAX_SLOTS];
  int n = layout(c, NULL, s);
  uint64_t floats = 0;
  for (int i = 0; i < n; i++) floats += s[i].count;
  return HEADER_BYTES + 4 * floats;
}

/* Positive, bounded fields whose head split makes sense. */
static int check_header(const char *path, const ckpt_config *c, char *err, size_t errn) {
  const struct { const char *name; int v; } f[] = {
    {"dim", c->dim}, {"hidden_dim", c->hidden_dim}, {"n_layers", c->n_layers},
    {"n_heads", c->n_heads}, {"n_kv_heads", c->n_kv_heads},
    {"vocab_size", c->vocab_size}, {"seq_len", c->seq_len},
  };
  for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
    if (f[i].v <= 0 || f[i].v > MAX_FIELD)
      return fail(err, errn, path, "implausible header: %s out of range (expected 1..%d, got %d)",
                  f[i].name, MAX_FIELD, f[i].v);
  if (c->dim % c->n_heads)
    return fail(err, errn, path, "implausible header: n_heads does not divide dim (expected a divisor of %d, got %d)",
                c->dim, c->n_heads);
  if (c->n_heads % c->n_kv_heads)
    return fail(err, errn, path, "implausible header: n_kv_heads does not divide n_heads (expected a divisor of %d, got %d)",
                c->n_heads, c->n_kv_heads);
  if ((c->dim / c->n_heads) % 2)
    return fail(err, errn, path, "implausible header: odd head size, RoPE needs pairs (expected even, got %d)",
                c->dim / c->n_heads);
  return 0;
}

static void read_header(const unsigned char *b, ckpt_config *c) {
  int32_t v[HEADER_INTS];
  memcpy(v, b, sizeof v);
  c->dim = v[0]; c->hidden_dim = v[1]; c->n_layers = v[2]; c->n_heads = v[3];
  c->n_kv_heads = v[4];
  c->shared_classifier = v[5] > 0;
  c->vocab_size = v[5] == INT32_MIN ? 0 : abs(v[5]);
  c->seq_len = v[6];
}

/* Reads a whole file; NULL with a message on failure. */
static unsigned char *slurp(const char *path, size_t *len, char *err, size_t errn) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    fail(err, errn, path, "cannot open (%s)", strerror(errno));
    return NULL;
  }
  unsigned char *buf = NULL;
  size_t n = 0, cap = 0;
  for (;;) {
    if (n == cap) {
      cap = cap ? cap * 2 : 1 << 16;
      unsigned char *nb = realloc(buf, cap);
      if (!nb) {
        free(buf);
        fclose(f);
        fail(err, errn, path, "out of memory reading file");
        return NULL;
      }
      buf = nb;
    }
    size_t got = fread(buf + n, 1, cap - n, f);
    n += got;
    if (got == 0) break;
  }
  int bad = ferror(f), why = errno;
  fclose(f);
  if (bad) {
    free(buf);
    fail(err, errn, path, "read error (%s)", strerror(why));
    return NULL;
  }
  *len = n;
  return buf;
}

static int check_finite(const char *path, const tensor_slot *s, const float *p,
                        char *err, size_t errn) {
  for (uint64_t i = 0; i < s->count; i++)
    if (!isfinite(p[i]))
      return fail(err, errn, path, "non-finite weight in %s at element %llu (expected a finite float, got %g)",
                  s->name, (unsigned long long)i, (double)p[i]);
  return 0;
}

/* Reads the header and then the floats.  The file's size is compared with
 * what the header implies before anything is allocated, so a garbage header
 * cannot ask for gigabytes; streams that cannot seek are read and checked
 * as they come. */
static float *read_checkpoint(const char *path, ckpt_config *c, char *err, size_t errn) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    fail(err, errn, path, "cannot open (%s)", strerror(errno));
    return NULL;
  }
  float *data = NULL;
  unsigned char hdr[HEADER_BYTES];
  size_t got = fread(hdr, 1, sizeof hdr, f);
  if (ferror(f)) {
    fail(err, errn, path, "read error (%s)", strerror(errno));
    goto done;
  }
  if (got < HEADER_BYTES) {
    fail(err, errn, path, "truncated header (expected %d bytes, got %zu)", HEADER_BYTES, got);
    goto done;
  }
  read_header(hdr, c);
  if (check_header(path, c, err, errn)) goto done;
  uint64_t want = expected_bytes(c);
  off_t have = -1;
  if (fseeko(f, 0, SEEK_END) == 0) have = ftello(f);
  if (have >= 0 && (uint64_t)have != want) {
    fail(err, errn, path, "%s (expected %llu bytes for this header, got %lld)",
         (uint64_t)have < want ? "truncated" : "trailing bytes after the weights",
         (unsigned long long)want, (long long)have);
    goto done;
  }
  if (have >= 0 && fseeko(f, HEADER_BYTES, SEEK_SET) != 0) {
    fail(err, errn, path, "cannot seek back to the weights (%s)", strerror(errno));
    goto done;
  }
  size_t bytes = (size_t)(want - HEADER_BYTES);
  data = malloc(bytes);
  if (!data) {
    fail(err, errn, path, "out of memory (%zu bytes of weights)", bytes);
    goto done;
  }
  got = fread(data, 1, bytes, f);
  if (ferror(f)) {
    fail(err, errn, path, "read error");
  } else if (got < bytes) {
    fail(err, errn, path, "truncated (expected %llu bytes for this header, got %llu)",
         (unsigned long long)want, (unsigned long long)(HEADER_BYTES + got));
  } else if (fgetc(f) != EOF) {
    fail(err, errn, path, "trailing bytes after the weights (expected %llu bytes for this header, got more)",
         (unsigned long long)want);
  } else {
    goto done;
  }
  free(data);
  data = NULL;
done:
  fclose(f);
  return data;
}

int ckpt_load(const char *path, ckpt *out, char *err, size_t errn) {
  memset(out, 0, sizeof *out);
  ckpt_config c;
  float *data = read_checkpoint(path, &c, err, errn);
  if (!data) return -1;
  out->cfg = c;
  out->data_ = data;
  tensor_slot s[MAX_SLOTS];
  int n = layout(&c, out, s);
  float *p = data;
  for (int i = 0; i < n; i++) {
    if (s[i].dst) {
      if (check_finite(path, &s[i], p, err, errn)) {
        ckpt_free(out);
        return -1;
      }
      *s[i].dst = p;
    }
    p += s[i].count;
  }
  if (c.shared_classifier) out->wcls = out->token_embedding;
  return 0;
}

int ckpt_check_shape(const char *path, const ckpt *c, const ckpt_config *want,
                     char *err, size_t errn) {
  if (!want) return 0;
  const ckpt_config *g = &c->cfg;
  const struct { const char *name; int w, g; } f[] = {
    {"dim", want->dim, g->dim}, {"hidden_dim", want->hidden_dim, g->hidden_dim},
    {"n_layers", want->n_layers, g->n_layers}, {"n_heads", want->n_heads, g->n_heads},
    {"n_kv_heads", want->n_kv_heads, g->n_kv_heads},
    {"vocab_size", want->vocab_size, g->vocab_size}, {"seq_len", want->seq_len, g->seq_len},
    {"shared_classifier", want->shared_classifier, g->shared_classifier},
  };
  for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
    if (f[i].w != f[i].g)
      return fail(err, errn, path, "wrong shape: %s (expected %d, got %d)", f[i].name, f[i].w, f[i].g);
  return 0;
}

void ckpt_free(ckpt *c) {
  free(c->data_);
  memset(c, 0, sizeof *c);
}

void tok_free(tokenizer *t) {
  if (t->piece)
    for (int i = 0; i < t->vocab_size; i++) free(t->piece[i]);
  free(t->piece);
  free(t->piece_len);
  free(t->score);
  memset(t, 0, sizeof *t);
}

/* The file stores no count: it is max_token_length followed by records
 * until the end.  So a vocabulary mismatch shows as records running out
 * early (a clean end after fewer records) or bytes left after vocab_size. */
int tok_load(const char *path, int vocab_size, tokenizer *out, char *err, size_t errn) {
  memset(out, 0, sizeof *out);
  if (vocab_size <= 0 || vocab_size > MAX_FIELD)
    return fail(err, errn, path, "bad vocabulary size requested (expected 1..%d, got %d)", MAX_FIELD, vocab_size);
  size_t len;
  unsigned char *buf = slurp(path, &len, err, errn);
  if (!buf) return -1;
  int rc = -1;
  size_t pos = 0;
  int32_t max_len;
  if (len < 4) {
    fail(err, errn, path, "truncated header (expected 4 bytes, got %zu)", len);
    goto done;
  }
  memcpy(&max_len, buf, 4);
  pos = 4;
  if (max_len <= 0 || max_len > 4096) {
    fail(err, errn, path, "implausible max_token_length (expected 1..4096, got %d)", max_len);
    goto done;
  }
  out->vocab_size = vocab_size;
  out->max_token_length = (unsigned)max_len;
  out->piece = calloc((size_t)vocab_size, sizeof *out->piece);
  out->piece_len = calloc((size_t)vocab_size, sizeof *out->piece_len);
  out->score = calloc((size_t)vocab_size, sizeof *out->score);
  if (!out->piece || !out->piece_len || !out->score) {
    fail(err, errn, path, "out of memory");
    goto done;
  }
  for (int i = 0; i < vocab_size; i++) {
    if (pos == len) {
      fail(err, errn, path, "vocabulary count mismatch: file ends after %d tokens (expected %d, got %d)",
           i, vocab_size, i);
      goto done;
    }
    if (len - pos < 8) {
      fail(err, errn, path, "truncated in token %d's score/length (expected 8 bytes, got %zu)", i, len - pos);
      goto done;
    }
    int32_t n;
    memcpy(&out->score[i], buf + pos, 4);
    memcpy(&n, buf + pos + 4, 4);
    pos += 8;
    if (!isfinite(out->score[i])) {
      fail(err, errn, path, "token %d has a non-finite score (expected a finite float, got %g)",
           i, (double)out->score[i]);
      goto done;
    }
    if (n <= 0 || n > max_len) {
      fail(err, errn, path, "token %d length out of range (expected 1..%d, got %d)", i, max_len, n);
      goto done;
    }
    if (len - pos < (size_t)n) {
      fail(err, errn, path, "truncated in token %d's bytes (expected %d bytes, got %zu)", i, n, len - pos);
      goto done;
    }
    out->piece[i] = malloc((size_t)n + 1);
    if (!out->piece[i]) {
      fail(err, errn, path, "out of memory");
      goto done;
    }
    memcpy(out->piece[i], buf + pos, (size_t)n);
    out->piece[i][n] = '\0';
    out->piece_len[i] = n;
    pos += (size_t)n;
  }
  if (pos != len) {
    fail(err, errn, path, "vocabulary count mismatch: %zu bytes left after %d tokens (expected %d tokens, got more)",
         len - pos, vocab_size, vocab_size);
    goto done;
  }
  rc = 0;
done:
  free(buf);
  if (rc) tok_free(out);
  return rc;
}

/* splitmix64: tiny, well mixed, and the same on every platform. */
static uint64_t splitmix64(uint64_t *state) {
  uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

/* Uniform in (0, 1): 53 random bits, never exactly 0. */
static double uniform01(uint64_t *state) {
  return ((double)(splitmix64(state) >> 11) + 0.5) * (1.0 / 9007199254740992.0);
}

/* Box-Muller, one value per call: simple and reproducible. */
static double normal01(uint64_t *state) {
  double u = uniform01(state), v = uniform01(state);
  return sqrt(-2.0 * log(u)) * cos(6.283185307179586 * v);
}

/* Standard deviations of stories260K's trained tensors (measured over the
 * checkpoint), so a random model sees activations of the same magnitude as
 * the real one and exercises the same fixed-point ranges. */
static double matrix_std(const char *name) {
  static const struct { const char *name; double std; } t[] = {
    {"token_embedding", 0.31}, {"wq", 0.23}, {"wk", 0.20}, {"wv", 0.07},
    {"wo", 0.08}, {"w1", 0.13}, {"w2", 0.13}, {"w3", 0.12}, {"wcls", 0.31},
  };
  for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
    if (!strcmp(t[i].name, name)) return t[i].std;
  return 0.1;
}

/* Norm weights: trained ones sit around 1 (0.8..1.8 mean, ~0.3 spread);
 * keep them positive. */
static double norm_weight(const char *name, uint64_t *state) {
  double mean = !strcmp(name, "rms_final") ? 1.8 : !strcmp(name, "rms_ffn") ? 0.83 : 1.2;
  double v = mean + 0.25 * normal01(state);
  return v < 0.1 ? 0.1 : v;
}

/* The legacy freq_cis tables run.c skips; written as the values they stood
 * for so the file is a faithful legacy checkpoint. */
static double rope_entry(const ckpt_config *c, uint64_t i, int imag) {
  int half = c->dim / c->n_heads / 2;
  uint64_t pos = i / (uint64_t)half, pair = i % (uint64_t)half;
  double freq = pow(10000.0, -(double)(2 * pair) / (double)(2 * half));
  return imag ? sin((double)pos * freq) : cos((double)pos * freq);
}

int ckpt_write_random(const char *path, const ckpt_config *cfg, uint64_t seed,
                      char *err, size_t errn) {
  if (check_header(path, cfg, err, errn)) return -1;
  FILE *f = fopen(path, "wb");
  if (!f) return fail(err, errn, path, "cannot create (%s)", strerror(errno));
  int32_t hdr[HEADER_INTS] = {cfg->dim, cfg->hidden_dim, cfg->n_layers, cfg->n_heads,
                              cfg->n_kv_heads,
                              cfg->shared_classifier ? cfg->vocab_size : -cfg->vocab_size,
                              cfg->seq_len};
  int ok = fwrite(hdr, sizeof hdr, 1, f) == 1;
  uint64_t state = seed;
  tensor_slot s[MAX_SLOTS];
  int n = layout(cfg, NULL, s);
  enum { CHUNK = 4096 };
  float chunk[CHUNK];
  for (int t = 0; t < n && ok; t++) {
    double sd = matrix_std(s[t].name);
    for (uint64_t i = 0; i < s[t].count && ok;) {
      size_t k = 0;
      for (; k < CHUNK && i < s[t].count; k++, i++) {
        switch (s[t].kind) {
        case KIND_MATRIX: chunk[k] = (float)(sd * normal01(&state)); break;
        case KIND_NORM: chunk[k] = (float)norm_weight(s[t].name, &state); break;
        default: chunk[k] = (float)rope_entry(cfg, i, s[t].kind == KIND_ROPE_IMAG); break;
        }
      }
      ok = fwrite(chunk, sizeof(float), k, f) == k;
    }
  }
  if (fclose(f) != 0) ok = 0;
  if (!ok) {
    remove(path);
    return fail(err, errn, path, "write failed (%s)", strerror(errno));
  }
  return 0;
}

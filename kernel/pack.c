/* pack: turns a llama2.c checkpoint and tokenizer into the kernel's model
 * blob (layout in blob.h, formats and reasons in SPEC.md).
 *
 *   pack CKPT TOK OUT.blob     pack a checkpoint
 *   pack --random SEED OUT.bin write a random-weight stories260K checkpoint
 *
 * Output goes to a temporary file renamed into place, so a failure leaves
 * nothing behind.  Exit 0 ok, 2 bad usage or input, 3 internal error. */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "blob.h"
#include "ckpt.h"

static void put32(uint8_t *p, int32_t v) {
  uint32_t u = (uint32_t)v;
  p[0] = (uint8_t)u, p[1] = (uint8_t)(u >> 8), p[2] = (uint8_t)(u >> 16), p[3] = (uint8_t)(u >> 24);
}

/* One row [n int8][int32 M]: q = round(w * g / r) with r = max|w * g| / 127
 * (per-row scale, so every row uses the full int8 range), M = round(r * 2^32).
 * g (may be NULL) is the RMSNorm gain of the input column, scale a constant
 * factor.  -1 when M does not fit an int32 (a weight of 64 or more). */
static int pack_row(uint8_t *out, const float *w, const float *g, double scale, int n) {
  double maxabs = 0;
  for (int j = 0; j < n; j++) {
    double v = fabs(w[j] * (g ? g[j] : 1.0) * scale);
    if (v > maxabs) maxabs = v;
  }
  double r = maxabs > 0 ? maxabs / 127.0 : 1.0 / 127.0;
  double m = nearbyint(r * 4294967296.0);
  if (m > INT32_MAX) return -1;
  put32(out + n, (int32_t)m);
  for (int j = 0; j < n; j++) {
    double q = nearbyint(w[j] * (g ? g[j] : 1.0) * scale / r);
    out[j] = (uint8_t)(int8_t)(q > 127 ? 127 : q < -127 ? -127 : q);
  }
  return 0;
}

static int pack_rows(uint8_t *out, const float *w, const float *g, double scale,
                     int rows, int n) {
  for (int i = 0; i < rows; i++)
    if (pack_row(out + i * (4 + n), w + (size_t)i * n, g, scale, n)) return -1;
  return 0;
}

static int pack_weights(uint8_t *b, const ckpt *c) {
  int d = B_DIM, h = B_HID, kv = B_KV_DIM, bad = 0;
  for (int l = 0; l < B_LAYERS; l++) {
    uint8_t *lb = b + l * B_LAYER_BYTES;
    const float *ga = c->rms_att + l * d, *gf = c->rms_ffn + l * d;
    /* The attention score's 1/sqrt(head size) is folded into Wq. */
    bad |= pack_rows(lb + B_QKV, c->wq + (size_t)l * d * d, ga, 1.0 / sqrt(B_HEAD), d, d);
    bad |= pack_rows(lb + B_QKV + d * B_ROW64, c->wk + (size_t)l * kv * d, ga, 1, kv, d);
    bad |= pack_rows(lb + B_QKV + (d + kv) * B_ROW64, c->wv + (size_t)l * kv * d, ga, 1, kv, d);
    bad |= pack_rows(lb + B_WO, c->wo + (size_t)l * d * d, NULL, 1, d, d);
    bad |= pack_rows(lb + B_W13, c->w1 + (size_t)l * h * d, gf, 1, h, d);
    bad |= pack_rows(lb + B_W13 + h * B_ROW64, c->w3 + (size_t)l * h * d, gf, 1, h, d);
    bad |= pack_rows(lb + B_W2, c->w2 + (size_t)l * d * h, NULL, 1, d, h);
  }
  bad |= pack_rows(b + B_CLS, c->wcls, c->rms_final, 1, B_VOCAB, d);
  /* The embedding is only copied, so it keeps Q16.16 precision. */
  for (int i = 0; i < B_VOCAB * d; i++) {
    double v = nearbyint(c->token_embedding[i] * 65536.0);
    if (fabs(v) > INT32_MAX) bad = 1;
    else put32(b + B_EMB + 4 * i, (int32_t)v);
  }
  return bad ? -1 : 0;
}

static int32_t q16(double v) { return (int32_t)nearbyint(v * 65536.0); }

static void pack_tables(uint8_t *b) {
  for (int pos = 0; pos < B_SEQ; pos++)
    for (int p = 0; p < B_HEAD / 2; p++) {
      double theta = pos * pow(10000.0, -2.0 * p / B_HEAD);
      uint8_t *e = b + B_ROPE + (pos * (B_HEAD / 2) + p) * 16;
      put32(e, q16(cos(theta)));
      put32(e + 4, -q16(sin(theta)));
      put32(e + 8, q16(sin(theta)));
      put32(e + 12, q16(cos(theta)));
    }
  for (int i = 0; i < B_TAB_N; i++) {
    double e = nearbyint(65536.0 * exp(-i / 256.0));
    double s = nearbyint(65536.0 / (1.0 + exp(-(i - B_TAB_N / 2) / 256.0)));
    uint16_t ev = (uint16_t)(e > 65535 ? 65535 : e), sv = (uint16_t)(s > 65535 ? 65535 : s);
    memcpy(b + B_EXP + 2 * i, &ev, 2);
    memcpy(b + B_SIG + 2 * i, &sv, 2);
  }
}

/* Pieces as the kernel prints them, one 16-byte slot each (uint16 length, at
 * most 14 bytes): "<0xHH>" byte tokens become that byte, and each line feed
 * gets the carriage return the BIOS teletype needs before it (stored here,
 * the kernel prints every byte as it is). */
static int pack_vocab(uint8_t *b, const tokenizer *t, const char *tok_path, size_t *end,
                      char *err, size_t errn) {
  size_t off = B_VOC;
  for (int i = 0; i < t->vocab_size; i++) {
    const char *p = t->piece[i];
    int len = t->piece_len[i];
    unsigned byte;
    char tail;
    uint8_t one;
    if (len == 6 && sscanf(p, "<0x%2X%c", &byte, &tail) == 2 && tail == '>') {
      one = (uint8_t)byte;
      p = (const char *)&one;
      len = 1;
    }
    uint8_t screen[B_SLOT];
    int n = 0;
    for (int k = 0; k < len && n <= B_PIECE_MAX; k++) {
      if (p[k] == '\n') screen[n++] = '\r';
      screen[n++] = (uint8_t)p[k];
    }
    if (n > B_PIECE_MAX) {
      snprintf(err, errn, "%s: token %d is %d bytes long on screen (the kernel's slots hold %d)",
               tok_path, i, n, B_PIECE_MAX);
      return -1;
    }
    b[off] = (uint8_t)n;
    b[off + 1] = 0;
    memcpy(b + off + 2, screen, (size_t)n);
    off += B_SLOT;
  }
  *end = off;
  return 0;
}

/* Writes `n` bytes to path through a temporary file and rename. */
static int write_atomic(const char *path, const uint8_t *b, size_t n, char *err, size_t errn) {
  size_t len = strlen(path);
  char *tmp = malloc(len + 16);
  if (!tmp) return snprintf(err, errn, "%s: out of memory", path), -1;
  snprintf(tmp, len + 16, "%s.tmp%ld", path, (long)getpid());
  FILE *f = fopen(tmp, "wb");
  int ok = f && fwrite(b, 1, n, f) == n;
  if (f && fclose(f) != 0) ok = 0;
  if (ok && rename(tmp, path) != 0) ok = 0;
  if (!ok) {
    snprintf(err, errn, "%s: cannot write (%s)", path, strerror(errno));
    remove(tmp);
  }
  free(tmp);
  return ok ? 0 : -1;
}

/* Would writing out_path replace one of the inputs? */
static bool same_file(const char *a, const char *b) {
  struct stat sa, sb;
  return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

static int pack(const char *ckpt_path, const char *tok_path, const char *out_path) {
  char err[512];
  if (same_file(out_path, ckpt_path) || same_file(out_path, tok_path)) {
    fprintf(stderr, "%s: is also an input (%s): refusing to overwrite it\n", out_path,
            same_file(out_path, ckpt_path) ? ckpt_path : tok_path);
    return 2;
  }
  ckpt c;
  tokenizer t;
  if (ckpt_load(ckpt_path, &c, err, sizeof err)) return fprintf(stderr, "%s\n", err), 2;
  if (ckpt_check_shape(ckpt_path, &c, &CKPT_STORIES260K, err, sizeof err)) {
    fprintf(stderr, "%s\n", err);
    ckpt_free(&c);
    return 2;
  }
  if (tok_load(tok_path, c.cfg.vocab_size, &t, err, sizeof err)) {
    fprintf(stderr, "%s\n", err);
    ckpt_free(&c);
    return 2;
  }
  int status = 0;
  size_t end = 0;
  uint8_t *b = calloc(1, B_SIZE);
  if (!b) {
    fprintf(stderr, "%s: out of memory\n", out_path);
    status = 3;
  } else if (pack_weights(b, &c)) {
    fprintf(stderr, "%s: a weight is too large for the int8 row format (|w| >= 64)\n", ckpt_path);
    status = 2;
  } else if (pack_vocab(b, &t, tok_path, &end, err, sizeof err)) {
    fprintf(stderr, "%s\n", err);
    status = 2;
  } else {
    pack_tables(b);
    if (write_atomic(out_path, b, end, err, sizeof err)) fprintf(stderr, "%s\n", err), status = 2;
  }
  free(b);
  tok_free(&t);
  ckpt_free(&c);
  return status;
}

static int random_ckpt(const char *seed_text, const char *out_path) {
  char *endp, err[512];
  errno = 0;
  unsigned long long seed = strtoull(seed_text, &endp, 0);
  /* strtoull takes "-1" as 2^64-1: a seed starts with a digit */
  if (errno || *endp || !isdigit((unsigned char)seed_text[0])) {
    fprintf(stderr, "pack: --random: '%s' is not a seed (an unsigned integer)\n", seed_text);
    return 2;
  }
  size_t len = strlen(out_path);
  char *tmp = malloc(len + 16);
  if (!tmp) return 3;
  snprintf(tmp, len + 16, "%s.tmp%ld", out_path, (long)getpid());
  int status = 0;
  if (ckpt_write_random(tmp, &CKPT_STORIES260K, seed, err, sizeof err)) {
    fprintf(stderr, "%s\n", err);
    status = 2;
  } else if (rename(tmp, out_path) != 0) {
    fprintf(stderr, "%s: cannot write (%s)\n", out_path, strerror(errno));
    status = 2;
  }
  if (status) remove(tmp);
  free(tmp);
  return status;
}

int main(int argc, char **argv) {
  if (argc == 4 && !strcmp(argv[1], "--random")) return random_ckpt(argv[2], argv[3]);
  if (argc == 4 && argv[1][0] != '-') return pack(argv[1], argv[2], argv[3]);
  fprintf(stderr, "usage: pack CKPT TOK OUT.blob | pack --random SEED OUT.bin\n");
  return 2;
}

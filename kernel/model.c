/* The forward pass as llama.asm runs it (see SPEC.md "Forward pass"). */
#include "model.h"

#include <stdlib.h>
#include <string.h>

#include "qmath.h"

static const uint16_t *table(const model *m, int off) {
  return (const uint16_t *)(m->blob + off);
}

int model_open(model *m, const uint8_t *blob, size_t size, const char *name,
               char *err, size_t errn) {
  memset(m, 0, sizeof *m);
  if (size != B_SIZE) {
    snprintf(err, errn, "%s: not a model blob (%zu bytes, expected %d)", name, size, B_SIZE);
    return -1;
  }
  for (int i = 0; i < B_VOCAB; i++) {
    const uint8_t *slot = blob + B_VOC + B_SLOT * i;
    uint32_t len = (uint32_t)slot[0] | (uint32_t)slot[1] << 8;
    if (len > B_PIECE_MAX) {
      snprintf(err, errn, "%s: token %d's piece is %u bytes long (at most %d)", name, i,
               len, B_PIECE_MAX);
      return -1;
    }
    m->piece[i] = slot + 2;
    m->piece_len[i] = (int)len;
  }
  m->kv = calloc(B_LAYERS, sizeof *m->kv);
  if (!m->kv) {
    snprintf(err, errn, "%s: out of memory for the KV cache", name);
    return -1;
  }
  m->blob = blob;
  m->size = size;
  return 0;
}

void model_close(model *m) { free(m->kv); m->kv = NULL; }

static void dump(const model *m, const char *what, int l, const int32_t *v, int n) {
  if (!m->trace) return;
  fprintf(m->trace, "%s %d:", what, l);
  for (int i = 0; i < n; i++) fprintf(m->trace, " %08x", (uint32_t)v[i]);
  fputc('\n', m->trace);
}

static void attention(model *m, int l, int pos, const int32_t *q, int32_t *out) {
  static const int group = B_HEADS / B_KV_HEADS;
  int32_t att[B_SEQ];
  for (int h = 0; h < B_HEADS; h++) {
    int kvo = (h / group) * B_HEAD;
    for (int t = 0; t <= pos; t++) att[t] = q_dot(q + h * B_HEAD, m->kv[l][t] + kvo, B_HEAD);
    q_softmax(att, pos + 1, table(m, B_EXP));
    for (int i = 0; i < B_HEAD; i++) {
      uint32_t acc = 0;
      for (int t = 0; t <= pos; t++)
        acc += (uint32_t)q_mulq16(att[t], m->kv[l][t][B_KV_DIM + kvo + i]);
      out[h * B_HEAD + i] = (int32_t)acc;
    }
  }
}

int model_step(model *m, int tok, int pos, char *err, size_t errn) {
  int32_t x[B_DIM], xb[B_HID], scr[B_VOCAB];
  memcpy(x, m->blob + B_EMB + tok * B_DIM * 4, sizeof x);
  dump(m, "embed", 0, x, B_DIM);
  const int32_t *rot = (const int32_t *)(m->blob + B_ROPE) + pos * (B_HEAD / 2) * 4;
  for (int l = 0; l < B_LAYERS; l++) {
    const uint8_t *lw = m->blob + l * B_LAYER_BYTES;
    if (q_rmsnorm(x, xb, B_DIM)) goto fault;
    memset(scr, 0, sizeof scr);
    q_matmul_add(lw + B_QKV, B_QKV_ROWS, B_DIM, xb, scr);
    q_rope(scr, (B_DIM + B_KV_DIM) / 2, rot);
    memcpy(m->kv[l][pos], scr + B_DIM, sizeof m->kv[l][pos]);
    dump(m, "qkv", l, scr, B_QKV_ROWS);
    attention(m, l, pos, scr, xb);
    dump(m, "att", l, xb, B_DIM);
    q_matmul_add(lw + B_WO, B_DIM, B_DIM, xb, x);
    if (q_rmsnorm(x, xb, B_DIM)) goto fault;
    memset(scr, 0, sizeof scr);
    q_matmul_add(lw + B_W13, B_W13_ROWS, B_DIM, xb, scr);
    q_swiglu(scr, scr + B_HID, xb, B_HID, table(m, B_SIG));
    q_matmul_add(lw + B_W2, B_DIM, B_HID, xb, x);
    dump(m, "x", l, x, B_DIM);
  }
  if (q_rmsnorm(x, xb, B_DIM)) goto fault;
  memset(scr, 0, sizeof scr);
  q_matmul_add(m->blob + B_CLS, B_VOCAB, B_DIM, xb, scr);
  return q_argmax(scr, B_VOCAB);
fault:
  snprintf(err, errn, "position %d: the kernel's rmsnorm would divide by zero or overflow", pos);
  return -1;
}

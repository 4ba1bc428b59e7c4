/* Float reference: llama2.c's forward pass in float32 over the original
 * checkpoint, greedy from BOS.  It is the yardstick the integer kernel (and
 * its golden model) is measured against by `make fidelity`.
 *
 *   float CKPT TOK         prints the story text
 *   float --ids CKPT TOK   prints the generated token ids, one per line
 */
#include "ckpt.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { BOS = 1 };

/* Activations and the KV cache for the whole context. */
typedef struct {
  float *x, *xb, *xb2, *hb, *hb2, *q, *att, *logits;
  float *key_cache, *value_cache;   /* n_layers * seq_len * kv_dim */
} run_state;

static int state_alloc(run_state *s, const ckpt_config *c) {
  int kv_dim = c->dim * c->n_kv_heads / c->n_heads;
  size_t cache = (size_t)c->n_layers * (size_t)c->seq_len * (size_t)kv_dim;
  s->x = calloc((size_t)c->dim, sizeof(float));
  s->xb = calloc((size_t)c->dim, sizeof(float));
  s->xb2 = calloc((size_t)c->dim, sizeof(float));
  s->hb = calloc((size_t)c->hidden_dim, sizeof(float));
  s->hb2 = calloc((size_t)c->hidden_dim, sizeof(float));
  s->q = calloc((size_t)c->dim, sizeof(float));
  s->att = calloc((size_t)c->n_heads * (size_t)c->seq_len, sizeof(float));
  s->logits = calloc((size_t)c->vocab_size, sizeof(float));
  s->key_cache = calloc(cache, sizeof(float));
  s->value_cache = calloc(cache, sizeof(float));
  return s->x && s->xb && s->xb2 && s->hb && s->hb2 && s->q && s->att &&
                 s->logits && s->key_cache && s->value_cache ? 0 : -1;
}

static void state_free(run_state *s) {
  free(s->x); free(s->xb); free(s->xb2); free(s->hb); free(s->hb2);
  free(s->q); free(s->att); free(s->logits); free(s->key_cache); free(s->value_cache);
}

static void rmsnorm(float *o, const float *x, const float *w, int n) {
  float ss = 0.0f;
  for (int j = 0; j < n; j++) ss += x[j] * x[j];
  ss = 1.0f / sqrtf(ss / (float)n + 1e-5f);
  for (int j = 0; j < n; j++) o[j] = w[j] * (ss * x[j]);
}

/* o (d) = W (d, n) · x (n) */
static void matmul(float *o, const float *x, const float *w, int n, int d) {
  for (int i = 0; i < d; i++) {
    float v = 0.0f;
    const float *row = w + (size_t)i * (size_t)n;
    for (int j = 0; j < n; j++) v += row[j] * x[j];
    o[i] = v;
  }
}

static void softmax(float *x, int n) {
  float mx = x[0];
  for (int i = 1; i < n; i++) if (x[i] > mx) mx = x[i];
  float sum = 0.0f;
  for (int i = 0; i < n; i++) { x[i] = expf(x[i] - mx); sum += x[i]; }
  for (int i = 0; i < n; i++) x[i] /= sum;
}

/* Rotates each (even, odd) pair of q and k by pos * theta^(-i/head_size),
 * i being the pair's even index within its head. */
static void rope(float *q, float *k, int dim, int kv_dim, int head_size, int pos) {
  for (int i = 0; i < dim; i += 2) {
    int hd = i % head_size;
    float freq = 1.0f / powf(10000.0f, (float)hd / (float)head_size);
    float a = (float)pos * freq, fcr = cosf(a), fci = sinf(a);
    int rotn = i < kv_dim ? 2 : 1;
    for (int v = 0; v < rotn; v++) {
      float *vec = v == 0 ? q : k;
      float v0 = vec[i], v1 = vec[i + 1];
      vec[i] = v0 * fcr - v1 * fci;
      vec[i + 1] = v0 * fci + v1 * fcr;
    }
  }
}

/* One position of the transformer; leaves the logits in s->logits. */
static void forward(const ckpt *w, run_state *s, int token, int pos) {
  const ckpt_config *p = &w->cfg;
  int dim = p->dim, hidden = p->hidden_dim, head_size = dim / p->n_heads;
  int kv_dim = dim * p->n_kv_heads / p->n_heads, kv_mul = p->n_heads / p->n_kv_heads;
  memcpy(s->x, w->token_embedding + (size_t)token * (size_t)dim, (size_t)dim * sizeof(float));

  for (int l = 0; l < p->n_layers; l++) {
    size_t loff = (size_t)l * (size_t)p->seq_len * (size_t)kv_dim;
    float *k = s->key_cache + loff + (size_t)pos * (size_t)kv_dim;
    float *v = s->value_cache + loff + (size_t)pos * (size_t)kv_dim;

    rmsnorm(s->xb, s->x, w->rms_att + (size_t)l * dim, dim);
    matmul(s->q, s->xb, w->wq + (size_t)l * dim * dim, dim, dim);
    matmul(k, s->xb, w->wk + (size_t)l * kv_dim * dim, dim, kv_dim);
    matmul(v, s->xb, w->wv + (size_t)l * kv_dim * dim, dim, kv_dim);
    rope(s->q, k, dim, kv_dim, head_size, pos);

    /* Multi-query attention: query head h reads KV head h / kv_mul. */
    for (int h = 0; h < p->n_heads; h++) {
      const float *q = s->q + h * head_size;
      float *att = s->att + (size_t)h * p->seq_len;
      int kvh = (h / kv_mul) * head_size;
      for (int t = 0; t <= pos; t++) {
        const float *kt = s->key_cache + loff + (size_t)t * kv_dim + kvh;
        float score = 0.0f;
        for (int i = 0; i < head_size; i++) score += q[i] * kt[i];
        att[t] = score / sqrtf((float)head_size);
      }
      softmax(att, pos + 1);
      float *xb = s->xb + h * head_size;
      memset(xb, 0, (size_t)head_size * sizeof(float));
      for (int t = 0; t <= pos; t++) {
        const float *vt = s->value_cache + loff + (size_t)t * kv_dim + kvh;
        for (int i = 0; i < head_size; i++) xb[i] += att[t] * vt[i];
      }
    }
    matmul(s->xb2, s->xb, w->wo + (size_t)l * dim * dim, dim, dim);
    for (int i = 0; i < dim; i++) s->x[i] += s->xb2[i];

    /* SwiGLU feed-forward: w2 (silu(w1 x) * w3 x). */
    rmsnorm(s->xb, s->x, w->rms_ffn + (size_t)l * dim, dim);
    matmul(s->hb, s->xb, w->w1 + (size_t)l * hidden * dim, dim, hidden);
    matmul(s->hb2, s->xb, w->w3 + (size_t)l * hidden * dim, dim, hidden);
    for (int i = 0; i < hidden; i++) {
      float g = s->hb[i];
      s->hb[i] = g * (1.0f / (1.0f + expf(-g))) * s->hb2[i];
    }
    matmul(s->xb, s->hb, w->w2 + (size_t)l * dim * hidden, hidden, dim);
    for (int i = 0; i < dim; i++) s->x[i] += s->xb[i];
  }
  rmsnorm(s->x, s->x, w->rms_final, dim);
  matmul(s->logits, s->x, w->wcls, dim, p->vocab_size);
}

static int argmax(const float *v, int n) {
  int best = 0;
  for (int i = 1; i < n; i++) if (v[i] > v[best]) best = i;
  return best;
}

/* llama2.c's decode: drop the leading space after BOS, and print raw-byte
 * pieces "<0xNN>" as that byte. */
static void print_piece(const tokenizer *t, int prev, int token) {
  const char *piece = t->piece[token];
  if (prev == BOS && piece[0] == ' ') piece++;
  unsigned byte;
  char close;
  if (sscanf(piece, "<0x%02X%c", &byte, &close) == 2 && close == '>' &&
      strlen(piece) == 6) {
    putchar((int)byte);
    return;
  }
  fputs(piece, stdout);
}

static int usage(void) {
  fprintf(stderr, "usage: float [--ids] CKPT TOK\n");
  return 2;
}

int main(int argc, char **argv) {
  int ids = 0, a = 1;
  if (a < argc && !strcmp(argv[a], "--ids")) { ids = 1; a++; }
  if (argc - a != 2) return usage();
  const char *ckpt_path = argv[a], *tok_path = argv[a + 1];

  char err[512];
  ckpt w;
  tokenizer tok;
  if (ckpt_load(ckpt_path, &w, err, sizeof err)) {
    fprintf(stderr, "%s\n", err);
    return 2;
  }
  if (tok_load(tok_path, w.cfg.vocab_size, &tok, err, sizeof err)) {
    fprintf(stderr, "%s\n", err);
    ckpt_free(&w);
    return 2;
  }
  run_state s;
  if (state_alloc(&s, &w.cfg)) {
    fprintf(stderr, "float: out of memory\n");
    state_free(&s);
    tok_free(&tok);
    ckpt_free(&w);
    return 3;
  }

  int token = BOS;
  for (int pos = 0; pos < w.cfg.seq_len; pos++) {
    forward(&w, &s, token, pos);
    int next = argmax(s.logits, w.cfg.vocab_size);
    if (next == BOS) break;
    if (ids) printf("%d\n", next);
    else print_piece(&tok, token, next);
    token = next;
  }
  if (!ids) putchar('\n');

  state_free(&s);
  tok_free(&tok);
  ckpt_free(&w);
  return 0;
}

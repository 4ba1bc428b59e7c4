/* The kernel's integer arithmetic (see qmath.h and SPEC.md). */
#include "qmath.h"

#include <string.h>

int32_t q_mulhi(int32_t a, int32_t b) {
  return (int32_t)(((int64_t)a * b) >> 32);
}

int32_t q_mulq16(int32_t a, int32_t b) {
  return (int32_t)(uint32_t)(((int64_t)a * b) >> 16);
}

int32_t q_mulq15(int32_t a, int32_t b) {
  return (int32_t)(uint32_t)(((int64_t)a * b) >> 15);
}

uint32_t q_isqrt(uint32_t n) {
  /* The kernel counts up: r = 1, 2, ... while r*r <= n, and stops too when
   * r*r no longer fits 32 bits (mul's carry), at r = 2^16. */
  uint64_t r = 0;
  do r++; while (r * r <= n);
  return (uint32_t)(r - 1);
}

int q_rmsnorm(const int32_t *x, int32_t *out, int n) {
  uint32_t ss = 0;
  for (int j = 0; j < n; j++) {
    int32_t s = x[j] >> 8;
    ss += (uint32_t)s * (uint32_t)s;
  }
  /* ss = 0 divides by zero */
  if (ss == 0) return -1;
  int64_t r = q_isqrt(ss);
  for (int j = 0; j < n; j++) {
    int64_t q = ((int64_t)x[j] * 2048) / r;
    if (q > INT32_MAX || q < INT32_MIN) return -1;
    out[j] = (int32_t)q;
  }
  return 0;
}

static int32_t row_scale(const uint8_t *row) {
  uint32_t m = (uint32_t)row[0] | (uint32_t)row[1] << 8 |
               (uint32_t)row[2] << 16 | (uint32_t)row[3] << 24;
  return (int32_t)m;
}

void q_matmul_add(const uint8_t *w, int rows, int n, const int32_t *x, int32_t *out) {
  for (int i = 0; i < rows; i++, w += 4 + n) {
    uint32_t acc = 0;
    for (int j = 0; j < n; j++)
      acc += (uint32_t)((int32_t)(int8_t)w[j] * x[j]);
    out[i] = (int32_t)((uint32_t)out[i] + (uint32_t)q_mulhi((int32_t)acc, row_scale(w + n)));
  }
}

uint32_t q_table(const uint16_t *tab, int32_t idx) {
  if (idx < 0) idx = 0;
  if (idx > Q_TAB_N - 1) idx = Q_TAB_N - 1;
  return tab[idx];
}

void q_rope(int32_t *v, int npairs, const int32_t *rot) {
  for (int p = 0; p < npairs; p++) {
    const int32_t *m = rot + 4 * (p % 4);
    int32_t ab[2] = {v[2 * p], v[2 * p + 1]};
    v[2 * p] = q_dot(ab, m, 2);
    v[2 * p + 1] = q_dot(ab, m + 2, 2);
  }
}

int32_t q_dot(const int32_t *a, const int32_t *b, int n) {
  uint32_t acc = 0;
  for (int i = 0; i < n; i++) acc += (uint32_t)q_mulq16(a[i], b[i]);
  return (int32_t)acc;
}

void q_softmax(int32_t *att, int n, const uint16_t *exptab) {
  int32_t m = att[0];
  for (int t = 1; t < n; t++)
    if (att[t] > m) m = att[t];
  uint32_t sum = 0;
  for (int t = 0; t < n; t++) {
    int32_t d = (int32_t)((uint32_t)m - (uint32_t)att[t]);
    att[t] = (int32_t)q_table(exptab, d >> 8);
    sum += (uint32_t)att[t];
  }
  /* e <= 65535 so e << 16 fits 32 bits, and e <= sum keeps p <= 65536. */
  for (int t = 0; t < n; t++) att[t] = (int32_t)(((uint32_t)att[t] << 16) / sum);
}

void q_swiglu(const int32_t *g, const int32_t *u, int32_t *out, int n, const uint16_t *sigtab) {
  for (int i = 0; i < n; i++) {
    /* the kernel adds 4096 << 8 before its shift: the sum wraps */
    int32_t s = (int32_t)q_table(sigtab, (int32_t)((uint32_t)g[i] + ((uint32_t)Q_SIG_ZERO << 8)) >> 8);
    out[i] = q_mulq16(q_mulq16(g[i], s), u[i]);
  }
}

int q_argmax(const int32_t *v, int n) {
  int best = 0;
  for (int i = 1; i < n; i++)
    if (v[i] > v[best]) best = i;
  return best;
}

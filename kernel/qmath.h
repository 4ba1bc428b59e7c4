/* The kernel's integer arithmetic, one function per block of llama.asm.
 * Every function reproduces the instructions bit for bit: products are
 * 64-bit (imul), shifts are arithmetic and truncate, sums wrap modulo 2^32.
 * kernel/SPEC.md gives the formulas and the reasons for each scale. */
#ifndef KERNEL_QMATH_H
#define KERNEL_QMATH_H

#include <stdint.h>

enum { Q_TAB_N = 8192, Q_SIG_ZERO = 4096 };

/* imul; result edx: the high half of the 64-bit product. */
int32_t q_mulhi(int32_t a, int32_t b);
/* imul; shrd eax, edx, 16: the low 32 bits of (a*b) >> 16. */
int32_t q_mulq16(int32_t a, int32_t b);
/* imul; shrd eax, edx, 15. */
int32_t q_mulq15(int32_t a, int32_t b);

/* floor(sqrt(n)), counting r up while r*r <= n; n must be below 0xFFFE0001. */
uint32_t q_isqrt(uint32_t n);

/* out = x / rms(x) in Q16.16 (no gain: gains are folded into the next
 * matrix).  0 on success, -1 when the kernel's idiv or div would fault. */
int q_rmsnorm(const int32_t *x, int32_t *out, int n);

/* out[i] += mulhi(sum_j w[i][j] * x[j], M[i]) for `rows` rows laid out as
 * [n int8][int32 M]. */
void q_matmul_add(const uint8_t *w, int rows, int n, const int32_t *x, int32_t *out);


/* tab[idx] with idx clamped to [0, Q_TAB_N-1]. */
uint32_t q_table(const uint16_t *tab, int32_t idx);

/* Rotates npairs consecutive pairs (a, b); pair p uses the 2x2 matrix
 * m = rot + 4 (p % 4) = {cos, -sin, sin, cos} (Q16):
 * a' = a m0 + b m1, b' = a m2 + b m3, each product through mulq16. */
void q_rope(int32_t *v, int npairs, const int32_t *rot);

/* sum_i mulq16(a[i], b[i]) (wrapping). */
int32_t q_dot(const int32_t *a, const int32_t *b, int n);

/* Scores -> probabilities in Q16, in place: e = EXP[(max - s) >> 8],
 * p = (e << 16) / sum(e) (unsigned, truncating). */
void q_softmax(int32_t *att, int n, const uint16_t *exptab);

/* out[i] = mulq16(mulq16(g[i], SIG[(g[i] + (4096 << 8)) >> 8]), u[i]), the
 * sum wrapping. */
void q_swiglu(const int32_t *g, const int32_t *u, int32_t *out, int n, const uint16_t *sigtab);

/* Index of the first maximum. */
int q_argmax(const int32_t *v, int n);

#endif

/* golden's arithmetic blocks (kernel/qmath.c) on values worked out by hand
 * from the formulas in kernel/SPEC.md.  Q16.16: 1.0 = 65536. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "qmath.h"

#define ONE 65536

Test(qmath, mulhi_is_the_high_half) {
  cr_expect_eq(q_mulhi(0x40000000, 4), 1);        /* 2^30 * 4 = 2^32 */
  cr_expect_eq(q_mulhi(-1, 1), -1);               /* floor, not toward zero */
  cr_expect_eq(q_mulhi(0x7fffffff, 0x7fffffff), 0x3fffffff);
}

Test(qmath, mulq16_multiplies_fixed_point) {
  cr_expect_eq(q_mulq16(3 * ONE / 2, 2 * ONE), 3 * ONE);  /* 1.5 * 2 = 3 */
  cr_expect_eq(q_mulq16(-ONE / 2, ONE / 2), -ONE / 4);    /* -0.5 * 0.5 */
  cr_expect_eq(q_mulq16(-1, 1), -1);                      /* floor of -2^-16 */
  cr_expect_eq(q_mulq15(ONE, 1 << 15), ONE);              /* 1.0 * Q15 1.0 */
}

Test(qmath, isqrt_small_values) {
  cr_expect_eq(q_isqrt(1), 1);
  cr_expect_eq(q_isqrt(15), 3);
  cr_expect_eq(q_isqrt(16), 4);
  cr_expect_eq(q_isqrt(17), 4);
  cr_expect_eq(q_isqrt(1u << 30), 1u << 15);
  cr_expect_eq(q_isqrt(0xfffe0000u), 65534);  /* 65535^2 = 0xfffe0001 */
}

Test(qmath, isqrt_stops_where_the_square_leaves_32_bits) {
  /* from 65535^2 on, 65536^2 = 2^32 sets mul's carry: the count ends there */
  cr_expect_eq(q_isqrt(0xfffe0001u), 65535);
  cr_expect_eq(q_isqrt(0xfffffff9u), 65535);
  cr_expect_eq(q_isqrt(0xffffffffu), 65535);
}

Test(qmath, isqrt_is_the_floor_of_the_root) {
  for (uint32_t n = 1; n < 0xfff00000u; n += 104729 + (n >> 5)) {
    uint64_t r = q_isqrt(n);
    cr_assert(r * r <= n && (r + 1) * (r + 1) > n, "isqrt(%u) = %lu", n, (unsigned long)r);
  }
}

Test(qmath, rmsnorm_of_a_constant_vector_is_one) {
  int32_t x[64], out[64];
  /* x = 2.0: (x >> 8)^2 = 512^2, times 64 = 2^24, isqrt = 4096,
   * out = 2^17 * 2^11 / 4096 = 2^16 = 1.0 */
  for (int j = 0; j < 64; j++) x[j] = 2 * ONE;
  cr_assert_eq(q_rmsnorm(x, out, 64), 0);
  for (int j = 0; j < 64; j++) cr_expect_eq(out[j], ONE);
}

Test(qmath, rmsnorm_keeps_signs_and_scales_to_unit_rms) {
  int32_t x[64], out[64];
  /* half +3.0, half -3.0: rms 3, so out = +-1.0 */
  for (int j = 0; j < 64; j++) x[j] = j & 1 ? -3 * ONE : 3 * ONE;
  cr_assert_eq(q_rmsnorm(x, out, 64), 0);
  for (int j = 0; j < 64; j++) cr_expect_eq(out[j], j & 1 ? -ONE : ONE);
}

Test(qmath, rmsnorm_reports_a_zero_vector) {
  int32_t x[64] = {0}, out[64];
  cr_expect_eq(q_rmsnorm(x, out, 64), -1);  /* the kernel would divide by 0 */
}

Test(qmath, rmsnorm_counts_roots_up_to_the_wrap) {
  int32_t x[64], out[64];
  /* (x >> 8)^2 = 8191^2 each: the sum 64 * 8191^2 = 0xFFF00040 is below
   * 0xFFFE0001, so its root (8191 * 8 = 65528) is counted */
  for (int j = 0; j < 64; j++) x[j] = 8191 << 8;
  cr_expect_eq(q_rmsnorm(x, out, 64), 0);
  cr_expect_eq(out[0], 65536);  /* x / rms = 1.0: 8191 * 2^8 * 2^11 / 65528 */
  /* 64 * 8192^2 = 2^32 wraps to 0: the kernel would divide by zero */
  for (int j = 0; j < 64; j++) x[j] = 8192 << 8;
  cr_expect_eq(q_rmsnorm(x, out, 64), -1);
}

Test(qmath, rmsnorm_past_the_last_square_takes_root_65535) {
  int32_t x[64], out[64];
  /* 63 * 8192^2 + 8191^2 = 0xFFFFE001, above 65535^2: the kernel's count
   * stops on mul's carry at 65536, so r = 65535 */
  for (int j = 0; j < 63; j++) x[j] = 8192 << 8;
  x[63] = 8191 << 8;
  cr_assert_eq(q_rmsnorm(x, out, 64), 0);
  cr_expect_eq(out[0], 65537);  /* 2^32 / 65535, truncated */
  cr_expect_eq(out[63], (int32_t)(((int64_t)8191 << 19) / 65535));
}

static void row(uint8_t *r, int32_t m, const int8_t *q, int n) {
  memcpy(r, q, (size_t)n);
  memcpy(r + n, &m, 4);
}

Test(qmath, matmul_applies_the_row_scale_and_accumulates) {
  /* M = 2^24: weights are q / 256.  Row 0: [127, -64] . [1.0, 0.5]
   * = 127/256 - 0.125 = 0.37109375 = 24320 / 65536.  Row 1: [0, 2] . x
   * = 2/256 * 0.5 = 256 / 65536. */
  uint8_t w[2 * 6];
  row(w, 1 << 24, (const int8_t[]){127, -64}, 2);
  row(w + 6, 1 << 24, (const int8_t[]){0, 2}, 2);
  int32_t x[2] = {ONE, ONE / 2}, out[2] = {100, -100};
  q_matmul_add(w, 2, 2, x, out);
  cr_expect_eq(out[0], 100 + 24320);
  cr_expect_eq(out[1], -100 + 256);
}

Test(qmath, table_clamps_its_index) {
  static uint16_t tab[Q_TAB_N];
  for (int i = 0; i < Q_TAB_N; i++) tab[i] = (uint16_t)(i * 7);
  cr_expect_eq(q_table(tab, 10), 70);
  cr_expect_eq(q_table(tab, -5), 0);
  cr_expect_eq(q_table(tab, INT32_MIN), 0);
  cr_expect_eq(q_table(tab, Q_TAB_N + 100), (uint16_t)((Q_TAB_N - 1) * 7));
}

Test(qmath, rope_rotates_by_the_pair_frequency) {
  /* matrices {cos, -sin, sin, cos}.  pair 0: 90 degrees: (1, 0) -> (0, 1);
   * pair 1: 0 degrees: unchanged; pair 4 reuses pair 0's angle. */
  int32_t cs[16] = {0, -ONE, ONE, 0, ONE, 0, 0, ONE, ONE, 0, 0, ONE, ONE, 0, 0, ONE};
  int32_t v[10] = {ONE, 0, 3 * ONE, -ONE, 0, 0, 0, 0, 0, 2 * ONE};
  q_rope(v, 5, cs);
  cr_expect_eq(v[0], 0);
  cr_expect_eq(v[1], ONE);
  cr_expect_eq(v[2], 3 * ONE);
  cr_expect_eq(v[3], -ONE);
  cr_expect_eq(v[8], -2 * ONE);  /* (0, 2) rotated by 90: (-2, 0) */
  cr_expect_eq(v[9], 0);
}

Test(qmath, dot_of_fixed_point_vectors) {
  int32_t a[2] = {ONE, 2 * ONE}, b[2] = {3 * ONE, ONE / 2};
  cr_expect_eq(q_dot(a, b, 2), 4 * ONE);  /* 3 + 1 */
}

static uint16_t exptab[Q_TAB_N];

static void make_exptab(void) {
  for (int i = 0; i < Q_TAB_N; i++) {
    double e = nearbyint(65536.0 * exp(-i / 256.0));
    exptab[i] = (uint16_t)(e > 65535 ? 65535 : e);
  }
}

Test(qmath, softmax_of_equal_scores_is_a_half_each, .init = make_exptab) {
  /* e = EXP[0] = 65535 each: p = 65535 * 65536 / 131070 = 32768, a half */
  int32_t att[2] = {5 * ONE, 5 * ONE};
  q_softmax(att, 2, exptab);
  cr_expect_eq(att[0], ONE / 2);
  cr_expect_eq(att[1], ONE / 2);
}

Test(qmath, softmax_ignores_scores_far_below_the_max, .init = make_exptab) {
  /* a score 40 below the max is past the table (e^-32 and beyond: 0) */
  int32_t att[3] = {0, -40 * ONE, 0};
  q_softmax(att, 3, exptab);
  cr_expect_eq(att[1], 0);
  cr_expect_eq(att[0], ONE / 2);
}

Test(qmath, softmax_follows_exp_of_the_difference, .init = make_exptab) {
  /* scores 1 apart: p = 1 / (1 + e^-1) = 0.7311, e^-1 / (1 + e^-1) = 0.2689 */
  int32_t att[2] = {ONE, 0};
  q_softmax(att, 2, exptab);
  cr_expect(fabs(att[0] / 65536.0 - 0.7311) < 0.0002, "p0 = %d", att[0]);
  cr_expect(fabs(att[1] / 65536.0 - 0.2689) < 0.0002, "p1 = %d", att[1]);
}

static uint16_t sigtab[Q_TAB_N];

static void make_sigtab(void) {
  for (int i = 0; i < Q_TAB_N; i++) {
    double s = nearbyint(65536.0 / (1.0 + exp(-(i - Q_SIG_ZERO) / 256.0)));
    sigtab[i] = (uint16_t)(s > 65535 ? 65535 : s);
  }
}

Test(qmath, swiglu_gates_with_silu, .init = make_sigtab) {
  /* silu(0) = 0; silu(2) u = 2 sigmoid(2) 0.5 = 0.8808; a large gate
   * (beyond the table) passes through: silu(20) = 20 (1 - 2e-9). */
  int32_t g[3] = {0, 2 * ONE, 20 * ONE}, u[3] = {ONE, ONE / 2, ONE}, out[3];
  q_swiglu(g, u, out, 3, sigtab);
  cr_expect_eq(out[0], 0);
  cr_expect(fabs(out[1] / 65536.0 - 0.8808) < 0.0005, "silu(2)/2 = %d", out[1]);
  cr_expect(fabs(out[2] / 65536.0 - 20.0) < 0.001, "silu(20) = %d", out[2]);
}

Test(qmath, argmax_takes_the_first_maximum) {
  int32_t v[5] = {-3, 7, 2, 7, -9};
  cr_expect_eq(q_argmax(v, 5), 1);
  int32_t neg[3] = {INT32_MIN, INT32_MIN, INT32_MIN + 1};
  cr_expect_eq(q_argmax(neg, 3), 2);
}

/* bench-isa: speed of the instruction model.
 *  1. concrete evaluation: a pre-decoded loop of simple register
 *     instructions (add/xor/mov), instructions evaluated per second on one
 *     core, through isa_exec_seq and through isa_exec one at a time;
 *  2. Z3: building and checking the equivalence of two 5-instruction
 *     sequences, register-only and with push/pop, plus a pair that differs
 *     (one context, one solver, push/pop per query; assumption sp >= 2 so a
 *     push cannot fault), milliseconds per query. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <z3.h>
#include "isa/isa.h"
#include "isa/isa_z3.h"

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int decode_all(const uint8_t *b, int n, insn *out, int max) {
  int k = 0, at = 0;
  while (at < n && k < max) {
    char err[128];
    int len = isa_decode(b + at, (size_t)(n - at), &out[k], err, sizeof err);
    if (len <= 0) { fprintf(stderr, "bench-isa: cannot decode at %d: %s\n", at, err); return -1; }
    at += len;
    k++;
  }
  return k;
}

static int bench_concrete(void) {
  /* add ax,bx; xor cx,dx; mov si,ax; add di,si; xor ax,cx; mov bx,di; add dx,ax; mov cx,si */
  static const uint8_t code[] = { 0x01, 0xd8, 0x31, 0xd1, 0x89, 0xc6, 0x01, 0xf7,
                                  0x31, 0xc8, 0x89, 0xfb, 0x01, 0xc2, 0x89, 0xf1 };
  insn seq[8];
  int n = decode_all(code, sizeof code, seq, 8);
  if (n != 8) return 3;
  isa_state st;
  memset(&st, 0, sizeof st);
  for (int i = 0; i < 8; i++) st.r[i] = 0x1234u * (unsigned)(i + 1);
  const long reps = 20000000;
  double t0 = now();
  for (long i = 0; i < reps; i++) isa_exec_seq(&st, seq, n);
  double t1 = now();
  for (long i = 0; i < reps; i++)
    for (int j = 0; j < n; j++) isa_exec(&st, &seq[j]);
  double t2 = now();
  double total = (double)reps * n;
  printf("bench-isa: concrete, isa_exec_seq: %.1f million instructions/s (%.0f instructions in %.2f s, ax=%04x)\n",
         total / (t1 - t0) / 1e6, total, t1 - t0, st.r[R_AX] & 0xffff);
  printf("bench-isa: concrete, isa_exec one by one: %.1f million instructions/s\n", total / (t2 - t1) / 1e6);
  return st.fault ? 1 : 0;
}

/* ms per query for seq x vs y: build both symbolic runs from one initial
 * state, assert that they differ on `live`, check.  Counts the answers. */
static double z3_pair(Z3_context c, Z3_solver s, const insn *x, const insn *y, locset live,
                      int reps, int answers[3]) {
  double t0 = now();
  for (int i = 0; i < reps; i++) {
    isa_z3_state init, a, b;
    isa_z3_state_init(c, &init, "s_");
    a = init;
    b = init;
    for (int k = 0; k < 5; k++)
      if (!isa_z3_exec(c, &a, &x[k], "a_") || !isa_z3_exec(c, &b, &y[k], "b_")) return -1;
    Z3_solver_push(c, s);
    /* push/pop must not cross offset 0xFFFF (a fault one side has) */
    Z3_ast sp = Z3_mk_extract(c, 15, 0, init.r[R_SP]);
    Z3_solver_assert(c, s, Z3_mk_bvuge(c, sp, Z3_mk_unsigned_int(c, 2, Z3_mk_bv_sort(c, 16))));
    Z3_solver_assert(c, s, isa_z3_differ(c, &a, &b, live));
    Z3_lbool r = Z3_solver_check(c, s);
    answers[r == Z3_L_FALSE ? 0 : r == Z3_L_TRUE ? 1 : 2]++;
    Z3_solver_pop(c, s, 1);
  }
  return (now() - t0) / reps * 1e3;
}

static int bench_z3(void) {
  static const struct { const char *what; uint8_t x[12], y[12]; int nx, ny; bool equal; } pairs[] = {
    { "equivalent, register-only",
      /* mov ax,bx; add ax,cx; xor dx,dx; inc ax; nop  vs  mov ax,bx; add ax,cx; inc ax; xor dx,dx; nop */
      { 0x89, 0xd8, 0x01, 0xc8, 0x31, 0xd2, 0x40, 0x90 }, { 0x89, 0xd8, 0x01, 0xc8, 0x40, 0x31, 0xd2, 0x90 },
      8, 8, true },
    { "equivalent, with push/pop",
      /* push bx; pop ax; add ax,cx; xor dx,dx; inc ax  vs  the second sequence above */
      { 0x53, 0x58, 0x01, 0xc8, 0x31, 0xd2, 0x40 }, { 0x89, 0xd8, 0x01, 0xc8, 0x40, 0x31, 0xd2, 0x90 },
      7, 8, true },
    { "different, with push/pop",
      /* push bx; pop ax; ...  vs  mov ax,cx; add ax,bx; inc ax; xor dx,dx; dec dx */
      { 0x53, 0x58, 0x01, 0xc8, 0x31, 0xd2, 0x40 }, { 0x89, 0xc8, 0x01, 0xd8, 0x40, 0x31, 0xd2, 0x4a },
      7, 8, false },
  };
  locset live = 0, ldx = 0;
  if (!isa_loc_parse("ax", &live) || !isa_loc_parse("dx", &ldx)) return 3;
  live |= ldx;
  Z3_config cfg = Z3_mk_config();
  Z3_context c = Z3_mk_context(cfg);
  Z3_del_config(cfg);
  Z3_solver s = Z3_mk_solver(c);
  Z3_solver_inc_ref(c, s);
  int rc = 0;
  for (size_t p = 0; p < sizeof pairs / sizeof pairs[0]; p++) {
    insn x[5], y[5];
    if (decode_all(pairs[p].x, pairs[p].nx, x, 5) != 5 || decode_all(pairs[p].y, pairs[p].ny, y, 5) != 5) return 3;
    int ans[3] = { 0 }, reps = 10;
    double ms = z3_pair(c, s, x, y, live, reps, ans);
    if (ms < 0) { fprintf(stderr, "bench-isa: an instruction is not expressible in Z3\n"); return 3; }
    printf("bench-isa: z3, 5-insn sequences %s (live ax dx): %.2f ms per query "
           "(build + check; %d unsat, %d sat, %d unknown of %d)\n",
           pairs[p].what, ms, ans[0], ans[1], ans[2], reps);
    /* the figures mean nothing if the answers are wrong */
    if (ans[pairs[p].equal ? 0 : 1] != reps) rc = 1;
  }
  Z3_solver_dec_ref(c, s);
  Z3_del_context(c);
  return rc;
}

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  int rc = bench_concrete();
  int rz = bench_z3();
  return rc > rz ? rc : rz;
}

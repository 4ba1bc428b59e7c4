/* The Z3 instantiation against the evaluator: the symbolic result of an
 * instruction, evaluated under a model pinned to a random concrete state,
 * must equal what the evaluator computes on that state (every register,
 * segment, flag value and definedness, fault, poison and written byte).
 * A handful of forms here; verify/ runs every form. */
#include <criterion/criterion.h>
#include <string.h>
#include "isa/isa_z3.h"
#include "run.h"
#include "sample.h"

static Z3_context ctx;
static void setup(void) {
  Z3_config cfg = Z3_mk_config();
  ctx = Z3_mk_context(cfg);
  Z3_del_config(cfg);
}
static void teardown(void) { Z3_del_context(ctx); }

static uint64_t eval_u(Z3_model m, Z3_ast t) {
  Z3_ast v;
  uint64_t u = ~0ull;
  cr_assert(Z3_model_eval(ctx, m, t, true, &v));
  cr_assert(Z3_get_numeral_uint64(ctx, v, &u));
  return u;
}
static bool eval_b(Z3_model m, Z3_ast t) {
  Z3_ast v;
  cr_assert(Z3_model_eval(ctx, m, t, true, &v));
  return Z3_get_bool_value(ctx, v) == Z3_L_TRUE;
}

static int compare_seq_on_states(const char *hex, const insn *seq, int n, int nstates, uint64_t seed);

static int compare_on_states(const char *hex, int nstates, uint64_t seed) {
  insn seq[8];
  int n = run_decode(hex, seq, 8);
  return compare_seq_on_states(hex, seq, n, nstates, seed);
}

static int compare_seq_on_states(const char *hex, const insn *seq, int n, int nstates, uint64_t seed) {
  isa_z3_state s0, s;
  isa_z3_state_init(ctx, &s0, "i_");
  s = s0;
  for (int i = 0; i < n; i++) {
    char tag[16];
    snprintf(tag, sizeof tag, "u%d_", i);
    cr_assert(isa_z3_exec(ctx, &s, &seq[i], tag), "%s: not expressible", hex);
  }
  sample_rng r = {seed};
  int checked = 0;
  for (int k = 0; k < nstates; k++) {
    isa_state st, out;
    sample_state(&r, &st);
    if (k % 4 == 0) st.s[S_DS] = 0xffff;     /* linear addresses above 1 MiB */
    if (k % 5 == 0) st.r[R_BX] = (st.r[R_BX] & ~0xffffu) | 0xffff;   /* offset 0xffff */
    out = st;
    isa_exec_seq(&out, seq, n);
    Z3_solver sv = Z3_mk_solver(ctx);
    Z3_solver_inc_ref(ctx, sv);
    Z3_solver_assert(ctx, sv, isa_z3_state_is(ctx, &s0, &st));
    cr_assert_eq(Z3_solver_check(ctx, sv), Z3_L_TRUE);
    Z3_model m = Z3_solver_get_model(ctx, sv);
    Z3_model_inc_ref(ctx, m);
    cr_assert_eq(eval_u(m, s.fault), out.fault, "%s state %d: fault", hex, k);
    if (!out.fault) {
      for (int i = 0; i < 8; i++)
        cr_assert_eq(eval_u(m, s.r[i]), out.r[i], "%s state %d: r%d", hex, k, i);
      for (int i = 0; i < 6; i++)
        cr_assert_eq(eval_u(m, s.s[i]), out.s[i], "%s state %d: seg %d", hex, k, i);
      for (int f = 0; f < FL_COUNT; f++) {
        bool def = eval_b(m, s.fdef[f]);
        cr_assert_eq(def, !(out.undef & isa_flag_bit[f]), "%s state %d: flag %d definedness", hex, k, f);
        if (def)
          cr_assert_eq(eval_u(m, s.flag[f]), (out.flags & isa_flag_bit[f]) != 0, "%s state %d: flag %d", hex, k, f);
      }
      cr_assert_eq(eval_b(m, s.poisoned), out.poisoned != 0, "%s state %d: poison", hex, k);
      cr_assert_eq(eval_b(m, s.taken), out.taken != 0, "%s state %d: taken", hex, k);
      if (out.taken) cr_assert_eq(eval_u(m, s.target), out.target, "%s state %d: target", hex, k);
      for (uint32_t i = 0; i < out.nwrites; i++) {
        Z3_ast a = Z3_mk_unsigned_int64(ctx, out.waddr[i], Z3_mk_bv_sort(ctx, 32));
        cr_assert_eq(eval_u(m, Z3_mk_select(ctx, s.mem, a)), out.wval[i], "%s state %d: mem", hex, k);
      }
    }
    checked++;
    Z3_model_dec_ref(ctx, m);
    Z3_solver_dec_ref(ctx, sv);
  }
  return checked;
}

TestSuite(z3, .init = setup, .fini = teardown, .timeout = 120);

Test(z3, arithmetic_and_logic_match_the_evaluator) {
  static const char *const forms[] = {
    "00 d8", "83 d0 05", "66 29 d8", "18 d8", "39 d8", "40", "fe c9", "f7 d8", "f6 d3",
    "20 d8", "66 0d 34 12 00 80", "84 c3", "98", "66 99", "0f be c3", "66 0f b7 cb",
  };
  for (size_t i = 0; i < sizeof forms / sizeof *forms; i++)
    cr_expect_eq(compare_on_states(forms[i], 40, i + 1), 40);
}

Test(z3, shifts_rotates_mul_div_match_the_evaluator) {
  static const char *const forms[] = {
    "d3 e0", "d2 f8", "c1 e8 03", "d1 d0", "d2 d8", "66 d3 c0", "d3 c8", "0f a5 d8", "66 0f ac d8 07",
    "f6 e3", "f7 eb", "6b c3 85", "f6 f3", "f7 fb", "d4 0a", "d5 07", "0f bc c3", "0f bd c3",
  };
  for (size_t i = 0; i < sizeof forms / sizeof *forms; i++)
    cr_expect_eq(compare_on_states(forms[i], 40, 100 + i), 40);
}

Test(z3, memory_stack_flags_strings_match_the_evaluator) {
  static const char *const forms[] = {
    "8b 07", "01 47 04", "26 89 00", "8a 46 fe", "67 8b 04 4b", "50", "5b", "1e", "8f 07",
    "60", "61", "0f 9c c0", "0f 47 c3", "9f", "9e", "d6", "d7", "ac", "a5", "ae", "a7", "f5",
    "86 07", "0f ab d8", "0f ba 37 05", "66 0f c8", "66 67 ad", "66 67 ab", "67 a4", "c4 3f", "c5 76 02", "27", "2f", "37", "3f",
  };
  for (size_t i = 0; i < sizeof forms / sizeof *forms; i++)
    cr_expect_eq(compare_on_states(forms[i], 25, 200 + i), 25);
}

/* differ(): xor ax,ax and sub ax,ax agree on ax and zf but not on af, which
 * xor leaves undefined; mov ax,0 does not set zf. */
static Z3_lbool differ(const char *a, const char *b, locset live) {
  insn sa[4], sb[4];
  int na = run_decode(a, sa, 4), nb = run_decode(b, sb, 4);
  isa_z3_state s0, x, y;
  isa_z3_state_init(ctx, &s0, "i_");
  x = y = s0;
  for (int i = 0; i < na; i++) cr_assert(isa_z3_exec(ctx, &x, &sa[i], "a_"));
  for (int i = 0; i < nb; i++) cr_assert(isa_z3_exec(ctx, &y, &sb[i], "b_"));
  Z3_solver sv = Z3_mk_solver(ctx);
  Z3_solver_inc_ref(ctx, sv);
  Z3_solver_assert(ctx, sv, isa_z3_differ(ctx, &x, &y, live));
  Z3_lbool r = Z3_solver_check(ctx, sv);
  Z3_solver_dec_ref(ctx, sv);
  return r;
}

Test(z3, differ_respects_live_sets_and_undefined_flags) {
  cr_expect_eq(differ("31 c0", "29 c0", LOC_R16(R_AX) | LOC_ZF | LOC_CF), Z3_L_FALSE);
  cr_expect_eq(differ("29 c0", "31 c0", LOC_AF), Z3_L_TRUE, "sub defines AF, xor does not");
  cr_expect_eq(differ("31 c0", "29 c0", LOC_AF), Z3_L_FALSE, "AF undefined in want is free");
  cr_expect_eq(differ("31 c0", "b8 00 00", LOC_R16(R_AX)), Z3_L_FALSE);
  cr_expect_eq(differ("31 c0", "b8 00 00", LOC_R16(R_AX) | LOC_ZF), Z3_L_TRUE);
  cr_expect_eq(differ("d1 e0", "01 c0", LOC_R16(R_AX) | LOC_CF | LOC_OF | LOC_ZF), Z3_L_FALSE);
  cr_expect_eq(differ("89 07", "88 07 88 67 01", LOC_MEM), Z3_L_TRUE, "crossing 0xffff faults only as a word");
  cr_expect_eq(differ("f6 f3", "f6 f3", LOC_ALL), Z3_L_FALSE);
  cr_expect_eq(differ("f6 f3 41", "41 f6 f3", LOC_R16(R_CX)), Z3_L_TRUE,
               "a fault is observed with the state before it: cx differs when div faults");
  cr_expect_eq(differ("f6 f3 41", "41 f6 f3", LOC_R16(R_AX)), Z3_L_FALSE);
}

Test(z3, evaluator_compares_the_state_at_a_fault) {
  isa_state a, b;
  memset(&a, 0, sizeof a);
  a.r[R_AX] = 0x1234;                 /* bl = 0: div bl faults */
  b = a;
  run_hex(&a, "f6 f3 41");
  run_hex(&b, "41 f6 f3");
  cr_assert_eq(a.fault, ISA_FAULT_DE);
  cr_assert_eq(b.fault, ISA_FAULT_DE);
  cr_expect(isa_state_equal(&a, &b, LOC_R16(R_AX)));
  cr_expect(!isa_state_equal(&a, &b, LOC_R16(R_CX)), "same fault, different cx at the fault");
}

/* a model read back as a concrete state reproduces the difference */
Test(z3, counterexample_state_reproduces_on_the_evaluator) {
  insn a[2], b[2];
  run_decode("d1 e0", a, 2);               /* shl ax, 1 */
  run_decode("8b 07", b, 2);               /* mov ax, [bx] */
  isa_z3_state s0, x, y;
  isa_z3_state_init(ctx, &s0, "i_");
  x = y = s0;
  cr_assert(isa_z3_exec(ctx, &x, &a[0], "a_"));
  cr_assert(isa_z3_exec(ctx, &y, &b[0], "b_"));
  Z3_solver sv = Z3_mk_solver(ctx);
  Z3_solver_inc_ref(ctx, sv);
  Z3_solver_assert(ctx, sv, isa_z3_differ(ctx, &x, &y, LOC_R16(R_AX)));
  cr_assert_eq(Z3_solver_check(ctx, sv), Z3_L_TRUE);
  Z3_model m = Z3_solver_get_model(ctx, sv);
  Z3_model_inc_ref(ctx, m);
  isa_state st, ra, rb;
  isa_z3_model_state(ctx, m, &s0, &st);
  ra = rb = st;
  isa_exec(&ra, &a[0]);
  isa_exec(&rb, &b[0]);
  cr_expect(!isa_state_equal(&ra, &rb, LOC_R16(R_AX)));
  Z3_model_dec_ref(ctx, m);
  Z3_solver_dec_ref(ctx, sv);
}

/* a few sampled instructions of every evaluable operation, memory forms
 * and 32-bit addressing included */
Test(z3, sampled_forms_of_every_operation_match_the_evaluator) {
  sample_rng r = {4242};
  static insn buf[6];
  int forms = 0;
  for (int op = 0; op < OP_COUNT; op++) {
    int n = sample_op((isa_op)op, &r, buf, 6);
    for (int i = 0; i < n; i++) {
      isa_effects e;
      isa_effects_of(&buf[i], &e);
      if (!e.searchable) continue;
      char t[128];
      isa_print(&buf[i], t, sizeof t);
      cr_expect_eq(compare_seq_on_states(t, &buf[i], 1, 3, 1000 + (uint64_t)forms), 3);
      forms++;
    }
  }
  cr_expect(forms > 300, "only %d forms", forms);
}

/* a closing near transfer: taken, where it goes (a label's symbolic
 * constant, a register, a word in memory, the popped word) and the pushed
 * return address (the window's next_ip) agree between the two */
Test(z3, near_transfers_go_to_the_same_place_on_both) {
  static const char *const hex[] = {"ff d3", "ff e6", "ff 17", "ff 67 02", "c3", "c2 06 00",
                                    "5b ff e3", "e8 00 00", "e9 00 00", "74 00"};
  for (size_t i = 0; i < sizeof hex / sizeof *hex; i++) {
    insn seq[4];
    int n = run_decode(hex[i], seq, 4);
    insn *last = &seq[n - 1];
    if (last->o[0].kind == K_REL) last->o[0].sym = 3;   /* to the label sym2 */
    cr_expect_eq(compare_seq_on_states(hex[i], seq, n, 6, 77 + i), 6, "%s", hex[i]);
  }
}

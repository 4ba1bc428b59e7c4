/* Symbolic constants: a label's address as an input of the state.  The
 * evaluator reads its value, Z3 makes it a free 16-bit variable, the
 * encoder always gives it a 16-bit field, and binding it to a value gives
 * the bytes nasm makes for that value. */
#include <criterion/criterion.h>
#include <string.h>
#include "isa/isa_z3.h"
#include "run.h"

static Z3_context ctx;
static void setup(void) {
  Z3_config cfg = Z3_mk_config();
  ctx = Z3_mk_context(cfg);
  Z3_del_config(cfg);
}
static void teardown(void) { Z3_del_context(ctx); }
TestSuite(symbolic, .init = setup, .fini = teardown);

static insn mov_imm(int reg, int sym, int32_t d) {
  insn in;
  memset(&in, 0, sizeof in);
  in.op = OP_MOV;
  in.size = 2;
  in.nops = 2;
  in.o[0] = (operand){.kind = K_REG, .size = 2, .reg = (uint8_t)reg, .base = -1, .index = -1};
  in.o[1] = (operand){.kind = K_IMM, .size = 2, .sym = (uint8_t)sym, .base = -1, .index = -1, .disp = d};
  return in;
}

static insn alu_imm(int op, int reg, int32_t v) {
  insn in = mov_imm(reg, 0, v);
  in.op = (uint8_t)op;
  return in;
}

static insn inc16(int reg) {
  insn in;
  memset(&in, 0, sizeof in);
  in.op = OP_INC;
  in.size = 2;
  in.nops = 1;
  in.o[0] = (operand){.kind = K_REG, .size = 2, .reg = (uint8_t)reg, .base = -1, .index = -1};
  return in;
}

/* mov al, [bx+sym0+d] */
static insn load_bx(int sym, int32_t d) {
  insn in;
  memset(&in, 0, sizeof in);
  in.op = OP_MOV;
  in.size = 1;
  in.nops = 2;
  in.o[0] = (operand){.kind = K_REG, .size = 1, .reg = 0, .base = -1, .index = -1};
  in.o[1] = (operand){.kind = K_MEM, .size = 1, .seg = S_NONE, .base = R_BX, .index = -1,
                      .sym = (uint8_t)sym, .disp = d};
  return in;
}

Test(symbolic, evaluator_reads_the_value) {
  isa_state st;
  memset(&st, 0, sizeof st);
  st.sym[1] = 0x7c40;
  st.r[R_BX] = 3;
  st.s[S_DS] = 0;
  isa_mem_set_initial(&st, 0x7c40 + 3 + 2, 0x5a);
  insn seq[2] = {mov_imm(R_SI, 2, 5), load_bx(2, 2)};
  isa_exec_seq(&st, seq, 2);
  cr_expect_eq(st.fault, ISA_FAULT_NONE);
  cr_expect_eq(st.r[R_SI] & 0xffff, 0x7c45);
  cr_expect_eq(st.r[R_AX] & 0xff, 0x5a);
}

Test(symbolic, encoder_uses_a_16_bit_field_and_binding_gives_nasms_bytes) {
  uint8_t b[ISA_MAX_LEN];
  insn m = load_bx(1, 2);
  cr_expect_eq(isa_encode(&m, b), 4, "disp16 even for a small offset");
  cr_expect(b[1] == 0x87 && b[2] == 2 && b[3] == 0);
  insn add = alu_imm(OP_ADD, R_SI, 1);
  add.o[1].sym = 1;
  cr_expect_eq(isa_encode(&add, b), 4, "add si, sym0+1 is 81 /0 iw, never 83 ib");
  cr_expect_eq(b[0], 0x81);
  insn shift = alu_imm(OP_SHL, R_SI, 1);
  shift.o[1].size = 1;
  shift.o[1].sym = 1;
  cr_expect_lt(isa_encode(&shift, b), 0, "no label as a shift count");
  uint16_t vals[ISA_NSYM] = {0x7c00};
  insn seq[2] = {m, add};
  isa_bind_syms(seq, 2, vals);
  cr_expect_eq(seq[0].o[1].sym, 0);
  cr_expect_eq(isa_encode(&seq[0], b), 4);
  cr_expect(b[1] == 0x87 && b[2] == 0x02 && b[3] == 0x7c, "[bx+0x7c02]");
  cr_expect_eq(isa_encode(&seq[1], b), 4);
  cr_expect(b[2] == 0x01 && b[3] == 0x7c, "add si, 0x7c01");
  char t[64];
  insn mv = mov_imm(R_SI, 1, -1);
  isa_print(&mv, t, sizeof t);
  cr_expect_str_eq(t, "mov si, sym0-0x1");
}

static Z3_lbool differ(const insn *a, int na, const insn *b, int nb, locset live) {
  isa_z3_state s0, x, y;
  isa_z3_state_init(ctx, &s0, "i_");
  x = y = s0;
  for (int i = 0; i < na; i++) cr_assert(isa_z3_exec(ctx, &x, &a[i], "a_"));
  for (int i = 0; i < nb; i++) cr_assert(isa_z3_exec(ctx, &y, &b[i], "b_"));
  Z3_solver sv = Z3_mk_solver(ctx);
  Z3_solver_inc_ref(ctx, sv);
  Z3_solver_assert(ctx, sv, isa_z3_differ(ctx, &x, &y, live));
  Z3_lbool r = Z3_solver_check(ctx, sv);
  Z3_solver_dec_ref(ctx, sv);
  return r;
}

/* mov si, msg; inc si == mov si, msg+1 for every msg; mov si, msg; and
 * si, 0xff00 == mov si, msg only when msg's low byte is 0, so Z3 refuses it
 * whatever msg is in the image. */
Test(symbolic, proofs_hold_for_every_value) {
  insn orig[2] = {mov_imm(R_SI, 1, 0), inc16(R_SI)};
  insn cand[1] = {mov_imm(R_SI, 1, 1)};
  cr_expect_eq(differ(orig, 2, cand, 1, LOC_R16(R_SI)), Z3_L_FALSE);
  insn other[1] = {mov_imm(R_SI, 2, 1)};
  cr_expect_eq(differ(orig, 2, other, 1, LOC_R16(R_SI)), Z3_L_TRUE, "another label is another value");
  insn masked[2] = {mov_imm(R_SI, 1, 0), alu_imm(OP_AND, R_SI, 0xff00)};
  insn plain[1] = {mov_imm(R_SI, 1, 0)};
  cr_expect_eq(differ(masked, 2, plain, 1, LOC_R16(R_SI)), Z3_L_TRUE);
  /* and the evaluator agrees with the counterexample's kind of state */
  isa_state a, b;
  memset(&a, 0, sizeof a);
  a.sym[0] = 0x7c01;
  b = a;
  isa_exec_seq(&a, masked, 2);
  isa_exec_seq(&b, plain, 1);
  cr_expect(!isa_state_equal(&a, &b, LOC_R16(R_SI)));
}

/* the Z3 terms agree with the evaluator on concrete symbolic values */
Test(symbolic, z3_matches_the_evaluator) {
  insn seq[2] = {mov_imm(R_SI, 1, 7), load_bx(1, -3)};
  isa_state init;
  memset(&init, 0, sizeof init);
  init.sym[0] = 0x8123;
  init.r[R_BX] = 0x10;
  init.mem_seed = 99;
  isa_state want = init;
  isa_exec_seq(&want, seq, 2);
  isa_z3_state s0, x;
  isa_z3_state_init(ctx, &s0, "i_");
  x = s0;
  for (int i = 0; i < 2; i++) cr_assert(isa_z3_exec(ctx, &x, &seq[i], "a_"));
  Z3_solver sv = Z3_mk_solver(ctx);
  Z3_solver_inc_ref(ctx, sv);
  Z3_solver_assert(ctx, sv, isa_z3_state_is(ctx, &s0, &init));
  cr_assert_eq(Z3_solver_check(ctx, sv), Z3_L_TRUE);
  Z3_model m = Z3_solver_get_model(ctx, sv);
  Z3_model_inc_ref(ctx, m);
  Z3_ast v;
  uint64_t u = 0;
  cr_assert(Z3_model_eval(ctx, m, x.r[R_AX], true, &v) && Z3_get_numeral_uint64(ctx, v, &u));
  cr_expect_eq(u & 0xff, want.r[R_AX] & 0xff);
  cr_assert(Z3_model_eval(ctx, m, x.r[R_SI], true, &v) && Z3_get_numeral_uint64(ctx, v, &u));
  cr_expect_eq(u & 0xffff, 0x812a);
  isa_state back;
  isa_z3_model_state(ctx, m, &s0, &back);
  cr_expect_eq(back.sym[0], 0x8123, "a model's value of the constant is read back");
  Z3_model_dec_ref(ctx, m);
  Z3_solver_dec_ref(ctx, sv);
}

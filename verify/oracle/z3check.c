/* Checks the Z3 instantiation against the evaluator: for random concrete
 * states, the formula's final terms, evaluated in a model of "initial state
 * = this state", must equal the evaluator's result (registers, segments,
 * fault, poison, each flag's defined-ness and defined values, and memory at
 * every byte the evaluator wrote and around every operand).
 *
 * Z3's initial memory is an unconstrained array, so the memory the
 * instruction may read (operand bytes, a bit-string window, the stack,
 * string source/destination) is pinned to the evaluator's initial bytes. */
#include "oracle.h"

#include <stdio.h>
#include <string.h>
#include <z3.h>
#include "isa/isa_z3.h"

static Z3_ast bv(Z3_context c, uint64_t v, unsigned bits) {
  return Z3_mk_unsigned_int64(c, v, Z3_mk_bv_sort(c, bits));
}

static void pin(Z3_context c, Z3_solver s, Z3_ast mem, const isa_state *init, uint32_t a) {
  Z3_ast sel = Z3_mk_select(c, mem, bv(c, a, 32));
  Z3_solver_assert(c, s, Z3_mk_eq(c, sel, bv(c, isa_mem_read(init, a), 8)));
}

static void pin_range(Z3_context c, Z3_solver s, Z3_ast mem, const isa_state *init,
                      uint32_t a, int before, int after) {
  for (int i = -before; i < after; i++) pin(c, s, mem, init, a + (uint32_t)i);
}

/* Pin every byte this instruction could plausibly read. */
static void pin_reads(Z3_context c, Z3_solver s, Z3_ast mem, const isa_state *init, const insn *in) {
  uint32_t ss = (uint32_t)init->s[S_SS] << 4, sp = init->r[R_SP] & 0xffff;
  for (int i = 0; i < in->nops; i++) {
    const operand *o = &in->o[i];
    if (o->kind != K_MEM) continue;
    uint32_t lin = operand_linear(init, o);
    pin_range(c, s, mem, init, lin, 0, 6);   /* a far pointer of les/lds r32 is 6 bytes */
    bool bitop = in->op == OP_BT || in->op == OP_BTS || in->op == OP_BTR || in->op == OP_BTC;
    if (bitop && in->nops > 1 && in->o[1].kind == K_REG) {
      int32_t bit = in->size == 2 ? (int16_t)init->r[in->o[1].reg] : (int32_t)init->r[in->o[1].reg];
      int32_t bytes = in->size == 2 ? (bit >> 4) * 2 : (bit >> 5) * 4;
      uint32_t base = (uint32_t)init->s[o->seg] << 4;
      uint32_t off = lin - base;
      pin_range(c, s, mem, init, base + ((off + (uint32_t)bytes) & 0xffff), 0, 4);
      pin_range(c, s, mem, init, lin + (uint32_t)bytes, 0, 4);
    }
  }
  if (in->op == OP_POP || in->op == OP_POPA || in->op == OP_PUSH || in->op == OP_PUSHA ||
      in->op == OP_ENTER)
    for (int i = 0; i < 36; i++) pin(c, s, mem, init, ss + ((sp + (uint32_t)i) & 0xffff));
  if (in->op == OP_LEAVE)
    pin_range(c, s, mem, init, ss + (init->r[R_BP] & 0xffff), 0, 2);
  if (in->op == OP_LODS || in->op == OP_MOVS || in->op == OP_CMPS || in->op == OP_SCAS ||
      in->op == OP_STOS || in->op == OP_XLAT) {
    for (int sg = 0; sg < 6; sg++) {
      uint32_t base = (uint32_t)init->s[sg] << 4;
      pin_range(c, s, mem, init, base + (init->r[R_SI] & 0xffff), 0, 4);
      pin_range(c, s, mem, init, base + ((init->r[R_BX] + (init->r[R_AX] & 0xff)) & 0xffff), 0, 1);
    }
    pin_range(c, s, mem, init, ((uint32_t)init->s[S_ES] << 4) + (init->r[R_DI] & 0xffff), 0, 4);
  }
}


/* The initial state as equalities.  isa_z3_state_is would do, but it pins all
 * of memory with a lambda over isa_mem_initial's hash, which Z3 4.8.12
 * answers "unknown (incomplete quantifiers)" to; memory is pinned byte by
 * byte by pin_reads instead. */
static void assert_initial(Z3_context c, Z3_solver s, const isa_z3_state *z, const isa_state *init) {
  for (int i = 0; i < 8; i++) Z3_solver_assert(c, s, Z3_mk_eq(c, z->r[i], bv(c, init->r[i], 32)));
  for (int i = 0; i < 6; i++) Z3_solver_assert(c, s, Z3_mk_eq(c, z->s[i], bv(c, init->s[i], 16)));
  for (int i = 0; i < FL_COUNT; i++)
    Z3_solver_assert(c, s, Z3_mk_eq(c, z->flag[i], bv(c, (init->flags & (uint32_t)isa_flag_bit[i]) != 0, 1)));
  for (int i = 0; i < ISA_NSYM; i++) Z3_solver_assert(c, s, Z3_mk_eq(c, z->sym[i], bv(c, init->sym[i], 16)));
  Z3_solver_assert(c, s, Z3_mk_eq(c, z->next_ip, bv(c, init->next_ip, 16)));
  for (uint32_t i = 0; i < init->ninit; i++)
    Z3_solver_assert(c, s, Z3_mk_eq(c, Z3_mk_select(c, z->mem, bv(c, init->iaddr[i], 32)),
                                    bv(c, init->ival[i], 8)));
}

static uint64_t eval_u(Z3_context c, Z3_model m, Z3_ast t, bool *ok) {
  Z3_ast v;
  uint64_t x = 0;
  if (!Z3_model_eval(c, m, t, true, &v) || !Z3_get_numeral_uint64(c, v, &x)) *ok = false;
  return x;
}

static bool eval_b(Z3_context c, Z3_model m, Z3_ast t, bool *ok) {
  Z3_ast v;
  if (!Z3_model_eval(c, m, t, true, &v)) { *ok = false; return false; }
  Z3_lbool b = Z3_get_bool_value(c, v);
  if (b == Z3_L_UNDEF) *ok = false;
  return b == Z3_L_TRUE;
}

int run_z3(oracle_run *r) {
  rng g = { r->opt.seed ^ 0x23ull };
  int uncovered = 0;
  for (int fi = 0; fi < r->forms.n && !run_should_stop(r); fi++) {
    const oform *f = &r->forms.f[fi];
    if (!form_selected(r, f->name)) continue;
    Z3_config cfg = Z3_mk_config();
    Z3_set_param_value(cfg, "model", "true");
    Z3_context c = Z3_mk_context(cfg);
    Z3_del_config(cfg);
    Z3_solver s = Z3_mk_solver(c);
    Z3_solver_inc_ref(c, s);
    int done = 0, nunc = 0;
    char why[200] = "";
    for (int k = 0; k < r->opt.z3_states && !run_should_stop(r); k++) {
      uint8_t b[16];
      insn in;
      char bx[40];
      int n;
      if (form_decoded(f, &g, true, b, &n, bx, &in, &nunc, why) < 0) continue;
      isa_state st;
      state_random(&g, f, 0x2323, &st);
      state_seed_operands(&g, f, &in, &st);
      if (f->flags & FORM_TRANSFER) {
        /* a closing transfer's inputs: its label (a displacement's target)
           and the address after it, both free in the query */
        st.next_ip = (uint16_t)rng_value(&g, 16);
        if (in.o[0].kind == K_REL) {
          in.o[0].sym = 1;
          st.sym[0] = (uint16_t)rng_value(&g, 16);
        }
      }
      isa_state init = st;
      isa_exec(&st, &in);
      if (st.fault == ISA_FAULT_UD) {
        if (!nunc++) snprintf(why, sizeof why, "%s not evaluated", bx);
        continue;
      }
      isa_z3_state z0, z1;
      isa_z3_state_init(c, &z0, "i_");
      z1 = z0;
      if (!isa_z3_exec(c, &z1, &in, "u_")) {
        if (!nunc++) snprintf(why, sizeof why, "%s not expressible in Z3", bx);
        continue;
      }
      Z3_solver_push(c, s);
      assert_initial(c, s, &z0, &init);
      pin_reads(c, s, z0.mem, &init, &in);
      Z3_lbool res = Z3_solver_check(c, s);
      r->t[O_Z3].tests++;
      done++;
      char msg[768] = "";
      size_t kk = 0;
#define OUT(...) do { if (kk < sizeof msg) kk += (size_t)snprintf(msg + kk, sizeof msg - kk, __VA_ARGS__); } while (0)
      if (res != Z3_L_TRUE) {
        OUT("initial-state constraints are %s (%s)", res == Z3_L_FALSE ? "unsat" : "unknown", res == Z3_L_FALSE ? "" : Z3_solver_get_reason_unknown(c, s));
      } else {
        Z3_model m = Z3_solver_get_model(c, s);
        Z3_model_inc_ref(c, m);
        bool ok = true;
        uint64_t fault = eval_u(c, m, z1.fault, &ok);
        if (fault != st.fault) OUT("fault z3=%llu eval=%u; ", (unsigned long long)fault, st.fault);
        else if (!st.fault) {
          for (int i = 0; i < 8; i++) {
            uint64_t v = eval_u(c, m, z1.r[i], &ok);
            if (v != st.r[i]) OUT("r%d z3=%08llx eval=%08x; ", i, (unsigned long long)v, st.r[i]);
          }
          for (int i = 0; i < 6; i++) {
            uint64_t v = eval_u(c, m, z1.s[i], &ok);
            if (v != st.s[i]) OUT("s%d z3=%04llx eval=%04x; ", i, (unsigned long long)v, st.s[i]);
          }
          for (int i = 0; i < FL_COUNT; i++) {
            bool def = eval_b(c, m, z1.fdef[i], &ok);
            bool edef = !(st.undef & (uint32_t)isa_flag_bit[i]);
            if (def != edef) { OUT("flag %03x defined z3=%d eval=%d; ", isa_flag_bit[i], def, edef); continue; }
            if (!def) continue;
            uint64_t v = eval_u(c, m, z1.flag[i], &ok);
            if (v != !!(st.flags & (uint32_t)isa_flag_bit[i]))
              OUT("flag %03x z3=%llu eval=%d; ", isa_flag_bit[i], (unsigned long long)v, !!(st.flags & (uint32_t)isa_flag_bit[i]));
          }
          bool poison = eval_b(c, m, z1.poisoned, &ok);
          if (poison != !!st.poisoned) OUT("poisoned z3=%d eval=%d; ", poison, st.poisoned);
          bool taken = eval_b(c, m, z1.taken, &ok);
          if (taken != !!st.taken) OUT("taken z3=%d eval=%d; ", taken, st.taken);
          uint64_t target = eval_u(c, m, z1.target, &ok);
          if (st.taken && target != st.target)
            OUT("target z3=%04llx eval=%04x; ", (unsigned long long)target, st.target);
          for (uint32_t i = 0; i < st.nwrites; i++) {
            uint64_t v = eval_u(c, m, Z3_mk_select(c, z1.mem, bv(c, st.waddr[i], 32)), &ok);
            if (v != st.wval[i]) OUT("mem[%06x] z3=%02llx eval=%02x; ", st.waddr[i], (unsigned long long)v, st.wval[i]);
          }
          for (uint32_t i = 0; i < init.ninit; i++) {
            uint32_t a = init.iaddr[i];
            uint64_t v = eval_u(c, m, Z3_mk_select(c, z1.mem, bv(c, a, 32)), &ok);
            if (v != isa_mem_read(&st, a)) OUT("mem[%06x] z3=%02llx eval=%02x (operand byte); ", a, (unsigned long long)v, isa_mem_read(&st, a));
          }
        }
        if (!ok) OUT("a final term did not evaluate to a constant; ");
        Z3_model_dec_ref(c, m);
      }
#undef OUT
      Z3_solver_pop(c, s, 1);
      if (msg[0]) {
        char is[300];
        state_str(&init, is, sizeof is);
        report_mismatch(r, O_Z3, f->name, "%s from %s: %s", bx, is, msg);
      }
    }
    if (done) r->t[O_Z3].forms++;
    if (nunc) {
      report_note(O_Z3, "form %s: %d of %d instances not covered by the model (first: %s)", f->name,
                  nunc, r->opt.z3_states, why);
      uncovered++;
      r->t[O_Z3].uncovered++;
    }
    Z3_solver_dec_ref(c, s);
    Z3_del_context(c);
  }
  report_note(O_Z3, "%d forms not covered by the model", uncovered);
  return 0;
}

/* Facts beyond evaluation (see facts.h). */
#include "program/facts.h"

bool facts_input_independent(const insn *in) {
  if (in->op != OP_XOR && in->op != OP_SUB) return false;
  if (in->nops != 2 || in->prefix) return false;
  const operand *a = &in->o[0], *b = &in->o[1];
  return a->kind == K_REG && b->kind == K_REG && a->size == b->size && a->reg == b->reg;
}

/* Register operand r of `size` bytes is zero.  When its value is already
 * known the edge's fact adds nothing: were that value not 0 the edge could
 * not be taken, and what holds on it does not matter. */
static void set_zero(prog_facts *f, int size, int reg) {
  locset l = size == 1 ? LOC_R8(reg) : size == 2 ? LOC_R16(reg) : LOC_R32(reg);
  if ((f->known & l) == l) return;
  if (size == 1) {
    int r = reg & 3;
    f->r[r] &= reg < 4 ? ~0xffu : ~0xff00u;
    f->known |= LOC_R8(reg);
  } else if (size == 2) {
    f->r[reg] &= ~0xffffu;
    f->known |= LOC_R16(reg);
  } else {
    f->r[reg] = 0;
    f->known |= LOC_R32(reg);
  }
}

void facts_after_insn(const insn *in, prog_facts *f) {
  if (!(in->prefix & (PFX_REP | PFX_REPNE))) return;
  /* only the unconditional ones run until cx is 0: repe/repne cmps and
     scas also stop on ZF, with cx anything */
  if (in->op != OP_LODS && in->op != OP_STOS && in->op != OP_MOVS) return;
  bool a32 = in->nops == 1 && in->o[0].kind == K_MEM && in->o[0].addr32;
  set_zero(f, a32 ? 4 : 2, R_CX);
}

/* A status flag with a known value on this edge.  As with a register, a
 * value already known stays: the other value would make the edge
 * impossible. */
static void set_flag(prog_facts *f, int fl, bool v) {
  if (f->known & isa_flag_loc[fl]) return;
  f->flags = v ? f->flags | isa_flag_bit[fl] : f->flags & ~isa_flag_bit[fl];
  f->known |= isa_flag_loc[fl];
}

/* The flags a conditional jump tested, on the edge taken or not: jo/jno,
 * jc/jnc, jz/jnz, js/jns, jp/jnp give their flag; ja taken and jbe not
 * taken give CF=0 and ZF=0; jg taken and jle not taken give ZF=0. */
static void flags_on_edge(int cc, bool taken, prog_facts *f) {
  static const int flag_of[16] = {FL_OF, FL_OF, FL_CF, FL_CF, FL_ZF, FL_ZF, -1, -1,
                                  FL_SF, FL_SF, FL_PF, FL_PF, -1, -1, -1, -1};
  if (flag_of[cc] >= 0) {
    /* even condition codes jump when their flag is 1 */
    set_flag(f, flag_of[cc], (cc % 2 == 0) == taken);
    return;
  }
  bool above = (cc == CC_A && taken) || (cc == CC_BE && !taken);
  bool greater = (cc == CC_G && taken) || (cc == CC_LE && !taken);
  if (above) set_flag(f, FL_CF, false);
  if (above || greater) set_flag(f, FL_ZF, false);
}

/* The register a ZF=1 outcome of `in` says is 0, or false. */
static bool zero_when_zf(const insn *in, int *size, int *reg) {
  const operand *a = &in->o[0];
  if (in->nops < 1 || a->kind != K_REG || in->prefix) return false;
  *size = a->size;
  *reg = a->reg;
  switch (in->op) {
  case OP_DEC: case OP_INC: case OP_NEG:
    return in->nops == 1;
  case OP_ADD: case OP_SUB: case OP_AND: case OP_OR: case OP_XOR:
    return in->nops == 2;
  case OP_TEST:
    return in->nops == 2 && in->o[1].kind == K_REG && in->o[1].reg == a->reg && in->o[1].size == a->size;
  case OP_CMP:
    return in->nops == 2 && in->o[1].kind == K_IMM && in->o[1].disp == 0;
  default:
    return false;
  }
}

void facts_on_edge(const program *p, const cfg *g, int from, int to, prog_facts *f) {
  if (!cfg_is_insn(p, from)) return;
  const prog_item *it = &p->it[from];
  const insn *in = &it->in;
  if (in->op != OP_JCC && in->op != OP_JCXZ && in->op != OP_LOOP) return;
  if (in->nops != 1 || in->o[0].kind != K_REL) return;
  int target = program_item_at(p, it->off + (uint32_t)it->len + (uint32_t)in->o[0].disp);
  if (target < 0 || target == from + 1) return;   /* both edges lead to one place */
  bool taken = to == target, fall = to == from + 1;
  if (!taken && !fall) return;
  if (in->op == OP_JCXZ) {
    if (taken && in->prefix == 0) set_zero(f, 2, R_CX);
    return;
  }
  if (in->op == OP_LOOP) {
    if (fall) set_zero(f, 2, R_CX);
    return;
  }
  flags_on_edge(in->cc & 15, taken, f);
  bool zf1 = (in->cc == CC_E && taken) || (in->cc == CC_NE && fall);
  if (!zf1 || from == 0 || g->node[from].leader || !cfg_is_insn(p, from - 1)) return;
  int size, reg;
  if (zero_when_zf(&p->it[from - 1].in, &size, &reg)) set_zero(f, size, reg);
}

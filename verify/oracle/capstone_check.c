/* Checks the decoder against Capstone (CS_ARCH_X86, CS_MODE_16) on the same
 * bytes: same length, same mnemonic, equivalent operands.
 *
 * Normalisations (documented in verify/README.md):
 *  - Capstone's pushaw/pushal/popaw/popal are pusha/pushad/popa/popad;
 *  - mnemonics compared after mapping the model's operation, condition and
 *    size to a name (set<cc>, cmov<cc>, lodsb/w/d, cwde, cdq, pushad...);
 *    Capstone's "nop" equals the model's xchg of a register with itself;
 *  - string instructions, xlat, pusha/popa, cbw/cwd, lahf/sahf and flag
 *    instructions: mnemonic only (Capstone lists implicit operands);
 *  - a shift by 1 (D0/D1) may list the count or not;
 *  - aam/aad: Capstone omits the immediate when it is 10;
 *  - enter: Capstone shows the nesting level byte sign-extended;
 *  - xchg: the two operands in either order;
 *  - a branch's rel8/rel16: Capstone's target (at address 0) is len + disp,
 *    modulo 2^16; jcc mnemonics are j<cc> with the model's condition names;
 *  - immediates compared modulo Capstone's operand size (sign-extended imm8
 *    is shown extended);
 *  - 16-bit memory operands: the pair {base, index} compared unordered,
 *    displacements modulo 2^16; a segment is compared only when the
 *    instruction carries an override. */
#include "oracle.h"

#include <capstone.h>
#include <stdio.h>
#include <string.h>


static const char *reg_name(int size, int reg) {
  if (reg < 0 || reg > 7) return "?";
  return isa_reg_name(size, reg);
}

static void model_mnemonic(const insn *in, char *out, size_t n) {
  char base[24];
  snprintf(base, sizeof base, "%s", isa_op_name((isa_op)in->op));
  for (char *p = base; *p; p++) *p = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
  const char *sz = in->size == 1 ? "b" : in->size == 2 ? "w" : "d";
  switch (in->op) {
  case OP_SETCC: snprintf(out, n, "set%s", isa_cc_name(in->cc & 15)); return;
  case OP_JCC: snprintf(out, n, "j%s", isa_cc_name(in->cc & 15)); return;
  case OP_CMOVCC: snprintf(out, n, "cmov%s", isa_cc_name(in->cc & 15)); return;
  case OP_LODS: case OP_STOS: case OP_MOVS: case OP_SCAS: case OP_CMPS:
    snprintf(out, n, "%s%s", base, sz); return;
  case OP_CBW: snprintf(out, n, in->size == 4 ? "cwde" : "cbw"); return;
  case OP_CWD: snprintf(out, n, in->size == 4 ? "cdq" : "cwd"); return;
  case OP_PUSHA: case OP_POPA: snprintf(out, n, "%s%s", base, in->size == 4 ? "d" : ""); return;
  case OP_XLAT: snprintf(out, n, "xlatb"); return;
  default: snprintf(out, n, "%s", base);
  }
}

static bool implicit_only(int op) {
  switch (op) {
  case OP_LODS: case OP_STOS: case OP_MOVS: case OP_SCAS: case OP_CMPS: case OP_XLAT:
  case OP_PUSHA: case OP_POPA: case OP_CBW: case OP_CWD: case OP_LAHF: case OP_SAHF:
  case OP_CLC: case OP_STC: case OP_CMC: case OP_CLD: case OP_STD: case OP_SALC: case OP_NOP:
    return true;
  default: return false;
  }
}

static bool reg_eq(csh h, x86_reg cr, const char *want) {
  const char *nm = cs_reg_name(h, cr);
  return nm && !strcmp(nm, want);
}

/* Capstone's names that differ only in spelling. */
static const char *cs_spelling(const char *m) {
  static const char *const map[][2] = { { "pushaw", "pusha" }, { "pushal", "pushad" },
                                        { "popaw", "popa" }, { "popal", "popad" } };
  for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
    if (!strcmp(m, map[i][0])) return map[i][1];
  return m;
}

/* Capstone 4.0.2 errata (EXCEPTIONS.md C1): in 16-bit mode it names 98/99
 * with the 32-bit names and 66 98/66 99 with the 16-bit ones. */
static bool cs_known_erratum(const cs_insn *ci, const insn *in) {
  static const char *const pair[][2] = { { "cbw", "cwde" }, { "cwde", "cbw" }, { "cwd", "cdq" }, { "cdq", "cwd" } };
  char mm[32];
  if (in->op != OP_CBW && in->op != OP_CWD) return false;
  model_mnemonic(in, mm, sizeof mm);
  for (size_t i = 0; i < 4; i++)
    if (!strcmp(mm, pair[i][0]) && !strcmp(ci->mnemonic, pair[i][1])) return true;
  return false;
}

/* Compare one instruction; writes the difference into msg. */
static bool cs_compare(csh h, const cs_insn *ci, const insn *in, int len, char *msg, size_t mn) {
  msg[0] = 0;
  size_t k = 0;
#define OUT(...) do { if (k < mn) k += (size_t)snprintf(msg + k, mn - k, __VA_ARGS__); } while (0)
  if ((int)ci->size != len) OUT("length capstone=%u model=%d; ", ci->size, len);
  char mm[32];
  model_mnemonic(in, mm, sizeof mm);
  bool self_xchg = in->op == OP_XCHG && in->nops == 2 && in->o[0].kind == K_REG && in->o[1].kind == K_REG &&
                   in->o[0].reg == in->o[1].reg && in->o[0].size == in->o[1].size;
  bool nop_eq = !strcmp(ci->mnemonic, "nop") && (in->op == OP_NOP || self_xchg);
  if (strcmp(cs_spelling(ci->mnemonic), mm) && !nop_eq && !(!strcmp(ci->mnemonic, "sal") && !strcmp(mm, "shl")))
    OUT("mnemonic capstone=%s model=%s; ", ci->mnemonic, mm);
  if (implicit_only(in->op) || nop_eq) return msg[0] == 0;
  const cs_x86 *x = &ci->detail->x86;
  int cn = x->op_count;
  int mn_ops = in->nops;
  if ((in->op == OP_AAM || in->op == OP_AAD) && cn == 0 && mn_ops == 1 && in->o[0].kind == K_IMM &&
      in->o[0].disp == 10)
    return msg[0] == 0;
  if (cn == mn_ops + 1 && x->operands[cn - 1].type == X86_OP_IMM && x->operands[cn - 1].imm == 1)
    cn = mn_ops;                                  /* shift by 1 */
  if (cn == mn_ops - 1 && in->o[mn_ops - 1].kind == K_IMM && in->o[mn_ops - 1].disp == 1)
    mn_ops = cn;
  if (cn != mn_ops) { OUT("operand count capstone=%d model=%d; ", cn, mn_ops); return false; }
  operand swapped[2];
  if (in->op == OP_XCHG && cn == 2 && x->operands[0].type == X86_OP_REG && in->o[0].kind == K_REG &&
      !reg_eq(h, x->operands[0].reg, reg_name(in->o[0].size, in->o[0].reg))) {
    swapped[0] = in->o[1];                       /* xchg is symmetric */
    swapped[1] = in->o[0];
  } else if (cn == 2) {
    swapped[0] = in->o[0];
    swapped[1] = in->o[1];
  }
  for (int i = 0; i < cn; i++) {
    const cs_x86_op *c = &x->operands[i];
    const operand *o = cn == 2 ? &swapped[i] : &in->o[i];
    switch (c->type) {
    case X86_OP_REG:
      if (o->kind == K_REG) {
        if (!reg_eq(h, c->reg, reg_name(o->size, o->reg)))
          OUT("op%d capstone=%s model=%s; ", i, cs_reg_name(h, c->reg), reg_name(o->size, o->reg));
      } else if (o->kind == K_SREG) {
        if (o->reg > 5 || !reg_eq(h, c->reg, isa_sreg_name(o->reg)))
          OUT("op%d capstone=%s model=sreg%d; ", i, cs_reg_name(h, c->reg), o->reg);
      } else OUT("op%d capstone=reg %s, model kind %d; ", i, cs_reg_name(h, c->reg), o->kind);
      break;
    case X86_OP_IMM: {
      if (o->kind == K_REL) {          /* Capstone gives the target, decoded at address 0 */
        if (((uint64_t)c->imm ^ (uint64_t)(len + o->disp)) & 0xffff)
          OUT("op%d target capstone=%llx model=%x; ", i, (unsigned long long)c->imm, (unsigned)(len + o->disp) & 0xffff);
        break;
      }
      if (o->kind != K_IMM) { OUT("op%d capstone=imm, model kind %d; ", i, o->kind); break; }
      uint64_t mask = c->size >= 8 || c->size == 0 ? ~0ull : (1ull << (8 * c->size)) - 1;
      if (in->op == OP_ENTER && i == 1) mask = 0xff;   /* Capstone sign-extends the level */
      if (((uint64_t)c->imm ^ (uint64_t)(int64_t)o->disp) & mask)
        OUT("op%d imm capstone=%llx model=%x; ", i, (unsigned long long)c->imm, (unsigned)o->disp);
      break;
    }
    case X86_OP_MEM: {
      if (o->kind != K_MEM) { OUT("op%d capstone=mem, model kind %d; ", i, o->kind); break; }
      const x86_op_mem *m = &c->mem;
      if (m->segment != X86_REG_INVALID) {
        if (!o->seg_explicit || o->seg > 5 || !reg_eq(h, m->segment, isa_sreg_name(o->seg)))
          OUT("op%d segment capstone=%s model=%s%s; ", i, cs_reg_name(h, m->segment),
              o->seg <= 5 ? isa_sreg_name(o->seg) : "?", o->seg_explicit ? "" : " (implicit)");
      }
      int asz = o->addr32 ? 4 : 2;
      const char *mb = o->base >= 0 ? reg_name(asz, o->base) : NULL;
      const char *mi = o->index >= 0 ? reg_name(asz, o->index) : NULL;
      const char *cb = m->base != X86_REG_INVALID ? cs_reg_name(h, m->base) : NULL;
      const char *cx = m->index != X86_REG_INVALID ? cs_reg_name(h, m->index) : NULL;
#define SEQ(a, b) ((!(a) && !(b)) || ((a) && (b) && !strcmp(a, b)))
      bool same = o->addr32 ? SEQ(mb, cb) && SEQ(mi, cx)
                            : (SEQ(mb, cb) && SEQ(mi, cx)) || (SEQ(mb, cx) && SEQ(mi, cb));
      if (!same) OUT("op%d address capstone=[%s+%s] model=[%s+%s]; ", i, cb ? cb : "-", cx ? cx : "-",
                     mb ? mb : "-", mi ? mi : "-");
      if (o->addr32 && mi && m->scale != (o->scale ? o->scale : 1))
        OUT("op%d scale capstone=%d model=%d; ", i, m->scale, o->scale);
      uint64_t dm = o->addr32 ? 0xffffffffull : 0xffffull;
      if (((uint64_t)m->disp ^ (uint64_t)(int64_t)o->disp) & dm)
        OUT("op%d disp capstone=%llx model=%x; ", i, (unsigned long long)m->disp, (unsigned)o->disp);
      /* an unsized memory operand (lea, les/lds, lgdt) has no size to compare */
      const isa_form *row = isa_form_of(in);
      bool unsized = row && row->shape[i] == SH_MP;
      if (!unsized && c->size && c->size != o->size)
        OUT("op%d size capstone=%u model=%u; ", i, c->size, o->size);
      break;
    }
    default:
      OUT("op%d capstone type %d; ", i, c->type);
    }
  }
#undef OUT
  return msg[0] == 0;
}

int run_capstone(oracle_run *r) {
  csh h;
  if (cs_open(CS_ARCH_X86, CS_MODE_16, &h) != CS_ERR_OK) {
    fprintf(stderr, "capstone: cannot open a 16-bit x86 decoder\n");
    return 3;
  }
  cs_option(h, CS_OPT_DETAIL, CS_OPT_ON);
  rng g = { r->opt.seed ^ 0xa5a5ull };   /* the same instances as the nasm check */
  int uncovered = 0;
  for (int fi = 0; fi < r->forms.n && !run_should_stop(r); fi++) {
    const oform *f = &r->forms.f[fi];
    if (!form_selected(r, f->name)) continue;
    int took = 0, nunc = 0;
    char why[200] = "";
    for (int k = 0; k < r->opt.asm_samples; k++) {
      uint8_t b[16];
      insn in;
      char bx[40];
      int nb, len = form_decoded(f, &g, false, b, &nb, bx, &in, &nunc, why);
      if (len < 0) continue;
      if (r->opt.corrupt)                      /* self-test: a wrong decode */
        for (int i = 0; i < in.nops; i++)
          if (in.o[i].kind == K_REG) { in.o[i].reg ^= 1; break; }
      cs_insn *ci;
      size_t cnt = cs_disasm(h, b, (size_t)nb, 0, 1, &ci);
      r->t[O_CAPSTONE].tests++;
      took++;
      if (cnt != 1) {
        report_mismatch(r, O_CAPSTONE, f->name, "%s: capstone does not decode it", bx);
        continue;
      }
      char msg[512], text[96];
      if ((int)ci->size == len && cs_known_erratum(ci, &in)) {
        r->t[O_CAPSTONE].tests--;
        r->t[O_CAPSTONE].excepted++;
      } else if (!cs_compare(h, ci, &in, len, msg, sizeof msg)) {
        isa_print(&in, text, sizeof text);
        report_mismatch(r, O_CAPSTONE, f->name, "%s: capstone \"%s %s\", model \"%s\": %s", bx,
                        ci->mnemonic, ci->op_str, text, msg);
      }
      cs_free(ci, cnt);
    }
    if (took) r->t[O_CAPSTONE].forms++;
    if (nunc) {
      report_note(O_CAPSTONE, "form %s: %d of %d instances not covered by the model (first: %s)", f->name,
                  nunc, r->opt.asm_samples, why);
      r->t[O_CAPSTONE].uncovered++;
      uncovered++;
    }
  }
  cs_close(&h);
  report_note(O_CAPSTONE, "%d forms not covered by the model", uncovered);
  return 0;
}

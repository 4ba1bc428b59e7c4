/* The table of undefined outputs, from the Intel SDM (see sdm_undef.h).
 * AMD's manual (APM vol. 3) agrees on every entry here except bsf/bsr of a
 * zero source, where AMD keeps the destination: Intel's "undefined" is the
 * rule a portable rewrite must follow. */
#include "sdm_undef.h"

#include <stddef.h>
#include "isa/isa_form.h"

#define ST (F_CF | F_PF | F_AF | F_ZF | F_SF | F_OF)

#define SHIFT_PAGE "SDM vol. 2, SAL/SAR/SHL/SHR-Shift, Flags Affected"
#define ROT_PAGE "SDM vol. 2, RCL/RCR/ROL/ROR-Rotate, Flags Affected and Operation"
#define SHLD_PAGE "SDM vol. 2, SHLD/SHRD-Double Precision Shift, Flags Affected"

const sdm_rule sdm_rules[] = {
  /* logic: "The OF and CF flags are cleared; ... The state of the AF flag is undefined." */
  { OP_AND, SDM_ALWAYS, F_AF, false, "SDM vol. 2, AND-Logical AND, Flags Affected" },
  { OP_OR, SDM_ALWAYS, F_AF, false, "SDM vol. 2, OR-Logical Inclusive OR, Flags Affected" },
  { OP_XOR, SDM_ALWAYS, F_AF, false, "SDM vol. 2, XOR-Logical Exclusive OR, Flags Affected" },
  { OP_TEST, SDM_ALWAYS, F_AF, false, "SDM vol. 2, TEST-Logical Compare, Flags Affected" },
  /* "The SF, ZF, AF, and PF flags are undefined." */
  { OP_MUL, SDM_ALWAYS, F_SF | F_ZF | F_AF | F_PF, false,
    "SDM vol. 2, MUL-Unsigned Multiply, Flags Affected" },
  { OP_IMUL, SDM_ALWAYS, F_SF | F_ZF | F_AF | F_PF, false,
    "SDM vol. 2, IMUL-Signed Multiply, Flags Affected" },
  /* "The CF, OF, SF, ZF, AF, and PF flags are undefined." */
  { OP_DIV, SDM_ALWAYS, ST, false, "SDM vol. 2, DIV-Unsigned Divide, Flags Affected" },
  { OP_IDIV, SDM_ALWAYS, ST, false, "SDM vol. 2, IDIV-Signed Divide, Flags Affected" },
  /* "If the count is 0, the flags are not affected.  For a non-zero count,
   * the AF flag is undefined.  The OF flag is affected only for 1-bit
   * shifts; otherwise, it is undefined.  CF ... is undefined for SHL and SHR
   * instructions where the count is greater than or equal to the size (in
   * bits) of the destination operand."  Not for SAR. */
  { OP_SHL, SDM_COUNT_NZ, F_AF, false, SHIFT_PAGE },
  { OP_SHL, SDM_COUNT_GT1, F_OF, false, SHIFT_PAGE },
  { OP_SHL, SDM_COUNT_GE_W, F_CF, false, SHIFT_PAGE },
  { OP_SHR, SDM_COUNT_NZ, F_AF, false, SHIFT_PAGE },
  { OP_SHR, SDM_COUNT_GT1, F_OF, false, SHIFT_PAGE },
  { OP_SHR, SDM_COUNT_GE_W, F_CF, false, SHIFT_PAGE },
  { OP_SAR, SDM_COUNT_NZ, F_AF, false, SHIFT_PAGE },
  { OP_SAR, SDM_COUNT_GT1, F_OF, false, SHIFT_PAGE },
  /* "If the masked count is 0, the flags are not affected. If the masked
   * count is 1, then the OF flag is affected, otherwise (masked count is
   * greater than 1) the OF flag is undefined."  CF is defined for every
   * non-zero masked count (rcl/rcr by a multiple of 9/17 leave it as it
   * was); SF, ZF, AF, PF are never affected. */
  { OP_ROL, SDM_COUNT_GT1, F_OF, false, ROT_PAGE },
  { OP_ROR, SDM_COUNT_GT1, F_OF, false, ROT_PAGE },
  { OP_RCL, SDM_COUNT_GT1, F_OF, false, ROT_PAGE },
  { OP_RCR, SDM_COUNT_GT1, F_OF, false, ROT_PAGE },
  /* "For shifts greater than 1 bit, the OF flag is undefined. If a shift
   * occurs, the AF flag is undefined. ... If the count is greater than the
   * operand size, the flags are undefined", and (Description) "the result
   * is undefined". */
  { OP_SHLD, SDM_COUNT_NZ, F_AF, false, SHLD_PAGE },
  { OP_SHLD, SDM_COUNT_GT1, F_OF, false, SHLD_PAGE },
  { OP_SHLD, SDM_COUNT_GT_W, ST, true, SHLD_PAGE },
  { OP_SHRD, SDM_COUNT_NZ, F_AF, false, SHLD_PAGE },
  { OP_SHRD, SDM_COUNT_GT1, F_OF, false, SHLD_PAGE },
  { OP_SHRD, SDM_COUNT_GT_W, ST, true, SHLD_PAGE },
  /* "The ZF flag is unaffected. The OF, SF, AF, and PF flags are undefined." */
  { OP_BT, SDM_ALWAYS, F_OF | F_SF | F_AF | F_PF, false, "SDM vol. 2, BT-Bit Test, Flags Affected" },
  { OP_BTS, SDM_ALWAYS, F_OF | F_SF | F_AF | F_PF, false,
    "SDM vol. 2, BTS-Bit Test and Set, Flags Affected" },
  { OP_BTR, SDM_ALWAYS, F_OF | F_SF | F_AF | F_PF, false,
    "SDM vol. 2, BTR-Bit Test and Reset, Flags Affected" },
  { OP_BTC, SDM_ALWAYS, F_OF | F_SF | F_AF | F_PF, false,
    "SDM vol. 2, BTC-Bit Test and Complement, Flags Affected" },
  /* "The ZF flag is set to 1 if the source operand is 0; otherwise, the ZF
   * flag is cleared. The CF, OF, SF, AF, and PF flags are undefined."
   * Operation: "IF SRC = 0 THEN ZF := 1; DEST is undefined;" */
  { OP_BSF, SDM_ALWAYS, F_CF | F_OF | F_SF | F_AF | F_PF, false,
    "SDM vol. 2, BSF-Bit Scan Forward, Flags Affected" },
  { OP_BSF, SDM_SRC_ZERO, 0, true, "SDM vol. 2, BSF-Bit Scan Forward, Operation" },
  { OP_BSR, SDM_ALWAYS, F_CF | F_OF | F_SF | F_AF | F_PF, false,
    "SDM vol. 2, BSR-Bit Scan Reverse, Flags Affected" },
  { OP_BSR, SDM_SRC_ZERO, 0, true, "SDM vol. 2, BSR-Bit Scan Reverse, Operation" },
  /* "The SF, ZF, and PF flags are set according to the resulting binary
   * value in the AL register. The OF, AF, and CF flags are undefined." */
  { OP_AAM, SDM_ALWAYS, F_OF | F_AF | F_CF, false,
    "SDM vol. 2, AAM-ASCII Adjust AX After Multiply, Flags Affected" },
  { OP_AAD, SDM_ALWAYS, F_OF | F_AF | F_CF, false,
    "SDM vol. 2, AAD-ASCII Adjust AX Before Division, Flags Affected" },
  /* "The CF and AF flags are set if the adjustment of the value results in
   * a decimal carry ... The SF, ZF, and PF flags are set according to the
   * result. The OF flag is undefined." */
  { OP_DAA, SDM_ALWAYS, F_OF, false, "SDM vol. 2, DAA-Decimal Adjust AL after Addition, Flags Affected" },
  { OP_DAS, SDM_ALWAYS, F_OF, false,
    "SDM vol. 2, DAS-Decimal Adjust AL after Subtraction, Flags Affected" },
  /* "The AF and CF flags are set to 1 if the adjustment results in a
   * decimal carry; otherwise they are set to 0. The OF, SF, ZF, and PF flags
   * are undefined." */
  { OP_AAA, SDM_ALWAYS, F_OF | F_SF | F_ZF | F_PF, false,
    "SDM vol. 2, AAA-ASCII Adjust After Addition, Flags Affected" },
  { OP_AAS, SDM_ALWAYS, F_OF | F_SF | F_ZF | F_PF, false,
    "SDM vol. 2, AAS-ASCII Adjust AL After Subtraction, Flags Affected" },
};
const int sdm_nrules = (int)(sizeof sdm_rules / sizeof sdm_rules[0]);

/* The count operand of a shift, rotate or double shift. */
static const operand *count_operand(const insn *in) {
  if (in->op == OP_SHLD || in->op == OP_SHRD) return in->nops == 3 ? &in->o[2] : NULL;
  return in->nops == 2 ? &in->o[1] : NULL;
}

static uint32_t reg_value(const isa_state *st, const operand *o) {
  if (o->size == 1) return (o->reg < 4 ? st->r[o->reg] : st->r[o->reg - 4] >> 8) & 0xff;
  return o->size == 2 ? st->r[o->reg] & 0xffff : st->r[o->reg];
}

/* -1: the condition depends on a value that `init` (NULL: any state) does
 * not fix; else whether it holds. */
static int holds(const sdm_rule *r, const insn *in, const isa_state *init) {
  if (r->when == SDM_ALWAYS) return 1;
  int w = in->size * 8;
  if (r->when == SDM_SRC_ZERO) {
    const operand *s = &in->o[1];
    if (!init) return -1;
    if (s->kind == K_REG) return reg_value(init, s) == 0;
    if (s->kind == K_MEM) {
      uint32_t a = ((uint32_t)init->s[s->seg == S_NONE ? isa_default_seg(s) : s->seg] << 4);
      uint32_t off = s->addr32 ? (uint32_t)s->disp : (uint32_t)(uint16_t)s->disp;
      if (s->base >= 0) off += s->addr32 ? init->r[s->base] : init->r[s->base] & 0xffff;
      if (s->index >= 0) off += (s->addr32 ? init->r[s->index] : init->r[s->index] & 0xffff) *
                                (uint32_t)(s->addr32 && s->scale ? s->scale : 1);
      if (!s->addr32) off &= 0xffff;
      uint32_t v = 0;
      for (int i = 0; i < s->size; i++) v |= (uint32_t)isa_mem_read(init, a + off + (uint32_t)i) << (8 * i);
      return v == 0;
    }
    return 0;
  }
  const operand *c = count_operand(in);
  if (!c) return 0;
  int n;
  if (c->kind == K_IMM) n = (int)(c->disp & 0x1f);
  else if (init) n = (int)(init->r[R_CX] & 0x1f);
  else {
    /* cl may hold any count 0..31 */
    switch (r->when) {
    case SDM_COUNT_GE_W: return w <= 31 ? -1 : 0;
    case SDM_COUNT_GT_W: return w < 31 ? -1 : 0;
    default: return -1;
    }
  }
  switch (r->when) {
  case SDM_COUNT_NZ: return n != 0;
  case SDM_COUNT_GT1: return n > 1;
  case SDM_COUNT_GE_W: return n >= w;
  case SDM_COUNT_GT_W: return n > w;
  default: return 0;
  }
}

static sdm_undef collect(const insn *in, const isa_state *init) {
  sdm_undef u = { 0, false, NULL };
  for (int i = 0; i < sdm_nrules; i++) {
    const sdm_rule *r = &sdm_rules[i];
    if (r->op != in->op || !holds(r, in, init)) continue;
    if (r->dest) u.dest = true;
    else u.flags |= r->flags;
    if (!u.cite) u.cite = r->cite;
  }
  return u;
}

sdm_undef sdm_undef_at(const insn *in, const isa_state *init) { return collect(in, init); }

sdm_undef sdm_undef_may(const insn *in) { return collect(in, NULL); }

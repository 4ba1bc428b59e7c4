/* Decoder: bytes to an instruction of a modelled form, or -1 with a reason.
 * Encodings nasm never produces for a modelled form (redundant prefixes,
 * non-zero ignored ModRM fields) are refused, so decode(encode(i)) is i and
 * every accepted byte string has one meaning in the model. */
#include <stdio.h>
#include <string.h>
#include "isa/isa.h"
#include "isa/isa_form.h"

typedef struct {
  const uint8_t *buf;
  size_t n, pos;
  int o32, a32, seg, rep;   /* prefixes seen; seg -1 when none */
  bool seg_used;
  char *err;
  size_t errn;
  bool failed;
  bool lenient;   /* accept what a CPU accepts, not only what nasm writes */
} dec;

static bool fail(dec *d, const char *fmt, unsigned v) {
  if (!d->failed && d->err && d->errn) snprintf(d->err, d->errn, fmt, v);
  d->failed = true;
  return false;
}

static bool failm(dec *d, const char *msg) {
  if (!d->failed && d->err && d->errn) snprintf(d->err, d->errn, "%s", msg);
  d->failed = true;
  return false;
}

static bool take(dec *d, int bytes, uint32_t *v) {
  if (d->pos + (size_t)bytes > d->n) return fail(d, "truncated instruction (%u bytes available)", (unsigned)d->n);
  uint32_t r = 0;
  for (int i = 0; i < bytes; i++) r |= (uint32_t)d->buf[d->pos + (size_t)i] << (8 * i);
  d->pos += (size_t)bytes;
  *v = r;
  return true;
}

static void set_reg(operand *o, int size, int reg) {
  memset(o, 0, sizeof *o);
  o->kind = K_REG;
  o->size = (uint8_t)size;
  o->reg = (uint8_t)reg;
}
static void set_sreg(operand *o, int s) {
  memset(o, 0, sizeof *o);
  o->kind = K_SREG;
  o->size = 2;
  o->reg = (uint8_t)s;
}
static void set_imm(operand *o, int size, uint32_t v) {
  memset(o, 0, sizeof *o);
  o->kind = K_IMM;
  o->size = (uint8_t)size;
  o->disp = (int32_t)v;
}
static void set_rel(operand *o, int size, int32_t v) {
  memset(o, 0, sizeof *o);
  o->kind = K_REL;
  o->size = (uint8_t)size;
  o->disp = v;
}

static void apply_seg(dec *d, operand *o) {
  o->seg = (uint8_t)isa_default_seg(o);
  if (d->seg >= 0) {
    o->seg = (uint8_t)d->seg;
    o->seg_explicit = 1;
    d->seg_used = true;
  }
}

static const int8_t rm16_base[8] = {R_BX, R_BX, R_BP, R_BP, R_SI, R_DI, R_BP, R_BX};
static const int8_t rm16_index[8] = {R_SI, R_DI, R_SI, R_DI, -1, -1, -1, -1};

/* ModRM: fills *rm (register of `size` or memory of access size `size`)
 * and returns the reg field through *reg. */
static bool modrm(dec *d, operand *rm, int size, int *reg) {
  uint32_t m;
  if (!take(d, 1, &m)) return false;
  int mod = (int)(m >> 6), r = (int)(m >> 3) & 7, low = (int)m & 7;
  bool no_base = false;
  *reg = r;
  if (mod == 3) { set_reg(rm, size, low); return true; }
  memset(rm, 0, sizeof *rm);
  rm->kind = K_MEM;
  rm->size = (uint8_t)size;
  rm->base = rm->index = -1;
  rm->scale = 1;
  uint32_t v;
  if (!d->a32) {
    if (mod == 0 && low == 6) {
      if (!take(d, 2, &v)) return false;
      rm->disp = (int32_t)(uint16_t)v;
    } else {
      rm->base = rm16_base[low];
      rm->index = rm16_index[low];
      if (mod == 1) { if (!take(d, 1, &v)) return false; rm->disp = (int8_t)v; }
      if (mod == 2) { if (!take(d, 2, &v)) return false; rm->disp = (int16_t)v; }
    }
  } else {
    rm->addr32 = 1;
    int base = low;
    if (low == 4) {
      uint32_t sib;
      if (!take(d, 1, &sib)) return false;
      int idx = (int)(sib >> 3) & 7;
      base = (int)sib & 7;
      if (idx != 4) { rm->index = (int8_t)idx; rm->scale = (uint8_t)(1 << (sib >> 6)); }
      else if (sib >> 6) return failm(d, "SIB with no index but a scale");
    }
    if (mod == 0 && base == 5) {
      if (!take(d, 4, &v)) return false;
      rm->disp = (int32_t)v;
      no_base = low == 4;
    } else {
      rm->base = (int8_t)base;
      if (mod == 1) { if (!take(d, 1, &v)) return false; rm->disp = (int8_t)v; }
      if (mod == 2) { if (!take(d, 4, &v)) return false; rm->disp = (int32_t)v; }
    }
    d->a32 = 2;   /* consumed */
  }
  apply_seg(d, rm);
  /* A SIB address without a base uses ds whatever its index; the operand
   * form nasm would write for [ebp*1] or [ebp*2] has ebp as a base (ss), so
   * the segment is kept explicitly. */
  if (no_base && !rm->seg_explicit && rm->seg != S_DS) {
    rm->seg = S_DS;
    rm->seg_explicit = 1;
  }
  return true;
}

static bool imm_of(dec *d, operand *o, int size) {
  uint32_t v;
  if (!take(d, size, &v)) return false;
  set_imm(o, size, v);
  return true;
}

/* a sign-extended imm8, stored masked to the operand size */
static bool simm8_of(dec *d, operand *o, int size) {
  uint32_t v;
  if (!take(d, 1, &v)) return false;
  set_imm(o, 1, isa_imm_value((int8_t)v, size));
  return true;
}

static bool rel_of(dec *d, operand *o, int size) {
  uint32_t v;
  if (!take(d, size, &v)) return false;
  set_rel(o, size, size == 1 ? (int8_t)v : (int16_t)v);
  return true;
}

static void string_src(dec *d, insn *in) {
  operand *o = &in->o[0];
  memset(o, 0, sizeof *o);
  o->kind = K_MEM;
  o->size = in->size;
  o->base = (int8_t)(in->op == OP_XLAT ? R_BX : R_SI);
  o->index = -1;
  o->scale = 1;
  o->addr32 = d->a32 ? 1 : 0;
  apply_seg(d, o);
  in->nops = 1;
}

static bool unmodelled(dec *d, const uint8_t *op, int n) {
  char b[32];
  if (n == 1) snprintf(b, sizeof b, "%02X", op[0]);
  else snprintf(b, sizeof b, "%02X %02X", op[0], op[1]);
  if (!d->failed && d->err && d->errn) snprintf(d->err, d->errn, "unmodelled opcode %s", b);
  d->failed = true;
  return false;
}

static bool two_byte(dec *d, insn *in, int os) {
  uint32_t b;
  if (!take(d, 1, &b)) return false;
  uint8_t code[2] = {0x0F, (uint8_t)b};
  int reg;
  operand *o = in->o;
  if (b >= 0x40 && b <= 0x4F) {
    in->op = OP_CMOVCC; in->cc = b & 15; in->size = (uint8_t)os; in->nops = 2;
    if (!modrm(d, &o[1], os, &reg)) return false;
    set_reg(&o[0], os, reg);
    return true;
  }
  if (b >= 0x80 && b <= 0x8F) {
    if (d->o32) return unmodelled(d, code, 2);
    in->op = OP_JCC; in->cc = b & 15; in->nops = 1;
    return rel_of(d, &o[0], 2);
  }
  if (b >= 0x90 && b <= 0x9F) {
    if (d->o32) return failm(d, "operand-size prefix on setcc");
    in->op = OP_SETCC; in->cc = b & 15; in->size = 1; in->nops = 1;
    if (!modrm(d, &o[0], 1, &reg)) return false;
    if (reg && !d->lenient) return fail(d, "setcc with ModRM reg field %u (nasm writes 0)", (unsigned)reg);
    return true;
  }
  if (b >= 0xC8 && b <= 0xCF) {
    if (!d->o32) return failm(d, "bswap of a 16-bit register is undefined");
    in->op = OP_BSWAP; in->size = 4; in->nops = 1;
    set_reg(&o[0], 4, (int)(b & 7));
    return true;
  }
  switch (b) {
  case 0xA0: case 0xA8: case 0xA1: case 0xA9:
    if (d->o32) return unmodelled(d, code, 2);
    in->op = (b & 1) ? OP_POP : OP_PUSH; in->size = 2; in->nops = 1;
    set_sreg(&o[0], b < 0xA8 ? S_FS : S_GS);
    return true;
  case 0xA3: case 0xAB: case 0xB3: case 0xBB:
    in->op = (uint8_t)(OP_BT + (b - 0xA3) / 8); in->size = (uint8_t)os; in->nops = 2;
    if (!modrm(d, &o[0], os, &reg)) return false;
    set_reg(&o[1], os, reg);
    return true;
  case 0xA4: case 0xA5: case 0xAC: case 0xAD:
    in->op = b < 0xAC ? OP_SHLD : OP_SHRD; in->size = (uint8_t)os; in->nops = 3;
    if (!modrm(d, &o[0], os, &reg)) return false;
    set_reg(&o[1], os, reg);
    if (b & 1) { set_reg(&o[2], 1, 1); return true; }
    return imm_of(d, &o[2], 1);
  case 0x20: case 0x22:
    if (d->o32) return unmodelled(d, code, 2);
    in->op = OP_MOVCR; in->size = 4; in->nops = 2;
    if (!modrm(d, &o[b == 0x20 ? 0 : 1], 4, &reg)) return false;
    if (o[b == 0x20 ? 0 : 1].kind != K_REG || (reg != 0 && (reg < 2 || reg > 4)))
      return unmodelled(d, code, 2);
    set_imm(&o[b == 0x20 ? 1 : 0], 1, (uint32_t)reg);
    return true;
  case 0x01:
    if (d->o32) return unmodelled(d, code, 2);
    in->op = OP_LGDT; in->nops = 1;
    if (!modrm(d, &o[0], 2, &reg)) return false;
    if (reg != 2 || o[0].kind != K_MEM) return unmodelled(d, code, 2);
    return true;
  case 0xAF:
    in->op = OP_IMUL; in->size = (uint8_t)os; in->nops = 2;
    if (!modrm(d, &o[1], os, &reg)) return false;
    set_reg(&o[0], os, reg);
    return true;
  case 0xB6: case 0xB7: case 0xBE: case 0xBF: {
    int ss = (b & 1) ? 2 : 1;
    if (ss >= os && !d->lenient) return failm(d, "movzx/movsx with a source as wide as the destination");
    in->op = b < 0xBE ? OP_MOVZX : OP_MOVSX; in->size = (uint8_t)os; in->nops = 2;
    if (!modrm(d, &o[1], ss, &reg)) return false;
    set_reg(&o[0], os, reg);
    return true;
  }
  case 0xBA:
    in->size = (uint8_t)os; in->nops = 2;
    if (!modrm(d, &o[0], os, &reg)) return false;
    if (reg < 4) return unmodelled(d, code, 2);
    in->op = (uint8_t)(OP_BT + reg - 4);
    return imm_of(d, &o[1], 1);
  case 0xBC: case 0xBD:
    in->op = b == 0xBC ? OP_BSF : OP_BSR; in->size = (uint8_t)os; in->nops = 2;
    if (!modrm(d, &o[1], os, &reg)) return false;
    set_reg(&o[0], os, reg);
    return true;
  default:
    return unmodelled(d, code, 2);
  }
}

static bool one_byte(dec *d, insn *in, uint32_t b) {
  int os = d->o32 ? 4 : 2, reg;
  int w = (b & 1) ? os : 1;
  operand *o = in->o;
  uint8_t code[1] = {(uint8_t)b};
  uint32_t v;

  if (b < 0x40 && (b & 7) < 6) {   /* the ALU block */
    in->op = isa_alu_ops[b >> 3]; in->size = (uint8_t)w; in->nops = 2;
    switch (b & 7) {
    case 0: case 1:
      if (!modrm(d, &o[0], w, &reg)) return false;
      set_reg(&o[1], w, reg);
      return true;
    case 2: case 3:
      if (!modrm(d, &o[1], w, &reg)) return false;
      if (o[1].kind == K_REG && !d->lenient)
        return failm(d, "register-to-register ALU form with d=1 (nasm uses d=0)");
      set_reg(&o[0], w, reg);
      return true;
    default:
      set_reg(&o[0], w, 0);
      return imm_of(d, &o[1], w);
    }
  }
  if (b >= 0x40 && b <= 0x5F) {
    static const uint8_t ops[4] = {OP_INC, OP_DEC, OP_PUSH, OP_POP};
    in->op = ops[(b - 0x40) >> 3]; in->size = (uint8_t)os; in->nops = 1;
    set_reg(&o[0], os, (int)(b & 7));
    return true;
  }
  if (b >= 0x70 && b <= 0x7F) {
    in->op = OP_JCC; in->cc = b & 15; in->nops = 1;
    return rel_of(d, &o[0], 1);
  }
  if (b >= 0x91 && b <= 0x97) {
    in->op = OP_XCHG; in->size = (uint8_t)os; in->nops = 2;
    set_reg(&o[0], os, (int)(b & 7));
    set_reg(&o[1], os, 0);
    return true;
  }
  if (b >= 0xB0 && b <= 0xBF) {
    int s = b < 0xB8 ? 1 : os;
    in->op = OP_MOV; in->size = (uint8_t)s; in->nops = 2;
    set_reg(&o[0], s, (int)(b & 7));
    return imm_of(d, &o[1], s);
  }
  switch (b) {
  case 0x06: case 0x0E: case 0x16: case 0x1E: case 0x07: case 0x17: case 0x1F:
    if (d->o32) return unmodelled(d, code, 1);
    in->op = (b & 1) ? OP_POP : OP_PUSH; in->size = 2; in->nops = 1;
    set_sreg(&o[0], (int)(b >> 3));
    return true;
  case 0x60: case 0x61:
    in->op = b == 0x60 ? OP_PUSHA : OP_POPA; in->size = (uint8_t)os;
    return true;
  case 0x68: case 0x6A:
    in->op = OP_PUSH; in->size = (uint8_t)os; in->nops = 1;
    return b == 0x68 ? imm_of(d, &o[0], os) : simm8_of(d, &o[0], os);
  case 0x69: case 0x6B:
    in->op = OP_IMUL; in->size = (uint8_t)os; in->nops = 3;
    if (!modrm(d, &o[1], os, &reg)) return false;
    set_reg(&o[0], os, reg);
    return b == 0x69 ? imm_of(d, &o[2], os) : simm8_of(d, &o[2], os);
  case 0x80: case 0x81: case 0x83: {
    int s = b == 0x80 ? 1 : os;
    in->size = (uint8_t)s; in->nops = 2;
    if (!modrm(d, &o[0], s, &reg)) return false;
    in->op = isa_alu_ops[reg];
    return b == 0x83 ? simm8_of(d, &o[1], s) : imm_of(d, &o[1], s);
  }
  case 0x84: case 0x85: case 0x86: case 0x87: case 0x88: case 0x89:
    in->op = b < 0x86 ? OP_TEST : b < 0x88 ? OP_XCHG : OP_MOV; in->size = (uint8_t)w; in->nops = 2;
    if (!modrm(d, &o[0], w, &reg)) return false;
    set_reg(&o[1], w, reg);
    if (in->op == OP_XCHG && o[0].kind == K_REG) {   /* nasm: xchg reg(field), rm */
      operand t = o[0]; o[0] = o[1]; o[1] = t;
    }
    return true;
  case 0x8A: case 0x8B:
    in->op = OP_MOV; in->size = (uint8_t)w; in->nops = 2;
    if (!modrm(d, &o[1], w, &reg)) return false;
    if (o[1].kind == K_REG && !d->lenient) return failm(d, "register-to-register mov with d=1 (nasm uses 88/89)");
    set_reg(&o[0], w, reg);
    return true;
  case 0x8C: case 0x8E:
    if (d->o32) return unmodelled(d, code, 1);
    in->op = OP_MOV; in->size = 2; in->nops = 2;
    if (!modrm(d, &o[b == 0x8C ? 0 : 1], 2, &reg)) return false;
    if (reg > S_GS || (b == 0x8E && reg == S_CS)) return fail(d, "invalid segment register %u", (unsigned)reg);
    set_sreg(&o[b == 0x8C ? 1 : 0], reg);
    return true;
  case 0x8D:
    in->op = OP_LEA; in->size = (uint8_t)os; in->nops = 2;
    if (!modrm(d, &o[1], os, &reg)) return false;
    if (o[1].kind != K_MEM) return failm(d, "lea with a register operand");
    set_reg(&o[0], os, reg);
    return true;
  case 0x8F:
    in->op = OP_POP; in->size = (uint8_t)os; in->nops = 1;
    if (!modrm(d, &o[0], os, &reg)) return false;
    if (reg || (o[0].kind == K_REG && !d->lenient)) return unmodelled(d, code, 1);
    return true;
  case 0x90:
    if (d->rep) return unmodelled(d, code, 1);
    if (d->o32) {
      in->op = OP_XCHG; in->size = 4; in->nops = 2;
      set_reg(&o[0], 4, 0);
      set_reg(&o[1], 4, 0);
      return true;
    }
    in->op = OP_NOP;
    return true;
  case 0x98: case 0x99:
    in->op = b == 0x98 ? OP_CBW : OP_CWD; in->size = (uint8_t)os;
    return true;
  case 0x27: in->op = OP_DAA; return true;
  case 0x2F: in->op = OP_DAS; return true;
  case 0x37: in->op = OP_AAA; return true;
  case 0x3F: in->op = OP_AAS; return true;
  case 0x9E: in->op = OP_SAHF; return true;
  case 0x9F: in->op = OP_LAHF; return true;
  case 0xA0: case 0xA1: case 0xA2: case 0xA3: {
    int m = (b & 2) ? 0 : 1;
    in->op = OP_MOV; in->size = (uint8_t)w; in->nops = 2;
    set_reg(&o[1 - m], w, 0);
    if (!take(d, d->a32 ? 4 : 2, &v)) return false;
    memset(&o[m], 0, sizeof o[m]);
    o[m].kind = K_MEM; o[m].size = (uint8_t)w; o[m].base = o[m].index = -1; o[m].scale = 1;
    o[m].disp = (int32_t)v;
    o[m].addr32 = d->a32 ? 1 : 0;
    if (d->a32) d->a32 = 2;
    apply_seg(d, &o[m]);
    return true;
  }
  case 0xA4: case 0xA5: case 0xA6: case 0xA7: case 0xAA: case 0xAB:
  case 0xAC: case 0xAD: case 0xAE: case 0xAF: case 0x6C: case 0x6D: case 0x6E: case 0x6F: {
    static const uint8_t ops[6] = {OP_MOVS, OP_CMPS, 0, OP_STOS, OP_LODS, OP_SCAS};
    in->op = b < 0x70 ? (b < 0x6E ? OP_INS : OP_OUTS) : ops[(b - 0xA4) >> 1];
    in->size = (uint8_t)w;
    in->prefix = d->rep == 0xF3 ? PFX_REP : d->rep == 0xF2 ? PFX_REPNE : 0;
    d->rep = 0;
    if (in->op == OP_MOVS || in->op == OP_CMPS || in->op == OP_LODS || in->op == OP_OUTS)
      string_src(d, in);
    else if (d->a32) {   /* stos/scas/ins: o[0] is es:edi, for the address size */
      operand *o = &in->o[0];
      memset(o, 0, sizeof *o);
      o->kind = K_MEM; o->size = in->size; o->base = R_DI; o->index = -1; o->scale = 1;
      o->seg = S_ES; o->addr32 = 1;
      in->nops = 1;
    }
    if (d->a32) d->a32 = 2;
    return true;
  }
  case 0xA8: case 0xA9:
    in->op = OP_TEST; in->size = (uint8_t)w; in->nops = 2;
    set_reg(&o[0], w, 0);
    return imm_of(d, &o[1], w);
  case 0xC0: case 0xC1: case 0xD0: case 0xD1: case 0xD2: case 0xD3:
    in->size = (uint8_t)w; in->nops = 2;
    if (!modrm(d, &o[0], w, &reg)) return false;
    if (reg == 6 && !d->lenient) return failm(d, "shift group /6 (undocumented sal alias)");
    in->op = isa_shift_ops[reg == 6 ? 4 : reg];
    if (b >= 0xD2) { set_reg(&o[1], 1, 1); return true; }
    if (b >= 0xD0) { set_imm(&o[1], 1, 1); return true; }
    if (!imm_of(d, &o[1], 1)) return false;
    if (o[1].disp == 1 && !d->lenient) return failm(d, "shift by an imm8 of 1 (nasm writes D0/D1)");
    return true;
  case 0xC2: case 0xC3:
    in->op = OP_RET;
    if (b == 0xC3) return true;
    in->nops = 1;
    return imm_of(d, &o[0], 2);
  case 0xC6: case 0xC7:
    in->op = OP_MOV; in->size = (uint8_t)w; in->nops = 2;
    if (!modrm(d, &o[0], w, &reg)) return false;
    if (reg) return unmodelled(d, code, 1);
    if (o[0].kind == K_REG && !d->lenient) return failm(d, "mov register, imm through C6/C7 (nasm writes B0-BF)");
    return imm_of(d, &o[1], w);
  case 0xC4: case 0xC5:
    in->op = b == 0xC4 ? OP_LES : OP_LDS; in->size = (uint8_t)os; in->nops = 2;
    if (!modrm(d, &o[1], os, &reg)) return false;
    if (o[1].kind != K_MEM) return unmodelled(d, code, 1);
    set_reg(&o[0], os, reg);
    return true;
  case 0xCD:
    in->op = OP_INT; in->nops = 1;
    return imm_of(d, &o[0], 1);
  case 0xD4: case 0xD5:
    in->op = b == 0xD4 ? OP_AAM : OP_AAD; in->nops = 1;
    return imm_of(d, &o[0], 1);
  case 0xD6: in->op = OP_SALC; return true;
  case 0xD7:
    if (d->a32) return unmodelled(d, code, 1);
    in->op = OP_XLAT; in->size = 1;
    string_src(d, in);
    return true;
  case 0xE0: case 0xE1: case 0xE2: case 0xE3:
    if (d->a32) return unmodelled(d, code, 1);
    in->op = b == 0xE0 ? OP_LOOPNE : b == 0xE1 ? OP_LOOPE : b == 0xE2 ? OP_LOOP : OP_JCXZ;
    in->nops = 1;
    return rel_of(d, &o[0], 1);
  case 0xE4: case 0xE5: case 0xE6: case 0xE7: case 0xEC: case 0xED: case 0xEE: case 0xEF: {
    bool is_in = !(b & 2);
    in->op = is_in ? OP_IN : OP_OUT; in->size = (uint8_t)w; in->nops = 2;
    operand *acc = is_in ? &o[0] : &o[1], *port = is_in ? &o[1] : &o[0];
    set_reg(acc, w, 0);
    if (b >= 0xEC) { set_reg(port, 2, R_DX); return true; }
    return imm_of(d, port, 1);
  }
  case 0xE8: in->op = OP_CALL; in->nops = 1; return rel_of(d, &o[0], 2);
  case 0xE9: in->op = OP_JMP; in->nops = 1; return rel_of(d, &o[0], 2);
  case 0xEB: in->op = OP_JMP; in->nops = 1; return rel_of(d, &o[0], 1);
  case 0xF4: in->op = OP_HLT; return true;
  case 0xF5: in->op = OP_CMC; return true;
  case 0xF6: case 0xF7: {
    static const uint8_t ops[8] = {OP_TEST, 0, OP_NOT, OP_NEG, OP_MUL, OP_IMUL, OP_DIV, OP_IDIV};
    in->size = (uint8_t)w; in->nops = 1;
    if (!modrm(d, &o[0], w, &reg)) return false;
    if (reg == 1 && !d->lenient) return failm(d, "test group /1 (undocumented alias)");
    if (reg == 1) reg = 0;
    in->op = ops[reg];
    if (reg == 0) {
      in->nops = 2;
      if (o[0].kind == K_REG && o[0].reg == 0 && !d->lenient)
        return failm(d, "test accumulator, imm through F6/F7 (nasm writes A8/A9)");
      return imm_of(d, &o[1], w);
    }
    return true;
  }
  case 0xF8: in->op = OP_CLC; return true;
  case 0xF9: in->op = OP_STC; return true;
  case 0xFA: in->op = OP_CLI; return true;
  case 0xFB: in->op = OP_STI; return true;
  case 0xFC: in->op = OP_CLD; return true;
  case 0xFD: in->op = OP_STD; return true;
  case 0xFE: case 0xFF:
    in->size = (uint8_t)w; in->nops = 1;
    if (!modrm(d, &o[0], w, &reg)) return false;
    if (reg == 0 || reg == 1) {
      if (b == 0xFF && o[0].kind == K_REG && !d->lenient)
        return failm(d, "inc/dec register through FF (nasm writes 40-4F)");
      in->op = reg ? OP_DEC : OP_INC;
      return true;
    }
    if (b == 0xFF && reg == 6 && (o[0].kind == K_MEM || d->lenient)) { in->op = OP_PUSH; return true; }
    return unmodelled(d, code, 1);
  default:
    return unmodelled(d, code, 1);
  }
}

static int decode(const uint8_t *buf, size_t n, insn *out, char *err, size_t errn, bool lenient) {
  dec d = {buf, n < ISA_MAX_LEN ? n : ISA_MAX_LEN, 0, 0, 0, -1, 0, false, err, errn, false, lenient};
  memset(out, 0, sizeof *out);
  if (err && errn) err[0] = 0;
  uint32_t b;
  for (;;) {
    if (!take(&d, 1, &b)) return -1;
    int seg = b == 0x26 ? S_ES : b == 0x2E ? S_CS : b == 0x36 ? S_SS : b == 0x3E ? S_DS
            : b == 0x64 ? S_FS : b == 0x65 ? S_GS : -1;
    if (seg >= 0) {
      if (d.seg >= 0 && !lenient) { failm(&d, "two segment prefixes"); return -1; }
      d.seg = seg;
    } else if (b == 0x66) {
      if (d.o32 && !lenient) { failm(&d, "repeated 66 prefix"); return -1; }
      d.o32 = 1;
    } else if (b == 0x67) {
      if (d.a32 && !lenient) { failm(&d, "repeated 67 prefix"); return -1; }
      d.a32 = 1;
    } else if (b == 0xF2 || b == 0xF3) {
      if (d.rep && !lenient) { failm(&d, "two rep prefixes"); return -1; }
      d.rep = (int)b;
    } else if (b == 0xF0) {
      failm(&d, "lock prefix is not modelled");
      return -1;
    } else {
      break;
    }
  }
  bool ok = b == 0x0F ? two_byte(&d, out, d.o32 ? 4 : 2) : one_byte(&d, out, b);
  if (!ok) return -1;
  out->len = (uint8_t)d.pos;
  if (lenient) return (int)d.pos;   /* prefixes without effect are ignored */
  if (d.seg >= 0 && !d.seg_used) { failm(&d, "segment prefix without a memory operand"); return -1; }
  if (d.a32 == 1) { failm(&d, "address-size prefix without a memory operand"); return -1; }
  if (d.rep) { failm(&d, "rep prefix on a non-string instruction"); return -1; }
  if (d.o32 && (out->size == 1 || out->size == 0) && out->op != OP_XCHG) {
    failm(&d, "operand-size prefix on an instruction without a 16/32-bit operand");
    return -1;
  }
  /* one meaning, one encoding: bytes nasm would not write for this form
   * (a zero or oversized displacement, a longer immediate) are refused */
  insn again = *out;
  uint8_t canon[ISA_MAX_LEN];
  int k = isa_encode(&again, canon);
  if (k != (int)d.pos || memcmp(canon, buf, (size_t)k)) {
    if (err && errn) {
      int m = snprintf(err, errn, "non-canonical encoding (nasm writes");
      for (int i = 0; i < k && m > 0 && (size_t)m < errn; i++)
        m += snprintf(err + m, errn - (size_t)m, " %02X", canon[i]);
      if (m > 0 && (size_t)m < errn) snprintf(err + m, errn - (size_t)m, ")");
    }
    return -1;
  }
  out->len = (uint8_t)d.pos;
  return (int)d.pos;
}

int isa_decode(const uint8_t *buf, size_t n, insn *out, char *err, size_t errn) {
  return decode(buf, n, out, err, errn, false);
}

int isa_decode_lenient(const uint8_t *buf, size_t n, insn *out, char *err, size_t errn) {
  return decode(buf, n, out, err, errn, true);
}

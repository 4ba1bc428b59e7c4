/* Encoder: the shortest encoding nasm picks for an instruction, or -1 when
 * no form accepts its operands.  Prefixes come out in nasm's order:
 * rep, segment, operand size (66), address size (67). */
#include <string.h>
#include "isa/isa.h"
#include "isa/isa_form.h"

const uint8_t isa_alu_ops[8] = {OP_ADD, OP_OR, OP_ADC, OP_SBB, OP_AND, OP_SUB, OP_XOR, OP_CMP};
const uint8_t isa_shift_ops[8] = {OP_ROL, OP_ROR, OP_RCL, OP_RCR, OP_SHL, OP_SHR, OP_COUNT, OP_SAR};

typedef struct {
  uint8_t op[3];      /* opcode bytes */
  int nop;
  int reg;            /* ModRM reg field, -1: no ModRM */
  const operand *rm;  /* ModRM r/m operand */
  int imm_size;       /* bytes of immediate, 0 none */
  uint32_t imm;
  int o32;            /* emit 66 */
  const operand *seg_of; /* memory operand deciding the segment prefix */
  int rep;            /* 0, 0xF3 or 0xF2 */
  int a32;            /* emit 67 without a ModRM memory operand (moffs32) */
} form;

static const uint8_t seg_prefix[6] = {0x26, 0x2E, 0x36, 0x3E, 0x64, 0x65};

static bool fits_s8(int64_t v) { return v >= -128 && v <= 127; }

/* the immediate fits `size` bytes written as signed or unsigned */
static bool imm_ok(const operand *o, int size) {
  if (o->kind != K_IMM) return false;
  int64_t v = o->disp;
  if (size == 1) return v >= -128 && v <= 255;
  if (size == 2) return v >= -32768 && v <= 65535;
  return true;
}

/* the masked immediate sign-extends from 8 bits */
static bool imm_s8(const operand *o, int size) {
  uint32_t v = isa_imm_value(o->disp, size);
  uint32_t s = (uint32_t)(int32_t)(int8_t)(v & 0xff);
  return isa_imm_value((int32_t)s, size) == v;
}

static bool is_reg(const operand *o, int size) {
  return o->kind == K_REG && o->size == size && o->reg < 8;
}
static bool mem_ok(const operand *o);
static bool is_mem(const operand *o) { return o->kind == K_MEM && mem_ok(o); }
static bool is_rm(const operand *o, int size) {
  return is_reg(o, size) || (is_mem(o) && o->size == size);
}
static bool is_cl(const operand *o) { return o->kind == K_REG && o->size == 1 && o->reg == 1; }
static bool is_dx(const operand *o) { return o->kind == K_REG && o->size == 2 && o->reg == R_DX; }
static bool is_acc(const operand *o, int size) { return is_reg(o, size) && o->reg == 0; }
static bool sized(int s) { return s == 1 || s == 2 || s == 4; }
static bool wide(int s) { return s == 2 || s == 4; }

static bool mem_ok(const operand *o) {
  if (o->seg > S_GS && o->seg != S_NONE) return false;
  if (!o->addr32) {
    int b = o->base, i = o->index;
    if (b >= 8 || i >= 8) return false;
    bool okb = b < 0 || b == R_BX || b == R_BP || b == R_SI || b == R_DI;
    bool oki = i < 0 || i == R_BX || i == R_BP || i == R_SI || i == R_DI;
    if (!okb || !oki) return false;
    if (b >= 0 && i >= 0) {
      bool bb = b == R_BX || b == R_BP, ib = i == R_BX || i == R_BP;
      if (bb == ib) return false;   /* one of bx/bp with one of si/di */
    }
    return o->disp >= -32768 && o->disp <= 65535;
  }
  if (o->base >= 8 || o->index >= 8 || o->index == R_SP) return false;
  if (o->index >= 0 && o->scale != 1 && o->scale != 2 && o->scale != 4 && o->scale != 8)
    return false;
  return true;
}

typedef struct { uint8_t *b; int n; } out_buf;
static void put(out_buf *e, uint32_t v, int bytes) {
  for (int i = 0; i < bytes; i++) e->b[e->n++] = (uint8_t)(v >> (8 * i));
}

static void put_modrm16(out_buf *e, int reg, const operand *o) {
  int b = o->base, i = o->index;
  if (b < 0) { b = i; i = -1; }
  if ((b == R_SI || b == R_DI) && i >= 0) { int t = b; b = i; i = t; }
  int16_t d = (int16_t)(uint16_t)o->disp;
  int rm;
  if (b < 0) {
    put(e, (uint32_t)(0x06 | reg << 3), 1);
    put(e, (uint16_t)d, 2);
    return;
  }
  if (i >= 0) rm = (b == R_BX ? 0 : 2) + (i == R_DI);
  else rm = b == R_SI ? 4 : b == R_DI ? 5 : b == R_BP ? 6 : 7;
  if (d == 0 && rm != 6) put(e, (uint32_t)(rm | reg << 3), 1);
  else if (fits_s8(d)) { put(e, (uint32_t)(0x40 | rm | reg << 3), 1); put(e, (uint8_t)d, 1); }
  else { put(e, (uint32_t)(0x80 | rm | reg << 3), 1); put(e, (uint16_t)d, 2); }
}

static void put_modrm32(out_buf *e, int reg, const operand *o) {
  int b = o->base, i = o->index, s = i >= 0 ? o->scale : 1;
  int32_t d = o->disp;
  if (b < 0 && i >= 0 && s == 1) { b = i; i = -1; }  /* nasm: [r*1] as [r] */
  if (b < 0 && i >= 0 && s == 2) { b = i; s = 1; }   /* nasm: [r*2] as [r+r] */
  if (b < 0 && i < 0) {
    put(e, (uint32_t)(0x05 | reg << 3), 1);
    put(e, (uint32_t)d, 4);
    return;
  }
  int mod = (d == 0 && b != R_BP) ? 0 : fits_s8(d) ? 1 : 2;
  if (b < 0) mod = 0;
  if (i < 0 && b != R_SP) {
    put(e, (uint32_t)(mod << 6 | reg << 3 | b), 1);
  } else {
    int ss = s == 8 ? 3 : s == 4 ? 2 : s == 2 ? 1 : 0;
    put(e, (uint32_t)(mod << 6 | reg << 3 | 4), 1);
    put(e, (uint32_t)(ss << 6 | (i < 0 ? 4 : i) << 3 | (b < 0 ? 5 : b)), 1);
  }
  if (b < 0) put(e, (uint32_t)d, 4);
  else if (mod == 1) put(e, (uint8_t)d, 1);
  else if (mod == 2) put(e, (uint32_t)d, 4);
}

static int emit(const form *f, uint8_t out[ISA_MAX_LEN]) {
  out_buf e = {out, 0};
  if (f->rep) put(&e, (uint32_t)f->rep, 1);
  const operand *m = f->seg_of;
  if (!m && f->rm && f->rm->kind == K_MEM) m = f->rm;
  if (m && m->kind == K_MEM) {
    int seg = m->seg == S_NONE ? isa_default_seg(m) : m->seg;
    if (m->seg_explicit || seg != isa_default_seg(m)) put(&e, seg_prefix[seg], 1);
  }
  if (f->o32) put(&e, 0x66, 1);
  if (f->a32 || (f->rm && f->rm->kind == K_MEM && f->rm->addr32)) put(&e, 0x67, 1);
  for (int i = 0; i < f->nop; i++) put(&e, f->op[i], 1);
  if (f->reg >= 0) {
    if (f->rm->kind == K_REG) put(&e, (uint32_t)(0xC0 | f->reg << 3 | f->rm->reg), 1);
    else if (f->rm->addr32) put_modrm32(&e, f->reg, f->rm);
    else put_modrm16(&e, f->reg, f->rm);
  }
  put(&e, f->imm, f->imm_size);
  return e.n;
}

static void op1(form *f, uint8_t a) { f->op[0] = a; f->nop = 1; }
static void op2(form *f, uint8_t a, uint8_t b) { f->op[0] = a; f->op[1] = b; f->nop = 2; }
static void modrm(form *f, int reg, const operand *rm) { f->reg = reg; f->rm = rm; }
static void imm(form *f, const operand *o, int size) {
  f->imm_size = size;
  f->imm = isa_imm_value(o->disp, size);
}

static int alu_index(int op) {
  for (int i = 0; i < 8; i++) if (isa_alu_ops[i] == op) return i;
  return -1;
}
static int shift_index(int op) {
  for (int i = 0; i < 8; i++) if (isa_shift_ops[i] == op) return i;
  return -1;
}

/* ALU ops and test: rm,reg / reg,mem / acc,imm / rm,imm */
static bool enc_alu(form *f, const insn *in, int n) {
  const operand *a = &in->o[0], *b = &in->o[1];
  int s = in->size, w = s != 1;
  if (in->nops != 2 || !is_rm(a, s)) return false;
  if (b->kind == K_IMM) {
    if (!imm_ok(b, s)) return false;
    if (n < 0) {   /* test */
      if (is_acc(a, s)) op1(f, (uint8_t)(0xA8 | w));
      else { op1(f, (uint8_t)(0xF6 | w)); modrm(f, 0, a); }
      imm(f, b, s);
      return true;
    }
    if (s != 1 && imm_s8(b, s)) { op1(f, 0x83); modrm(f, n, a); imm(f, b, 1); return true; }
    if (is_acc(a, s)) { op1(f, (uint8_t)(n << 3 | 4 | w)); imm(f, b, s); return true; }
    op1(f, (uint8_t)(0x80 | w));
    modrm(f, n, a);
    imm(f, b, s);
    return true;
  }
  uint8_t base = n < 0 ? 0x84 : (uint8_t)(n << 3);
  if (is_reg(b, s)) { op1(f, (uint8_t)(base | w)); modrm(f, b->reg, a); return true; }
  if (is_reg(a, s) && is_mem(b) && b->size == s) {
    op1(f, n < 0 ? (uint8_t)(0x84 | w) : (uint8_t)(base | 2 | w));
    modrm(f, a->reg, b);
    return true;
  }
  return false;
}

static bool enc_mov(form *f, const insn *in) {
  const operand *a = &in->o[0], *b = &in->o[1];
  int s = in->size, w = s != 1;
  if (in->nops != 2) return false;
  if (a->kind == K_SREG) {
    if (s != 2 || a->reg > S_GS || a->reg == S_CS || !is_rm(b, 2)) return false;
    op1(f, 0x8E); modrm(f, a->reg, b);
    return true;
  }
  if (b->kind == K_SREG) {
    if (s != 2 || b->reg > S_GS || !is_rm(a, 2)) return false;
    op1(f, 0x8C); modrm(f, b->reg, a);
    return true;
  }
  if (!sized(s) || !is_rm(a, s)) return false;
  if (b->kind == K_IMM) {
    if (!imm_ok(b, s)) return false;
    if (a->kind == K_REG) op1(f, (uint8_t)((s == 1 ? 0xB0 : 0xB8) | a->reg));
    else { op1(f, (uint8_t)(0xC6 | w)); modrm(f, 0, a); }
    imm(f, b, s);
    return true;
  }
  /* accumulator with a direct 16-bit address: the moffs forms */
  const operand *m = a->kind == K_MEM ? a : b, *r = a->kind == K_MEM ? b : a;
  if (is_mem(m) && m->size == s && m->base < 0 && m->index < 0 && is_acc(r, s)) {
    op1(f, (uint8_t)(0xA0 | (m == a ? 2 : 0) | w));
    f->seg_of = m;
    f->a32 = m->addr32;
    f->imm_size = m->addr32 ? 4 : 2;
    f->imm = m->addr32 ? (uint32_t)m->disp : (uint16_t)m->disp;
    return true;
  }
  if (is_reg(b, s)) { op1(f, (uint8_t)(0x88 | w)); modrm(f, b->reg, a); return true; }
  if (is_reg(a, s) && is_mem(b) && b->size == s) { op1(f, (uint8_t)(0x8A | w)); modrm(f, a->reg, b); return true; }
  return false;
}

static bool enc_xchg(form *f, const insn *in) {
  const operand *a = &in->o[0], *b = &in->o[1];
  int s = in->size, w = s != 1;
  if (in->nops != 2 || !sized(s)) return false;
  if (s != 1 && is_reg(a, s) && is_reg(b, s) && (a->reg == 0 || b->reg == 0)) {
    op1(f, (uint8_t)(0x90 | (a->reg == 0 ? b->reg : a->reg)));
    return true;
  }
  /* nasm: reg,reg puts the first operand in the reg field */
  if (is_reg(a, s) && is_rm(b, s)) { op1(f, (uint8_t)(0x86 | w)); modrm(f, a->reg, b); return true; }
  if (is_reg(b, s) && is_rm(a, s)) { op1(f, (uint8_t)(0x86 | w)); modrm(f, b->reg, a); return true; }
  return false;
}

static const uint8_t push_seg[6][2] = {{0x06, 0}, {0x0E, 0}, {0x16, 0}, {0x1E, 0}, {0x0F, 0xA0}, {0x0F, 0xA8}};
static const uint8_t pop_seg[6][2] = {{0x07, 0}, {0, 0}, {0x17, 0}, {0x1F, 0}, {0x0F, 0xA1}, {0x0F, 0xA9}};

static bool enc_pushpop(form *f, const insn *in, bool is_push) {
  const operand *a = &in->o[0];
  int s = in->size;
  if (in->nops != 1) return false;
  if (a->kind == K_SREG) {
    if (s != 2 || a->reg > S_GS || (!is_push && a->reg == S_CS)) return false;
    const uint8_t *p = is_push ? push_seg[a->reg] : pop_seg[a->reg];
    if (p[0] == 0x0F) op2(f, p[0], p[1]); else op1(f, p[0]);
    return true;
  }
  if (!wide(s)) return false;
  if (is_reg(a, s)) { op1(f, (uint8_t)((is_push ? 0x50 : 0x58) | a->reg)); return true; }
  if (is_mem(a) && a->size == s) {
    if (is_push) { op1(f, 0xFF); modrm(f, 6, a); } else { op1(f, 0x8F); modrm(f, 0, a); }
    return true;
  }
  if (is_push && imm_ok(a, s)) {
    if (imm_s8(a, s)) { op1(f, 0x6A); imm(f, a, 1); } else { op1(f, 0x68); imm(f, a, s); }
    return true;
  }
  return false;
}

static bool enc_shift(form *f, const insn *in, int n) {
  const operand *a = &in->o[0], *b = &in->o[1];
  int s = in->size, w = s != 1;
  if (in->nops != 2 || !sized(s) || !is_rm(a, s)) return false;
  modrm(f, n, a);
  if (is_cl(b)) { op1(f, (uint8_t)(0xD2 | w)); return true; }
  if (b->kind != K_IMM || b->disp < 0 || b->disp > 255) return false;
  if (b->disp == 1) { op1(f, (uint8_t)(0xD0 | w)); return true; }
  op1(f, (uint8_t)(0xC0 | w));
  imm(f, b, 1);
  return true;
}

static bool enc_rel(form *f, const insn *in, uint8_t short_op, uint8_t near0, uint8_t near1) {
  const operand *a = &in->o[0];
  if (in->nops != 1 || a->kind != K_REL) return false;
  if (a->size != 2 && fits_s8(a->disp) && short_op) {
    op1(f, short_op);
    f->imm_size = 1;
    f->imm = (uint8_t)a->disp;
    return true;
  }
  if (!near0 || a->disp < -32768 || a->disp > 65535) return false;
  if (near1) op2(f, near0, near1); else op1(f, near0);
  f->imm_size = 2;
  f->imm = (uint16_t)a->disp;
  return true;
}

static bool enc_string(form *f, const insn *in, uint8_t opc) {
  int s = in->size;
  if (!sized(s) || in->prefix > (PFX_REP | PFX_REPNE) || in->prefix == (PFX_REP | PFX_REPNE)) return false;
  bool has_src = in->op == OP_LODS || in->op == OP_MOVS || in->op == OP_CMPS || in->op == OP_OUTS;
  if (in->nops > 1) return false;
  if (in->nops == 1) {   /* o[0]: address size, and the source's segment */
    const operand *m = &in->o[0];
    if (m->kind != K_MEM || (m->seg > S_GS && m->seg != S_NONE)) return false;
    if (has_src) f->seg_of = m;
    else if (m->seg_explicit || (m->seg != S_ES && m->seg != S_NONE)) return false;
    f->a32 = m->addr32;
  }
  op1(f, (uint8_t)(opc | (s != 1)));
  f->o32 = s == 4;
  f->rep = in->prefix & PFX_REP ? 0xF3 : in->prefix & PFX_REPNE ? 0xF2 : 0;
  return true;
}

static bool encode_form(form *f, const insn *in) {
  const operand *a = &in->o[0], *b = &in->o[1], *c = &in->o[2];
  int s = in->size, w = s != 1;
  f->o32 = s == 4;
  if (in->prefix && !(in->op >= OP_LODS && in->op <= OP_CMPS) && in->op != OP_INS &&
      in->op != OP_OUTS)
    return false;
  int n = alu_index(in->op);
  if (n >= 0) return sized(s) && enc_alu(f, in, n);
  n = shift_index(in->op);
  if (n >= 0) return enc_shift(f, in, n);
  switch (in->op) {
  case OP_TEST: return sized(s) && enc_alu(f, in, -1);
  case OP_MOV: return enc_mov(f, in);
  case OP_XCHG: return enc_xchg(f, in);
  case OP_PUSH: return enc_pushpop(f, in, true);
  case OP_POP: return enc_pushpop(f, in, false);
  case OP_PUSHA: case OP_POPA:
    if (in->nops || !wide(s)) return false;
    op1(f, in->op == OP_PUSHA ? 0x60 : 0x61);
    return true;
  case OP_LEA:
    if (in->nops != 2 || !wide(s) || !is_reg(a, s) || !is_mem(b)) return false;
    op1(f, 0x8D); modrm(f, a->reg, b);
    f->seg_of = NULL;
    return true;
  case OP_MOVZX: case OP_MOVSX:
    if (in->nops != 2 || !wide(s) || !is_reg(a, s) || b->size >= s || !is_rm(b, b->size)) return false;
    op2(f, 0x0F, (uint8_t)((in->op == OP_MOVZX ? 0xB6 : 0xBE) | (b->size == 2)));
    modrm(f, a->reg, b);
    return true;
  case OP_CBW: case OP_CWD:
    if (in->nops || !wide(s)) return false;
    op1(f, in->op == OP_CBW ? 0x98 : 0x99);
    return true;
  case OP_INC: case OP_DEC:
    if (in->nops != 1 || !sized(s) || !is_rm(a, s)) return false;
    if (s != 1 && a->kind == K_REG) { op1(f, (uint8_t)((in->op == OP_INC ? 0x40 : 0x48) | a->reg)); return true; }
    op1(f, (uint8_t)(0xFE | w)); modrm(f, in->op == OP_INC ? 0 : 1, a);
    return true;
  case OP_NOT: case OP_NEG: case OP_MUL: case OP_DIV: case OP_IDIV: {
    static const int digit[] = {[OP_NOT] = 2, [OP_NEG] = 3, [OP_MUL] = 4, [OP_DIV] = 6, [OP_IDIV] = 7};
    if (in->nops != 1 || !sized(s) || !is_rm(a, s)) return false;
    op1(f, (uint8_t)(0xF6 | w)); modrm(f, digit[in->op], a);
    return true;
  }
  case OP_IMUL:
    if (!sized(s)) return false;
    if (in->nops == 1) {
      if (!is_rm(a, s)) return false;
      op1(f, (uint8_t)(0xF6 | w)); modrm(f, 5, a);
      return true;
    }
    if (!wide(s) || !is_reg(a, s) || !is_rm(b, s)) return false;
    if (in->nops == 2) { op2(f, 0x0F, 0xAF); modrm(f, a->reg, b); return true; }
    if (in->nops != 3 || !imm_ok(c, s)) return false;
    modrm(f, a->reg, b);
    if (imm_s8(c, s)) { op1(f, 0x6B); imm(f, c, 1); } else { op1(f, 0x69); imm(f, c, s); }
    return true;
  case OP_SHLD: case OP_SHRD: {
    uint8_t base = in->op == OP_SHLD ? 0xA4 : 0xAC;
    if (in->nops != 3 || !wide(s) || !is_rm(a, s) || !is_reg(b, s)) return false;
    modrm(f, b->reg, a);
    if (is_cl(c)) { op2(f, 0x0F, (uint8_t)(base | 1)); return true; }
    if (c->kind != K_IMM || c->disp < 0 || c->disp > 255) return false;
    op2(f, 0x0F, base); imm(f, c, 1);
    return true;
  }
  case OP_BT: case OP_BTS: case OP_BTR: case OP_BTC: {
    int k = in->op - OP_BT;   /* bt bts btr btc: /4../7, 0F A3 AB B3 BB */
    if (in->nops != 2 || !wide(s) || !is_rm(a, s)) return false;
    if (is_reg(b, s)) { op2(f, 0x0F, (uint8_t)(0xA3 + 8 * k)); modrm(f, b->reg, a); return true; }
    if (b->kind != K_IMM || b->disp < 0 || b->disp > 255) return false;
    op2(f, 0x0F, 0xBA); modrm(f, 4 + k, a); imm(f, b, 1);
    return true;
  }
  case OP_BSF: case OP_BSR:
    if (in->nops != 2 || !wide(s) || !is_reg(a, s) || !is_rm(b, s)) return false;
    op2(f, 0x0F, in->op == OP_BSF ? 0xBC : 0xBD); modrm(f, a->reg, b);
    return true;
  case OP_SETCC:
    if (in->nops != 1 || s != 1 || in->cc > 15 || !is_rm(a, 1)) return false;
    f->o32 = 0;
    op2(f, 0x0F, (uint8_t)(0x90 | in->cc)); modrm(f, 0, a);
    return true;
  case OP_CMOVCC:
    if (in->nops != 2 || !wide(s) || in->cc > 15 || !is_reg(a, s) || !is_rm(b, s)) return false;
    op2(f, 0x0F, (uint8_t)(0x40 | in->cc)); modrm(f, a->reg, b);
    return true;
  case OP_BSWAP:
    if (in->nops != 1 || s != 4 || !is_reg(a, 4)) return false;
    op2(f, 0x0F, (uint8_t)(0xC8 | a->reg));
    return true;
  case OP_AAM: case OP_AAD:
    if (in->nops != 1 || a->kind != K_IMM || a->disp < 0 || a->disp > 255) return false;
    f->o32 = 0;
    op1(f, in->op == OP_AAM ? 0xD4 : 0xD5); imm(f, a, 1);
    return true;
  case OP_XLAT:
    if (in->nops > 1) return false;
    if (in->nops == 1) {
      if (a->kind != K_MEM || a->addr32 || a->seg > S_GS) return false;
      f->seg_of = a;
    }
    f->o32 = 0;
    op1(f, 0xD7);
    return true;
  case OP_MOVCR: {
    const operand *cr = a->kind == K_IMM ? a : b, *r = a->kind == K_IMM ? b : a;
    if (in->nops != 2 || cr->kind != K_IMM || (cr->disp != 0 && (cr->disp < 2 || cr->disp > 4)) ||
        !is_reg(r, 4))
      return false;
    f->o32 = 0;
    op2(f, 0x0F, cr == a ? 0x22 : 0x20);
    modrm(f, cr->disp, r);
    return true;
  }
  case OP_LES: case OP_LDS:
    if (in->nops != 2 || !wide(s) || !is_reg(a, s) || !is_mem(b)) return false;
    op1(f, in->op == OP_LES ? 0xC4 : 0xC5); modrm(f, a->reg, b);
    return true;
  case OP_LGDT:
    if (in->nops != 1 || !is_mem(a)) return false;
    f->o32 = 0;
    op2(f, 0x0F, 0x01); modrm(f, 2, a);
    return true;
  case OP_INS: return enc_string(f, in, 0x6C);
  case OP_OUTS: return enc_string(f, in, 0x6E);
  case OP_LODS: return enc_string(f, in, 0xAC);
  case OP_STOS: return enc_string(f, in, 0xAA);
  case OP_MOVS: return enc_string(f, in, 0xA4);
  case OP_SCAS: return enc_string(f, in, 0xAE);
  case OP_CMPS: return enc_string(f, in, 0xA6);
  case OP_JCC:
    if (in->cc > 15) return false;
    f->o32 = 0;
    return enc_rel(f, in, (uint8_t)(0x70 | in->cc), 0x0F, (uint8_t)(0x80 | in->cc));
  case OP_JMP: f->o32 = 0; return enc_rel(f, in, 0xEB, 0xE9, 0);
  case OP_CALL: f->o32 = 0; return enc_rel(f, in, 0, 0xE8, 0);
  case OP_LOOP: f->o32 = 0; return enc_rel(f, in, 0xE2, 0, 0);
  case OP_LOOPE: f->o32 = 0; return enc_rel(f, in, 0xE1, 0, 0);
  case OP_LOOPNE: f->o32 = 0; return enc_rel(f, in, 0xE0, 0, 0);
  case OP_JCXZ: f->o32 = 0; return enc_rel(f, in, 0xE3, 0, 0);
  case OP_RET:
    f->o32 = 0;
    if (in->nops == 0) { op1(f, 0xC3); return true; }
    if (in->nops != 1 || !imm_ok(a, 2)) return false;
    op1(f, 0xC2); imm(f, a, 2);
    return true;
  case OP_INT:
    if (in->nops != 1 || a->kind != K_IMM || a->disp < 0 || a->disp > 255) return false;
    f->o32 = 0;
    op1(f, 0xCD); imm(f, a, 1);
    return true;
  case OP_IN: case OP_OUT: {
    const operand *acc = in->op == OP_IN ? a : b, *port = in->op == OP_IN ? b : a;
    uint8_t base = in->op == OP_IN ? 0xE4 : 0xE6;
    if (in->nops != 2 || !sized(s) || !is_acc(acc, s)) return false;
    if (is_dx(port)) { op1(f, (uint8_t)((base | 8) | w)); return true; }
    if (port->kind != K_IMM || port->disp < 0 || port->disp > 255) return false;
    op1(f, (uint8_t)(base | w)); imm(f, port, 1);
    return true;
  }
  default: break;
  }
  static const uint8_t plain[OP_COUNT] = {
    [OP_CLC] = 0xF8, [OP_STC] = 0xF9, [OP_CMC] = 0xF5, [OP_CLD] = 0xFC, [OP_STD] = 0xFD,
    [OP_LAHF] = 0x9F, [OP_SAHF] = 0x9E, [OP_SALC] = 0xD6, [OP_NOP] = 0x90,
    [OP_HLT] = 0xF4, [OP_CLI] = 0xFA, [OP_STI] = 0xFB,
    [OP_DAA] = 0x27, [OP_DAS] = 0x2F, [OP_AAA] = 0x37, [OP_AAS] = 0x3F,
  };
  if (in->op < OP_COUNT && plain[in->op] && in->nops == 0) {
    f->o32 = 0;
    op1(f, plain[in->op]);
    return true;
  }
  return false;
}

int isa_encode(insn *in, uint8_t out[ISA_MAX_LEN]) {
  form f;
  memset(&f, 0, sizeof f);
  f.reg = -1;
  if (in->nops > 3 || !encode_form(&f, in)) return -1;
  uint8_t tmp[ISA_MAX_LEN + 8];
  int n = emit(&f, tmp);
  if (n > ISA_MAX_LEN) return -1;
  memcpy(out, tmp, (size_t)n);
  in->len = (uint8_t)n;
  return n;
}

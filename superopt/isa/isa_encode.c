/* Encoder: generic over the form table.  Of the rows of the instruction's
 * operation that accept its operands, the shortest encoding wins, the first
 * in table order among equals (nasm's choice).  Prefixes come out in nasm's
 * order: rep, segment, operand size (66), address size (67). */
#include <string.h>
#include "isa/isa.h"
#include "isa/isa_form.h"

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

static bool imm_u8(const operand *o) { return o->kind == K_IMM && o->disp >= 0 && o->disp <= 255; }

static bool mem_ok(const operand *o) {
  if (o->kind != K_MEM) return false;
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

static bool is_reg(const operand *o, int size) {
  return o->kind == K_REG && o->size == size && o->reg < 8;
}

/* A symbolic constant (a label's address) only where nasm writes a full
 * 16-bit field for an address it relocates: a word immediate, a 16-bit
 * displacement or moffs.  The field's width does not depend on the value. */
static bool sym_fits(int sh, const operand *o, int sz) {
  /* a closing transfer's target label: its bytes are the displacement */
  if (o->kind == K_REL) return true;
  if (o->kind == K_IMM) return sh == SH_IMM && sz == 2;
  return o->kind == K_MEM && !o->addr32 && (sh == SH_RM || sh == SH_M || sh == SH_MP || sh == SH_MOFFS);
}

/* operand i of the instruction fits shape i of the row */
static bool fits(const isa_form *f, const insn *in, int i) {
  const operand *o = &in->o[i];
  int sz = isa_form_operand_size(f, i);
  if (o->sym && (o->sym > ISA_NSYM || !sym_fits(f->shape[i], o, sz))) return false;
  switch (f->shape[i]) {
  case SH_R: case SH_RR: case SH_OR: return is_reg(o, sz);
  case SH_RM: return is_reg(o, sz) || (mem_ok(o) && o->size == sz);
  case SH_M: return mem_ok(o) && o->size == sz;
  case SH_MP: return mem_ok(o);
  case SH_ACC: return is_reg(o, sz) && o->reg == 0;
  case SH_CL: return is_reg(o, 1) && o->reg == 1;
  case SH_DX: return is_reg(o, 2) && o->reg == R_DX;
  case SH_ONE: return o->kind == K_IMM && o->disp == 1;
  case SH_SR: return o->kind == K_SREG && o->reg <= S_GS;
  case SH_SRW: return o->kind == K_SREG && o->reg <= S_GS && o->reg != S_CS;
  case SH_SFIX: return o->kind == K_SREG && o->reg == f->fix;
  case SH_CR: return o->kind == K_IMM && (o->disp == 0 || (o->disp >= 2 && o->disp <= 4));
  case SH_IMM: return imm_ok(o, sz);
  case SH_IMM8S: return imm_ok(o, sz) && imm_s8(o, sz);
  case SH_IMM8: return imm_u8(o);
  case SH_IMM16: return imm_ok(o, 2);
  case SH_MOFFS: return mem_ok(o) && o->size == sz && o->base < 0 && o->index < 0;
  case SH_REL8: return o->kind == K_REL && o->size != 2 && fits_s8(o->disp);
  case SH_REL16: return o->kind == K_REL && o->disp >= -32768 && o->disp <= 65535;
  case SH_FAR: return o->kind == K_FAR;
  case SH_STRSRC: return o->kind == K_MEM && (o->seg <= S_GS || o->seg == S_NONE);
  case SH_XLAT: return o->kind == K_MEM && !o->addr32 && (o->seg <= S_GS || o->seg == S_NONE);
  case SH_STRDST:   /* es:di takes no override */
    return o->kind == K_MEM && !o->seg_explicit && (o->seg == S_ES || o->seg == S_NONE);
  default: return false;
  }
}

/* string operands may be left out (no override, 16-bit addressing) */
static bool optional_shape(int sh) { return sh == SH_STRSRC || sh == SH_STRDST || sh == SH_XLAT; }

/* the operand kinds each shape can hold: a first, cheap test of a row */
#define KB(k) (1u << (k))
static const uint8_t shape_kinds[] = {
  [SH_R] = KB(K_REG), [SH_RM] = KB(K_REG) | KB(K_MEM), [SH_M] = KB(K_MEM), [SH_MP] = KB(K_MEM),
  [SH_RR] = KB(K_REG), [SH_OR] = KB(K_REG), [SH_ACC] = KB(K_REG), [SH_CL] = KB(K_REG),
  [SH_DX] = KB(K_REG), [SH_ONE] = KB(K_IMM), [SH_SR] = KB(K_SREG), [SH_SRW] = KB(K_SREG),
  [SH_SFIX] = KB(K_SREG), [SH_CR] = KB(K_IMM), [SH_IMM] = KB(K_IMM), [SH_IMM8S] = KB(K_IMM),
  [SH_IMM8] = KB(K_IMM), [SH_IMM16] = KB(K_IMM), [SH_MOFFS] = KB(K_MEM), [SH_REL8] = KB(K_REL),
  [SH_REL16] = KB(K_REL), [SH_FAR] = KB(K_FAR), [SH_STRSRC] = KB(K_MEM), [SH_STRDST] = KB(K_MEM),
  [SH_XLAT] = KB(K_MEM),
};
#undef KB

static bool row_accepts(const isa_form *f, const insn *in) {
  if (!(f->flags & ISA_F_ANYSIZE) && in->size != f->size) return false;
  if (in->nops != f->nops && !(in->nops == 0 && f->nops == 1 && optional_shape(f->shape[0])))
    return false;
  for (int i = 0; i < in->nops; i++)
    if (in->o[i].kind > K_FAR || !(shape_kinds[f->shape[i]] & (1u << in->o[i].kind))) return false;
  if (f->flags & ISA_F_ALIAS) return false;
  if ((f->flags & ISA_F_CC) && in->cc != f->cc) return false;
  if (f->op == OP_REP) return in->prefix == f->fix;
  if (in->prefix && (!(f->flags & ISA_F_REP) || in->prefix > PFX_REPNE)) return false;
  for (int i = 0; i < in->nops; i++)
    if (!fits(f, in, i)) return false;
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
  if (o->sym) { put(e, (uint32_t)(0x80 | rm | reg << 3), 1); put(e, (uint16_t)d, 2); }
  else if (d == 0 && rm != 6) put(e, (uint32_t)(rm | reg << 3), 1);
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

static bool is_modrm_rm(int sh) { return sh == SH_RM || sh == SH_M || sh == SH_MP || sh == SH_RR; }
static bool is_modrm_reg(int sh) { return sh == SH_R || sh == SH_SR || sh == SH_SRW || sh == SH_CR; }

/* the row's bytes for the instruction (which it accepts) */
static int emit(const isa_form *f, const insn *in, uint8_t *out) {
  out_buf e = {out, 0};
  const operand *rm = NULL, *mem = NULL;
  int reg = f->digit, oreg = 0, mem_shape = SH_NONE;
  for (int i = 0; i < in->nops; i++) {
    const operand *o = &in->o[i];
    int sh = f->shape[i];
    if (is_modrm_rm(sh)) rm = o;
    if (is_modrm_reg(sh)) reg = sh == SH_CR ? o->disp : o->reg;
    if (sh == SH_OR) oreg = o->reg;
    if (o->kind == K_MEM) { mem = o; mem_shape = sh; }
  }
  if (f->op == OP_REP) { put(&e, f->opc[0], 1); return e.n; }
  if (in->prefix & PFX_REP) put(&e, 0xF3, 1);
  else if (in->prefix & PFX_REPNE) put(&e, 0xF2, 1);
  if (mem && mem_shape != SH_STRDST) {
    int seg = mem->seg == S_NONE ? isa_default_seg(mem) : mem->seg;
    if (mem->seg_explicit || seg != isa_default_seg(mem)) put(&e, seg_prefix[seg], 1);
  }
  if (f->size == 4 && !(f->flags & ISA_F_NO66)) put(&e, 0x66, 1);
  if (mem && mem->addr32) put(&e, 0x67, 1);
  for (int i = 0; i < f->nopc; i++)
    put(&e, (uint32_t)(f->opc[i] + (i == f->nopc - 1 ? oreg : 0)), 1);
  if (f->digit != ISA_NO_MODRM) {
    if (rm->kind == K_REG) put(&e, (uint32_t)(0xC0 | reg << 3 | rm->reg), 1);
    else if (rm->addr32) put_modrm32(&e, reg, rm);
    else put_modrm16(&e, reg, rm);
  }
  for (int i = 0; i < in->nops; i++) {
    const operand *o = &in->o[i];
    int sz = isa_form_operand_size(f, i);
    switch (f->shape[i]) {
    case SH_IMM: put(&e, isa_imm_value(o->disp, sz), sz); break;
    case SH_IMM8S: case SH_IMM8: case SH_REL8: put(&e, (uint8_t)o->disp, 1); break;
    case SH_IMM16: case SH_REL16: put(&e, (uint16_t)o->disp, 2); break;
    case SH_MOFFS: put(&e, o->addr32 ? (uint32_t)o->disp : (uint16_t)o->disp, o->addr32 ? 4 : 2); break;
    case SH_FAR: put(&e, (uint32_t)o->disp, 4); break;
    default: break;
    }
  }
  return e.n;
}

/* first row of the operation (the table is in ISA_OPS order) */
static size_t first_row(int op) {
  size_t lo = 0, hi = isa_nforms;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (isa_forms[mid].op < op) lo = mid + 1; else hi = mid;
  }
  return lo;
}

/* Bytes of the ModRM (with SIB and displacement) for an r/m operand: the
 * same for every row, so worked out once per instruction. */
static int modrm_length(const operand *o) {
  if (o->kind != K_MEM) return 1;
  uint8_t tmp[ISA_MAX_LEN];
  out_buf e = {tmp, 0};
  if (o->addr32) put_modrm32(&e, 0, o); else put_modrm16(&e, 0, o);
  return e.n;
}

/* the length emit() gives, without writing the bytes */
static int row_length(const isa_form *f, const insn *in, int *modrm_len) {
  int n = f->nopc;
  if (f->op == OP_REP) return 1;
  if (in->prefix) n++;
  if (f->size == 4 && !(f->flags & ISA_F_NO66)) n++;
  for (int i = 0; i < in->nops; i++) {
    const operand *o = &in->o[i];
    int sh = f->shape[i];
    if (o->kind == K_MEM) {
      if (sh != SH_STRDST) {
        int seg = o->seg == S_NONE ? isa_default_seg(o) : o->seg;
        if (o->seg_explicit || seg != isa_default_seg(o)) n++;
      }
      if (o->addr32) n++;
    }
    if (is_modrm_rm(sh)) {
      if (modrm_len[i] < 0) modrm_len[i] = modrm_length(o);
      n += modrm_len[i];
    }
    switch (sh) {
    case SH_IMM: n += isa_form_operand_size(f, i); break;
    case SH_IMM8S: case SH_IMM8: case SH_REL8: n += 1; break;
    case SH_IMM16: case SH_REL16: n += 2; break;
    case SH_MOFFS: n += o->addr32 ? 4 : 2; break;
    case SH_FAR: n += 4; break;
    default: break;
    }
  }
  return n;
}

static const isa_form *pick(const insn *in, uint8_t out[ISA_MAX_LEN], int *len) {
  const isa_form *best = NULL;
  int modrm_len[3] = {-1, -1, -1};
  *len = -1;
  if (in->nops > 3) return NULL;
  for (size_t i = first_row(in->op); i < isa_nforms && isa_forms[i].op == in->op; i++) {
    const isa_form *f = &isa_forms[i];
    if (!row_accepts(f, in)) continue;
    int n = row_length(f, in, modrm_len);
    if (n > ISA_MAX_LEN || (best && n >= *len)) continue;
    best = f;
    *len = n;
  }
  if (best && out) {
    uint8_t tmp[ISA_MAX_LEN + 16];
    *len = emit(best, in, tmp);
    if (*len > ISA_MAX_LEN) return NULL;
    memcpy(out, tmp, (size_t)*len);
  }
  return best;
}

const isa_form *isa_form_of(const insn *in) {
  int n;
  return pick(in, NULL, &n);
}

int isa_encode(insn *in, uint8_t out[ISA_MAX_LEN]) {
  int n;
  if (!pick(in, out, &n)) return -1;
  in->len = (uint8_t)n;
  return n;
}

void isa_bind_syms(insn *seq, int n, const uint16_t vals[ISA_NSYM]) {
  for (int i = 0; i < n; i++) {
    bool bound = false;
    for (int k = 0; k < seq[i].nops; k++) {
      operand *o = &seq[i].o[k];
      if (!o->sym || o->sym > ISA_NSYM) continue;
      if (o->kind == K_REL) {   /* the displacement is already the bytes */
        o->sym = 0;
        continue;
      }
      uint16_t v = (uint16_t)(vals[o->sym - 1] + (uint32_t)o->disp);
      /* the decoder's convention: a displacement beside a register is signed */
      bool beside = o->kind == K_MEM && (o->base >= 0 || o->index >= 0);
      o->disp = beside ? (int32_t)(int16_t)v : (int32_t)v;
      o->sym = 0;
      bound = true;
    }
    if (bound) {
      uint8_t b[ISA_MAX_LEN];
      isa_encode(&seq[i], b);
    }
  }
}

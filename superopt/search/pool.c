#include "search/pool.h"

#include <stdlib.h>
#include <string.h>

/* One candidate built from a form-table row; kept if the encoder accepts it and
 * the decoder gives back a searchable instruction (the decoded form is what
 * is stored, so the pool speaks the model's own representation). */
typedef struct {
  pool_insn *v;
  int n, cap;
  uint8_t (*bytes)[ISA_MAX_LEN];
  const snippet *target;  /* its CPU level and undocumented choice */
  bool tails;             /* adding closing branches (add_tails) */
  int *slot;              /* index of bytes[] (seen_bytes) */
  size_t mask;
} builder;

bool pool_target_allows(const snippet *s, const insn *in) {
  return isa_cpu_level(in) <= snippet_cpu(s) && !(s->no_undocumented && isa_undocumented(in));
}

static uint64_t hash_bytes(const uint8_t *c, int len);

/* Has the builder these bytes already?  An open-addressing set over its
 * entries (the pool runs to tens of thousands of candidates). */
static bool seen_bytes(const builder *b, const uint8_t *code, int len) {
  if (!b->slot) return false;
  for (size_t h = hash_bytes(code, len) & b->mask;; h = (h + 1) & b->mask) {
    int i = b->slot[h];
    if (i < 0) return false;
    if (b->v[i].len == len && !memcmp(b->bytes[i], code, (size_t)len)) return true;
  }
}

static void remember_bytes(builder *b, int i) {
  if ((size_t)(2 * b->n + 2) > b->mask) {   /* keep the load under one half */
    size_t cap = b->mask ? 2 * (b->mask + 1) : 4096;
    free(b->slot);
    b->slot = malloc(cap * sizeof *b->slot);
    b->mask = cap - 1;
    for (size_t h = 0; h < cap; h++) b->slot[h] = -1;
    for (int k = 0; k < b->n; k++) {
      if (k == i) continue;
      size_t h = hash_bytes(b->bytes[k], b->v[k].len) & b->mask;
      while (b->slot[h] >= 0) h = (h + 1) & b->mask;
      b->slot[h] = k;
    }
  }
  size_t h = hash_bytes(b->bytes[i], b->v[i].len) & b->mask;
  while (b->slot[h] >= 0) h = (h + 1) & b->mask;
  b->slot[h] = i;
}

/* test r,r' and xchg r,r' mean the same in either order: keep one order */
static bool commutative_duplicate(const insn *in) {
  if (in->op != OP_TEST && in->op != OP_XCHG) return false;
  if (in->nops != 2 || in->o[0].kind != K_REG || in->o[1].kind != K_REG) return false;
  return in->o[0].reg > in->o[1].reg;
}

static bool has_sym(const insn *in) {
  for (int k = 0; k < in->nops; k++)
    if (in->o[k].sym) return true;
  return false;
}

/* A label operand survives decoding as the number it has in the image: the
 * decoded form gets the symbolic constant back (same operand positions). */
static bool reattach_syms(insn *dec, const insn *in) {
  if (dec->nops != in->nops) return false;
  for (int k = 0; k < in->nops; k++) {
    if (!in->o[k].sym) continue;
    if (dec->o[k].kind != in->o[k].kind) return false;
    dec->o[k].sym = in->o[k].sym;
    dec->o[k].disp = in->o[k].disp;
  }
  return true;
}

static void try_add(builder *b, insn in) {
  if (commutative_duplicate(&in)) return;
  uint8_t code[ISA_MAX_LEN];
  int len = isa_encode(&in, code);
  if (len <= 0 || len > POOL_MAX_LEN) return;
  insn dec;
  if (has_sym(&in)) {
    /* checked, deduplicated and decoded as the bytes for the labels' values
       in this image, which must have the same length */
    insn bound = in;
    isa_bind_syms(&bound, 1, b->target->sym_value);
    if (isa_encode(&bound, code) != len) return;
    if (isa_decode(code, (size_t)len, &dec, NULL, 0) != len || !reattach_syms(&dec, &in)) return;
  } else if (isa_decode(code, (size_t)len, &dec, NULL, 0) != len) {
    return;
  }
  isa_effects e;
  isa_effects_of(&dec, &e);
  if (!e.searchable || e.branch != (b->tails && snippet_closer_form(&dec)) || !e.writes) return;
  if (!pool_target_allows(b->target, &dec)) return;
  if (seen_bytes(b, code, len)) return;
  if (b->n == b->cap) {
    b->cap = b->cap ? b->cap * 2 : 1024;
    b->v = realloc(b->v, (size_t)b->cap * sizeof *b->v);
    b->bytes = realloc(b->bytes, (size_t)b->cap * sizeof *b->bytes);
  }
  memcpy(b->bytes[b->n], code, (size_t)len);
  pool_insn *pi = &b->v[b->n++];
  memset(pi, 0, sizeof *pi);
  pi->in = dec;
  pi->len = (uint8_t)len;
  pi->reads = e.reads;
  pi->writes = e.writes;
  pi->tail = e.branch;
  remember_bytes(b, b->n - 1);
}

static operand reg_op(int reg, int size) {
  operand o = {.kind = K_REG, .size = (uint8_t)size, .reg = (uint8_t)reg, .base = -1, .index = -1};
  return o;
}
static operand imm_op(int32_t v, int size) {
  operand o = {.kind = K_IMM, .size = (uint8_t)size, .disp = v, .base = -1, .index = -1};
  return o;
}
static insn mk(int op, int size, int nops, operand a, operand b, operand c) {
  insn in;
  memset(&in, 0, sizeof in);
  in.op = (uint8_t)op;
  in.size = (uint8_t)size;
  in.nops = (uint8_t)nops;
  in.o[0] = a;
  in.o[1] = b;
  in.o[2] = c;
  return in;
}

typedef struct {
  int r16[8], n16;    /* 16/32-bit register numbers */
  int r8[8], n8;      /* 8-bit register numbers */
  int32_t imm[96];
  int nimm;
  int32_t shift[16];     /* shift counts */
  int nshift;
  operand mem[16];
  int nmem;
  int32_t disp[24];      /* displacements for new addressing modes: the window's
                            own, its immediates, and their sums */
  int ndisp;
  struct { uint8_t sym; int32_t d; } label[12];  /* label address + d: the window's, ±1 */
  int nlabel;
  bool uses_op[OP_COUNT];
  bool use32, use8, string_ops, cmov;
  bool touches_mem, touches_sidi;  /* the window reads or writes memory, si or di */
} operands;

static void add_imm(operands *o, int32_t v) {
  for (int i = 0; i < o->nimm; i++)
    if (o->imm[i] == v) return;
  if (o->nimm < (int)(sizeof o->imm / sizeof *o->imm)) o->imm[o->nimm++] = v;
}

static void add_disp(operands *o, int32_t v) {
  if (v < -32768 || v > 65535) return;
  for (int i = 0; i < o->ndisp; i++)
    if (o->disp[i] == v) return;
  if (o->ndisp < (int)(sizeof o->disp / sizeof *o->disp)) o->disp[o->ndisp++] = v;
}

static void add_label(operands *o, uint8_t sym, int32_t d) {
  for (int i = 0; i < o->nlabel; i++)
    if (o->label[i].sym == sym && o->label[i].d == d) return;
  if (o->nlabel < (int)(sizeof o->label / sizeof *o->label)) {
    o->label[o->nlabel].sym = sym;
    o->label[o->nlabel++].d = d;
  }
}

static void add_mem(operands *o, operand m) {
  for (int i = 0; i < o->nmem; i++)
    if (!memcmp(&o->mem[i], &m, sizeof m)) return;
  if (o->nmem < 16) o->mem[o->nmem++] = m;
}

static void collect(const snippet *s, pool *p, operands *o) {
  memset(o, 0, sizeof *o);
  locset touched = 0;
  for (int i = 0; i < s->n; i++) {
    const insn *in = &s->code[i];
    isa_effects e;
    isa_effects_of(in, &e);
    touched |= e.reads | e.writes;
    o->uses_op[in->op] = true;
    if (in->size == 4) o->use32 = true;
    if (in->size == 1) o->use8 = true;
    if (in->op == OP_LODS || in->op == OP_STOS || in->op == OP_MOVS) o->string_ops = true;
    for (int k = 0; k < in->nops; k++) {
      const operand *op = &in->o[k];
      if (op->kind == K_REL) {   /* a closing transfer's target label: its address */
        if (op->sym) add_label(o, op->sym, 0);
        continue;
      }
      if (op->sym) {   /* a label's address: only ever as k+d, never its number */
        for (int d = -1; d <= 1; d++) add_label(o, op->sym, op->disp + d);
        if (op->kind == K_MEM) {
          operand m = *op;
          m.size = 1;
          add_mem(o, m);
          m.size = 2;
          add_mem(o, m);
          o->string_ops = true;
        }
        continue;
      }
      if (op->kind == K_IMM) {
        int32_t v = op->disp;
        if (in->size != 1 && in->op != OP_MOV) {
          add_disp(o, (int16_t)v);
          add_disp(o, -(int16_t)v);
        }
        add_imm(o, v);
        add_imm(o, v + 1);
        add_imm(o, v - 1);
      } else if (op->kind == K_MEM) {
        operand m = *op;
        if (m.disp) add_disp(o, m.disp);
        m.size = 1;
        add_mem(o, m);
        m.size = 2;
        add_mem(o, m);
        if (o->use32 || op->size == 4) { m.size = 4; add_mem(o, m); }
        o->string_ops = true;
      }
    }
  }
  static const int32_t small[] = {0, 1, 2, -1, 0x80, 0xff, 0x8000};
  for (size_t i = 0; i < sizeof small / sizeof *small; i++) add_imm(o, small[i]);
  /* shift counts: the snippet's, and the ones size-coders reach for */
  static const int32_t counts[] = {1, 2, 3, 4, 7, 8, 15};
  for (size_t i = 0; i < sizeof counts / sizeof *counts; i++) o->shift[o->nshift++] = counts[i];
  for (int i = 0; i < o->nimm && o->nshift < 16; i++) {
    bool dup = o->imm[i] < 1 || o->imm[i] > 31;
    for (int j = 0; j < o->nshift && !dup; j++) dup = o->shift[j] == o->imm[i];
    if (!dup) o->shift[o->nshift++] = o->imm[i];
  }
  locset regs = (touched | s->live_out) & LOC_ALLREGS;
  for (int r = 0; r < 8; r++) {
    locset part = s->live_out & LOC_R16(r);
    if (part && part != LOC_R16(r)) o->use8 = true;
  }
  for (int r = 0; r < 8; r++)
    if ((touched & LOC_R32(r)) || ((s->live_out & LOC_R16(r)) && s->live_out != LOC_ALL))
      o->r16[o->n16++] = r;
  if (s->live_out == LOC_ALL) {
    /* everything live: only the registers the snippet touches matter */
    o->n16 = 0;
    for (int r = 0; r < 8; r++)
      if (touched & LOC_R32(r)) o->r16[o->n16++] = r;
  }
  (void)regs;
  o->touches_mem = (touched & LOC_MEM) != 0;
  o->touches_sidi = (touched & (LOC_R16(R_SI) | LOC_R16(R_DI))) != 0;
  /* scratch registers, never sp: the ones the snippet only writes (their
     input is never read, they are not live), then at most two dead ones it
     does not touch; si and di are the pair the pool treats alike (see
     find_classes), so when one of them is taken its dead partner joins too:
     the canonical order then keeps only sequences that need both */
  static const int order[] = {R_AX, R_CX, R_DX, R_BX, R_SI, R_DI, R_BP};
  locset exposed = 0, written = 0;
  for (int i = 0; i < s->n; i++) {
    isa_effects e;
    isa_effects_of(&s->code[i], &e);
    exposed |= e.reads & ~written;
    written |= e.writes;
  }
  p->nscratch = 0;
  if (s->live_out != LOC_ALL)
    for (size_t i = 0; i < sizeof order / sizeof *order; i++) {
      int r = order[i];
      if ((touched & LOC_R32(r)) && !((s->live_out | exposed) & LOC_R32(r)))
        p->scratch_reg[p->nscratch++] = r;
    }
  int untouched = 0;
  for (size_t i = 0; i < sizeof order / sizeof *order && untouched < 2; i++) {
    int r = order[i];
    if (s->live_out & LOC_R32(r)) continue;
    if (touched & LOC_R32(r)) continue;
    bool taken = false;   /* already in as a partner */
    for (int k = 0; k < p->nscratch; k++) taken = taken || p->scratch_reg[k] == r;
    if (taken) continue;
    p->scratch_reg[p->nscratch++] = r;
    o->r16[o->n16++] = r;
    untouched++;
    int partner = r == R_SI ? R_DI : r == R_DI ? R_SI : -1;
    if (partner >= 0 && !((s->live_out | touched) & LOC_R32(partner))) {
      bool have = false;
      for (int k = 0; k < p->nscratch; k++) have = have || p->scratch_reg[k] == partner;
      if (!have) {
        p->scratch_reg[p->nscratch++] = partner;
        o->r16[o->n16++] = partner;
      }
    }
  }
  for (int i = 0; i < o->n16; i++) {
    int r = o->r16[i];
    if (r < 4 && o->use8) {
      o->r8[o->n8++] = r;
      o->r8[o->n8++] = r + 4;
    }
  }
  if (!o->use8) {
    /* setcc and byte loads want the low halves; clearing or setting a high
       half of a live register is a classic shortening */
    for (int i = 0; i < o->n16; i++)
      if (o->r16[i] < 4) o->r8[o->n8++] = o->r16[i];
    for (int i = 0; i < o->n16; i++)
      if (o->r16[i] < 4 && (s->live_out & LOC_HI(o->r16[i])) && s->live_out != LOC_ALL)
        o->r8[o->n8++] = o->r16[i] + 4;
  }
  /* conditional moves where the snippet computes a condition or a mask */
  o->cmov = o->uses_op[OP_CMOVCC] || o->uses_op[OP_CMP] || o->uses_op[OP_SUB] ||
            o->uses_op[OP_SBB] || o->uses_op[OP_SETCC];
}

static int reg_num(const operands *o, int i, int size) { return size == 1 ? o->r8[i] : o->r16[i]; }
static int reg_count(const operands *o, int size) { return size == 1 ? o->n8 : o->n16; }

/* Is a row of the form table wanted for this window?  Everyday operations
 * always; the rarer ones (mul/div, imul by a register or a factor, cmov,
 * push/pop, bswap, the string instructions) only where the window does
 * something alike; any other searchable operation where the window itself
 * uses it.  lea comes from lea_forms (its operands are addresses, not a
 * register or memory choice), aam/aad from size_coder_forms. */
static bool row_wanted(const operands *o, const isa_form *f) {
  if (f->flags & (ISA_F_SWAP | ISA_F_ALIAS | ISA_F_BRANCH)) return false;
  if (f->size == 4 && f->nops > 0 && !o->use32) return false;
  switch (f->op) {
  case OP_MOV: case OP_ADD: case OP_ADC: case OP_SUB: case OP_SBB: case OP_AND: case OP_OR:
  case OP_XOR: case OP_CMP: case OP_TEST: case OP_XCHG: case OP_INC: case OP_DEC: case OP_NEG:
  case OP_NOT: case OP_SHL: case OP_SHR: case OP_SAR: case OP_ROL: case OP_ROR: case OP_RCL:
  case OP_RCR: case OP_SETCC: case OP_MOVZX: case OP_MOVSX: case OP_CBW: case OP_CWD:
  case OP_CLC: case OP_STC: case OP_CMC: case OP_CLD: case OP_STD: case OP_LAHF: case OP_SAHF:
  case OP_SALC: case OP_XLAT:
    return true;
  case OP_IMUL:
    if (f->nops == 1) return o->uses_op[OP_IMUL];
    return o->uses_op[OP_IMUL] || o->uses_op[OP_MUL] || o->uses_op[OP_SHL];
  case OP_CMOVCC: return o->cmov;
  case OP_PUSH: case OP_POP: return o->uses_op[OP_PUSH] || o->uses_op[OP_POP];
  case OP_LODS: case OP_STOS: case OP_MOVS: case OP_SCAS: case OP_CMPS: return o->string_ops;
  case OP_LEA: case OP_AAM: case OP_AAD: return false;
  default: return o->uses_op[f->op];
  }
}

/* The values one operand of a row takes: registers of its size (an
 * accumulator row too: the encoder picks the short form by itself), the
 * window's memory operands where the row takes memory, immediates (factors
 * for a three-operand imul, counts below the width for shifts).  Fixed
 * operands (cl, 1, a named segment register, ds:si, ds:bx) stay as
 * isa_form_insn put them: n 1 and *v untouched.  Returns 0 for a shape the
 * pool does not instantiate. */
static int operand_choices(const operands *o, const isa_form *f, int k, const operand *fixed,
                           operand *v, int cap) {
  static const int32_t factors[] = {3, 5, 6, 7, 9, 10, 12};
  int sz = fixed->size, n = 0;
  bool shift = f->op == OP_SHL || f->op == OP_SHR || f->op == OP_SAR || f->op == OP_ROL ||
               f->op == OP_ROR || f->op == OP_RCL || f->op == OP_RCR;
  switch (f->shape[k]) {
  case SH_R: case SH_OR: case SH_RR: case SH_ACC: case SH_RM:
    for (int i = 0; i < reg_count(o, sz) && n < cap; i++) v[n++] = reg_op(reg_num(o, i, sz), sz);
    if (f->shape[k] == SH_RM)
      for (int j = 0; j < o->nmem && n < cap; j++)
        if (o->mem[j].size == sz) v[n++] = o->mem[j];
    return n;
  case SH_M:
    for (int j = 0; j < o->nmem && n < cap; j++)
      if (o->mem[j].size == sz) v[n++] = o->mem[j];
    return n;
  case SH_IMM: case SH_IMM8S: case SH_IMM8: case SH_IMM16:
    if (shift) {
      int width = 8 * f->size;
      for (int j = 0; j < o->nshift && n < cap; j++)
        if (o->shift[j] < width) v[n++] = imm_op(o->shift[j], 1);
    } else if (f->op == OP_IMUL && k == 2) {
      for (size_t j = 0; j < sizeof factors / sizeof *factors && n < cap; j++)
        v[n++] = imm_op(factors[j], sz);
      for (int j = 0; j < o->nimm && n < cap; j++)
        if (o->imm[j] > 12) v[n++] = imm_op(o->imm[j], sz);
    } else {
      for (int j = 0; j < o->nimm && n < cap; j++)
        if (f->shape[k] != SH_IMM8 || (o->imm[j] >= 0 && o->imm[j] < 256)) v[n++] = imm_op(o->imm[j], sz);
    }
    return n;
  case SH_CL: case SH_ONE: case SH_SFIX: case SH_STRSRC: case SH_XLAT:
    v[0] = *fixed;
    return 1;
  default:
    return 0;
  }
}

/* Every operand combination of one row; the encoder and the decoder (in
 * try_add) decide what is an instruction. */
static void instantiate_row(builder *b, const operands *o, const isa_form *f, insn *in, int k) {
  if (k == in->nops) {
    try_add(b, *in);
    return;
  }
  operand v[128];
  operand fixed = in->o[k];
  int n = operand_choices(o, f, k, &fixed, v, (int)(sizeof v / sizeof *v));
  for (int i = 0; i < n; i++) {
    in->o[k] = v[i];
    instantiate_row(b, o, f, in, k + 1);
  }
  in->o[k] = fixed;
}

/* The window's operations from the rows of the form table, at every size
 * the window works in. */
static void row_forms(builder *b, const operands *o) {
  for (size_t r = 0; r < isa_form_count(); r++) {
    const isa_form *f = isa_form_at(r);
    if (!row_wanted(o, f) || f->cpu > snippet_cpu(b->target)) continue;
    insn in;
    isa_form_insn(f, &in);
    isa_effects e;
    isa_effects_of(&in, &e);
    if (!e.searchable) continue;
    instantiate_row(b, o, f, &in, 0);
  }
}

/* lea: base + index, base + small displacement, 32-bit scaled forms, into
 * each of the window's registers. */
static void lea_forms(builder *b, const operands *o) {
  operand none = {.kind = K_NONE, .base = -1, .index = -1};
  for (int sz = 2; sz <= (o->use32 ? 4 : 2); sz *= 2)
    for (int i = 0; i < o->n16; i++) {
      operand d = reg_op(o->r16[i], sz);
      for (int j = 0; j < o->n16; j++)
        for (int k2 = -1; k2 < o->n16; k2++) {
          operand m = {.kind = K_MEM, .size = (uint8_t)sz, .seg = S_DS, .base = (int8_t)o->r16[j],
                       .index = (int8_t)(k2 < 0 ? -1 : o->r16[k2]), .scale = 1};
          try_add(b, mk(OP_LEA, sz, 2, d, m, none));
          if (k2 < 0)
            for (int v = 0; v < o->nimm; v++) {
              m.disp = o->imm[v];
              try_add(b, mk(OP_LEA, sz, 2, d, m, none));
            }
          m.disp = 0;
          m.addr32 = 1;
          for (int sc = 1; sc <= 8; sc *= 2) {
            if (k2 < 0) continue;
            m.scale = (uint8_t)sc;
            try_add(b, mk(OP_LEA, sz, 2, d, m, none));
          }
        }
    }
}

/* The forms a size-coder reaches for beyond the window's own: aam/aad
 * (division and multiply-add by a constant) always; where the window
 * touches memory, si or di, the string instructions with and without
 * rep/repne and with each source segment; where it touches memory, every
 * 16-bit addressing mode over its registers with its displacements, and its
 * own memory operands under every segment.  (A window of registers alone
 * gets no memory forms: loads of bytes it never reads are almost never
 * shorter, and they would cost the enumeration a depth.) */
static void size_coder_forms(builder *b, const operands *o) {
  operand none = {.kind = K_NONE, .base = -1, .index = -1};
  int32_t aam_imm[16 + 48];
  int naam = 0;
  aam_imm[naam++] = 10;
  aam_imm[naam++] = 16;
  for (int i = 0; i < o->nimm; i++)
    if (o->imm[i] > 1 && o->imm[i] < 256 && o->imm[i] != 10 && o->imm[i] != 16) aam_imm[naam++] = o->imm[i];
  for (int i = 0; i < naam; i++) {
    try_add(b, mk(OP_AAM, 0, 1, imm_op(aam_imm[i], 1), none, none));
    try_add(b, mk(OP_AAD, 0, 1, imm_op(aam_imm[i], 1), none, none));
  }
  int nseg = o->use32 ? 6 : 4;
  static const int strops[] = {OP_LODS, OP_STOS, OP_MOVS, OP_SCAS, OP_CMPS};
  if (!o->touches_mem && !o->touches_sidi) return;
  for (int sz = 1; sz <= (o->use32 ? 4 : 2); sz *= 2)
    for (size_t k = 0; k < sizeof strops / sizeof *strops; k++) {
      int op = strops[k];
      bool src = op == OP_LODS || op == OP_MOVS || op == OP_CMPS;
      for (int pfx = 0; pfx <= 2; pfx++) {
        insn in = mk(op, sz, 0, none, none, none);
        in.prefix = (uint8_t)pfx;
        try_add(b, in);
        for (int sg = 0; src && sg < nseg; sg++) {
          operand m = {.kind = K_MEM, .size = (uint8_t)sz, .seg = (uint8_t)sg, .seg_explicit = 1,
                       .base = R_SI, .index = -1};
          if (sg == S_DS) continue;
          try_add(b, mk(op, sz, 1, m, none, none));
          in = mk(op, sz, 1, m, none, none);
          in.prefix = (uint8_t)pfx;
          try_add(b, in);
        }
      }
    }
  for (int sg = 0; sg < nseg; sg++) {
    if (sg == S_DS) continue;
    operand m = {.kind = K_MEM, .size = 1, .seg = (uint8_t)sg, .seg_explicit = 1, .base = R_BX, .index = -1};
    try_add(b, mk(OP_XLAT, 0, 1, m, none, none));
  }
  if (!o->touches_mem) return;
  /* addressing modes: bases and indexes among the window's registers */
  int bases[4], nb = 0;
  for (int i = 0; i < o->n16; i++)
    if (o->r16[i] == R_BX || o->r16[i] == R_BP || o->r16[i] == R_SI || o->r16[i] == R_DI)
      bases[nb++] = o->r16[i];
  int32_t disp[24];
  int nd = 0;
  disp[nd++] = 0;
  for (int i = 0; i < o->ndisp && nd < 24; i++) {
    bool dup = false;
    for (int j = 0; j < nd; j++) dup = dup || disp[j] == o->disp[i];
    if (!dup) disp[nd++] = o->disp[i];
  }
  static const int loadops[] = {OP_MOV, OP_ADD, OP_SUB, OP_AND, OP_OR, OP_XOR, OP_CMP};
  for (int x = 0; x < nb; x++)
    for (int y = -1; y < nb; y++) {
      if (y >= 0 && bases[y] <= bases[x]) continue;
      for (int k = 0; k < nd; k++)
        for (int sz = 1; sz <= 2; sz++) {
          operand m = {.kind = K_MEM, .size = (uint8_t)sz, .seg = S_NONE, .base = (int8_t)bases[x],
                       .index = (int8_t)(y < 0 ? -1 : bases[y]), .disp = disp[k]};
          m.seg = (uint8_t)((m.base == R_BP || m.index == R_BP) ? S_SS : S_DS);
          int nr = reg_count(o, sz);
          for (int i = 0; i < nr; i++) {
            operand r = reg_op(reg_num(o, i, sz), sz);
            for (size_t q = 0; q < sizeof loadops / sizeof *loadops; q++)
              if (loadops[q] == OP_MOV || o->uses_op[loadops[q]])
                try_add(b, mk(loadops[q], sz, 2, r, m, none));
            try_add(b, mk(OP_MOV, sz, 2, m, r, none));
          }
          if (sz == 2)
            for (int i = 0; i < o->n16; i++)
              try_add(b, mk(OP_LEA, 2, 2, reg_op(o->r16[i], 2), m, none));
          try_add(b, mk(OP_INC, sz, 1, m, none, none));
          try_add(b, mk(OP_DEC, sz, 1, m, none, none));
        }
    }
  /* the window's own memory operands under another segment */
  for (int j = 0; j < o->nmem; j++)
    for (int sg = 0; sg < nseg; sg++) {
      operand m = o->mem[j];
      if (m.seg == sg) continue;
      m.seg = (uint8_t)sg;
      m.seg_explicit = 1;
      int sz = m.size;
      if (sz > 2) continue;
      for (int i = 0; i < reg_count(o, sz); i++) {
        operand r = reg_op(reg_num(o, i, sz), sz);
        try_add(b, mk(OP_MOV, sz, 2, r, m, none));
        try_add(b, mk(OP_MOV, sz, 2, m, r, none));
      }
    }
}

/* The window's label addresses k+d: word immediates of mov and of its own
 * operations (push too where it pushes), and displacements alone or beside
 * a base register of the window (lea, loads and stores, its operations
 * through memory, inc/dec where it touches memory). */
static void label_forms(builder *b, const operands *o) {
  static const int immops[] = {OP_MOV, OP_ADD, OP_SUB, OP_ADC, OP_SBB, OP_AND, OP_OR, OP_XOR, OP_CMP, OP_TEST};
  static const int loadops[] = {OP_MOV, OP_ADD, OP_SUB, OP_AND, OP_OR, OP_XOR, OP_CMP};
  operand none = {.kind = K_NONE, .base = -1, .index = -1};
  for (int l = 0; l < o->nlabel; l++) {
    operand k = {.kind = K_IMM, .size = 2, .sym = o->label[l].sym, .disp = o->label[l].d,
                 .base = -1, .index = -1};
    for (int i = 0; i < o->n16; i++)
      for (size_t q = 0; q < sizeof immops / sizeof *immops; q++)
        if (immops[q] == OP_MOV || o->uses_op[immops[q]])
          try_add(b, mk(immops[q], 2, 2, reg_op(o->r16[i], 2), k, none));
    if (o->uses_op[OP_PUSH]) try_add(b, mk(OP_PUSH, 2, 1, k, none, none));
    for (int x = -1; x < o->n16; x++) {
      int base = x < 0 ? -1 : o->r16[x];
      if (x >= 0 && base != R_BX && base != R_BP && base != R_SI && base != R_DI) continue;
      for (int sz = 1; sz <= 2; sz++) {
        operand m = {.kind = K_MEM, .size = (uint8_t)sz, .seg = S_NONE, .base = (int8_t)base,
                     .index = -1, .sym = o->label[l].sym, .disp = o->label[l].d};
        m.seg = (uint8_t)(base == R_BP ? S_SS : S_DS);
        if (sz == 2 && x >= 0)
          for (int i = 0; i < o->n16; i++) try_add(b, mk(OP_LEA, 2, 2, reg_op(o->r16[i], 2), m, none));
        if (!o->touches_mem) continue;
        for (int i = 0; i < reg_count(o, sz); i++) {
          operand r = reg_op(reg_num(o, i, sz), sz);
          for (size_t q = 0; q < sizeof loadops / sizeof *loadops; q++)
            if (loadops[q] == OP_MOV || o->uses_op[loadops[q]]) try_add(b, mk(loadops[q], sz, 2, r, m, none));
          try_add(b, mk(OP_MOV, sz, 2, m, r, none));
        }
        try_add(b, mk(OP_INC, sz, 1, m, none, none));
        try_add(b, mk(OP_DEC, sz, 1, m, none, none));
      }
    }
  }
}

/* Swap registers a and b in a location set (every part of each). */
static locset swap_locs(locset l, int a, int b) {
  locset ma = l & LOC_R32(a), mb = l & LOC_R32(b);
  l &= ~(LOC_R32(a) | LOC_R32(b));
  int sh = 3 * (b - a);   /* parts of a register are 3 consecutive bits */
  return l | (sh >= 0 ? ma << sh | mb >> sh : ma >> -sh | mb << -sh);
}

static int swap_reg(int r, int a, int b) { return r == a ? b : r == b ? a : r; }

/* The instruction with registers a and b swapped; false when an operand has
 * no counterpart (a byte register of si, di or bp). */
static bool swap_insn(insn *in, int a, int b) {
  for (int k = 0; k < in->nops; k++) {
    operand *o = &in->o[k];
    if (o->kind == K_REG && o->size == 1) {
      int full = o->reg & 3, hi = o->reg >> 2;
      int to = swap_reg(full, a, b);
      if (to != full && to >= 4) return false;
      o->reg = (uint8_t)(to + 4 * hi);
    } else if (o->kind == K_REG) {
      o->reg = (uint8_t)swap_reg(o->reg, a, b);
    } else if (o->kind == K_MEM) {
      if (o->base >= 0) o->base = (int8_t)swap_reg(o->base, a, b);
      if (o->index >= 0) o->index = (int8_t)swap_reg(o->index, a, b);
    }
  }
  return true;
}

/* Open-addressing table of the pool's encodings, to look instructions up
 * by bytes. */
typedef struct {
  int *slot;
  size_t mask;
  uint8_t (*bytes)[ISA_MAX_LEN];
} bytes_index;

static uint64_t hash_bytes(const uint8_t *c, int len) {
  uint64_t h = 1469598103934665603ull ^ (uint64_t)len;
  for (int i = 0; i < len; i++) h = (h ^ c[i]) * 1099511628211ull;
  return h;
}

static int index_find(const bytes_index *x, const pool *p, const uint8_t *c, int len) {
  for (size_t h = hash_bytes(c, len) & x->mask;; h = (h + 1) & x->mask) {
    int i = x->slot[h];
    if (i < 0) return -1;
    if (p->v[i].len == len && !memcmp(x->bytes[i], c, (size_t)len)) return i;
  }
}

static bool interchangeable(const pool *p, const bytes_index *x, int a, int b) {
  for (int i = 0; i < p->n; i++) {
    const pool_insn *pi = &p->v[i];
    if (!((pi->reads | pi->writes) & (LOC_R32(a) | LOC_R32(b)))) continue;
    insn t = pi->in;
    uint8_t code[ISA_MAX_LEN];
    if (!swap_insn(&t, a, b)) return false;
    if (commutative_duplicate(&t)) {   /* the pool keeps the other order */
      operand o = t.o[0];
      t.o[0] = t.o[1];
      t.o[1] = o;
    }
    int len = isa_encode(&t, code);
    if (len != pi->len) return false;
    int j = index_find(x, p, code, len);
    if (j < 0) return false;
    if (p->v[j].reads != swap_locs(pi->reads, a, b) || p->v[j].writes != swap_locs(pi->writes, a, b))
      return false;
  }
  return true;
}

/* Classes of interchangeable scratch registers and the canonical table. */
static bool find_classes(pool *p) {
  int cls[8];
  for (int k = 0; k < p->nscratch; k++) cls[k] = k;
  for (int u = 0; u < 256; u++) p->canonical[u] = true;
  p->nclasses = 0;
  if (p->nscratch < 2) return true;
  size_t cap = 1;
  while (cap < 2 * (size_t)p->n + 2) cap <<= 1;
  bytes_index x = {.slot = malloc(cap * sizeof(int)), .mask = cap - 1,
                   .bytes = malloc((size_t)(p->n ? p->n : 1) * ISA_MAX_LEN)};
  if (!x.slot || !x.bytes) {
    free(x.slot);
    free(x.bytes);
    return false;
  }
  for (size_t h = 0; h < cap; h++) x.slot[h] = -1;
  for (int i = 0; i < p->n; i++) {
    insn t = p->v[i].in;
    isa_encode(&t, x.bytes[i]);
    size_t h = hash_bytes(x.bytes[i], p->v[i].len) & x.mask;
    while (x.slot[h] >= 0) h = (h + 1) & x.mask;
    x.slot[h] = i;
  }
  /* a transposition that maps the pool onto itself composes with another:
     interchangeability is an equivalence, and each class is named by its
     first member */
  for (int k = 1; k < p->nscratch; k++)
    for (int j = 0; j < k && cls[k] == k; j++)
      if (cls[j] == j && interchangeable(p, &x, p->scratch_reg[j], p->scratch_reg[k])) cls[k] = j;
  free(x.slot);
  free(x.bytes);
  for (int k = 0; k < p->nscratch; k++) {
    bool head = cls[k] == k, multi = false;
    for (int j = k + 1; j < p->nscratch && head; j++) multi = multi || cls[j] == k;
    if (multi) p->nclasses++;
  }
  /* used is canonical when, in each class, no member is used while an
     earlier member of the same class is not */
  for (int u = 0; u < 256; u++)
    for (int k = 0; k < p->nscratch && p->canonical[u]; k++)
      if (u & (1 << k))
        for (int j = 0; j < k; j++)
          if (cls[j] == cls[k] && !(u & (1 << j))) p->canonical[u] = false;
  return true;
}

/* The closing branches a candidate may end in, all to the snippet's target
 * (snippet_place_tail points them there): every condition, jcxz, loop,
 * loope, loopne, short; near jcc only where the original is near. */
static void add_branches(builder *b, const insn *orig) {
  static const int ops[] = {OP_JCXZ, OP_LOOP, OP_LOOPE, OP_LOOPNE};
  operand rel = orig->o[0];   /* its target label, if any */
  rel.disp = 0;
  for (int near = 0; near <= (orig->o[0].size == 2); near++)
    for (int cc = 0; cc < 16; cc++) {
      rel.size = (uint8_t)(near ? 2 : 1);
      insn in = mk(OP_JCC, 0, 1, rel, (operand){0}, (operand){0});
      in.cc = (uint8_t)cc;
      try_add(b, in);
    }
  rel.size = 1;
  for (size_t k = 0; k < sizeof ops / sizeof *ops; k++)
    try_add(b, mk(ops[k], 0, 1, rel, (operand){0}, (operand){0}));
}

/* The transfers a candidate may end in for a window closed by a near jmp,
 * call or ret: every form that may go to the same place (the proof compares
 * where it goes, LOC_IP).  A jmp to a label: jmp short or near, a
 * conditional branch that must then always be taken; a call to a label:
 * call.  Either through one of the window's registers or memory operands
 * (the target value is compared); ret as itself. */
static void add_transfers(builder *b, const operands *o, const insn *orig) {
  if (orig->op == OP_RET) {
    try_add(b, *orig);
    return;
  }
  if (orig->o[0].kind == K_REL && orig->op == OP_JMP) {
    add_branches(b, orig);
    operand rel = orig->o[0];
    rel.disp = 0;
    for (int size = 1; size <= 2; size++) {
      rel.size = (uint8_t)size;
      try_add(b, mk(OP_JMP, 0, 1, rel, (operand){0}, (operand){0}));
    }
  }
  if (orig->o[0].kind == K_REL && orig->op == OP_CALL) {
    operand rel = orig->o[0];
    rel.disp = 0;
    try_add(b, mk(OP_CALL, 0, 1, rel, (operand){0}, (operand){0}));
  }
  if (orig->o[0].kind != K_REL) try_add(b, *orig);
  for (int i = 0; i < o->n16; i++) try_add(b, mk(orig->op, 2, 1, reg_op(o->r16[i], 2), (operand){0}, (operand){0}));
  for (int i = 0; i < o->nmem; i++) {
    if (o->mem[i].size != 2) continue;
    try_add(b, mk(orig->op, 2, 1, o->mem[i], (operand){0}, (operand){0}));
  }
}

static void add_tails(builder *b, const operands *o, const snippet *s) {
  const insn *orig = &s->code[s->n - 1];
  b->tails = true;
  if (s->tail_transfer) add_transfers(b, o, orig);
  else add_branches(b, orig);
  b->tails = false;
}

bool pool_build(pool *p, const snippet *s) { return pool_build_extra(p, s, NULL, 0); }

bool pool_build_extra(pool *p, const snippet *s, const int32_t *imm, int nimm) {
  memset(p, 0, sizeof *p);
  p->live = s->live_out;
  operands o;
  collect(s, p, &o);
  for (int i = 0; i < nimm; i++) add_imm(&o, imm[i]);
  builder b = {.target = s};
  row_forms(&b, &o);
  lea_forms(&b, &o);
  size_coder_forms(&b, &o);
  label_forms(&b, &o);
  /* the snippet's own instructions, in case no row instantiation gave their form */
  for (int i = 0; i < s->n; i++) try_add(&b, s->code[i]);
  if (s->has_tail) add_tails(&b, &o, s);
  free(b.bytes);
  free(b.slot);
  /* stable order: by length, then the order the rows produced them */
  p->v = malloc((size_t)(b.n ? b.n : 1) * sizeof *p->v);
  if (!p->v) { free(b.v); return false; }
  for (int len = 1; len <= POOL_MAX_LEN; len++)
    for (int i = 0; i < b.n; i++)
      if (b.v[i].len == len) p->v[p->n++] = b.v[i];
  free(b.v);
  p->cap = p->n;
  for (int i = 0; i < p->n; i++) {
    pool_insn *pi = &p->v[i];
    pi->writes_live = (pi->writes & s->live_out) != 0;
    pi->scratch = 0;
    for (int k = 0; k < p->nscratch; k++)
      if ((pi->reads | pi->writes) & LOC_R32(p->scratch_reg[k])) pi->scratch |= (uint8_t)(1u << k);
  }
  int L = 0;
  for (int i = 0; i <= p->n; i++) {
    int len = i < p->n ? p->v[i].len : POOL_MAX_LEN + 1;
    while (L <= len && L <= POOL_MAX_LEN + 1) p->start[L++] = i;
  }
  while (L <= POOL_MAX_LEN + 1) p->start[L++] = p->n;
  p->last = malloc((size_t)(p->n ? p->n : 1) * sizeof *p->last);
  if (!p->last) return false;
  int k = 0;
  for (L = 0; L <= POOL_MAX_LEN; L++) {
    p->last_start[L] = k;
    for (int i = p->start[L]; i < p->start[L + 1]; i++)
      if (s->has_tail ? p->v[i].tail : p->v[i].writes_live) p->last[k++] = i;
  }
  p->last_start[POOL_MAX_LEN + 1] = k;
  p->wsets = malloc((size_t)(k ? k : 1) * sizeof *p->wsets);
  if (!p->wsets) return false;
  int w = 0;
  for (L = 0; L <= POOL_MAX_LEN; L++) {
    p->wsets_start[L] = w;
    for (int q = p->last_start[L]; q < p->last_start[L + 1]; q++) {
      locset ws = p->v[p->last[q]].writes;
      bool seen = false;
      for (int j = p->wsets_start[L]; j < w && !seen; j++) seen = p->wsets[j] == ws;
      if (!seen) p->wsets[w++] = ws;
    }
  }
  p->wsets_start[POOL_MAX_LEN + 1] = w;
  return find_classes(p);
}

void pool_free(pool *p) {
  free(p->v);
  free(p->last);
  free(p->wsets);
  memset(p, 0, sizeof *p);
}

#include "forms.h"
#include "oracle.h"

#include <stdio.h>
#include <string.h>

/* The forms are generated from the model's form table (isa_form_at): one
 * per row that the model evaluates, as bytes; the rows that exist only for
 * lenient decoding (aliases nasm never writes) or only for the encoder (the
 * same bytes as the row before) are left out.  A few memory rows are
 * repeated with 32-bit addressing (0x67), as in unreal mode. */

static const char *shape_name(const isa_form *f, int i) {
  static const char *const r[5] = {"", "r8", "r16", "", "r32"};
  static const char *const rm[5] = {"", "r/m8", "r/m16", "", "r/m32"};
  static const char *const m[5] = {"m", "m8", "m16", "", "m32"};
  static const char *const acc[5] = {"", "al", "ax", "", "eax"};
  static const char *const imm[5] = {"", "imm8", "imm16", "", "imm32"};
  static const char *const moffs[5] = {"", "moffs8", "moffs16", "", "moffs32"};
  int sz = f->osize[i] ? f->osize[i] : f->size;
  if (sz > 4) sz = 0;
  switch (f->shape[i]) {
  case SH_R: case SH_OR: case SH_RR: return r[sz];
  case SH_RM: return rm[sz];
  case SH_M: return m[sz];
  case SH_MP: return "m";
  case SH_ACC: return acc[sz];
  case SH_CL: return "cl";
  case SH_DX: return "dx";
  case SH_ONE: return "1";
  case SH_SR: case SH_SRW: return "sreg";
  case SH_SFIX: return isa_sreg_name(f->fix);
  case SH_IMM: return imm[sz];
  case SH_IMM8S: return "simm8";
  case SH_IMM8: return "imm8";
  case SH_IMM16: return "imm16";
  case SH_MOFFS: return moffs[sz];
  default: return "";
  }
}

/* the row's instruction with register operands: what it touches implicitly */
static void row_effects(const isa_form *f, isa_effects *e) {
  insn in;
  isa_form_insn(f, &in);
  for (int i = 0; i < in.nops; i++)
    if (in.o[i].kind == K_REG && f->shape[i] != SH_CL && f->shape[i] != SH_DX &&
        f->shape[i] != SH_ACC)
      in.o[i].reg = R_BX;
  isa_effects_of(&in, e);
}

/* the branches a window may end in: evaluated, so compared */
static bool closing_branch(const isa_form *f) {
  return f->op == OP_JCC || f->op == OP_JCXZ || f->op == OP_LOOP || f->op == OP_LOOPE ||
         f->op == OP_LOOPNE;
}

/* the near jmp, call and ret a window may end in: evaluated to where they
   go, so compared (the ip Unicorn ends at) */
static bool closing_transfer(const isa_form *f) {
  return (f->op == OP_JMP || f->op == OP_CALL || f->op == OP_RET) && f->cc == ISA_NEAR &&
         f->size != 4;
}

static bool wanted(const isa_form *f) {
  if (f->flags & (ISA_F_ALIAS | ISA_F_SWAP)) return false;
  if (closing_branch(f) || closing_transfer(f)) return true;
  if (f->flags & ISA_F_BRANCH) return false;
  for (int i = 0; i < f->nops; i++)
    if (f->shape[i] == SH_REL8 || f->shape[i] == SH_REL16 || f->shape[i] == SH_FAR ||
        f->shape[i] == SH_CR)
      return false;
  isa_effects e;
  row_effects(f, &e);
  /* bt/bts/btr/btc r/m, r evaluate with a register operand */
  return e.searchable || (f->op >= OP_BT && f->op <= OP_BTC);
}

static unsigned row_flags(const isa_form *f) {
  unsigned fl = 0;
  bool host = !(f->flags & ISA_F_NO64) || f->op == OP_INC || f->op == OP_DEC;   /* 40-4F translated */
  for (int i = 0; i < f->nops; i++) {
    switch (f->shape[i]) {
    case SH_R: case SH_RM: case SH_OR: case SH_ACC: case SH_CL: case SH_ONE:
    case SH_IMM: case SH_IMM8S: case SH_IMM8: break;
    case SH_MOFFS: fl |= FORM_SEG; host = false; break;
    case SH_STRSRC: case SH_STRDST: fl |= FORM_SEG | FORM_STR; host = false; break;
    case SH_XLAT: fl |= FORM_SEG | FORM_XLAT; host = false; break;
    default: host = false; break;
    }
  }
  if (closing_branch(f)) fl |= FORM_BRANCH;
  if (closing_transfer(f)) {   /* where it goes is seen in the ip after it */
    fl |= FORM_TRANSFER;
    host = false;
  }
  isa_effects e;
  row_effects(f, &e);
  if (e.reads & (LOC_MEM | LOC_ALLSEGS)) host = false;
  if (e.writes & (LOC_MEM | LOC_ALLSEGS)) host = false;
  bool explicit_mem = false;
  for (int i = 0; i < f->nops; i++)
    explicit_mem |= f->shape[i] == SH_M || f->shape[i] == SH_MP || f->shape[i] == SH_MOFFS;
  if ((e.reads & LOC_MEM) && (e.reads & LOC_R16(R_SP)) && !explicit_mem) fl |= FORM_STACK;
  return fl | (host ? FORM_HOST : 0);
}

/* the byte template of a row (grammar in form_instance) */
static void row_template(const isa_form *f, bool a32, char *t, size_t n) {
  size_t k = 0;
#define PUT(...) do { if (k < n) k += (size_t)snprintf(t + k, n - k, __VA_ARGS__); } while (0)
  if (a32) PUT(f->size == 4 ? "o32 a32" : "a32");
  else if (f->size == 4 && !(f->flags & ISA_F_NO66)) PUT("66");
  for (int i = 0; i < f->nopc; i++) PUT("%s%02x", k ? " " : "", f->opc[i]);
  bool plus_r = false, count = false;
  char reg = 0, rm = 'x';
  for (int i = 0; i < f->nops; i++) {
    int sh = f->shape[i];
    if (sh == SH_OR) plus_r = true;
    if (sh == SH_R) reg = '*';
    if (sh == SH_SR) reg = 'S';
    if (sh == SH_SRW) reg = 'T';
    if (sh == SH_M || sh == SH_MP || a32) rm = 'm';
    if (sh == SH_RM && i == 0) count = true;   /* an imm8 after r/m: a count */
  }
  if (plus_r) PUT(" +r");
  if (f->digit >= 0) PUT(" /%d%c", f->digit, rm);
  else if (f->digit == ISA_MODRM_R) PUT(" /%c%c", reg, rm);
  for (int i = 0; i < f->nops; i++) {
    int sz = f->osize[i] ? f->osize[i] : f->size;
    switch (f->shape[i]) {
    case SH_IMM: PUT(sz == 1 ? " ib" : sz == 2 ? " iw" : " id"); break;
    case SH_IMM8S: PUT(" ib"); break;
    case SH_IMM8: PUT(count ? " cb" : " ib"); break;
    case SH_IMM16: PUT(" iw"); break;
    case SH_MOFFS: PUT(" dw"); break;
    case SH_REL8: PUT(" rb"); break;
    case SH_REL16: PUT(" rw"); break;
    default: break;
    }
  }
#undef PUT
}

static void add_row(form_list *L, const isa_form *f, bool a32) {
  if (L->n >= FORM_MAX) return;
  oform *o = &L->f[L->n++];
  size_t k = (size_t)snprintf(o->name, sizeof o->name, "%s", f->mnem);
  for (int i = 0; i < f->nops && k < sizeof o->name; i++) {
    const char *s = shape_name(f, i);
    if (*s) k += (size_t)snprintf(o->name + k, sizeof o->name - k, "%s%s", i ? "," : " ", s);
  }
  if (a32 && k < sizeof o->name) snprintf(o->name + k, sizeof o->name - k, " a32");
  row_template(f, a32, o->tmpl, sizeof o->tmpl);
  o->flags = a32 ? FORM_A32 : row_flags(f);
}

/* rows repeated with 32-bit addressing: op, first opcode byte, size */
static const struct { uint8_t op, opc, size; } a32_rows[] = {
  {OP_ADD, 0x01, 2}, {OP_MOV, 0x8A, 1}, {OP_MOV, 0x8B, 4}, {OP_LEA, 0x8D, 4},
  {OP_NEG, 0xF7, 2}, {OP_SHL, 0xD1, 2},
};

void forms_build(form_list *out) {
  out->n = 0;
  for (size_t i = 0; i < isa_form_count(); i++)
    if (wanted(isa_form_at(i))) add_row(out, isa_form_at(i), false);
  for (size_t k = 0; k < sizeof a32_rows / sizeof *a32_rows; k++)
    for (size_t i = 0; i < isa_form_count(); i++) {
      const isa_form *f = isa_form_at(i);
      if (f->op == a32_rows[k].op && f->opc[0] == a32_rows[k].opc && f->size == a32_rows[k].size &&
          !(f->flags & (ISA_F_ALIAS | ISA_F_SWAP)) && f->digit != ISA_NO_MODRM)
        add_row(out, f, true);
    }
}

bool form_has_mem(const oform *f) {
  const char *p = f->tmpl;
  while ((p = strchr(p, '/'))) {
    if (p[2] == 'x' || p[2] == 'm') return true;
    p++;
  }
  return (f->flags & (FORM_SEG | FORM_STACK | FORM_STR | FORM_XLAT)) != 0 ||
         strstr(f->tmpl, "dw") != NULL;
}

/* 16-bit ModRM memory operand with displacement. */
static int modrm16_mem(rng *g, unsigned reg, uint8_t *o) {
  unsigned mod = rng_below(g, 3), rm = rng_below(g, 8);
  int n = 0;
  o[n++] = (uint8_t)(mod << 6 | reg << 3 | rm);
  if (mod == 1) o[n++] = (uint8_t)rng_value(g, 8);
  if (mod == 2 || (mod == 0 && rm == 6)) {
    uint32_t d = rng_value(g, 16);
    o[n++] = (uint8_t)d; o[n++] = (uint8_t)(d >> 8);
  }
  return n;
}

/* 32-bit ModRM/SIB memory operand.  Displacements stay non-negative and
 * below 64 KiB so that, with small registers, every address is mapped. */
static int modrm32_mem(rng *g, unsigned reg, uint8_t *o) {
  unsigned mod = rng_below(g, 3), rm = rng_below(g, 8), base = 0;
  int n = 0;
  o[n++] = (uint8_t)(mod << 6 | reg << 3 | rm);
  if (rm == 4) {
    base = rng_below(g, 8);
    o[n++] = (uint8_t)(rng_below(g, 4) << 6 | rng_below(g, 8) << 3 | base);
  }
  if (mod == 1) o[n++] = (uint8_t)rng_below(g, 0x80);
  if (mod == 2 || (mod == 0 && (rm == 5 || (rm == 4 && base == 5)))) {
    uint32_t d = rng_value(g, 16);
    for (int i = 0; i < 4; i++) o[n++] = (uint8_t)(d >> (8 * i));
  }
  return n;
}

static const uint8_t seg_prefixes[6] = { 0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65 };

int form_instance(const oform *f, rng *g, bool reg_only, uint8_t out[16]) {
  int n = 0;
  bool a32 = false, mem = (f->flags & (FORM_SEG)) != 0;
  const char *p = f->tmpl;
  while (*p) {
    while (*p == ' ') p++;
    if (!*p) break;
    const char *tok = p;
    while (*p && *p != ' ') p++;
    size_t len = (size_t)(p - tok);
    if (len == 2 && tok[0] == '+' && tok[1] == 'r') {
      out[n - 1] = (uint8_t)(out[n - 1] + rng_below(g, 8));
    } else if (tok[0] == '/') {
      unsigned reg;
      if (tok[1] == '*') reg = rng_below(g, 8);
      else if (tok[1] == 'S') reg = rng_below(g, 6);
      else if (tok[1] == 'T') { static const unsigned t[5] = { 0, 2, 3, 4, 5 }; reg = t[rng_below(g, 5)]; }
      else reg = (unsigned)(tok[1] - '0');
      bool as_mem = tok[2] == 'm' || (tok[2] == 'x' && !reg_only && rng_chance(g, 1, 2));
      if (as_mem) {
        n += a32 ? modrm32_mem(g, reg, out + n) : modrm16_mem(g, reg, out + n);
        mem = true;
      } else {
        out[n++] = (uint8_t)(0xc0 | reg << 3 | rng_below(g, 8));
      }
    } else if (len == 2 && tok[0] == 'i' && tok[1] == 'b') {
      out[n++] = (uint8_t)rng_value(g, 8);
    } else if (len == 2 && tok[0] == 'c' && tok[1] == 'b') {
      out[n++] = rng_count(g);
    } else if (len == 2 && (tok[0] == 'i' || tok[0] == 'd') && tok[1] == 'w') {
      uint32_t v = rng_value(g, 16);
      out[n++] = (uint8_t)v; out[n++] = (uint8_t)(v >> 8);
    } else if (len == 2 && tok[0] == 'r' && (tok[1] == 'b' || tok[1] == 'w')) {
      /* a branch displacement, never 0 nor back onto the branch itself,
         so that taken and not taken leave different ips */
      bool w = tok[1] == 'w';
      uint32_t span = w ? 0x7000 : 0x6e;
      int32_t v = rng_chance(g, 1, 2) ? 2 + (int32_t)rng_below(g, span)
                                      : -(0x12 + (int32_t)rng_below(g, span));
      out[n++] = (uint8_t)v;
      if (w) out[n++] = (uint8_t)((uint32_t)v >> 8);
    } else if (len == 2 && tok[0] == 'i' && tok[1] == 'd') {
      uint32_t v = rng_value(g, 32);
      for (int i = 0; i < 4; i++) out[n++] = (uint8_t)(v >> (8 * i));
    } else if (len == 3 && tok[0] == 'a') {          /* a32 */
      out[n++] = 0x67; a32 = true;
    } else if (len == 3 && tok[0] == 'o') {          /* o32 */
      out[n++] = 0x66;
    } else {
      unsigned v = 0;
      sscanf(tok, "%2x", &v);
      out[n++] = (uint8_t)v;
    }
  }
  if (mem && rng_chance(g, 1, 3)) {
    memmove(out + 1, out, (size_t)n);
    out[0] = seg_prefixes[rng_below(g, 6)];
    n++;
  }
  return n;
}

void state_random(rng *g, const oform *f, uint64_t mem_seed, isa_state *st) {
  memset(st, 0, sizeof *st);
  for (int i = 0; i < 8; i++) {
    st->r[i] = rng_reg32(g);
    if (f->flags & FORM_A32) st->r[i] &= 0xffff;
  }
  if (rng_chance(g, 1, 3))   /* shift/rotate counts in cl: 0-40 */
    st->r[R_CX] = (st->r[R_CX] & ~0xffu) | rng_below(g, 41);
  for (int i = 0; i < 6; i++) st->s[i] = (uint16_t)rng_value(g, 16);
  st->flags = (uint32_t)rng_next(g) & F_MODELLED;
  st->mem_seed = mem_seed;
}

uint32_t operand_linear(const isa_state *st, const operand *o) {
  uint32_t off = (uint32_t)o->disp;
  if (o->addr32) {
    if (o->base >= 0) off += st->r[o->base];
    if (o->index >= 0) off += st->r[o->index] * (o->scale ? o->scale : 1);
  } else {
    if (o->base >= 0) off += st->r[o->base];
    if (o->index >= 0) off += st->r[o->index];
    off &= 0xffff;
  }
  return ((uint32_t)st->s[o->seg] << 4) + off;
}

static void seed_bytes(rng *g, isa_state *st, uint32_t lin, int n) {
  uint32_t v = rng_value(g, 32);
  for (int i = 0; i < n; i++) isa_mem_set_initial(st, lin + (uint32_t)i, (uint8_t)(v >> (8 * i)));
}

void state_seed_operands(rng *g, const oform *f, const insn *in, isa_state *st) {
  for (int i = 0; i < in->nops; i++)
    if (in->o[i].kind == K_MEM && in->op != OP_LEA)
      seed_bytes(g, st, operand_linear(st, &in->o[i]), 4);
  if (f->flags & FORM_STACK)
    seed_bytes(g, st, ((uint32_t)st->s[S_SS] << 4) + (st->r[R_SP] & 0xffff), 4);
  if ((f->flags & FORM_STR) && in->nops == 0) {
    seed_bytes(g, st, ((uint32_t)st->s[S_DS] << 4) + (st->r[R_SI] & 0xffff), 4);
    seed_bytes(g, st, ((uint32_t)st->s[S_ES] << 4) + (st->r[R_DI] & 0xffff), 4);
  }
}

uint32_t operand_value(const isa_state *st, const operand *o) {
  switch (o->kind) {
  case K_REG:
    if (o->size == 1) return (o->reg < 4 ? st->r[o->reg] : st->r[o->reg - 4] >> 8) & 0xff;
    return o->size == 2 ? st->r[o->reg] & 0xffff : st->r[o->reg];
  case K_MEM: {
    uint32_t a = operand_linear(st, o), v = 0;
    for (int i = 0; i < o->size && i < 4; i++) v |= (uint32_t)isa_mem_read(st, a + (uint32_t)i) << (8 * i);
    return v;
  }
  case K_IMM:
    return (uint32_t)o->disp;
  default:
    return 0;
  }
}

int form_decoded(const oform *f, rng *g, bool whole, uint8_t b[16], int *nb, char bx[40],
                 insn *in, int *nunc, char *why) {
  char err[128] = "";
  *nb = form_instance(f, g, false, b);
  hexstr(b, *nb, bx, 40);
  int len = isa_decode_lenient(b, (size_t)*nb, in, err, sizeof err);
  if (len >= 0 && (!whole || len == *nb)) return len;
  if (!(*nunc)++) snprintf(why, 200, "decode %s: %s", bx, err);
  return -1;
}

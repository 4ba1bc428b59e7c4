#include "forms.h"

#include <stdio.h>
#include <string.h>

static void add(form_list *L, unsigned flags, const char *tmpl,
                const char *fmt, const char *a, const char *b) {
  if (L->n >= FORM_MAX) return;
  oform *f = &L->f[L->n++];
  snprintf(f->name, sizeof f->name, fmt, a, b);
  snprintf(f->tmpl, sizeof f->tmpl, "%s", tmpl);
  f->flags = flags;
}
#define ADD(fl, t, name) add(L, fl, t, "%s%s", name, "")

static void alu_forms(form_list *L) {
  static const char *ops[8] = { "add", "or", "adc", "sbb", "and", "sub", "xor", "cmp" };
  char t[48];
  for (int i = 0; i < 8; i++) {
    const char *m = ops[i];
    unsigned b = (unsigned)i * 8, H = FORM_HOST;
#define ALU(fl, fmt, shape, ...) \
    snprintf(t, sizeof t, fmt, __VA_ARGS__); add(L, fl, t, "%s %s", m, shape)
    ALU(H, "%02x /*x", "r/m8,r8", b);
    ALU(H, "%02x /*x", "r/m16,r16", b + 1);
    ALU(H, "66 %02x /*x", "r/m32,r32", b + 1);
    ALU(H, "%02x /*x", "r8,r/m8", b + 2);
    ALU(H, "%02x /*x", "r16,r/m16", b + 3);
    ALU(H, "66 %02x /*x", "r32,r/m32", b + 3);
    ALU(H, "%02x ib", "al,imm8", b + 4);
    ALU(H, "%02x iw", "ax,imm16", b + 5);
    ALU(H, "66 %02x id", "eax,imm32", b + 5);
    ALU(H, "80 /%dx ib", "r/m8,imm8", i);
    ALU(H, "81 /%dx iw", "r/m16,imm16", i);
    ALU(H, "66 81 /%dx id", "r/m32,imm32", i);
    ALU(H, "83 /%dx ib", "r/m16,simm8", i);
    ALU(H, "66 83 /%dx ib", "r/m32,simm8", i);
#undef ALU
  }
}

static void shift_forms(form_list *L) {
  static const char *ops[8] = { "rol", "ror", "rcl", "rcr", "shl", "shr", NULL, "sar" };
  char t[48];
  for (int i = 0; i < 8; i++) {
    if (!ops[i]) continue;   /* /6 is an undocumented alias nasm never emits */
    const char *m = ops[i];
    unsigned H = FORM_HOST;
#define SH(fmt, shape) snprintf(t, sizeof t, fmt, i); add(L, H, t, "%s %s", m, shape)
    SH("c0 /%dx cb", "r/m8,imm8");
    SH("c1 /%dx cb", "r/m16,imm8");
    SH("66 c1 /%dx cb", "r/m32,imm8");
    SH("d0 /%dx", "r/m8,1");
    SH("d1 /%dx", "r/m16,1");
    SH("66 d1 /%dx", "r/m32,1");
    SH("d2 /%dx", "r/m8,cl");
    SH("d3 /%dx", "r/m16,cl");
    SH("66 d3 /%dx", "r/m32,cl");
#undef SH
  }
}

static void unary_forms(form_list *L) {
  static const char *ops[8] = { NULL, NULL, "not", "neg", "mul", "imul", "div", "idiv" };
  char t[48];
  for (int i = 2; i < 8; i++) {
    snprintf(t, sizeof t, "f6 /%dx", i);    add(L, FORM_HOST, t, "%s %s", ops[i], "r/m8");
    snprintf(t, sizeof t, "f7 /%dx", i);    add(L, FORM_HOST, t, "%s %s", ops[i], "r/m16");
    snprintf(t, sizeof t, "66 f7 /%dx", i); add(L, FORM_HOST, t, "%s %s", ops[i], "r/m32");
  }
}

static void cc_forms(form_list *L) {
  static const char *cc[16] = { "o", "no", "b", "ae", "e", "ne", "be", "a",
                                "s", "ns", "p", "np", "l", "ge", "le", "g" };
  char t[48];
  for (int c = 0; c < 16; c++) {
    snprintf(t, sizeof t, "0f %02x /0x", 0x90 + c);
    add(L, FORM_HOST, t, "set%s %s", cc[c], "r/m8");
    snprintf(t, sizeof t, "0f %02x /*x", 0x40 + c);
    add(L, FORM_HOST, t, "cmov%s %s", cc[c], "r16,r/m16");
    snprintf(t, sizeof t, "66 0f %02x /*x", 0x40 + c);
    add(L, FORM_HOST, t, "cmov%s %s", cc[c], "r32,r/m32");
  }
}

static void bit_forms(form_list *L) {
  static const char *ops[4] = { "bt", "bts", "btr", "btc" };
  static const unsigned rm[4] = { 0xa3, 0xab, 0xb3, 0xbb };
  char t[48];
  for (int i = 0; i < 4; i++) {
    snprintf(t, sizeof t, "0f %02x /*x", rm[i]);    add(L, FORM_HOST, t, "%s %s", ops[i], "r/m16,r16");
    snprintf(t, sizeof t, "66 0f %02x /*x", rm[i]); add(L, FORM_HOST, t, "%s %s", ops[i], "r/m32,r32");
    snprintf(t, sizeof t, "0f ba /%dx cb", 4 + i);    add(L, FORM_HOST, t, "%s %s", ops[i], "r/m16,imm8");
    snprintf(t, sizeof t, "66 0f ba /%dx cb", 4 + i); add(L, FORM_HOST, t, "%s %s", ops[i], "r/m32,imm8");
  }
  ADD(FORM_HOST, "0f bc /*x", "bsf r16,r/m16");
  ADD(FORM_HOST, "66 0f bc /*x", "bsf r32,r/m32");
  ADD(FORM_HOST, "0f bd /*x", "bsr r16,r/m16");
  ADD(FORM_HOST, "66 0f bd /*x", "bsr r32,r/m32");
  ADD(FORM_HOST, "0f a4 /*x cb", "shld r/m16,r16,imm8");
  ADD(FORM_HOST, "66 0f a4 /*x cb", "shld r/m32,r32,imm8");
  ADD(FORM_HOST, "0f a5 /*x", "shld r/m16,r16,cl");
  ADD(FORM_HOST, "66 0f a5 /*x", "shld r/m32,r32,cl");
  ADD(FORM_HOST, "0f ac /*x cb", "shrd r/m16,r16,imm8");
  ADD(FORM_HOST, "66 0f ac /*x cb", "shrd r/m32,r32,imm8");
  ADD(FORM_HOST, "0f ad /*x", "shrd r/m16,r16,cl");
  ADD(FORM_HOST, "66 0f ad /*x", "shrd r/m32,r32,cl");
  ADD(FORM_HOST, "66 0f c8 +r", "bswap r32");
}

static void move_forms(form_list *L) {
  const unsigned H = FORM_HOST, S = FORM_SEG, K = FORM_STACK;
  ADD(H, "88 /*x", "mov r/m8,r8");
  ADD(H, "89 /*x", "mov r/m16,r16");
  ADD(H, "66 89 /*x", "mov r/m32,r32");
  ADD(H, "8a /*x", "mov r8,r/m8");
  ADD(H, "8b /*x", "mov r16,r/m16");
  ADD(H, "66 8b /*x", "mov r32,r/m32");
  ADD(0, "8c /Sx", "mov r/m16,sreg");
  ADD(0, "8e /Tx", "mov sreg,r/m16");
  ADD(H, "b0 +r ib", "mov r8,imm8");
  ADD(H, "b8 +r iw", "mov r16,imm16");
  ADD(H, "66 b8 +r id", "mov r32,imm32");
  ADD(H, "c6 /0x ib", "mov r/m8,imm8");
  ADD(H, "c7 /0x iw", "mov r/m16,imm16");
  ADD(H, "66 c7 /0x id", "mov r/m32,imm32");
  ADD(S, "a0 dw", "mov al,moffs8");
  ADD(S, "a1 dw", "mov ax,moffs16");
  ADD(S, "66 a1 dw", "mov eax,moffs32");
  ADD(S, "a2 dw", "mov moffs8,al");
  ADD(S, "a3 dw", "mov moffs16,ax");
  ADD(S, "66 a3 dw", "mov moffs32,eax");
  ADD(H, "86 /*x", "xchg r/m8,r8");
  ADD(H, "87 /*x", "xchg r/m16,r16");
  ADD(H, "66 87 /*x", "xchg r/m32,r32");
  ADD(H, "90 +r", "xchg ax,r16");
  ADD(H, "66 90 +r", "xchg eax,r32");
  ADD(0, "8d /*m", "lea r16,m");
  ADD(0, "66 8d /*m", "lea r32,m");
  ADD(H, "0f b6 /*x", "movzx r16,r/m8");
  ADD(H, "66 0f b6 /*x", "movzx r32,r/m8");
  ADD(H, "66 0f b7 /*x", "movzx r32,r/m16");
  ADD(H, "0f be /*x", "movsx r16,r/m8");
  ADD(H, "66 0f be /*x", "movsx r32,r/m8");
  ADD(H, "66 0f bf /*x", "movsx r32,r/m16");
  ADD(H, "98", "cbw");
  ADD(H, "66 98", "cwde");
  ADD(H, "99", "cwd");
  ADD(H, "66 99", "cdq");
  ADD(0, "50 +r", "push r16");
  ADD(0, "66 50 +r", "push r32");
  ADD(0, "ff /6m", "push m16");
  ADD(0, "66 ff /6m", "push m32");
  ADD(0, "6a ib", "push simm8");
  ADD(0, "68 iw", "push imm16");
  ADD(0, "66 68 id", "push imm32");
  ADD(0, "06", "push es");
  ADD(0, "0e", "push cs");
  ADD(0, "16", "push ss");
  ADD(0, "1e", "push ds");
  ADD(0, "0f a0", "push fs");
  ADD(0, "0f a8", "push gs");
  ADD(K, "58 +r", "pop r16");
  ADD(K, "66 58 +r", "pop r32");
  ADD(K, "8f /0m", "pop m16");
  ADD(K, "66 8f /0m", "pop m32");
  ADD(K, "07", "pop es");
  ADD(K, "17", "pop ss");
  ADD(K, "1f", "pop ds");
  ADD(K, "0f a1", "pop fs");
  ADD(K, "0f a9", "pop gs");
  ADD(0, "60", "pusha");
  ADD(0, "66 60", "pushad");
  ADD(K, "61", "popa");
  ADD(K, "66 61", "popad");
}

static void misc_forms(form_list *L) {
  const unsigned H = FORM_HOST, S = FORM_SEG | FORM_STR;
  ADD(H, "40 +r", "inc r16");
  ADD(H, "66 40 +r", "inc r32");
  ADD(H, "48 +r", "dec r16");
  ADD(H, "66 48 +r", "dec r32");
  ADD(H, "fe /0x", "inc r/m8");
  ADD(H, "ff /0x", "inc r/m16");
  ADD(H, "66 ff /0x", "inc r/m32");
  ADD(H, "fe /1x", "dec r/m8");
  ADD(H, "ff /1x", "dec r/m16");
  ADD(H, "66 ff /1x", "dec r/m32");
  ADD(H, "84 /*x", "test r/m8,r8");
  ADD(H, "85 /*x", "test r/m16,r16");
  ADD(H, "66 85 /*x", "test r/m32,r32");
  ADD(H, "a8 ib", "test al,imm8");
  ADD(H, "a9 iw", "test ax,imm16");
  ADD(H, "66 a9 id", "test eax,imm32");
  ADD(H, "f6 /0x ib", "test r/m8,imm8");
  ADD(H, "f7 /0x iw", "test r/m16,imm16");
  ADD(H, "66 f7 /0x id", "test r/m32,imm32");
  ADD(H, "0f af /*x", "imul r16,r/m16");
  ADD(H, "66 0f af /*x", "imul r32,r/m32");
  ADD(H, "69 /*x iw", "imul r16,r/m16,imm16");
  ADD(H, "66 69 /*x id", "imul r32,r/m32,imm32");
  ADD(H, "6b /*x ib", "imul r16,r/m16,simm8");
  ADD(H, "66 6b /*x ib", "imul r32,r/m32,simm8");
  ADD(H, "f8", "clc");
  ADD(H, "f9", "stc");
  ADD(H, "f5", "cmc");
  ADD(H, "fc", "cld");
  ADD(H, "fd", "std");
  ADD(H, "9f", "lahf");
  ADD(H, "9e", "sahf");
  ADD(0, "d6", "salc");
  ADD(0, "d4 ib", "aam imm8");
  ADD(0, "d5 ib", "aad imm8");
  ADD(FORM_SEG | FORM_XLAT, "d7", "xlat");
  ADD(H, "90", "nop");
  ADD(S, "a4", "movsb");
  ADD(S, "a5", "movsw");
  ADD(S, "66 a5", "movsd");
  ADD(S, "a6", "cmpsb");
  ADD(S, "a7", "cmpsw");
  ADD(S, "66 a7", "cmpsd");
  ADD(S, "aa", "stosb");
  ADD(S, "ab", "stosw");
  ADD(S, "66 ab", "stosd");
  ADD(S, "ac", "lodsb");
  ADD(S, "ad", "lodsw");
  ADD(S, "66 ad", "lodsd");
  ADD(S, "ae", "scasb");
  ADD(S, "af", "scasw");
  ADD(S, "66 af", "scasd");
  /* 32-bit addressing (0x67), as in unreal mode */
  const unsigned A = FORM_A32;
  ADD(A, "a32 01 /*m", "add m16,r16 a32");
  ADD(A, "a32 8a /*m", "mov r8,m8 a32");
  ADD(A, "o32 a32 8b /*m", "mov r32,m32 a32");
  ADD(A, "o32 a32 8d /*m", "lea r32,m a32");
  ADD(A, "a32 f7 /3m", "neg m16 a32");
  ADD(A, "a32 d1 /4m", "shl m16,1 a32");
}

void forms_build(form_list *out) {
  out->n = 0;
  alu_forms(out);
  shift_forms(out);
  unary_forms(out);
  cc_forms(out);
  bit_forms(out);
  move_forms(out);
  misc_forms(out);
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

bool result_undefined(const insn *in, const isa_state *init) {
  if ((in->op == OP_BSF || in->op == OP_BSR) && in->nops == 2)
    return operand_value(init, &in->o[1]) == 0;
  if ((in->op == OP_SHLD || in->op == OP_SHRD) && in->size == 2 && in->nops == 3)
    return (operand_value(init, &in->o[2]) & 31) > 16;
  return false;
}

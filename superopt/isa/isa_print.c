/* Printer: NASM text that nasm assembles back to the encoder's bytes.
 * Memory operands always carry their size keyword (lea's excepted), push of
 * an immediate carries word/dword, jumps carry short/near, and string ops
 * and xlat write a segment override as a prefix ("es lodsb"). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "isa/isa.h"
#include "isa/isa_form.h"

static const char *const r8n[8] = {"al", "cl", "dl", "bl", "ah", "ch", "dh", "bh"};
static const char *const r16n[8] = {"ax", "cx", "dx", "bx", "sp", "bp", "si", "di"};
static const char *const r32n[8] = {"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"};
static const char *const segn[8] = {"es", "cs", "ss", "ds", "fs", "gs", "?", "?"};
static const char *const ccn[16] = {"o", "no", "b", "ae", "e", "ne", "be", "a",
                                    "s", "ns", "p", "np", "l", "ge", "le", "g"};

typedef struct { char *buf; size_t n, len; } pbuf;

static void out(pbuf *p, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int k = vsnprintf(p->buf + (p->len < p->n ? p->len : p->n),
                    p->len < p->n ? p->n - p->len : 0, fmt, ap);
  va_end(ap);
  if (k > 0) p->len += (size_t)k;
}

static const char *reg_name(int size, int r) {
  r &= 7;
  return size == 1 ? r8n[r] : size == 2 ? r16n[r] : r32n[r];
}

static const char *size_word(int size) {
  return size == 1 ? "byte" : size == 2 ? "word" : "dword";
}

static void hex(pbuf *p, uint32_t v) { out(p, "0x%x", v); }

static void mem(pbuf *p, const operand *o, bool keyword) {
  if (keyword) out(p, "%s ", size_word(o->size));
  out(p, "[");
  if (o->seg_explicit || (o->seg != S_NONE && o->seg != isa_default_seg(o)))
    out(p, "%s:", segn[o->seg & 7]);
  bool any = false;
  const char *const *names = o->addr32 ? r32n : r16n;
  if (o->base >= 0) { out(p, "%s", names[o->base & 7]); any = true; }
  if (o->index >= 0) {
    out(p, "%s%s", any ? "+" : "", names[o->index & 7]);
    if (o->addr32 && o->scale > 1) out(p, "*%d", o->scale);
    any = true;
  }
  if (!any) {
    if (o->addr32) out(p, "dword ");
    hex(p, o->addr32 ? (uint32_t)o->disp : (uint16_t)o->disp);
  } else if (o->disp) {
    int64_t d = o->addr32 ? (int64_t)o->disp : (int64_t)(int16_t)o->disp;
    out(p, "%c", d < 0 ? '-' : '+');
    hex(p, (uint32_t)(d < 0 ? -d : d));
  }
  out(p, "]");
}

/* the width an immediate is printed at: byte counts and vectors, a word for
 * ret, else the operation's size (sign-extended imm8 included) */
static int imm_size(const insn *in, const operand *o) {
  if (in->op == OP_RET) return 2;
  if ((in->op >= OP_SHL && in->op <= OP_BTC) || in->op == OP_INT || in->op == OP_AAM ||
      in->op == OP_AAD || in->op == OP_IN || in->op == OP_OUT)
    return 1;
  return in->size ? in->size : o->size ? o->size : 4;
}

static void operand_text(pbuf *p, const insn *in, const operand *o) {
  switch (o->kind) {
  case K_REG: out(p, "%s", reg_name(o->size, o->reg)); break;
  case K_SREG: out(p, "%s", segn[o->reg & 7]); break;
  case K_MEM:
    mem(p, o, in->op != OP_LEA && in->op != OP_LGDT && in->op != OP_LES && in->op != OP_LDS);
    break;
  case K_IMM:
    if (in->op == OP_PUSH) out(p, "%s ", size_word(in->size));
    hex(p, isa_imm_value(o->disp, imm_size(in, o)));
    break;
  case K_REL: {
    int64_t t = (int64_t)in->len + o->disp;
    out(p, "$%c", t < 0 ? '-' : '+');
    hex(p, (uint32_t)(t < 0 ? -t : t));
    break;
  }
  default: out(p, "?"); break;
  }
}

static const char *string_name(int op) {
  switch (op) {
  case OP_LODS: return "lods";
  case OP_STOS: return "stos";
  case OP_MOVS: return "movs";
  case OP_SCAS: return "scas";
  case OP_INS: return "ins";
  case OP_OUTS: return "outs";
  default: return "cmps";
  }
}

int isa_print(const insn *in, char *buf, size_t n) {
  pbuf p = {buf, n, 0};
  if (n) buf[0] = 0;
  const operand *src = in->nops >= 1 ? &in->o[0] : NULL;
  switch (in->op) {
  case OP_LODS: case OP_STOS: case OP_MOVS: case OP_SCAS: case OP_CMPS: case OP_INS: case OP_OUTS:
    if (in->prefix & PFX_REP) out(&p, (in->op == OP_SCAS || in->op == OP_CMPS) ? "repe " : "rep ");
    if (in->prefix & PFX_REPNE) out(&p, "repne ");
    /* fall through */
  case OP_XLAT:
    if (src && src->kind == K_MEM && in->op != OP_STOS && in->op != OP_SCAS && in->op != OP_INS &&
        (src->seg_explicit || (src->seg != S_DS && src->seg != S_NONE)))
      out(&p, "%s ", segn[src->seg & 7]);
    if (src && src->kind == K_MEM && src->addr32) out(&p, "a32 ");
    if (in->op == OP_XLAT) out(&p, "xlatb");
    else out(&p, "%s%c", string_name(in->op), in->size == 1 ? 'b' : in->size == 2 ? 'w' : 'd');
    return (int)p.len;
  case OP_CBW: out(&p, in->size == 4 ? "cwde" : "cbw"); return (int)p.len;
  case OP_CWD: out(&p, in->size == 4 ? "cdq" : "cwd"); return (int)p.len;
  case OP_PUSHA: out(&p, in->size == 4 ? "pushad" : "pusha"); return (int)p.len;
  case OP_POPA: out(&p, in->size == 4 ? "popad" : "popa"); return (int)p.len;
  case OP_MOVCR:
    if (in->o[0].kind == K_IMM) out(&p, "mov cr%d, %s", in->o[0].disp & 7, reg_name(4, in->o[1].reg));
    else out(&p, "mov %s, cr%d", reg_name(4, in->o[0].reg), in->o[1].disp & 7);
    return (int)p.len;
  case OP_JCC: out(&p, "j%s", ccn[in->cc & 15]); break;
  case OP_SETCC: out(&p, "set%s", ccn[in->cc & 15]); break;
  case OP_CMOVCC: out(&p, "cmov%s", ccn[in->cc & 15]); break;
  default: {
    char name[16];
    const char *u = isa_op_name((isa_op)in->op);
    size_t i = 0;
    for (; u[i] && i + 1 < sizeof name; i++) name[i] = (char)(u[i] | 0x20);
    name[i] = 0;
    out(&p, "%s", name);
    break;
  }
  }
  for (int i = 0; i < in->nops && i < 3; i++) {
    out(&p, i ? ", " : " ");
    const operand *o = &in->o[i];
    if (o->kind == K_REL && (in->op == OP_JCC || in->op == OP_JMP))
      out(&p, "%s ", o->size == 2 || o->disp < -128 || o->disp > 127 ? "near" : "short");
    operand_text(&p, in, o);
  }
  return (int)p.len;
}

/* Printer: generic over the form table.  The row the encoder picks gives the
 * mnemonic and how each operand is written, so the text is what nasm
 * assembles back to the encoder's bytes: memory operands carry their size
 * keyword (the unsized rows excepted), push of an immediate carries
 * word/dword, jumps carry short/near, and string instructions and xlat
 * write their prefixes as words ("rep", "es", "a32"). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "isa/isa.h"
#include "isa/isa_form.h"

typedef struct { char *buf; size_t n, len; } pbuf;

static void out(pbuf *p, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int k = vsnprintf(p->buf + (p->len < p->n ? p->len : p->n),
                    p->len < p->n ? p->n - p->len : 0, fmt, ap);
  va_end(ap);
  if (k > 0) p->len += (size_t)k;
}

static const char *size_word(int size) {
  return size == 1 ? "byte" : size == 2 ? "word" : "dword";
}

static void hex(pbuf *p, uint32_t v) { out(p, "0x%x", v); }

static void mem(pbuf *p, const operand *o, bool keyword) {
  if (keyword) out(p, "%s ", size_word(o->size));
  out(p, "[");
  if (o->seg_explicit || (o->seg != S_NONE && o->seg != isa_default_seg(o)))
    out(p, "%s:", isa_sreg_name(o->seg));
  bool any = false;
  int rs = o->addr32 ? 4 : 2;
  if (o->base >= 0) { out(p, "%s", isa_reg_name(rs, o->base)); any = true; }
  if (o->index >= 0) {
    out(p, "%s%s", any ? "+" : "", isa_reg_name(rs, o->index));
    if (o->addr32 && o->scale > 1) out(p, "*%d", o->scale);
    any = true;
  }
  if (o->sym) {
    out(p, "%ssym%d", any ? "+" : "", o->sym - 1);
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

/* operand i as row f writes it */
static void operand_text(pbuf *p, const insn *in, const isa_form *f, int i) {
  const operand *o = &in->o[i];
  int sz = isa_form_operand_size(f, i);
  switch (o->kind) {
  case K_REG: out(p, "%s", isa_reg_name(o->size, o->reg)); break;
  case K_SREG: out(p, "%s", isa_sreg_name(o->reg)); break;
  case K_MEM: mem(p, o, f->shape[i] != SH_MP); break;
  case K_IMM:
    if (f->shape[i] == SH_CR) { out(p, "cr%d", o->disp & 7); break; }
    if (f->flags & ISA_F_SIZEKW) out(p, "%s ", size_word(sz));
    if (o->sym) {
      int d = (int16_t)(uint16_t)o->disp;
      out(p, "sym%d", o->sym - 1);
      if (d) out(p, "%c0x%x", d < 0 ? '-' : '+', (unsigned)(d < 0 ? -d : d));
      break;
    }
    hex(p, isa_imm_value(o->disp, f->shape[i] == SH_IMM8 || f->shape[i] == SH_ONE ? 1
                                  : f->shape[i] == SH_IMM16 ? 2 : sz));
    break;
  case K_REL: {
    if (f->flags & ISA_F_DISTKW) out(p, "%s ", f->shape[i] == SH_REL8 ? "short" : "near");
    int64_t t = (int64_t)in->len + o->disp;
    out(p, "$%c", t < 0 ? '-' : '+');
    hex(p, (uint32_t)(t < 0 ? -t : t));
    break;
  }
  case K_FAR: out(p, "0x%x:0x%x", (uint32_t)o->disp >> 16, (uint32_t)o->disp & 0xffff); break;
  default: out(p, "?"); break;
  }
}

/* string instructions and xlat: the prefixes are words before the mnemonic */
static void string_text(pbuf *p, const insn *in, const isa_form *f) {
  bool cmp = in->op == OP_SCAS || in->op == OP_CMPS;
  if (in->prefix & PFX_REP) out(p, cmp ? "repe " : "rep ");
  if (in->prefix & PFX_REPNE) out(p, "repne ");
  const operand *src = in->nops >= 1 ? &in->o[0] : NULL;
  if (src && f->shape[0] != SH_STRDST &&
      (src->seg_explicit || (src->seg != S_DS && src->seg != S_NONE)))
    out(p, "%s ", isa_sreg_name(src->seg));
  if (src && src->addr32) out(p, "a32 ");
  out(p, "%s", f->mnem);
}

int isa_print(const insn *in, char *buf, size_t n) {
  pbuf p = {buf, n, 0};
  if (n) buf[0] = 0;
  const isa_form *f = isa_form_of(in);
  /* no row encodes it (a lenient decoding such as movzx ax, bx): a row of the
   * same operation and shape, aliases included, says how it is written */
  for (size_t i = 0; !f && i < isa_form_count(); i++) {
    const isa_form *g = isa_form_at(i);
    if (g->op == in->op && g->nops == in->nops && g->size == in->size) f = g;
  }
  if (!f) {   /* no form: the operation's name, for diagnostics only */
    const char *u = isa_op_name((isa_op)in->op);
    for (size_t i = 0; u[i]; i++) out(&p, "%c", u[i] | 0x20);
    out(&p, " ?");
    return (int)p.len;
  }
  int sh = f->nops ? f->shape[0] : SH_NONE;
  if ((f->flags & ISA_F_REP) || sh == SH_XLAT) {
    string_text(&p, in, f);
    return (int)p.len;
  }
  out(&p, "%s", f->mnem);
  for (int i = 0; i < in->nops && i < 3; i++) {
    out(&p, i ? ", " : " ");
    operand_text(&p, in, f, i);
  }
  return (int)p.len;
}

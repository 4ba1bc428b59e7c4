/* Decoder: generic over the form table.  After the prefixes, every row whose
 * opcode, prefixes and ModRM digit fit is read; the first whose reading
 * re-encodes to the same bytes is the answer, so decode(encode(i)) is i and
 * every accepted byte string has one meaning and one encoding.  When none
 * fits, the reason of the row that got furthest is reported. */
#include <stdio.h>
#include <string.h>
#include "isa/isa.h"
#include "isa/isa_form.h"

typedef struct {
  const uint8_t *buf;
  size_t n;
  size_t start;             /* first opcode byte */
  int o32, a32, seg, rep;   /* prefixes seen; seg -1 when none */
  bool rep_first;           /* the bytes start with the rep prefix */
  bool lenient;             /* accept what a CPU accepts, not only what nasm writes */
} prefixes;

/* how far a row got with the bytes */
enum { ST_OPCODE = 1, ST_PREFIX, ST_DIGIT, ST_PARSED, ST_CHECKED, ST_DONE };

typedef struct {
  const prefixes *p;
  size_t pos;
  bool seg_used, a32_used;
  char *msg;
  size_t msgn;
} dec;

static bool say(dec *d, const char *fmt, unsigned v) {
  snprintf(d->msg, d->msgn, fmt, v);
  return false;
}

static bool take(dec *d, int bytes, uint32_t *v) {
  if (d->pos + (size_t)bytes > d->p->n)
    return say(d, "truncated instruction (%u bytes available)", (unsigned)d->p->n);
  uint32_t r = 0;
  for (int i = 0; i < bytes; i++) r |= (uint32_t)d->p->buf[d->pos + (size_t)i] << (8 * i);
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
static void set_mem(operand *o, int size, int base) {
  memset(o, 0, sizeof *o);
  o->kind = K_MEM;
  o->size = (uint8_t)size;
  o->base = (int8_t)base;
  o->index = -1;
  o->scale = 1;
}

static void apply_seg(dec *d, operand *o) {
  o->seg = (uint8_t)isa_default_seg(o);
  if (d->p->seg >= 0) {
    o->seg = (uint8_t)d->p->seg;
    o->seg_explicit = 1;
    d->seg_used = true;
  }
}

static const int8_t rm16_base[8] = {R_BX, R_BX, R_BP, R_BP, R_SI, R_DI, R_BP, R_BX};
static const int8_t rm16_index[8] = {R_SI, R_DI, R_SI, R_DI, -1, -1, -1, -1};

/* the ModRM r/m operand (register of `size`, or memory of access size `size`) */
static bool modrm_rm(dec *d, uint32_t m, operand *rm, int size) {
  int mod = (int)(m >> 6), low = (int)m & 7;
  bool no_base = false;
  if (mod == 3) { set_reg(rm, size, low); return true; }
  set_mem(rm, size, -1);
  uint32_t v;
  if (!d->p->a32) {
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
      else if (sib >> 6) return say(d, "SIB with no index but a scale", 0);
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
    d->a32_used = true;
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

static bool has_shape(const isa_form *f, int sh) {
  for (int i = 0; i < f->nops; i++)
    if (f->shape[i] == sh) return true;
  return false;
}

static bool opcode_fits(const prefixes *p, const isa_form *f) {
  for (int i = 0; i < f->nopc; i++) {
    if (p->start + (size_t)i >= p->n) return false;
    uint8_t b = p->buf[p->start + (size_t)i];
    bool plus_r = i == f->nopc - 1 && has_shape(f, SH_OR);
    if ((plus_r ? (b & 0xF8) : b) != f->opc[i]) return false;
    if (plus_r && (f->flags & ISA_F_NOT0) && (b & 7) == 0) return false;
  }
  return true;
}

static int unmodelled(dec *d, const isa_form *f, int stage, const char *tail) {
  const uint8_t *b = d->p->buf + d->p->start;
  if (f->nopc == 1) snprintf(d->msg, d->msgn, "unmodelled opcode %02X%s", b[0], tail);
  else snprintf(d->msg, d->msgn, "unmodelled opcode %02X %02X%s", b[0], b[1], tail);
  return stage;
}

/* The operands of row f at d->pos (after the opcode); false with d->msg set. */
static bool operands(dec *d, const isa_form *f, insn *out) {
  operand *o = out->o;
  int nops = f->nops;
  if (f->digit != ISA_NO_MODRM) {
    uint32_t m;
    if (!take(d, 1, &m)) return false;
    int reg = (int)(m >> 3) & 7;
    for (int i = 0; i < f->nops; i++) {
      int sz = isa_form_operand_size(f, i);
      switch (f->shape[i]) {
      case SH_RM: case SH_M: case SH_MP: case SH_RR:
        if (!modrm_rm(d, m, &o[i], sz)) return false;
        break;
      case SH_R: set_reg(&o[i], sz, reg); break;
      case SH_SR: case SH_SRW:
        if (reg > S_GS || (f->shape[i] == SH_SRW && reg == S_CS))
          return say(d, "invalid segment register %u", (unsigned)reg);
        set_sreg(&o[i], reg);
        break;
      case SH_CR: set_imm(&o[i], 1, (uint32_t)reg); break;
      default: break;
      }
    }
  }
  uint32_t v;
  for (int i = 0; i < f->nops; i++) {
    int sz = isa_form_operand_size(f, i);
    switch (f->shape[i]) {
    case SH_OR: set_reg(&o[i], sz, d->p->buf[d->p->start + (size_t)f->nopc - 1] & 7); break;
    case SH_ACC: set_reg(&o[i], sz, 0); break;
    case SH_CL: set_reg(&o[i], 1, 1); break;
    case SH_DX: set_reg(&o[i], 2, R_DX); break;
    case SH_ONE: set_imm(&o[i], 1, 1); break;
    case SH_SFIX: set_sreg(&o[i], f->fix); break;
    case SH_IMM: if (!imm_of(d, &o[i], sz)) return false; break;
    case SH_IMM8S:   /* stored masked to the operation's size */
      if (!take(d, 1, &v)) return false;
      set_imm(&o[i], 1, isa_imm_value((int8_t)v, sz));
      break;
    case SH_IMM8: if (!imm_of(d, &o[i], 1)) return false; break;
    case SH_IMM16: if (!imm_of(d, &o[i], 2)) return false; break;
    case SH_REL8: case SH_REL16: {
      int n = f->shape[i] == SH_REL8 ? 1 : 2;
      if (!take(d, n, &v)) return false;
      memset(&o[i], 0, sizeof o[i]);
      o[i].kind = K_REL;
      o[i].size = (uint8_t)n;
      o[i].disp = n == 1 ? (int8_t)v : (int16_t)v;
      break;
    }
    case SH_FAR:
      if (!take(d, 4, &v)) return false;
      memset(&o[i], 0, sizeof o[i]);
      o[i].kind = K_FAR;
      o[i].size = 4;
      o[i].disp = (int32_t)v;
      break;
    case SH_MOFFS:
      if (!take(d, d->p->a32 ? 4 : 2, &v)) return false;
      set_mem(&o[i], sz, -1);
      o[i].disp = (int32_t)v;
      o[i].addr32 = d->p->a32 ? 1 : 0;
      d->a32_used = d->p->a32;
      apply_seg(d, &o[i]);
      break;
    case SH_STRSRC: case SH_XLAT:
      set_mem(&o[i], sz, f->shape[i] == SH_XLAT ? R_BX : R_SI);
      o[i].addr32 = d->p->a32 ? 1 : 0;
      d->a32_used = d->p->a32;
      apply_seg(d, &o[i]);
      break;
    case SH_STRDST:   /* es:edi, there only to carry the address size */
      if (!d->p->a32) { nops = i; break; }
      set_mem(&o[i], sz, R_DI);
      o[i].seg = S_ES;
      o[i].addr32 = 1;
      d->a32_used = true;
      break;
    default: break;
    }
  }
  out->nops = (uint8_t)nops;
  return true;
}

/* Row f read at the bytes: the stage reached (ST_DONE: *out is the answer). */
static int try_row(const prefixes *p, const isa_form *f, insn *out, char *msg, size_t msgn) {
  dec d = {p, p->start + f->nopc, false, false, msg, msgn};
  if ((f->flags & ISA_F_ALIAS) && !p->lenient) return 0;
  if (f->op == OP_REP || !opcode_fits(p, f)) return 0;
  bool want66 = f->size == 4 && !(f->flags & ISA_F_NO66);
  if (p->o32 != want66) {
    bool no_size = f->size <= 1 && !(f->flags & ISA_F_NO66);
    if (p->o32 && no_size && p->lenient) {
      /* a CPU ignores it */
    } else if (p->o32 && no_size) {
      snprintf(msg, msgn, "operand-size prefix on an instruction without a 16/32-bit operand");
      return ST_OPCODE;
    } else if (want66) {
      snprintf(msg, msgn, "%s needs an operand-size prefix (the 16-bit form is undefined)", f->mnem);
      return ST_OPCODE;
    } else {
      return unmodelled(&d, f, ST_OPCODE, " with an operand-size prefix");
    }
  }
  if (p->a32 && (f->flags & ISA_F_NO67)) return unmodelled(&d, f, ST_OPCODE, " with an address-size prefix");
  if (f->digit != ISA_NO_MODRM && d.pos < p->n) {
    uint8_t m = p->buf[d.pos];
    int reg = (m >> 3) & 7;
    if (f->digit >= 0 && reg != f->digit && !((f->flags & ISA_F_LOOSE) && p->lenient)) {
      char tail[8];
      snprintf(tail, sizeof tail, " /%d", reg);
      return unmodelled(&d, f, ST_PREFIX, tail);
    }
    for (int i = 0; i < f->nops; i++) {
      if ((f->shape[i] == SH_M || f->shape[i] == SH_MP) && (m >> 6) == 3) {
        snprintf(msg, msgn, "%s with a register operand", f->mnem);
        return ST_DIGIT;
      }
      if (f->shape[i] == SH_RR && (m >> 6) != 3) {
        snprintf(msg, msgn, "%s with a memory operand", f->mnem);
        return ST_DIGIT;
      }
    }
  }
  memset(out, 0, sizeof *out);
  out->op = f->op;
  out->cc = f->cc;
  out->size = f->size;
  if (!operands(&d, f, out)) return ST_DIGIT;
  if ((f->flags & ISA_F_REP) && p->rep) out->prefix = p->rep == 0xF3 ? PFX_REP : PFX_REPNE;
  out->len = (uint8_t)d.pos;
  if (p->lenient) return ST_DONE;   /* prefixes without effect are ignored */
  if (p->seg >= 0 && !d.seg_used) return say(&d, "segment prefix without a memory operand", 0), ST_PARSED;
  if (p->a32 && !d.a32_used) return say(&d, "address-size prefix without a memory operand", 0), ST_PARSED;
  if (p->rep && !(f->flags & ISA_F_REP)) return say(&d, "rep prefix on a non-string instruction", 0), ST_PARSED;
  insn again = *out;
  uint8_t canon[ISA_MAX_LEN];
  int k = isa_encode(&again, canon);
  if (k == (int)d.pos && !memcmp(canon, p->buf, (size_t)k)) return ST_DONE;
  if (k < 0) {
    snprintf(msg, msgn, "bytes nasm writes for no %s", f->mnem);
  } else {
    int m = snprintf(msg, msgn, "non-canonical encoding (nasm writes");
    for (int i = 0; i < k && m > 0 && (size_t)m < msgn; i++)
      m += snprintf(msg + m, msgn - (size_t)m, " %02X", canon[i]);
    if (m > 0 && (size_t)m < msgn) snprintf(msg + m, msgn - (size_t)m, ")");
  }
  return ST_CHECKED;
}

static int fail(char *err, size_t errn, const char *msg) {
  if (err && errn) snprintf(err, errn, "%s", msg);
  return -1;
}

/* the lone F2/F3: an instruction of its own */
static int lone_rep(const uint8_t *buf, insn *out) {
  memset(out, 0, sizeof *out);
  out->op = OP_REP;
  out->prefix = buf[0] == 0xF3 ? PFX_REP : PFX_REPNE;
  out->len = 1;
  return 1;
}

static int decode(const uint8_t *buf, size_t n, insn *out, char *err, size_t errn, bool lenient) {
  prefixes p = {buf, n < ISA_MAX_LEN ? n : ISA_MAX_LEN, 0, 0, 0, -1, 0, false, lenient};
  memset(out, 0, sizeof *out);
  if (err && errn) err[0] = 0;
  for (;; p.start++) {
    if (p.start >= p.n) {
      if (p.rep && p.rep_first && !lenient) return lone_rep(buf, out);
      char t[64];
      snprintf(t, sizeof t, "truncated instruction (%u bytes available)", (unsigned)p.n);
      return fail(err, errn, t);
    }
    uint8_t b = buf[p.start];
    int seg = b == 0x26 ? S_ES : b == 0x2E ? S_CS : b == 0x36 ? S_SS : b == 0x3E ? S_DS
            : b == 0x64 ? S_FS : b == 0x65 ? S_GS : -1;
    if (seg >= 0) {
      if (p.seg >= 0 && !lenient) return fail(err, errn, "two segment prefixes");
      p.seg = seg;
    } else if (b == 0x66) {
      if (p.o32 && !lenient) return fail(err, errn, "repeated 66 prefix");
      p.o32 = 1;
    } else if (b == 0x67) {
      if (p.a32 && !lenient) return fail(err, errn, "repeated 67 prefix");
      p.a32 = 1;
    } else if (b == 0xF2 || b == 0xF3) {
      if (p.rep && !lenient) {
        if (p.rep_first) return lone_rep(buf, out);
        return fail(err, errn, "two rep prefixes");
      }
      p.rep = b;
      p.rep_first = p.start == 0;
    } else if (b == 0xF0) {
      return fail(err, errn, "lock prefix is not modelled");
    } else {
      break;
    }
  }
  if (buf[p.start] == 0x0F && p.start + 1 >= p.n) {
    char t[64];
    snprintf(t, sizeof t, "truncated instruction (%u bytes available)", (unsigned)p.n);
    return fail(err, errn, t);
  }
  char best[128] = "", msg[128];
  int best_stage = 0;
  for (size_t i = 0; i < isa_form_count(); i++) {
    msg[0] = 0;
    int st = try_row(&p, isa_form_at(i), out, msg, sizeof msg);
    if (st == ST_DONE) return out->len;
    if (st > best_stage) {
      best_stage = st;
      snprintf(best, sizeof best, "%s", msg);
    }
  }
  memset(out, 0, sizeof *out);
  /* nasm's `rep` on a line of its own, before a non-string instruction */
  if (p.rep && p.rep_first && !lenient) return lone_rep(buf, out);
  if (!best_stage) {
    if (buf[p.start] == 0x0F)
      snprintf(best, sizeof best, "unmodelled opcode 0F %02X", buf[p.start + 1]);
    else
      snprintf(best, sizeof best, "unmodelled opcode %02X", buf[p.start]);
  }
  return fail(err, errn, best);
}

int isa_decode(const uint8_t *buf, size_t n, insn *out, char *err, size_t errn) {
  return decode(buf, n, out, err, errn, false);
}

int isa_decode_lenient(const uint8_t *buf, size_t n, insn *out, char *err, size_t errn) {
  return decode(buf, n, out, err, errn, true);
}

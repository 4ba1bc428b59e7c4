#include <string.h>
#include "sample.h"

uint64_t sample_next(sample_rng *r) {
  uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

static int pick(sample_rng *r, int n) { return (int)(sample_next(r) % (uint64_t)n); }

static const int32_t imms[] = {0, 1, 2, 3, 7, 0x1f, 0x7f, 0x80, 0xff, -1, -128, 0x100,
                               0x1234, 0x7fff, 0x8000, 0xffff, 0x12345678, -0x80000000};

static void mem16(sample_rng *r, operand *o, int size) {
  static const int8_t bases[][2] = {{R_BX, R_SI}, {R_BX, R_DI}, {R_BP, R_SI}, {R_BP, R_DI},
                                    {R_SI, -1}, {R_DI, -1}, {R_BP, -1}, {R_BX, -1}, {-1, -1}};
  static const int32_t disps[] = {0, 1, 4, -4, 0x7f, -0x80, 0x80, -0x81, 0x1234, -0x1234};
  int k = pick(r, 9);
  memset(o, 0, sizeof *o);
  o->kind = K_MEM;
  o->size = (uint8_t)size;
  o->base = bases[k][0];
  o->index = bases[k][1];
  o->scale = 1;
  o->disp = k == 8 ? (int32_t)(sample_next(r) & 0xffff) : disps[pick(r, 10)];
  o->seg = S_NONE;
  if (pick(r, 3) == 0) { o->seg = (uint8_t)pick(r, 6); o->seg_explicit = 1; }
  else o->seg = (o->base == R_BP) ? S_SS : S_DS;
}

static void mem32(sample_rng *r, operand *o, int size) {
  static const int32_t disps[] = {0, 4, -4, 0x80, 0x12345, -0x100};
  memset(o, 0, sizeof *o);
  o->kind = K_MEM;
  o->size = (uint8_t)size;
  o->addr32 = 1;
  o->base = (int8_t)(pick(r, 9) - 1);
  o->index = (int8_t)(pick(r, 9) - 1);
  if (o->index == R_SP) o->index = -1;
  o->scale = (uint8_t)(1 << pick(r, 4));
  if (o->index < 0) o->scale = 1;
  o->disp = disps[pick(r, 6)];
  o->seg = (o->base == R_SP || o->base == R_BP) ? S_SS : S_DS;
  if (pick(r, 4) == 0) { o->seg = (uint8_t)pick(r, 6); o->seg_explicit = 1; }
}

static int32_t imm_pick(sample_rng *r) { return imms[pick(r, (int)(sizeof imms / sizeof *imms))]; }

/* the operand a row's shape allows, with random registers, addresses and
 * values (some out of the shape's range: the encoder must refuse those) */
static void fill_operand(sample_rng *r, const isa_form *f, int i, insn *in) {
  operand *o = &in->o[i];
  int sz = o->size;
  switch (f->shape[i]) {
  case SH_R: case SH_RR: case SH_OR: o->reg = (uint8_t)pick(r, 8); break;
  case SH_RM:
    if (pick(r, 2)) { o->reg = (uint8_t)pick(r, 8); break; }
    /* fall through */
  case SH_M: case SH_MP:
    if (pick(r, 5) == 0) mem32(r, o, sz); else mem16(r, o, sz);
    break;
  case SH_MOFFS:
    mem16(r, o, sz);
    o->base = o->index = -1;
    o->seg = o->seg_explicit ? o->seg : S_DS;
    if (pick(r, 4) == 0) { o->addr32 = 1; o->disp = (int32_t)sample_next(r); }
    break;
  case SH_SR: o->reg = (uint8_t)pick(r, 6); break;
  case SH_SRW: { static const uint8_t w[5] = {S_ES, S_SS, S_DS, S_FS, S_GS}; o->reg = w[pick(r, 5)]; break; }
  case SH_CR: { static const int32_t cr[5] = {0, 2, 3, 4, 1}; o->disp = cr[pick(r, 5)]; break; }
  case SH_IMM: case SH_IMM8S: case SH_IMM16: o->disp = imm_pick(r); break;
  case SH_IMM8: o->disp = pick(r, 3) ? pick(r, 256) : imm_pick(r); break;
  case SH_REL8: o->disp = pick(r, 256) - 128; break;
  case SH_REL16: o->disp = pick(r, 2) ? pick(r, 256) - 128 : pick(r, 65536) - 32768; break;
  case SH_FAR: o->disp = (int32_t)sample_next(r); break;
  case SH_STRSRC: case SH_XLAT:
    if (pick(r, 3) == 0) { o->seg = (uint8_t)pick(r, 6); o->seg_explicit = 1; }
    if (f->shape[i] == SH_STRSRC && pick(r, 2)) o->addr32 = 1;
    if (!o->seg_explicit && !o->addr32 && pick(r, 2)) in->nops = 0;
    break;
  default: break;
  }
}

static bool same_bytes(const insn *a, const uint8_t *ab, const insn *b, const uint8_t *bb) {
  return a->len == b->len && !memcmp(ab, bb, a->len);
}

int sample_op(isa_op op, sample_rng *r, insn *out, int max) {
  static uint8_t bytes[4096][ISA_MAX_LEN];
  const isa_form *rows[256];
  int nrows = 0;
  for (size_t i = 0; i < isa_form_count() && nrows < 256; i++) {
    const isa_form *f = isa_form_at(i);
    if (f->op == op && !(f->flags & ISA_F_ALIAS)) rows[nrows++] = f;
  }
  int n = 0;
  for (int tries = 0; nrows && tries < 40000 && n < max && n < 4096; tries++) {
    const isa_form *f = rows[pick(r, nrows)];
    insn in;
    isa_form_insn(f, &in);
    if ((f->flags & ISA_F_REP) && pick(r, 4) == 0) in.prefix = (uint8_t)(1 + pick(r, 2));
    for (int i = 0; i < in.nops; i++) fill_operand(r, f, i, &in);
    if (f->nops == 1 && f->shape[0] == SH_STRDST && pick(r, 2)) {   /* es:edi */
      in.nops = 1;
      mem16(r, &in.o[0], in.size);
      in.o[0].base = R_DI; in.o[0].index = -1; in.o[0].disp = 0;
      in.o[0].seg = S_ES; in.o[0].seg_explicit = 0; in.o[0].addr32 = 1;
    }
    /* nasm writes xchg ax, ax as 90, nop's bytes: decoding gives nop */
    if ((f->flags & ISA_F_NOT0) && in.o[0].reg == 0 && in.o[1].reg == 0) continue;
    uint8_t b[ISA_MAX_LEN];
    if (isa_encode(&in, b) < 0) continue;
    bool dup = false;
    for (int k = 0; k < n && !dup; k++) dup = same_bytes(&in, b, &out[k], bytes[k]);
    if (dup) continue;
    out[n] = in;
    memcpy(bytes[n], b, sizeof b);
    n++;
  }
  return n;
}

static uint32_t special(sample_rng *r) {
  static const uint32_t v[] = {0, 1, 2, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff,
                               0x10000, 0x7fffffff, 0x80000000u, 0xffffffffu, 0xfffe, 0xff80};
  return v[pick(r, 16)];
}

void sample_state(sample_rng *r, isa_state *st) {
  memset(st, 0, sizeof *st);
  for (int i = 0; i < 8; i++) {
    uint32_t v = (uint32_t)sample_next(r);
    if (pick(r, 4) == 0) v = special(r);
    else if (pick(r, 3) == 0) v = (v & 0xffff0000u) | (special(r) & 0xffff);
    st->r[i] = v;
  }
  if (pick(r, 2)) st->r[R_CX] = (st->r[R_CX] & ~0xffu) | (uint32_t)pick(r, 41);
  for (int i = 0; i < 6; i++) st->s[i] = (uint16_t)sample_next(r);
  st->flags = (uint32_t)sample_next(r) & F_MODELLED;
  st->mem_seed = sample_next(r);
  for (int k = 0; k < ISA_NSYM; k++) st->sym[k] = (uint16_t)sample_next(r);
  st->next_ip = (uint16_t)sample_next(r);
}

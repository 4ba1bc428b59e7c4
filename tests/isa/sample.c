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

static void random_operand(sample_rng *r, operand *o, int size) {
  memset(o, 0, sizeof *o);
  int s = pick(r, 4) == 0 ? 1 << pick(r, 3) : size ? size : 2;
  switch (pick(r, 10)) {
  case 0: case 1: case 2:
    o->kind = K_REG; o->size = (uint8_t)s; o->reg = (uint8_t)pick(r, 8);
    break;
  case 3: case 4:
    if (pick(r, 5) == 0) mem32(r, o, s); else mem16(r, o, s);
    break;
  case 5: case 6:
    o->kind = K_IMM; o->size = (uint8_t)s; o->disp = imms[pick(r, (int)(sizeof imms / sizeof *imms))];
    break;
  case 7:
    o->kind = K_REG;
    if (pick(r, 2)) { o->size = 1; o->reg = 1; } else { o->size = 2; o->reg = R_DX; }
    break;
  case 8:
    o->kind = K_SREG; o->size = 2; o->reg = (uint8_t)pick(r, 6);
    break;
  default:
    o->kind = K_REL; o->size = (uint8_t)pick(r, 3);
    o->disp = pick(r, 2) ? pick(r, 256) - 128 : pick(r, 65536) - 32768;
    break;
  }
}

static bool same_bytes(const insn *a, const uint8_t *ab, const insn *b, const uint8_t *bb) {
  return a->len == b->len && !memcmp(ab, bb, a->len);
}

static bool string_op(isa_op op) {
  return (op >= OP_LODS && op <= OP_CMPS) || op == OP_INS || op == OP_OUTS;
}

int sample_op(isa_op op, sample_rng *r, insn *out, int max) {
  static uint8_t bytes[4096][ISA_MAX_LEN];
  int n = 0;
  for (int tries = 0; tries < 40000 && n < max && n < 4096; tries++) {
    insn in;
    memset(&in, 0, sizeof in);
    in.op = (uint8_t)op;
    static const uint8_t sizes[] = {0, 1, 2, 4};
    in.size = sizes[pick(r, 4)];
    in.nops = (uint8_t)pick(r, 4);
    in.cc = (uint8_t)pick(r, 16);
    if (string_op(op) && pick(r, 4) == 0) in.prefix = (uint8_t)(1 + pick(r, 2));
    for (int i = 0; i < in.nops; i++) random_operand(r, &in.o[i], in.size);
    if (string_op(op) || op == OP_XLAT) {
      if (in.nops == 1) mem16(r, &in.o[0], op == OP_XLAT ? 1 : in.size);
      if (in.nops == 1) { in.o[0].base = op == OP_XLAT ? R_BX : R_SI; in.o[0].index = -1; in.o[0].disp = 0; }
      if (in.nops == 1 && op != OP_XLAT && pick(r, 2)) in.o[0].addr32 = 1;
      if (in.nops == 1 && (op == OP_STOS || op == OP_SCAS || op == OP_INS)) {
        in.o[0].seg = S_ES;
        in.o[0].seg_explicit = 0;
        in.o[0].base = R_DI;
      }
    }
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
}

/* Concrete machine state: initial memory, reads; and the small tables the
 * instantiations share.  The comparison of two states is isa_compare.c. */
#include <string.h>
#include "isa/isa.h"
#include "isa/isa_sem.h"
#include "isa/isa_tables.h"


/* From the description, generated at build time (superopt/isa/gen/may_fault.c);
 * the generator itself is built without it. */
#ifndef ISA_MAY_FAULT_GEN
#include "isa_may_fault.h"
const bool isa_op_may_fault[OP_COUNT] = {ISA_MAY_FAULT_INIT};
#endif

#define P2(n) n, n ^ 1, n ^ 1, n
#define P4(n) P2(n), P2(n ^ 1), P2(n ^ 1), P2(n)
#define P6(n) P4(n), P4(n ^ 1), P4(n ^ 1), P4(n)
const uint8_t isa_parity_even[256] = {P6(1), P6(0), P6(0), P6(1)};

uint8_t isa_mem_initial(uint64_t seed, uint32_t linear) {
  uint32_t h = linear * ISA_MEM_MUL1 + (uint32_t)seed;
  h ^= (uint32_t)(seed >> 32);
  h ^= h >> 16;
  h *= ISA_MEM_MUL2;
  h ^= h >> 13;
  h *= ISA_MEM_MUL3;
  h ^= h >> 16;
  return (uint8_t)h;
}

uint8_t isa_mem_read(const isa_state *st, uint32_t linear) {
  for (uint32_t i = 0; i < st->nwrites; i++)
    if (st->waddr[i] == linear) return st->wval[i];
  for (uint32_t i = 0; i < st->ninit; i++)
    if (st->iaddr[i] == linear) return st->ival[i];
  return isa_mem_initial(st->mem_seed, linear);
}

bool isa_mem_set_initial(isa_state *st, uint32_t linear, uint8_t v) {
  for (uint32_t i = 0; i < st->ninit; i++)
    if (st->iaddr[i] == linear) { st->ival[i] = v; return true; }
  if (st->ninit == ISA_MEMINIT) return false;
  st->iaddr[st->ninit] = linear;
  st->ival[st->ninit++] = v;
  return true;
}

const char *isa_op_name(isa_op op) {
  static const char *const names[] = {
#define ISA_NAME(name) #name,
    ISA_OPS(ISA_NAME)
#undef ISA_NAME
  };
  return (unsigned)op < OP_COUNT ? names[op] : "?";
}

/* shift and mask of a register location; false when l is not one */
static bool reg_field(locset l, int *reg, int *shift, uint32_t *mask) {
  for (int r = 0; r < 8; r++) {
    *reg = r;
    if (l == LOC_LO(r)) { *shift = 0; *mask = 0xff; return true; }
    if (l == LOC_HI(r)) { *shift = 8; *mask = 0xff; return true; }
    if (l == LOC_UP(r)) { *shift = 16; *mask = 0xffff; return true; }
    if (l == LOC_R16(r)) { *shift = 0; *mask = 0xffff; return true; }
    if (l == LOC_R32(r)) { *shift = 0; *mask = 0xffffffffu; return true; }
  }
  return false;
}

static uint32_t flag_bit_at(locset l) {
  for (int f = 0; f < FL_COUNT; f++)
    if (l == isa_flag_loc[f]) return isa_flag_bit[f];
  return 0;
}

uint32_t isa_loc_get(const isa_state *st, locset l) {
  int r, sh;
  uint32_t mask;
  if (reg_field(l, &r, &sh, &mask)) return (st->r[r] >> sh) & mask;
  for (int s = 0; s < 6; s++)
    if (l == LOC_SEG(s)) return st->s[s];
  return st->flags & flag_bit_at(l) ? 1 : 0;
}

void isa_loc_set(isa_state *st, locset l, uint32_t v) {
  int r, sh;
  uint32_t mask;
  if (reg_field(l, &r, &sh, &mask)) {
    st->r[r] = (st->r[r] & ~(mask << sh)) | ((v & mask) << sh);
    return;
  }
  for (int s = 0; s < 6; s++)
    if (l == LOC_SEG(s)) { st->s[s] = (uint16_t)v; return; }
  uint32_t fb = flag_bit_at(l);
  if (fb) st->flags = v ? (st->flags | fb) : (st->flags & ~fb);
}

/* Concrete machine state: initial memory, reads, comparison; and the small
 * tables the instantiations share. */
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

static uint32_t reg_mask(locset live, int r) {
  uint32_t m = 0;
  if (live & LOC_LO(r)) m |= 0xffu;
  if (live & LOC_HI(r)) m |= 0xff00u;
  if (live & LOC_UP(r)) m |= 0xffff0000u;
  return m;
}

static bool mem_same(const isa_state *a, const isa_state *b, const isa_state *log) {
  for (uint32_t i = 0; i < log->nwrites; i++)
    if (isa_mem_read(a, log->waddr[i]) != isa_mem_read(b, log->waddr[i])) return false;
  return true;
}

bool isa_state_equal(const isa_state *want, const isa_state *got, locset live) {
  /* A fault is an outcome like any other: the same fault, reached with the
   * same live-out state (the state before the faulting instruction), or the
   * two sequences differ.  A handler could observe that state. */
  if (want->fault != got->fault) return false;
  if (want->poisoned || got->poisoned) return false;
  for (int r = 0; r < 8; r++) {
    uint32_t m = reg_mask(live, r);
    if ((want->r[r] ^ got->r[r]) & m) return false;
  }
  for (int s = 0; s < 6; s++)
    if ((live & LOC_SEG(s)) && want->s[s] != got->s[s]) return false;
  for (int f = 0; f < FL_COUNT; f++) {
    uint32_t b = isa_flag_bit[f];
    if (!(live & isa_flag_loc[f]) || (want->undef & b)) continue;
    if ((got->undef & b) || ((want->flags ^ got->flags) & b)) return false;
  }
  if ((live & LOC_BR) && want->taken != got->taken) return false;
  if (live & LOC_MEM)
    return mem_same(want, got, want) && mem_same(want, got, got);
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

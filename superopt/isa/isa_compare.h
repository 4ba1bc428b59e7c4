/* Two concrete outcomes compared on a live set that is given as masks, for
 * the search's hot loop: the rule of isa_compare.def instantiated as a
 * verdict on registers, segments, flags, taken, fault and poisoning (memory is
 * left to isa_state_equal, which runs the whole rule) and as the set of
 * live locations that differ.  isa_state_equal (isa.h, isa_compare.c) and
 * isa_z3_differ (isa_z3.h) are the other instantiations. */
#ifndef SUPEROPT_ISA_COMPARE_H
#define SUPEROPT_ISA_COMPARE_H

#include "isa/isa.h"

typedef struct {
  uint32_t reg[8];    /* live bits of eax..edi */
  uint16_t seg[6];    /* 0xffff when the segment register is live */
  uint32_t flags;     /* live F_* bits */
  bool mem;
  bool br;            /* a closing branch: whether it is taken is compared */
  bool ip;            /* a closing transfer: where it goes is compared */
  /* the registers, segment registers and flags with live parts, so the
     hot comparisons skip the others */
  uint8_t live_reg[8], nlive_reg;
  uint8_t live_seg[6], nlive_seg;
  uint8_t live_flag[FL_COUNT], nlive_flag;
} isa_live_masks;

void isa_live_masks_of(locset live, isa_live_masks *m);

/* The rule's primitives over two isa_state pointers `want` and `got`.  A
 * register's parts are a bit mask; a flag argument is a set of F_* bits
 * (lanes), so one step may compare every live flag at once. */
#define FAULT_NE (want->fault != got->fault)
#define POISONED(st) ((st)->poisoned != 0)
#define REG_NE(n, parts) (((want->r[n] ^ got->r[n]) & (parts)) != 0)
#define SEG_NE(i) (want->s[i] != got->s[i])
#define FLAG_DEF(st, f) (~(st)->undef & (f))
#define FLAG_UNDEF(st, f) ((st)->undef & (f))
#define FLAG_NE(f) ((want->flags ^ got->flags) & (f))
#define AND_(a, b) ((a) & (b))
#define OR_(a, b) ((a) | (b))

/* Registers, segments and flags on the live masks, the fault code and
 * poisoning: isa_state_equal without memory. */
static inline bool isa_outcome_fast(const isa_state *want, const isa_state *got,
                                    const isa_live_masks *m) {
#define DIFFER(where, d) do { if ((d) != 0) return false; } while (0)
#define FOR_LIVE_REGS(r, parts, where)                                      \
  for (int k_ = 0, r; k_ < m->nlive_reg && (r = m->live_reg[k_], 1); k_++) \
    for (uint32_t parts = m->reg[r], once_ = 1; once_; once_ = 0)
#define FOR_LIVE_SEGS(s, where) \
  for (int k_ = 0, s; k_ < m->nlive_seg && (s = m->live_seg[k_], 1); k_++)
#define FOR_LIVE_FLAGS(f, where) for (uint32_t f = m->flags, once_ = 1; once_; once_ = 0)
#define MEM_LIVE 0
#define MEM_NE 1
#define BR_LIVE m->br
#define BR_NE (want->taken != got->taken)
#define IP_LIVE m->ip
#define IP_NE (want->taken && got->taken && want->target != got->target)
#include "isa/isa_compare.def"
  return true;
}

/* The live locations where got differs from want, by the same rule
 * (registers by part, segments, flags; not memory: faults and poisoning
 * are at no location).  An instruction that writes none of them cannot
 * make got match. */
static inline locset isa_outcome_mismatch(const isa_state *want, const isa_state *got,
                                          const isa_live_masks *m) {
  static const uint32_t part_bits[3] = {0xffu, 0xff00u, 0xffff0000u};
  locset out = 0;
#define DIFFER(where, d) (out |= (d) ? (where) : 0)
#define FOR_LIVE_REGS(r, parts, where)                                      \
  for (int k_ = 0, r; k_ < m->nlive_reg && (r = m->live_reg[k_], 1); k_++) \
    for (int p_ = 0; p_ < 3; p_++)                                          \
      for (uint32_t parts = m->reg[r] & part_bits[p_]; parts; parts = 0)    \
        for (locset where = 1ull << (3 * r + p_); where; where = 0)
#define FOR_LIVE_SEGS(s, where)                                             \
  for (int k_ = 0, s; k_ < m->nlive_seg && (s = m->live_seg[k_], 1); k_++) \
    for (locset where = LOC_SEG(s); where; where = 0)
#define FOR_LIVE_FLAGS(f, where)                                            \
  for (int k_ = 0; k_ < m->nlive_flag; k_++)                                \
    for (uint32_t f = isa_flag_bit[m->live_flag[k_]]; f; f = 0)             \
      for (locset where = isa_flag_loc[m->live_flag[k_]]; where; where = 0)
#define MEM_LIVE 0
#define MEM_NE 1
#define BR_LIVE m->br
#define BR_NE (want->taken != got->taken)
#define IP_LIVE m->ip
#define IP_NE (want->taken && got->taken && want->target != got->target)
#include "isa/isa_compare.def"
  return out;
}

/* isa_compare.c instantiates the rule once more with these primitives */
#ifndef ISA_COMPARE_KEEP_PRIMITIVES
#undef FAULT_NE
#undef POISONED
#undef REG_NE
#undef SEG_NE
#undef FLAG_DEF
#undef FLAG_UNDEF
#undef FLAG_NE
#undef AND_
#undef OR_
#endif

#endif

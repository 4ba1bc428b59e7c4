/* A live-out set turned into bit masks over isa_state fields, so the hot
 * comparisons and the fingerprint touch only what is live. */
#ifndef SUPEROPT_SEARCH_LIVESET_H
#define SUPEROPT_SEARCH_LIVESET_H

#include <stddef.h>
#include <string.h>
#include "isa/isa.h"

typedef struct {
  uint32_t reg[8];    /* live bits of eax..edi */
  uint16_t seg[6];    /* 0xffff when the segment register is live */
  uint32_t flags;     /* live F_* bits */
  bool mem;
  bool br;            /* a closing branch: whether it is taken is compared */
  /* the registers and segment registers with live parts, so the hot
     comparisons skip the others */
  uint8_t live_reg[8], nlive_reg;
  uint8_t live_seg[6], nlive_seg;
} live_masks;

void live_masks_of(locset live, live_masks *m);

/* F_* bit of a single flag location, 0 if it is not a flag. */
uint32_t flag_bit_of(locset flag);

/* Value of one location (register part, whole register, segment or flag). */
uint32_t loc_get(const isa_state *st, locset l);
void loc_set(isa_state *st, locset l, uint32_t v);
/* Bits a single location holds (8, 16, 32, 1...), 0 when not single. */
int loc_width(locset l);

/* Copy only the used parts of a state (the memory logs are long). */
static inline void state_copy(isa_state *d, const isa_state *s) {
  memcpy(d, s, offsetof(isa_state, iaddr));
  if (__builtin_expect((s->ninit | s->nwrites) == 0, 1)) {
    d->nwrites = 0;
    d->fault = s->fault;
    d->poisoned = s->poisoned;
    return;
  }
  memcpy(d->iaddr, s->iaddr, s->ninit * sizeof s->iaddr[0]);
  memcpy(d->ival, s->ival, s->ninit);
  d->nwrites = s->nwrites;
  memcpy(d->waddr, s->waddr, s->nwrites * sizeof s->waddr[0]);
  memcpy(d->wval, s->wval, s->nwrites);
  d->fault = s->fault;
  d->poisoned = s->poisoned;
}

/* Quick register/flag comparison on the live parts; memory is left to
 * isa_state_equal, which stays the authority. */
static inline bool regs_flags_match(const isa_state *want, const isa_state *got,
                                    const live_masks *m) {
  if (got->fault != want->fault || got->poisoned) return false;
  if (m->br && got->taken != want->taken) return false;
  for (int k = 0; k < m->nlive_reg; k++) {
    int r = m->live_reg[k];
    if ((want->r[r] ^ got->r[r]) & m->reg[r]) return false;
  }
  uint32_t fl = m->flags & ~want->undef;
  if (((want->flags ^ got->flags) | got->undef) & fl) return false;
  for (int k = 0; k < m->nlive_seg; k++) {
    int s = m->live_seg[k];
    if ((want->s[s] ^ got->s[s]) & m->seg[s]) return false;
  }
  return true;
}

/* The live locations where got differs from want (registers by part,
 * segments, flags; memory is not included).  An instruction that writes none
 * of them cannot make got match. */
static inline locset mismatch_set(const isa_state *want, const isa_state *got,
                                  const live_masks *m) {
  locset out = 0;
  for (int k = 0; k < m->nlive_reg; k++) {
    int r = m->live_reg[k];
    uint32_t d = (want->r[r] ^ got->r[r]) & m->reg[r];
    locset parts = (locset)((d & 0xffu) != 0) | (locset)((d & 0xff00u) != 0) << 1 |
                   (locset)((d & 0xffff0000u) != 0) << 2;
    out |= parts << (3 * r);   /* LOC_LO(r), LOC_HI(r), LOC_UP(r) */
  }
  for (int k = 0; k < m->nlive_seg; k++) {
    int s = m->live_seg[k];
    if ((want->s[s] ^ got->s[s]) & m->seg[s]) out |= LOC_SEG(s);
  }
  uint32_t fl = ((want->flags ^ got->flags) | got->undef) & m->flags & ~want->undef;
  if (fl & F_CF) out |= LOC_CF;
  if (fl & F_PF) out |= LOC_PF;
  if (fl & F_AF) out |= LOC_AF;
  if (fl & F_ZF) out |= LOC_ZF;
  if (fl & F_SF) out |= LOC_SF;
  if (fl & F_OF) out |= LOC_OF;
  if (fl & F_DF) out |= LOC_DF;
  if (m->br && got->taken != want->taken) out |= LOC_BR;
  return out;
}

#endif

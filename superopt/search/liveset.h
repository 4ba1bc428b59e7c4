/* The live-out set as the search's hot loop uses it: masks over isa_state
 * fields (isa/isa_compare.h, where the comparisons on them are), and a copy
 * of a state that touches only its used parts. */
#ifndef SUPEROPT_SEARCH_LIVESET_H
#define SUPEROPT_SEARCH_LIVESET_H

#include <stddef.h>
#include <string.h>
#include "isa/isa_compare.h"

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

#endif

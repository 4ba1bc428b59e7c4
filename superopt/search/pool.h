/* The instructions a search may use for one snippet: the rows of the form
 * table instantiated over the snippet's registers (plus dead scratch
 * registers), memory operands and immediates where the encoder accepts them, deduplicated by bytes and
 * sorted by length, with what each reads and writes precomputed. */
#ifndef SUPEROPT_SEARCH_POOL_H
#define SUPEROPT_SEARCH_POOL_H

#include "program/snippet.h"

#define POOL_MAX_LEN 8

typedef struct {
  insn in;
  locset reads, writes;
  uint8_t len;
  uint8_t scratch;     /* bit k: uses the k-th scratch register */
  bool writes_live;    /* writes something in the live-out set */
  bool tail;           /* a closing conditional branch: only ever last */
} pool_insn;

typedef struct {
  pool_insn *v;
  int n, cap;
  int start[POOL_MAX_LEN + 2];  /* v[start[L] .. start[L+1]) have length L */
  /* the instructions that write something live (the only ones that can end
     a shortest sequence), as pool indices grouped by length like v[]; for a
     snippet that ends in a branch, the closing branches (every jcc, jcxz,
     loop, loope, loopne to its target) and nothing else */
  int *last;
  int last_start[POOL_MAX_LEN + 2];
  /* the distinct write sets among those, by length: a prefix whose live
     mismatches none of them covers cannot be completed at that length */
  locset *wsets;
  int wsets_start[POOL_MAX_LEN + 2];
  /* scratch registers: not live-out, and the snippet never reads their
     input value (dead untouched ones, and ones it only writes) */
  int nscratch;
  int scratch_reg[8];
  /* canonical[used]: with `used` the scratch registers a prefix has touched
     (bit k: scratch_reg[k]), whether within every class of interchangeable
     scratch registers those are the first ones in class order.  Two scratch
     registers are interchangeable when swapping them maps every pool
     instruction to a pool instruction of the same length whose reads and
     writes are the swapped ones; then every sequence has a renamed twin
     whose first uses follow class order, and only that twin is enumerated. */
  bool canonical[256];
  int nclasses;        /* classes of two or more (for reports) */
  locset live;
} pool;

/* Build the pool; returns false only when memory runs out. */
bool pool_build(pool *p, const snippet *s);
/* The same with extra immediates (e.g. live-out values the original always
 * produces, for constant folding). */
bool pool_build_extra(pool *p, const snippet *s, const int32_t *imm, int nimm);
void pool_free(pool *p);
/* May an answer for s contain in (its CPU level, undocumented forms)? */
bool pool_target_allows(const snippet *s, const insn *in);

#endif

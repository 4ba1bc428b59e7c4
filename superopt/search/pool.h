/* The instructions a search may use for one snippet: every combination of
 * the snippet's operations, registers (plus dead scratch registers), memory
 * operands and immediates that the encoder accepts, deduplicated by bytes and
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
} pool_insn;

typedef struct {
  pool_insn *v;
  int n, cap;
  int start[POOL_MAX_LEN + 2];  /* v[start[L] .. start[L+1]) have length L */
  /* the instructions that write something live (the only ones that can end
     a shortest sequence), as pool indices grouped by length like v[] */
  int *last;
  int last_start[POOL_MAX_LEN + 2];
  /* the distinct write sets among those, by length: a prefix whose live
     mismatches none of them covers cannot be completed at that length */
  locset *wsets;
  int wsets_start[POOL_MAX_LEN + 2];
  int nscratch;
  int scratch_reg[2];
  locset live;
} pool;

/* Build the pool; returns false only when memory runs out. */
bool pool_build(pool *p, const snippet *s);
/* The same with extra immediates (e.g. live-out values the original always
 * produces, for constant folding). */
bool pool_build_extra(pool *p, const snippet *s, const int32_t *imm, int nimm);
void pool_free(pool *p);

#endif

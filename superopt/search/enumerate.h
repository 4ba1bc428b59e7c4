/* Exhaustive enumeration by encoded length: every sequence of pool
 * instructions whose lengths sum to exactly L, depth first, the prefix state
 * on the first test state kept per depth so each candidate costs one
 * instruction.  Pruned: dead instructions, independent neighbours in
 * non-canonical order, interchangeable scratch registers first used out of
 * class order (register renamings, pool.h), prefixes that fault. */
#ifndef SUPEROPT_SEARCH_ENUMERATE_H
#define SUPEROPT_SEARCH_ENUMERATE_H

#include "search/pool.h"
#include "search/teststates.h"

#define ENUM_MAX_DEPTH 16
#define COVER_MAX_LEN 3
#define COVER_MEMO 1024
#define PREFIX_SEEN (1u << 18)

/* Called for each candidate that matches on the first test state.  Return
 * true to stop the enumeration (a proven result). */
typedef bool (*survivor_fn)(void *ctx, const insn *seq, int n);

typedef struct {
  const pool *p;
  const teststates *ts;
  survivor_fn on_survivor;
  void *ctx;
  double deadline;         /* clock_now() value after which to give up */
  uint64_t budget;         /* stop once prefixes + executed reach this (0: no
                              limit); checked only at count-based points, so
                              where it stops depends on the pool alone */
  bool progress;
  bool no_writeset_filter;
  /* results */
  uint64_t candidates;     /* sequences decided on the first test state */
  uint64_t executed;       /* ... of which the last instruction was run (the
                              others write none of the live locations where
                              the prefix already differs, so cannot match) */
  uint64_t first_pass;     /* ... that matched there */
  bool stopped, timed_out, budget_out;
  /* the allowed last instructions after each pool instruction, by length
     (built by enumerate_prepare when the pool is small enough) */
  /* covers[L]: the maximal unions of write sets that a sequence of exactly
     L bytes (L <= COVER_MAX_LEN) can produce; a prefix whose live
     mismatches fit in none of them cannot be completed in L bytes */
  locset *covers[COVER_MAX_LEN + 1];
  int ncovers[COVER_MAX_LEN + 1];
  /* answers of the covers test by mismatch set (few distinct ones recur
     at every prefix): direct-mapped, key 0 = empty */
  locset cover_key[COVER_MAX_LEN + 1][COVER_MEMO];
  bool cover_ok[COVER_MAX_LEN + 1][COVER_MEMO];
  uint16_t *succ;
  uint32_t *succ_off;     /* (n + 1) x (POOL_MAX_LEN + 1) offsets into succ */
  /* working state */
  int len;
  uint64_t next_check;
  uint64_t prefixes, next_prefix_check;   /* inner positions evaluated */
  double started;
  int idx[ENUM_MAX_DEPTH];
  insn seq[ENUM_MAX_DEPTH];
  isa_state st[ENUM_MAX_DEPTH + 1];
  /* prefix-state pruning: the prefix is also run on the second test state;
     a prefix whose states on both (and scratch registers used) equal those
     of a prefix seen earlier at no more bytes is dropped, since every
     completion of it has a twin no longer that was tried.  Equal on two
     test states is not equal everywhere, so this costs completeness, never
     soundness (survivors are still proven).  Direct-mapped by hash. */
  bool no_prefix_pruning;
  isa_state st2[ENUM_MAX_DEPTH + 1];
  uint64_t *seen_key;      /* PREFIX_SEEN entries, 0 = empty */
  uint8_t *seen_used;      /* bytes of the prefix that set the entry */
  uint64_t pruned_prefixes;
} enumerator;

double clock_now(void);

/* Enumerate every sequence of exactly L bytes.  Returns false when it
 * stopped early (survivor proven or time up; see stopped/timed_out). */
bool enumerate_length(enumerator *e, int L);

/* Precompute successor lists (optional; speeds up the last position) and
 * free them. */
void enumerate_prepare(enumerator *e);
void enumerate_release(enumerator *e);

#endif

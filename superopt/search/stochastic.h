/* STOKE-style Markov chain Monte Carlo over pool sequences, for windows
 * whose best form is longer than enumeration reaches.  Cost = bytes +
 * weight x mismatching test states; moves replace an opcode, an operand or a
 * whole instruction, insert, delete or swap.  Every zero-mismatch sequence
 * shorter than the best so far goes to the same survivor check (fingerprint
 * and proof) as enumeration's. */
#ifndef SUPEROPT_SEARCH_STOCHASTIC_H
#define SUPEROPT_SEARCH_STOCHASTIC_H

#include "search/enumerate.h"

typedef struct {
  const pool *p;
  const teststates *ts;
  survivor_fn on_survivor;
  void *ctx;
  double deadline;
  uint64_t seed;
  int below;            /* only sequences shorter than this many bytes count */
  int at_least;         /* lengths below this were already enumerated */
  bool progress;        /* a progress line on stderr */
  /* results */
  uint64_t proposals, offered;
  int best_bytes;       /* shortest accepted by on_survivor, or `below` */
} stochastic;

/* Run until the deadline.  Starts from the original when its instructions
 * are in the pool.  Returns true when on_survivor accepted something. */
bool stochastic_run(stochastic *sx);

#endif

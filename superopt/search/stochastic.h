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
  uint64_t budget;      /* proposals in all (0: until the deadline); with a
                           budget the result depends only on the seed */
  int restarts;         /* the budget is split into this many chains, each
                           with its own stream drawn from the seed (0: 1) */
  int ntests;           /* test states the cost counts: the first ones, made
                           from the seed (0: min(ts->n, 16)); counterexamples
                           loaded from earlier runs must not change the chain */
  /* results */
  uint64_t proposals, offered;
  int best_bytes;       /* shortest accepted by on_survivor, or `below` */
  bool timed_out;       /* the deadline stopped it before its budget */
} stochastic;

/* Run the chains until the budget is spent, a sequence of `at_least` bytes
 * is accepted, or the deadline passes.  Even-numbered chains start from the
 * original (when its instructions are in the pool), odd ones from the empty
 * sequence.  Returns true when on_survivor accepted something. */
bool stochastic_run(stochastic *sx);

#endif

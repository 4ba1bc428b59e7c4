/* Constant synthesis by inversion: the immediates that would make one
 * instruction `op reg, K` turn each test state's input into the original's
 * output, for mov/add/sub/xor/and/or on each live register (16-bit, and
 * each byte half).  They join the pool as immediates; a candidate using one
 * is still checked on every state and proven, and a counterexample that
 * refutes it joins the test states, so the next synthesis sees it (CEGIS). */
#ifndef SUPEROPT_SEARCH_SYNTH_H
#define SUPEROPT_SEARCH_SYNTH_H

#include "search/pool.h"
#include "search/teststates.h"

/* Fill out[0..max) with distinct constants; returns how many. */
int synth_constants(const snippet *s, const teststates *ts, int32_t *out, int max);

/* Constant synthesis with Z3 (CEGIS, synth_cegis.c), where inversion gives
 * nothing: sketches are pool instructions whose immediates and
 * displacement are unknowns; Z3 finds values that make a sketch agree with
 * the original on a few test states (inputs concrete, constants free), the
 * instantiated instruction is run on every test state and handed to
 * `check` (the search's survivor check: states, fingerprint, proof).  A
 * state it fails on, or a counterexample the check adds to the states,
 * joins the next solve; each sketch is solved a bounded number of times,
 * with every value tried excluded, at most max_queries solves in all
 * (a count, so the outcome does not depend on the machine's speed).
 * Immediates that fit every state go to out[0..max) (for the pool);
 * returns how many. */
typedef bool (*synth_check_fn)(void *ctx, const insn *seq, int n);

typedef struct {
  int sketches;   /* instructions with unknowns tried */
  int queries;    /* Z3 solves */
  int fits;       /* ... that gave values */
  int checked;    /* instantiations that held on every test state */
  int refuted;    /* ... whose proof gave a counterexample */
  int proven;     /* ... accepted by check */
} synth_stats;

int synth_cegis(const snippet *s, teststates *ts, const pool *pl, synth_check_fn check, void *ctx,
                int max_queries, int32_t *out, int max, synth_stats *stats);
/* Solves per second of a search's budget (about a quarter of what a
 * loaded core here does on memory sketches). */
#define SYNTH_QUERIES_PER_S 30

#endif

/* Constant synthesis by inversion: the immediates that would make one
 * instruction `op reg, K` turn each test state's input into the original's
 * output, for mov/add/sub/xor/and/or on each live register (16-bit, and
 * each byte half).  They join the pool as immediates; a candidate using one
 * is still checked on every state and proven, and a counterexample that
 * refutes it joins the test states, so the next synthesis sees it (CEGIS). */
#ifndef SUPEROPT_SEARCH_SYNTH_H
#define SUPEROPT_SEARCH_SYNTH_H

#include "search/teststates.h"

/* Fill out[0..max) with distinct constants; returns how many. */
int synth_constants(const snippet *s, const teststates *ts, int32_t *out, int max);

#endif

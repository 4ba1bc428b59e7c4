/* Trusting a counterexample: the solver's (or the exhaustive check's) state
 * is replayed on the concrete evaluator, which must agree that the two
 * sequences differ there.  If it does not, the evaluator and the Z3
 * instantiation disagree: a semantics bug, never a reason to accept. */
#ifndef SUPEROPT_SEARCH_REPLAY_H
#define SUPEROPT_SEARCH_REPLAY_H

#include "program/snippet.h"

/* true when the evaluator confirms the difference; *clean is the initial
 * state to add to the test states.  false: msg says what disagreed (the
 * caller reports it as a semantics bug and rejects the candidate). */
bool cex_replay(const snippet *s, const insn *cand, int n, const isa_state *cex,
                isa_state *clean, char *msg, size_t msgn);

#endif

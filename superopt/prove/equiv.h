/* The equivalence query: one Z3 context and solver per search, one
 * push/pop scope per candidate.  Same initial state for both sequences, the
 * snippet's assumptions as constraints, and the disjunction of live-out
 * differences: unsat proves the candidate, sat gives a counterexample. */
#ifndef SUPEROPT_PROVE_EQUIV_H
#define SUPEROPT_PROVE_EQUIV_H

#include "program/snippet.h"

typedef enum { EQ_PROVEN, EQ_REFUTED, EQ_UNKNOWN } eq_verdict;

typedef struct prover prover;

prover *prover_new(unsigned timeout_ms);
void prover_free(prover *pv);

/* Decide original == candidate on s->live_out under s->assume.  On
 * EQ_REFUTED, *cex is the counterexample's initial state as the model gives
 * it (not yet replayed).  why says what went wrong on EQ_UNKNOWN. */
eq_verdict prover_check(prover *pv, const snippet *s, const insn *cand, int n,
                        isa_state *cex, char *why, size_t whyn);

/* The same query as standard SMT-LIB2 text (set-logic, declarations,
 * assertions, check-sat), malloc'd; NULL when it cannot be expressed. */
char *prover_smtlib(prover *pv, const snippet *s, const insn *cand, int n);

#endif

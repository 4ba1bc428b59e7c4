/* The prover as the search's checker (search/checker.h): the Z3 query, its
 * proof file re-checked by both solver command lines, and, when the solver
 * gives up, the exhaustion proof. */
#ifndef SUPEROPT_PROVE_CHECKER_H
#define SUPEROPT_PROVE_CHECKER_H

#include "prove/equiv.h"
#include "search/checker.h"

/* kept NULL: each search gets a fresh prover with its own query limit;
 * else every search uses kept (the caller frees it; never shared between
 * threads). */
search_checker prove_checker(prover *kept);

#endif

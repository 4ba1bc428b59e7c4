/* Re-checking a proof file with the solvers' own command lines, as an
 * auditor would: `z3 FILE` and `cvc5 --lang smt2 FILE` must both say unsat. */
#ifndef SUPEROPT_PROVE_SOLVER_CLI_H
#define SUPEROPT_PROVE_SOLVER_CLI_H

#include <stdbool.h>
#include <stddef.h>

/* Run argv (NULL-terminated) with a time limit and return the first line of
 * its standard output in out; false if it could not run or timed out. */
bool solver_cli_run(const char *const argv[], unsigned timeout_s, char *out, size_t n);

/* Both solvers answer unsat.  On failure why names the solver and its
 * answer. */
bool solver_cli_both_unsat(const char *path, unsigned timeout_s, char *why, size_t whyn);

#endif

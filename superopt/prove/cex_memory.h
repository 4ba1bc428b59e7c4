/* A counterexample must replay exactly: the solver's model may leave memory
 * bytes at its array's default value, which the evaluator's seeded memory
 * does not share.  This finds every byte the query reads once the model's
 * registers, segments and flags are put in (the select terms with a
 * constant address left after simplification) and enters the model's value
 * of each into the counterexample's initial-memory overlay. */
#ifndef SUPEROPT_PROVE_CEX_MEMORY_H
#define SUPEROPT_PROVE_CEX_MEMORY_H

#include "isa/isa_z3.h"

/* Returns false when the overlay (ISA_MEMINIT bytes) cannot hold them all. */
bool cex_fix_memory(Z3_context c, Z3_model m, const isa_z3_state *init, Z3_ast query,
                    isa_state *cex);

#endif

/* Facts that need no known input: instructions whose result is the same
 * whatever the registers they name hold. */
#ifndef SUPEROPT_PROGRAM_FACTS_H
#define SUPEROPT_PROGRAM_FACTS_H

#include "isa/isa.h"

/* xor r,r and sub r,r: r becomes 0 (and the flags a fixed value) whatever
 * r held, so the fact analysis may evaluate them with r unknown. */
bool facts_input_independent(const insn *in);

#endif

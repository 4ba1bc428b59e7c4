/* Facts beyond evaluating instructions on known values: results that need
 * no known input, and what one edge of a branch says. */
#ifndef SUPEROPT_PROGRAM_FACTS_H
#define SUPEROPT_PROGRAM_FACTS_H

#include "program/liveness.h"

/* xor r,r and sub r,r: r becomes 0 (and the flags a fixed value) whatever
 * r held, so the fact analysis may evaluate them with r unknown. */
bool facts_input_independent(const insn *in);

/* After rep lods/stos/movs cx (ecx with 0x67) is 0; repe/repne cmps and scas may stop earlier. */
void facts_after_insn(const insn *in, prog_facts *f);

/* The facts that hold on the edge from item `from` to item `to` on top of
 * those after `from`: jcxz taken and loop not taken give cx=0; jz taken
 * and jnz not taken give 0 for the register the instruction just before
 * the branch set ZF from (dec/inc/add/sub/and/or/xor/neg r, test r,r,
 * cmp r,0), when that instruction falls into the branch; a conditional
 * jump gives the flag it tested on each edge (jc taken: CF=1, not taken:
 * CF=0; likewise jo, jz, js, jp; ja/jbe: CF=0 and ZF=0 where they jump
 * above; jg/jle: ZF=0 where they jump greater). */
void facts_on_edge(const program *p, const cfg *g, int from, int to, prog_facts *f);

#endif

/* The Z3 instantiation of the one semantic description (see isa.h for the
 * concrete one).  A symbolic state holds Z3 terms; executing an instruction
 * replaces them by terms over the initial ones. */
#ifndef SUPEROPT_ISA_Z3_H
#define SUPEROPT_ISA_Z3_H

#include <z3.h>
#include "isa.h"

typedef struct {
  Z3_ast r[8];          /* (_ BitVec 32) */
  Z3_ast s[6];          /* (_ BitVec 16) */
  Z3_ast sym[ISA_NSYM]; /* (_ BitVec 16): symbolic constants, never written */
  Z3_ast flag[FL_COUNT];/* (_ BitVec 1) value, in FL_* order (isa.h) */
  Z3_ast fdef[FL_COUNT];/* Bool: the flag's value is defined */
  Z3_ast mem;           /* (Array (_ BitVec 32) (_ BitVec 8)), linear addresses */
  Z3_ast fault;         /* (_ BitVec 8): ISA_FAULT_* of the first fault, 0 if none */
  Z3_ast poisoned;      /* Bool: an undefined flag was read */
  Z3_ast taken;         /* Bool: a closing branch is taken (LOC_BR) */
  Z3_ast target;        /* (_ BitVec 16): where a closing transfer goes (LOC_IP) */
  Z3_ast next_ip;       /* (_ BitVec 16): the address after the window, what a
                           closing call pushes; an input, never written */
} isa_z3_state;

/* Fresh initial state: constants named <prefix>eax, <prefix>cf, <prefix>mem,
 * <prefix>sym0..., <prefix>next_ip.
 * All flags defined, no fault. */
void isa_z3_state_init(Z3_context c, isa_z3_state *st, const char *prefix);

/* Symbolic execution of one instruction.  Fresh unknowns for undefined flags
 * are named with `tag` (e.g. "cand3_") so two sequences never share them.
 * Returns false for an instruction the Z3 instantiation cannot express. */
bool isa_z3_exec(Z3_context c, isa_z3_state *st, const insn *in, const char *tag);

/* Bool term: the two states differ on `live` (the rule of isa_compare.def,
 * as isa_state_equal). */
Z3_ast isa_z3_differ(Z3_context c, const isa_z3_state *want,
                     const isa_z3_state *got, locset live);

/* Bool term: the concrete state `init` as constraints on a fresh initial
 * symbolic state (for testing the Z3 instantiation against the evaluator). */
Z3_ast isa_z3_state_is(Z3_context c, const isa_z3_state *st, const isa_state *init);

/* Read a model back into a concrete initial state (for counterexamples):
 * registers, segments, flags, and the memory bytes the model fixes, entered
 * as the state's initial-memory overlay so the evaluator sees the same
 * memory. */
void isa_z3_model_state(Z3_context c, Z3_model m, const isa_z3_state *init,
                        isa_state *out);

#endif

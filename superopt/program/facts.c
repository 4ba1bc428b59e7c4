/* Facts that need no known input (see facts.h). */
#include "program/facts.h"

bool facts_input_independent(const insn *in) {
  if (in->op != OP_XOR && in->op != OP_SUB) return false;
  if (in->nops != 2 || in->prefix) return false;
  const operand *a = &in->o[0], *b = &in->o[1];
  return a->kind == K_REG && b->kind == K_REG && a->size == b->size && a->reg == b->reg;
}

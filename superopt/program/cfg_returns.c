/* Matching each ret with the calls of the functions it returns from (see
 * cfg.h, "Returns"). */
#include <stdlib.h>
#include <string.h>
#include "program/cfg_returns.h"

enum { DEPTH_NONE = -0x7fffffff };   /* not reached */

/* Bytes instruction i pushes (negative: pops) when that is all it does to
 * sp; false when it moves sp otherwise (mov/add sp, leave, enter, lss, a
 * far call or return...).  Calls, rets and int are handled by the walk. */
static bool stack_delta(const insn *in, int *delta) {
  int size = in->size ? in->size : 2;
  *delta = 0;
  switch (in->op) {
  case OP_PUSH: *delta = in->o[0].kind == K_SREG ? 2 : size; return true;
  case OP_POP:
    if (in->o[0].kind == K_REG && in->o[0].reg == R_SP) return false;   /* pop sp */
    *delta = -(in->o[0].kind == K_SREG ? 2 : size);
    return true;
  case OP_PUSHF: *delta = size; return true;
  case OP_POPF: *delta = -size; return true;
  case OP_PUSHA: *delta = 8 * size; return true;
  case OP_POPA: *delta = -8 * size; return true;
  case OP_INT: return true;   /* the handler returns with sp as it was */
  default: {
    isa_effects ef;
    isa_effects_of(in, &ef);
    return !(ef.writes & LOC_R16(R_SP));
  }
  }
}

static bool near_call(const prog_item *it) {
  return it->decoded && it->in.op == OP_CALL && it->in.cc != ISA_FAR;
}

typedef struct {
  const program *p;
  const cfg *g;
  const bool *balanced;   /* per item: a function entry whose rets match */
  int *depth;             /* scratch: bytes pushed since the entry */
  int *stack;             /* scratch: the walk's work list */
} walk;

/* Walk from item e at depth 0 through the function's own code: into every
 * successor, but over a call to the item after it (the callee must be
 * balanced) and not on from a ret.  reach[r] is set for each ret reached.
 * Returns whether the walk is balanced: one depth per item, every ret at
 * depth 0, sp moved only by pushes and pops, only balanced callees. */
static bool walk_from(walk *w, int e, bool *reach) {
  const program *p = w->p;
  for (int i = 0; i < p->n; i++) w->depth[i] = DEPTH_NONE;
  bool ok = true;
  int top = 0;
  w->depth[e] = 0;
  w->stack[top++] = e;
  while (top > 0) {
    int i = w->stack[--top], d = w->depth[i];
    const prog_item *it = &p->it[i];
    const cfg_node *nd = &w->g->node[i];
    if (!it->is_code || !it->decoded) {
      ok = false;
      continue;
    }
    if (it->in.op == OP_RET) {
      reach[i] = true;
      ok = ok && d == 0 && it->in.cc != ISA_FAR;
      continue;
    }
    /* where the walk goes on: over a call to the item after it */
    const int *succ = nd->succ;
    int nsucc = nd->nsucc, after = i + 1;
    if (near_call(it)) {
      if (nd->unknown_succ || nd->nsucc == 0) ok = false;
      for (int k = 0; k < nd->nsucc; k++) ok = ok && w->balanced[nd->succ[k]];
      succ = &after;
      nsucc = after < p->n;
    } else {
      int delta;
      if (!stack_delta(&it->in, &delta) || nd->unknown_succ) ok = false;
      d += delta;
      if (d < 0) ok = false;   /* it popped the return address (pop ax; push bx; ret) */
    }
    for (int k = 0; k < nsucc; k++) {
      int s = succ[k];
      if (w->depth[s] == DEPTH_NONE) {
        w->depth[s] = d;
        w->stack[top++] = s;
      } else if (w->depth[s] != d) {
        ok = false;
      }
    }
  }
  return ok;
}

int cfg_match_returns(const program *p, cfg *g) {
  int n = p->n;
  bool *entry = calloc((size_t)n + 1, 1);    /* a near call's target */
  for (int i = 0; i < n; i++)
    if (near_call(&p->it[i]))
      for (int k = 0; k < g->node[i].nsucc; k++) entry[g->node[i].succ[k]] = true;
  /* an entry also reached from an unknown place (the program's start, an
     address used as a value, after undecoded bytes) may run without a
     call: it is a root, and its rets keep the general rule */
  bool *balanced = calloc((size_t)n + 1, 1);
  for (int i = 0; i < n; i++) balanced[i] = entry[i] && !g->node[i].unknown_pred;
  walk w = {p, g, balanced, malloc(sizeof(int) * ((size_t)n + 1)),
            malloc(sizeof(int) * ((size_t)n + 1))};
  bool *scratch = calloc((size_t)n + 1, 1);
  /* the largest set of balanced functions: drop one that is not, until
     none changes (each callee's balance is part of its callers') */
  for (bool changed = true; changed;) {
    changed = false;
    for (int f = 0; f < n; f++)
      if (balanced[f] && !walk_from(&w, f, scratch)) {
        balanced[f] = false;
        changed = true;
      }
  }
  /* which functions reach each ret, and whether a root or an unbalanced
     function reaches it */
  bool *general = calloc((size_t)n + 1, 1);
  bool **by = calloc((size_t)n + 1, sizeof *by);   /* by[f][r]: f reaches ret r */
  for (int f = 0; f < n; f++) {
    bool root = g->node[f].unknown_pred;
    if (!entry[f] && !root) continue;
    bool *reach = calloc((size_t)n + 1, 1);
    walk_from(&w, f, reach);
    if (!balanced[f])
      for (int r = 0; r < n; r++) general[r] = general[r] || reach[r];
    by[f] = reach;
  }
  int matched = 0;
  for (int r = 0; r < n; r++) {
    cfg_node *nd = &g->node[r];
    if (!p->it[r].decoded || p->it[r].in.op != OP_RET || general[r] || nd->unknown_succ) continue;
    int *succ = NULL, ns = 0;
    for (int c = 0; c + 1 < n; c++) {
      if (!near_call(&p->it[c])) continue;
      bool ours = false;
      for (int k = 0; k < g->node[c].nsucc && !ours; k++) {
        int f = g->node[c].succ[k];
        ours = by[f] && by[f][r];
      }
      if (!ours) continue;
      succ = realloc(succ, sizeof *succ * (size_t)(ns + 1));
      succ[ns++] = c + 1;
    }
    if (ns == 0) {   /* no call reaches it: dead code, keep the rule */
      free(succ);
      continue;
    }
    free(nd->succ);
    nd->succ = succ;
    nd->nsucc = ns;
    nd->ret_matched = true;
    matched++;
  }
  for (int f = 0; f < n; f++) free(by[f]);
  free(by);
  free(general);
  free(scratch);
  free(w.depth);
  free(w.stack);
  free(balanced);
  free(entry);
  return matched;
}

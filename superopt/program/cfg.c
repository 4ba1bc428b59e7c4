/* Building the CFG over listing items (see cfg.h for the edge rules). */
#include <stdlib.h>
#include <string.h>
#include "program/cfg.h"

bool cfg_is_insn(const program *p, int i) {
  return i >= 0 && i < p->n && p->it[i].is_code && p->it[i].decoded;
}

static void add_succ(cfg_node *nd, int s) {
  for (int k = 0; k < nd->nsucc; k++)
    if (nd->succ[k] == s) return;
  nd->succ = realloc(nd->succ, sizeof *nd->succ * (size_t)(nd->nsucc + 1));
  nd->succ[nd->nsucc++] = s;
}

/* Item a K_REL operand lands on, or -1 (outside, or inside an item). */
static int rel_target(const program *p, int i) {
  const insn *in = &p->it[i].in;
  for (int o = 0; o < in->nops; o++)
    if (in->o[o].kind == K_REL) {
      /* IP wraps inside the 64 KiB segment */
      int64_t t = (int64_t)(uint16_t)(p->it[i].off + p->org + (uint32_t)p->it[i].len +
                                      (uint32_t)in->o[o].disp) - (int64_t)p->org;
      if (t < 0) return -1;
      return program_item_at(p, (uint32_t)t);
    }
  return -1;
}

static bool has_rel(const insn *in) {
  for (int o = 0; o < in->nops; o++)
    if (in->o[o].kind == K_REL) return true;
  return false;
}

void cfg_build(const program *p, cfg *g) {
  memset(g, 0, sizeof *g);
  g->n = p->n;
  g->node = calloc((size_t)p->n + 1, sizeof *g->node);
  /* return sites: after every call-like item (calls, undecoded code) */
  bool *ret_site = calloc((size_t)p->n + 1, 1);
  for (int i = 0; i + 1 < p->n; i++) {
    const prog_item *it = &p->it[i];
    if ((it->decoded && it->in.op == OP_CALL) || (it->is_code && !it->decoded)) {
      ret_site[i + 1] = true;
      g->nret_sites++;
    }
  }
  for (int i = 0; i < p->n; i++) {
    cfg_node *nd = &g->node[i];
    const prog_item *it = &p->it[i];
    bool falls = i + 1 < p->n;
    if (!it->is_code) {             /* data: control must not get here */
      nd->unknown_succ = true;
      continue;
    }
    if (!it->decoded) {             /* unknown meaning: may go anywhere */
      nd->unknown_succ = true;
      if (falls) add_succ(nd, i + 1);
      continue;
    }
    int t;
    switch (it->in.op) {
    case OP_JMP:
      t = has_rel(&it->in) ? rel_target(p, i) : -1;
      if (t >= 0) add_succ(nd, t);
      else nd->unknown_succ = true;
      break;
    case OP_JCC: case OP_LOOP: case OP_LOOPE: case OP_LOOPNE: case OP_JCXZ:
      t = rel_target(p, i);
      if (t >= 0) add_succ(nd, t);
      else nd->unknown_succ = true;
      if (falls) add_succ(nd, i + 1);
      break;
    case OP_CALL:
      t = has_rel(&it->in) ? rel_target(p, i) : -1;
      if (t >= 0) add_succ(nd, t);
      else nd->unknown_succ = true;
      break;
    case OP_RET:
      for (int k = 0; k < p->n; k++)
        if (ret_site[k]) add_succ(nd, k);
      if (g->nret_sites == 0) nd->unknown_succ = true;
      break;
    case OP_INT: case OP_HLT:
      if (falls) add_succ(nd, i + 1);
      else nd->unknown_succ = true;
      break;
    default: {                      /* ordinary instructions */
      /* a control transfer the rules above do not know (iret, a far jump
       * or return, as the model learns them): it may go anywhere, and may
       * come back to the next item */
      isa_effects ef;
      isa_effects_of(&it->in, &ef);
      if (falls) add_succ(nd, i + 1);
      if (!falls || ef.branch) nd->unknown_succ = true;
      break;
    }
    }
  }
  /* unknown entries */
  for (int i = 0; i < p->n; i++) {
    cfg_node *nd = &g->node[i];
    if (i == 0 || p->it[i].addr_taken) nd->unknown_pred = true;
    if (i > 0 && (!p->it[i - 1].is_code || !p->it[i - 1].decoded)) nd->unknown_pred = true;
  }
  /* predecessors (CSR) */
  g->pred_start = calloc((size_t)p->n + 2, sizeof *g->pred_start);
  for (int i = 0; i < p->n; i++)
    for (int k = 0; k < g->node[i].nsucc; k++) g->pred_start[g->node[i].succ[k] + 1]++;
  for (int i = 0; i < p->n; i++) g->pred_start[i + 1] += g->pred_start[i];
  g->pred = malloc(sizeof *g->pred * ((size_t)g->pred_start[p->n] + 1));
  int *fill = calloc((size_t)p->n + 1, sizeof *fill);
  for (int i = 0; i < p->n; i++)
    for (int k = 0; k < g->node[i].nsucc; k++) {
      int s = g->node[i].succ[k];
      g->pred[g->pred_start[s] + fill[s]++] = i;
    }
  free(fill);
  /* basic blocks */
  int b = -1;
  for (int i = 0; i < p->n; i++) {
    cfg_node *nd = &g->node[i];
    bool lead = i == 0 || nd->unknown_pred || p->it[i].labeled || ret_site[i];
    if (!lead) {
      const cfg_node *pv = &g->node[i - 1];
      /* i continues the block only when it is the sole successor of i-1
       * and i-1 is its sole predecessor */
      bool sole = pv->nsucc == 1 && pv->succ[0] == i && !pv->unknown_succ &&
                  g->pred_start[i + 1] - g->pred_start[i] == 1;
      lead = !sole;
    }
    nd->leader = lead;
    if (lead) b++;
    nd->block = b;
  }
  g->nblocks = b + 1;
  free(ret_site);
}

void cfg_free(cfg *g) {
  for (int i = 0; i < g->n; i++) free(g->node[i].succ);
  free(g->node);
  free(g->pred_start);
  free(g->pred);
  memset(g, 0, sizeof *g);
}

/* Building the CFG over listing items (see cfg.h for the edge rules). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "program/cfg.h"
#include "program/cfg_returns.h"

bool cfg_is_insn(const program *p, int i) {
  return i >= 0 && i < p->n && p->it[i].is_code && p->it[i].decoded;
}

static void add_succ(cfg_node *nd, int s) {
  for (int k = 0; k < nd->nsucc; k++)
    if (nd->succ[k] == s) return;
  nd->succ = realloc(nd->succ, sizeof *nd->succ * (size_t)(nd->nsucc + 1));
  nd->succ[nd->nsucc++] = s;
}

int cfg_rel_target(const program *p, int i) {
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

static bool is_indirect_near(const insn *in) {
  return (in->op == OP_JMP || in->op == OP_CALL) && in->cc == ISA_NEAR && in->nops == 1 &&
         (in->o[0].kind == K_REG || in->o[0].kind == K_MEM);
}

/* Mark the code items whose address some item holds as a relocated value
 * (taken[]) and count them; -1 when such a value points inside an
 * instruction, where a transfer could land without an item to go to
 * (*inside: the item holding it). */
static int taken_code(const program *p, bool *taken, int *inside) {
  int n = 0;
  for (int i = 0; i < p->n; i++)
    for (int r = 0; r < p->it[i].nrval; r++) {
      uint32_t v = p->it[i].rval[r];
      int t = program_item_at(p, v);
      if (t >= 0) {
        if (p->it[t].is_code && !taken[t]) {
          taken[t] = true;
          n++;
        }
        continue;
      }
      t = program_item_containing(p, v);
      if (t >= 0 && p->it[t].is_code) {
        *inside = i;
        return -1;
      }
    }
  return n;
}

/* Can item j be reached other than by falling from j-1? */
static bool other_entry(const program *p, const bool *ret_site, int j) {
  if (j == 0 || p->it[j].labeled || p->it[j].addr_taken || ret_site[j] || !cfg_is_insn(p, j - 1))
    return true;
  isa_effects ef;
  isa_effects_of(&p->it[j - 1].in, &ef);
  return ef.branch;
}

/* The item before i, in the straight line that only falls into i, that
 * last writes 16-bit register r; -1 when the line starts first. */
static int last_write(const program *p, const bool *ret_site, int i, int r) {
  for (int j = i; !other_entry(p, ret_site, j); j--) {
    isa_effects ef;
    isa_effects_of(&p->it[j - 1].in, &ef);
    if (ef.writes & LOC_R16(r)) return j - 1;
  }
  return -1;
}

/* Successors of an indirect near jmp/call i (rules in cfg.h). */
static void indirect_succ(const program *p, const bool *ret_site, const bool *taken, int ntaken,
                          int i, cfg_node *nd) {
  const operand *o = &p->it[i].in.o[0];
  nd->indirect = CFG_IND_ANYWHERE;
  nd->unknown_succ = true;
  if (o->kind == K_REG) {
    int k = o->size == 2 ? last_write(p, ret_site, i, o->reg) : -1;
    const insn *w = k >= 0 ? &p->it[k].in : NULL;
    if (!w || w->op != OP_MOV || w->o[0].kind != K_REG || w->o[0].size != 2 ||
        w->o[0].reg != o->reg || w->o[1].kind != K_IMM)
      return;
    nd->loaded_by = k;
    uint32_t v = (uint16_t)w->o[1].disp;
    int t = v >= p->org ? program_item_at(p, v - p->org) : -1;
    if (t < 0 || !p->it[t].is_code) return;
    add_succ(nd, t);
    nd->indirect = CFG_IND_LOADED;
    nd->unknown_succ = false;
    return;
  }
  if (ntaken <= 0) return;
  for (int t = 0; t < p->n; t++)
    if (taken[t]) add_succ(nd, t);
  nd->indirect = CFG_IND_TAKEN;
  nd->unknown_succ = false;
}

void cfg_build(const program *p, cfg *g) { cfg_build_with(p, true, g); }

void cfg_build_with(const program *p, bool indirect_targets, cfg *g) {
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
  bool *taken = calloc((size_t)p->n + 1, 1);
  g->assume_taken = indirect_targets;
  g->taken_inside = -1;
  int ntaken = taken_code(p, taken, &g->taken_inside);
  g->ntaken = indirect_targets && ntaken > 0 ? ntaken : 0;
  for (int i = 0; i < p->n; i++) {
    cfg_node *nd = &g->node[i];
    const prog_item *it = &p->it[i];
    bool falls = i + 1 < p->n;
    nd->loaded_by = -1;
    if (it->decoded && is_indirect_near(&it->in)) {
      indirect_succ(p, ret_site, taken, g->ntaken, i, nd);
      continue;
    }
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
      t = has_rel(&it->in) ? cfg_rel_target(p, i) : -1;
      if (t >= 0) add_succ(nd, t);
      else nd->unknown_succ = true;
      break;
    case OP_JCC: case OP_LOOP: case OP_LOOPE: case OP_LOOPNE: case OP_JCXZ:
      t = cfg_rel_target(p, i);
      if (t >= 0) add_succ(nd, t);
      else nd->unknown_succ = true;
      if (falls) add_succ(nd, i + 1);
      break;
    case OP_CALL:
      t = has_rel(&it->in) ? cfg_rel_target(p, i) : -1;
      if (t >= 0) add_succ(nd, t);
      else nd->unknown_succ = true;
      break;
    case OP_RET:
      /* a return site, or an address the program pushed (`push ax; ret`
         with ax = a label): every code item whose address it takes */
      for (int k = 0; k < p->n; k++)
        if (ret_site[k] || taken[k]) add_succ(nd, k);
      if (ntaken < 0) nd->unknown_succ = true;
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
  g->nret_matched = cfg_match_returns(p, g);
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
  free(taken);
}

/* The name of the first label at item t (not an equ before it), or "" */
static const char *label_at(const program *p, int t) {
  for (int k = 0; k < p->nlabels; k++)
    if (p->labels[k].item == t && !program_label_is_equ(p, k)) return p->labels[k].name;
  return "";
}

void cfg_indirect_text(const program *p, const cfg *g, int i, char *buf, size_t n) {
  const cfg_node *nd = &g->node[i];
  const operand *o = &p->it[i].in.o[0];
  const char *reg = o->kind == K_REG ? isa_reg_name(o->size, o->reg) : "";
  int w = 0;
  buf[0] = 0;
  switch (nd->indirect) {
  case CFG_IND_NONE:
    return;
  case CFG_IND_LOADED:
    snprintf(buf, n, "-> %s (line %d; %s loaded on line %d)", label_at(p, nd->succ[0]),
             p->it[nd->succ[0]].line, reg, p->it[nd->loaded_by].line);
    return;
  case CFG_IND_TAKEN:
    w = snprintf(buf, n, "-> %d address-taken code label%s (assumed):", nd->nsucc,
                 nd->nsucc == 1 ? "" : "s");
    for (int k = 0; k < nd->nsucc && w >= 0 && (size_t)w < n; k++) {
      const char *name = label_at(p, nd->succ[k]);
      if (name[0]) w += snprintf(buf + w, n - (size_t)w, " %s", name);
      else w += snprintf(buf + w, n - (size_t)w, " line %d", p->it[nd->succ[k]].line);
    }
    return;
  case CFG_IND_ANYWHERE:
    if (nd->loaded_by >= 0)
      snprintf(buf, n, "-> anywhere (%s loaded on line %d with no code item's address)", reg,
               p->it[nd->loaded_by].line);
    else if (o->kind == K_REG)
      snprintf(buf, n, "-> anywhere (%s not loaded with a constant in its block)", reg);
    else if (!g->assume_taken)
      snprintf(buf, n, "-> anywhere (the address-taken assumption is off)");
    else if (g->taken_inside >= 0)
      snprintf(buf, n, "-> anywhere (line %d takes an address inside an instruction)",
               p->it[g->taken_inside].line);
    else
      snprintf(buf, n, "-> anywhere (no code label's address is taken)");
    return;
  }
}

void cfg_free(cfg *g) {
  for (int i = 0; i < g->n; i++) free(g->node[i].succ);
  free(g->node);
  free(g->pred_start);
  free(g->pred);
  memset(g, 0, sizeof *g);
}

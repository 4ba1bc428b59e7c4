/* The control-flow graph of a program, one node per listing item.
 *
 * Edges: fall-through, jump/jcc/loop/jcxz targets, call -> callee, and
 * ret -> every return site (the item after each call).  That last rule is
 * context-insensitive and assumes each `ret` returns to the item after some
 * call (no return-address tricks); it is what lets liveness flow through
 * calls instead of making everything live at each one.
 *
 * A node may also continue at an unknown place (indirect jump or call,
 * bytes the model does not decode, falling into data): then everything is
 * live after it.  A node may be entered from an unknown place (the entry,
 * an address used as a value, after undecoded bytes): then no fact holds
 * on entry. */
#ifndef SUPEROPT_PROGRAM_CFG_H
#define SUPEROPT_PROGRAM_CFG_H

#include "program/listing.h"

typedef struct {
  int *succ;          /* item indices */
  int nsucc;
  bool unknown_succ;
  bool unknown_pred;
  bool leader;        /* starts a basic block */
  int block;          /* basic block number */
} cfg_node;

typedef struct {
  cfg_node *node;     /* one per item */
  int n;
  int nblocks;
  int *pred_start;    /* preds of i: pred[pred_start[i] .. pred_start[i+1]) */
  int *pred;
  int nret_sites;
} cfg;

void cfg_build(const program *p, cfg *g);
void cfg_free(cfg *g);

/* Is item i an instruction with a known meaning (decoded code)? */
bool cfg_is_insn(const program *p, int i);

#endif

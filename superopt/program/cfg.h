/* The control-flow graph of a program, one node per listing item.
 *
 * Edges: fall-through, jump/jcc/loop/jcxz targets, call -> callee, and
 * ret -> every return site (the item after each call) and every code item
 * whose address the program takes as a value (a `push ax; ret` with ax a
 * label goes there; a taken address inside an instruction: anywhere).
 * That rule is context-insensitive and assumes each `ret` returns to one of
 * those (no return address computed otherwise); it is what lets liveness
 * flow through calls instead of making everything live at each one.
 * Most rets are narrowed further to the calls of their own function
 * (program/cfg_returns.h).
 *
 * An indirect near jump or call (`jmp bx`, `call word [di]`) gets its
 * successors from what the program shows:
 *  - through a register loaded with a constant earlier in its block (`mov
 *    bx, label` and no write of bx in between): the item at that address,
 *    exactly; a constant that is no code item's address (outside the
 *    image, inside data or an instruction) goes anywhere;
 *  - through memory (a table of `dw label`): every code item whose address
 *    the program holds as a relocated value (`dw label`, `mov si, label`,
 *    `[label]`).  This assumes, like the ret rule, that an indirect
 *    transfer through memory lands on a code label whose address the
 *    program takes as a value; it is dropped (the transfer goes anywhere)
 *    when no code label is taken, when a taken address points inside an
 *    instruction, or when the caller turns the assumption off.
 *  - through a register the block does not load with a constant: anywhere.
 *    The three real programs show why no table is assumed there: the
 *    register holds an address computed at run time (a Forth's threaded
 *    code walks a dictionary whose code fields no `dw` names; an OS jumps
 *    to a program it loaded).
 *
 * A node may also continue at an unknown place (an indirect transfer as
 * above, bytes the model does not decode, falling into data): then
 * everything is live after it, and liveness carries that only to what
 * reaches the node.  A node may be entered from an unknown place (the
 * entry, an address used as a value, after undecoded bytes): then no fact
 * holds on entry. */
#ifndef SUPEROPT_PROGRAM_CFG_H
#define SUPEROPT_PROGRAM_CFG_H

#include "program/listing.h"

/* How an indirect near jmp/call got its successors (rules above). */
typedef enum {
  CFG_IND_NONE,       /* not an indirect near transfer */
  CFG_IND_LOADED,     /* register loaded with a code item's address: that item */
  CFG_IND_TAKEN,      /* through memory: every address-taken code item (assumed) */
  CFG_IND_ANYWHERE,   /* nothing the program shows: unknown_succ */
} cfg_indirect;

typedef struct {
  int *succ;          /* item indices */
  int nsucc;
  bool unknown_succ;
  bool unknown_pred;
  bool leader;        /* starts a basic block */
  int block;          /* basic block number */
  cfg_indirect indirect;
  int loaded_by;      /* CFG_IND_LOADED / ANYWHERE: the item that loaded the
                         register with a constant, else -1 */
  bool ret_matched;   /* a ret that goes back only to its own calls
                         (cfg_returns.h) */
} cfg_node;

typedef struct {
  cfg_node *node;     /* one per item */
  int n;
  int nblocks;
  int *pred_start;    /* preds of i: pred[pred_start[i] .. pred_start[i+1]) */
  int *pred;
  int nret_sites;
  int nret_matched;   /* rets matched with their calls (cfg_returns.h) */
  int ntaken;         /* code items whose address is taken (CFG_IND_TAKEN's
                         successors; 0 when that rule is off or dropped) */
  bool assume_taken;  /* the address-taken assumption was asked for */
  int taken_inside;   /* an item holding an address inside an instruction
                         (the assumption dropped), or -1 */
} cfg;

/* indirect_targets: apply the address-taken assumption to indirect
 * transfers through memory (false: they go anywhere).  cfg_build: true. */
void cfg_build_with(const program *p, bool indirect_targets, cfg *g);
void cfg_build(const program *p, cfg *g);
void cfg_free(cfg *g);

/* What indirect transfer i was given, for a reader: "-> start (bx loaded
 * on line 3)", "-> 7 address-taken code labels (assumed): a b ...",
 * "-> anywhere (...)"; "" when i is not an indirect near transfer. */
void cfg_indirect_text(const program *p, const cfg *g, int i, char *buf, size_t n);

/* The item item i's K_REL operand lands on (ip wraps in the 64 KiB
 * segment), or -1 (outside the image, or inside an item). */
int cfg_rel_target(const program *p, int i);

/* Is item i an instruction with a known meaning (decoded code)? */
bool cfg_is_insn(const program *p, int i);

#endif

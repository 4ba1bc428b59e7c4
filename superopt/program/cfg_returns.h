/* Returns matched with calls: a `ret` of a function that only ever runs
 * from its calls and leaves the stack as it found it goes back only to
 * the items after those calls, not to every return site.
 *
 * A function here is the code a near call's target reaches, stepping over
 * the calls it makes (to the item after each) and stopping at rets.  It is
 * balanced when every item of it has one stack depth (bytes pushed since
 * the entry, by push/pop/pushf/popf/pusha/popa alone), that depth never
 * drops below 0 (the return address is never popped), every ret it reaches
 * is at depth 0, and every function it calls is balanced.  A ret reached
 * only from balanced functions, none of them entered from an unknown place
 * (the program's start, an address used as a value, after undecoded bytes)
 * nor reached from such a place, returns to the items after the calls of
 * those functions.  This assumes, beyond the ret rule of cfg.h, that no
 * store writes the stack word a call pushed.  Every other ret keeps the
 * rule of cfg.h. */
#ifndef SUPEROPT_PROGRAM_CFG_RETURNS_H
#define SUPEROPT_PROGRAM_CFG_RETURNS_H

#include "program/cfg.h"

/* Narrow the successors of the rets that qualify (cfg_node.ret_matched);
 * g's unknown_pred must be set, its predecessor lists not yet built.
 * Returns how many rets were matched. */
int cfg_match_returns(const program *p, cfg *g);

#endif

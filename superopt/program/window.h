/* Windows: straight-line runs of searchable instructions inside one basic
 * block, up to a maximum length, each turned into a snippet with its
 * live-out set and assumptions.
 *
 * A window that ends right before the block's conditional branch gets the
 * flags that branch reads as live-out (liveness puts them there), so the
 * branch direction is an output of the window.  A window may also end in
 * that branch (jcc, jcxz, loop, loope, loopne with a known target at or
 * before its start or after its end): its snippet then has a tail, the
 * live sets of both successors and the target's label.  It may also end in
 * a near jmp, call or ret (a displacement to a labelled item, or a target
 * read from a register, memory, the stack): its live-out is what is live
 * where it goes, plus where it goes (LOC_IP).  A window never
 * contains a labelled line except as its first line (a label may be jumped
 * to). */
#ifndef SUPEROPT_PROGRAM_WINDOW_H
#define SUPEROPT_PROGRAM_WINDOW_H

#include "program/liveness.h"

typedef struct {
  int a, b;           /* items a..b inclusive */
  int bytes;
  bool tail;          /* item b is a closing conditional branch ... */
  bool transfer;      /* ... or near jmp, call, ret (tail is set too) ... */
  int target;         /* ... to this item (at or before a, or after b; -1
                         for a transfer whose target is read) */
} window;

/* Why a control transfer closes no window. */
enum {
  CTL_INT,     /* int n, int3, into: the handler is outside the program */
  CTL_FAR,     /* far jmp/call/retf, iret: the model follows no segment change */
  CTL_HLT,     /* hlt: control stops there */
  CTL_ALONE,   /* a 1- or 2-byte closer with nothing searchable before it in
                  its block: no closing form is shorter */
  CTL_OTHER,   /* a target the CFG does not know or with no label, a branch
                  to the next item or into its own window */
  CTL_COUNT
};

typedef struct {
  int items[EX_COUNT];   /* code items by reason (EX_DATA: data items) */
  int bytes[EX_COUNT];
  int code_bytes;        /* bytes of code items */
  int searched_bytes;    /* bytes of code items inside at least one window */
  int tail_items;        /* conditional branches that close windows (not
                            counted as left out under EX_CONTROL) */
  int tail_bytes;
  int transfer_items;    /* near jmp, call, ret that close windows (the same) */
  int transfer_bytes;
  int ctl_items[CTL_COUNT];   /* the control transfers left out, by why */
  int ctl_bytes[CTL_COUNT];
  int data_bytes;
} window_stats;

/* All windows of at most max_len instructions, ordered by start then length.
 * Fills stats with the reasons items were left out. */
int window_list(const program *p, const cfg *g, int max_len, window **out, window_stats *stats);

/* The snippet for a window: code, source lines, live-out, assumptions. */
void window_snippet(const program *p, const liveness *lv, const window *w, snippet *s);

#endif

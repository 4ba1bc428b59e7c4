/* Liveness of registers (per locset part), flags and memory across the CFG,
 * and facts that hold on entry to each item on every path (registers and
 * segment registers with a known constant value, the direction flag).
 *
 * Liveness is backward may-analysis: memory is never killed, anything with
 * an unknown successor has everything live after it, `int` reads every
 * register, segment register, DF and memory (a BIOS or DOS service may
 * look at any of them; none takes an input in the status flags, a
 * documented assumption), data and undecoded bytes read everything.  A write kills only what
 * it always writes, the effects' must-writes (a shift by cl, a bsf, a rep
 * string op may leave their targets alone).
 *
 * Facts are forward must-analysis, evaluated with the model's own
 * evaluator: an instruction whose register inputs are all known and that
 * reads no memory and no status flag produces known outputs.  `int` keeps
 * the segment registers except es and the direction flag (a documented
 * assumption about BIOS services) and forgets everything else.  DF=0 holds
 * everywhere when the program has no `std` (the boot state); otherwise it
 * is tracked from DF=0 at the entry. */
#ifndef SUPEROPT_PROGRAM_LIVENESS_H
#define SUPEROPT_PROGRAM_LIVENESS_H

#include "program/cfg.h"
#include "program/snippet.h"

typedef struct {
  locset known;       /* parts of registers, segments, LOC_DF with a known value,
                         and status flags a branch edge tested */
  uint32_t r[8];
  uint16_t s[6];
  uint8_t df;
  uint32_t flags;     /* F_* bits of the known status flags */
} prog_facts;

typedef struct {
  locset *live_in, *live_out;   /* per item */
  prog_facts *facts;            /* on entry to each item */
  int n;
} liveness;

void liveness_compute(const program *p, const cfg *g, liveness *lv);
void liveness_free(liveness *lv);

/* Registers/flags items a..b read before writing them. */
locset liveness_upward_reads(const program *p, int a, int b);

/* Assumptions for the window a..b from the facts on entry to a, limited
 * to what the window reads before writing.  Returns how many were added. */
int liveness_assumptions(const program *p, const liveness *lv, int a, int b,
                         assumption *out, int max);

#endif

/* What the Intel SDM leaves undefined, written from the manual's instruction
 * pages (vol. 2, "Flags Affected" and "Operation") and its EFLAGS
 * cross-reference (vol. 1, appendix A), not from superopt/isa/isa_sem.def.
 *
 * The oracles compare every output the table does not call undefined, and
 * tests/isa/test_sdm_undef.c requires the model's effects instantiation to
 * leave undefined exactly what the table does, for every form and size: a
 * model that calls too much undefined lets anything match an original, one
 * that calls too little lets a rewrite lean on a value no CPU promises. */
#ifndef ORACLE_SDM_UNDEF_H
#define ORACLE_SDM_UNDEF_H

#include <stdbool.h>
#include <stdint.h>
#include "isa/isa.h"

/* When a rule applies.  "count" is the masked count (count & 0x1f), read
 * from the immediate or from cl. */
typedef enum {
  SDM_ALWAYS,
  SDM_COUNT_NZ,      /* count != 0 */
  SDM_COUNT_GT1,     /* count > 1 */
  SDM_COUNT_GE_W,    /* count >= operand width */
  SDM_COUNT_GT_W,    /* count > operand width */
  SDM_SRC_ZERO,      /* the source operand is 0 */
} sdm_when;

typedef struct {
  isa_op op;
  sdm_when when;
  uint32_t flags;      /* F_* left undefined */
  bool dest;           /* the destination (the whole result) is undefined */
  const char *cite;    /* the manual's page and paragraph */
} sdm_rule;

extern const sdm_rule sdm_rules[];
extern const int sdm_nrules;

typedef struct {
  uint32_t flags;      /* F_* undefined by the rules without `dest` */
  bool dest;           /* the destination, and with it the whole result, is
                          undefined (the model poisons the state) */
  const char *cite;    /* first rule that applied, or NULL */
} sdm_undef;

/* What `in` leaves undefined when run from `init` (the count in cl and a
 * bsf/bsr source are read from it). */
sdm_undef sdm_undef_at(const insn *in, const isa_state *init);

/* What `in` may leave undefined from some state: a rule with an immediate
 * count is decided, one with a count in cl or a value-dependent condition
 * counts when some value meets it. */
sdm_undef sdm_undef_may(const insn *in);

#endif

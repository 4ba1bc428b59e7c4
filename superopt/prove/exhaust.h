/* The second proof kind: for sequences that read at most 24 free input bits
 * (no memory reads), evaluate every input and compare.  Written as
 * <hash>.exh: the inputs enumerated, the fixed rest of the state, the count,
 * so an audit can re-run the same inputs on another emulator. */
#ifndef SUPEROPT_PROVE_EXHAUST_H
#define SUPEROPT_PROVE_EXHAUST_H

#include "program/snippet.h"

#define EXHAUST_MAX_BITS 24

typedef enum { EXH_NOT_ELIGIBLE, EXH_EQUAL, EXH_DIFFER } exh_verdict;

/* Evaluate every input; on EXH_DIFFER *cex is a differing initial state. */
exh_verdict exhaust_check(const snippet *s, const insn *cand, int n, uint64_t *count,
                          isa_state *cex);

/* Write dir/<hash>.exh describing the enumeration just done. */
bool exhaust_write(const char *dir, const snippet *s, const insn *cand, int n, uint64_t count,
                   char *path, size_t pathn, char *why, size_t whyn);

#endif

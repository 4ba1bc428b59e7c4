/* Helpers for the evaluator tests: decode hex text and run it. */
#ifndef TESTS_ISA_RUN_H
#define TESTS_ISA_RUN_H

#include "isa/isa.h"

/* Hex text ("04 01 f8") to bytes; returns the count (asserting it fits). */
size_t run_bytes(const char *hex, uint8_t *b, size_t max);
/* Decode all of `hex` ("04 01 f8") into seq (asserting every byte decodes);
 * returns the count. */
int run_decode(const char *hex, insn *seq, int max);
/* Decode and execute on *st. */
void run_hex(isa_state *st, const char *hex);

#define AL(st) ((st)->r[R_AX] & 0xff)
#define AX(st) ((st)->r[R_AX] & 0xffff)
#define FL(st, f) (((st)->flags & (f)) != 0)
#define UNDEF(st, f) (((st)->undef & (f)) != 0)

#endif

/* Random instructions of every operation, for the encoder/decoder/printer
 * and semantics tests, generated from the form table: a row of the
 * operation is instantiated (isa_form_insn) and its free operands drawn
 * from a pool (registers, memory operands in every 16-bit addressing mode
 * and some 32-bit ones, segment overrides, immediates, jump targets); an
 * instance is kept when the encoder accepts it.  A row added to the table
 * is sampled without this file changing. */
#ifndef TESTS_ISA_SAMPLE_H
#define TESTS_ISA_SAMPLE_H

#include <stdint.h>
#include "isa/isa.h"

typedef struct { uint64_t s; } sample_rng;
uint64_t sample_next(sample_rng *r);   /* splitmix64 */

/* Up to `max` distinct encodable instructions of operation `op`, each
 * encoded (len set).  Returns how many. */
int sample_op(isa_op op, sample_rng *r, insn *out, int max);

/* A random machine state: a quarter of the values special (0, 1, 0x7f,
 * 0x80, 0xff, 0x7fff, 0x8000, 0xffff, ...), counts in cl often 0..40. */
void sample_state(sample_rng *r, isa_state *st);

#endif

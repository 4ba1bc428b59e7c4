/* Internal to isa/: small lookup tables shared by the instantiations. */
#ifndef SUPEROPT_ISA_TABLES_H
#define SUPEROPT_ISA_TABLES_H

#include <stdint.h>

/* 1 when the byte has an even number of set bits (the PF value) */
extern const uint8_t isa_parity_even[256];

/* The seed-derived initial memory byte, as 32-bit arithmetic that the Z3
 * instantiation can restate (isa_z3.c builds the same function). */
#define ISA_MEM_MUL1 0x9E3779B1u
#define ISA_MEM_MUL2 0x85EBCA6Bu
#define ISA_MEM_MUL3 0xC2B2AE35u

#endif

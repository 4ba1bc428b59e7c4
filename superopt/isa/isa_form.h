/* Internal to isa/: facts about encodings shared by encode, decode and
 * print (opcode groups in their /digit order, default segments). */
#ifndef SUPEROPT_ISA_FORM_H
#define SUPEROPT_ISA_FORM_H

#include "isa/isa.h"

/* the eight ALU operations in opcode order (00, 08, 10 ... 38; 80 /n) */
extern const uint8_t isa_alu_ops[8];
/* shifts and rotates in /digit order of C0/C1/D0-D3 (/6 is unused) */
extern const uint8_t isa_shift_ops[8];

/* the segment an address uses without an override: ss for bp/ebp/esp bases */
static inline int isa_default_seg(const operand *o) {
  if (o->addr32) {
    /* [r*1] and [r*2] without a base are encoded (as nasm does) with r as base */
    int b = o->base >= 0 ? o->base : (o->index >= 0 && o->scale <= 2 ? o->index : -1);
    return (b == R_SP || b == R_BP) ? S_SS : S_DS;
  }
  return (o->base == R_BP || o->index == R_BP) ? S_SS : S_DS;
}

/* the immediate masked to `size` bytes */
static inline uint32_t isa_imm_value(int32_t v, int size) {
  return size == 1 ? (uint32_t)v & 0xffu : size == 2 ? (uint32_t)v & 0xffffu : (uint32_t)v;
}

#endif

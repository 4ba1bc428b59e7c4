/* Internal to isa/: facts about encodings shared by encode, decode and
 * print (default segments, immediates, operand sizes of a row). */
#ifndef SUPEROPT_ISA_FORM_H
#define SUPEROPT_ISA_FORM_H

#include "isa/isa.h"

/* the form table (isa_forms.c), for the encoder's inner loop */
extern const isa_form isa_forms[];
extern const size_t isa_nforms;

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

/* the size of operand i of a row: its own where the row names one (movzx's
 * source), else the operation's */
static inline int isa_form_operand_size(const isa_form *f, int i) {
  return f->osize[i] ? f->osize[i] : f->size;
}

#endif

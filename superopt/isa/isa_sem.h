/* Internal to isa/: what the one semantic description (isa_sem.def) is
 * written against.  Each instantiation (isa_eval.c concrete, isa_z3.c
 * symbolic, isa_effects.c read/write sets) defines, before including
 * isa_sem.def:
 *
 *   types   V   a bit-vector value of a width known from context
 *           C   a condition (truth value)
 *           X   pointer to the instantiation's context, always named `x`
 *   values  K(w,c)  ADD SUB AND OR XOR MUL UDIV UREM SDIV SREM (w,a,b)
 *           NOT NEG (w,a)   SHL LSHR ASHR (w,a,b: b same width, any value)
 *           ZX SX (from,to,a)   EXT(hi,lo,a)   CAT(wh,h,wl,l)   ITE(c,a,b)
 *           C2V(w,c)
 *   tests   EQ NE ULT ULE SLT SLE (w,a,b)   MSB(w,a)   BIT(w,a,i)
 *           PAR(a) (even parity of the low 8 bits: the PF value)
 *           CAND COR CXOR (a,b)  CNOT(a)  CTRUE CFALSE
 *   state   REG(w,n) SETREG(w,n,v)   SREG(s) SETSREG(s,v)
 *           FLAG(f) (reading an undefined flag poisons the state)
 *           FLAGC(c,f) (the same, poisoning only where c holds)
 *           SETF(f,c) UNDEF(f) SETF_IF(c,f,v) UNDEF_IF(c,f)
 *           MRD8(lin) MWR8(lin,v) (one byte at a 32-bit linear address)
 *           SYM(k) (16 bits: the value of symbolic constant k, an input)
 *           FAULT_IF(c,code) POISON_IF(c) UNSUPPORTED() TOUCH_ALL()
 *           SETBR(c) (a conditional branch: taken when c holds, LOC_BR)
 *           SETIP(v) (16 bits: where a closing transfer goes, LOC_IP)
 *           NEXTIP() (16 bits: the address after the window, an input)
 *
 * The description branches in C only on static facts of the instruction
 * (operation, size, operand kinds), never on a V or C: that is what lets
 * one text serve all instantiations. */
#ifndef SUPEROPT_ISA_SEM_H
#define SUPEROPT_ISA_SEM_H

#include "isa/isa.h"
#include "isa/isa_form.h"

/* flag indices FL_*, isa_flag_bit and isa_flag_loc are in isa.h */

/* Operations that can fault (or refuse to evaluate) with only register,
 * immediate and segment operands: the evaluator saves the state for these
 * and for any instruction with a memory operand or a prefix.  Generated from
 * the description at build time (gen/may_fault.c). */
extern const bool isa_op_may_fault[OP_COUNT];
/* The same fact from the description itself (effects instantiation), for
 * tests that check the table. */
bool isa_sem_may_fault(const insn *in);

#ifndef SEM_MUTATION
#define SEM_MUTATION 0
#endif

#endif

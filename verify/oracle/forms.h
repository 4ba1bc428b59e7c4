/* The instruction forms the live oracles exercise, as byte templates, and the
 * generator of random instances and machine states for them.
 *
 * Forms are described by their bytes, not by the model's insn structures, so
 * that the oracles test the model's decoder as well as its semantics and do
 * not share its assumptions: a template names the opcode, the ModRM kind
 * (register, memory, either) and the immediates; random instances fill in
 * registers, addressing modes, displacements and segment overrides. */
#ifndef ORACLE_FORMS_H
#define ORACLE_FORMS_H

#include <stdbool.h>
#include <stdint.h>
#include "isa/isa.h"
#include "rng.h"

enum {
  FORM_HOST  = 1u << 0,  /* register-only and valid in 64-bit mode: host CPU */
  FORM_A32   = 1u << 1,  /* 32-bit addressing: keep address registers small */
  FORM_SEG   = 1u << 2,  /* implicit memory operand that takes an override */
  FORM_STACK = 1u << 3,  /* reads the stack at ss:sp */
  FORM_STR   = 1u << 4,  /* string op: ds:si and/or es:di */
  FORM_XLAT  = 1u << 5,  /* reads ds:bx+al */
  FORM_BRANCH = 1u << 6, /* a conditional branch (rel8/rel16): taken is seen
                            in the ip after it */
  FORM_TRANSFER = 1u << 7, /* a near jmp, call, ret: where it goes is seen in
                              the ip after it */
};

#define FORM_NAME_MAX 48
#define FORM_MAX 1024

typedef struct {
  char name[FORM_NAME_MAX];
  char tmpl[48];
  unsigned flags;
} oform;

typedef struct {
  int n;
  oform f[FORM_MAX];
} form_list;

/* Fill `out` with every form (the table lives in forms.c). */
void forms_build(form_list *out);

/* One random instance of a form as 16-bit-mode bytes.  reg_only forces
 * register ModRM operands ("either" becomes register).  Returns the length. */
int form_instance(const oform *f, rng *g, bool reg_only, uint8_t out[16]);

/* One random instance of a form (bytes in b, *nb of them, bx their hex),
 * decoded leniently into *in.  Returns the decoded length, or -1 when the
 * model does not decode it (with whole: does not read every byte of it);
 * such an instance counts in *nunc, and the first one's reason stays in
 * why (200 bytes). */
int form_decoded(const oform *f, rng *g, bool whole, uint8_t b[16], int *nb, char bx[40],
                 insn *in, int *nunc, char *why);

/* A random initial state for a form: registers, segments, flags and a memory
 * seed.  Address registers stay small for FORM_A32 forms. */
void state_random(rng *g, const oform *f, uint64_t mem_seed, isa_state *st);

/* Put special/random initial bytes into the state's memory overlay at the
 * addresses the instance reads (explicit operand, string source/destination,
 * xlat byte, top of stack), so memory operands see edge values too. */
void state_seed_operands(rng *g, const oform *f, const insn *in, isa_state *st);

/* Linear address of a memory operand in a state. */
uint32_t operand_linear(const isa_state *st, const operand *o);

/* True if the form's template allows a memory ModRM. */
bool form_has_mem(const oform *f);



/* Value of a register or memory operand in a state (K_IMM: the immediate). */
uint32_t operand_value(const isa_state *st, const operand *o);

#endif

/* A snippet: a straight-line instruction sequence with what must be
 * preserved after it (live-out) and what may be assumed before it.
 * Read from a NASM file with `; live-out:` / `; assume:` directives, or
 * built directly from a window of a program. */
#ifndef SUPEROPT_PROGRAM_SNIPPET_H
#define SUPEROPT_PROGRAM_SNIPPET_H

#include "isa/isa.h"

#define SNIPPET_MAX_INSNS 64
#define SNIPPET_MAX_ASSUME 16

/* reg=v, reg<v (unsigned), and `byte [bx+3]=v` / `word [0x7e00]=v` */
typedef enum { ASSUME_EQ, ASSUME_LT, ASSUME_MEM } assume_kind;

typedef struct {
  assume_kind kind;
  locset loc;        /* exactly one register (8/16/32-bit), segment or flag;
                        LOC_MEM for ASSUME_MEM */
  uint32_t value;
} assumption;

typedef struct {
  char path[256];                 /* where it came from (for messages) */
  insn code[SNIPPET_MAX_INSNS];
  int line[SNIPPET_MAX_INSNS];    /* source line of each instruction */
  int n;
  int bytes;                      /* encoded length of code[] as written */
  locset live_out;                /* LOC_ALL when the source names none */
  assumption assume[SNIPPET_MAX_ASSUME];
  int nassume;
  /* for each ASSUME_MEM assumption: the byte or word (size 1 or 2), its
     address in the window's registers at entry */
  operand assume_mem[SNIPPET_MAX_ASSUME];
  /* extension: the exact bytes of code[] as assembled (nraw == bytes), so
     proofs name them even when an encoding is not the encoder's choice;
     nraw 0 when unknown (the encoder's bytes are used then) */
  uint8_t raw[SNIPPET_MAX_INSNS * ISA_MAX_LEN];
  int nraw;
  char warning[448];              /* "FILE:LINE: warning: ..." for a likely
                                     mistake that is still valid (an empty
                                     live-out), empty when none */
  /* the CPU an answer must run on: `; cpu:`, a nasm `cpu` line, --cpu (the
     lowest of those given); snippet_cpu() gives the default without one */
  /* symbolic constants (a window of a program): operand sym k+1 holds the
     address of the label sym_name[k] (index sym_label[k] in the program's
     labels), sym_value[k] in the image the window was cut from */
  int nsym;
  uint16_t sym_value[ISA_NSYM];
  int sym_label[ISA_NSYM];
  char sym_name[ISA_NSYM][64];
  bool has_cpu;
  uint8_t cpu;             /* enum isa_cpu */
  bool no_undocumented;    /* salc, aam/aad imm != 10 are not answers */
  /* A window may end in one conditional branch (jcc, jcxz, loop, loope,
     loopne: code[n-1]) to a fixed target outside it.  Its outcome is the
     state and whether the branch is taken (LOC_BR); live_out then holds
     live_fall | live_taken | LOC_BR: the state is compared on what either
     successor reads.
     It may instead end in a near jmp, call or ret (tail_transfer): always
     taken, and where it goes is compared as well (LOC_IP): a label (the
     target's symbolic constant, on the K_REL operand), the word read, the
     word popped.  live_out then holds what is live where it goes (the
     successors' live-in) | LOC_BR | LOC_IP. */
  bool has_tail;
  bool tail_transfer;
  uint16_t next_ip;        /* the address after the window in the image:
                              what a closing call pushes (the first test
                              state's; the proof's is free) */
  locset live_fall;        /* `; live-out:` (the fall-through's live set) */
  locset live_taken;       /* `; live-taken:` (the target's); LOC_ALL without it */
  int32_t tail_target;     /* the target's offset from the window's start:
                              <= 0 before it, >= bytes after it (the code
                              after the window moves with a shrink) */
  char tail_label[64];     /* the target as the source writes it ("next");
                              empty for a target read from a register,
                              memory or the stack */
} snippet;

/* Point the closing branch of a candidate for s (seq[n-1], when s has a
 * tail and it is a branch) at s's target for the candidate's length.
 * False when the candidate cannot be encoded so (a short branch that no
 * longer reaches). */
bool snippet_place_tail(const snippet *s, insn *seq, int n);
/* The sequence as NASM text, "insn; insn", its closing branch written
 * with the target as the source names it ("loop next"). */
int snippet_seq_text(const snippet *s, const insn *seq, int n, char *buf, size_t bufn);
/* Is the instruction a conditional branch a window may end in? */
bool snippet_tail_form(const insn *in);
/* ... a near jmp, call or ret (16-bit) a window may end in? */
bool snippet_transfer_form(const insn *in);
/* Either of the two: what may close a window. */
bool snippet_closer_form(const insn *in);

/* Read a snippet file: nasm assembles it (so the bytes are nasm's), the
 * bytes are decoded back into the model.  On failure returns false and
 * writes "FILE:LINE: message naming the token" into err. */
bool snippet_read(const char *path, snippet *out, char *err, size_t errn);

/* A memory fact as one instruction: `cmp size [mem], value` (op OP_CMP: the
 * fact holds when it sets ZF without a fault) or `mov size [mem], value`
 * (OP_MOV: making it hold), so the evaluator and Z3 read it through the one
 * semantics. */
insn snippet_fact_insn(const snippet *s, int i, int op);

/* The target CPU level (CPU_386 when nothing names one), and lowering it. */
int snippet_cpu(const snippet *s);
void snippet_limit_cpu(snippet *s, int cpu);

/* Does a concrete initial state satisfy the assumptions? */
bool snippet_assumptions_hold(const snippet *s, const isa_state *st);

#endif

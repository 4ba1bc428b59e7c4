/* Shared by the oracle runners: options, per-oracle tallies, mismatch
 * reporting and the comparison of a model state with an observed one. */
#ifndef ORACLE_ORACLE_H
#define ORACLE_ORACLE_H

#include <stdbool.h>
#include <stdint.h>
#include "isa/isa.h"
#include "forms.h"
#include "sdm_undef.h"
#include "repro.h"
#include <stdio.h>

enum { O_REPLAY, O_HOST, O_UNICORN, O_Z3, O_NASM, O_CAPSTONE, O_COUNT };

typedef struct {
  uint64_t seed;
  int states;          /* per form, host and Unicorn */
  int z3_states;       /* per form, Z3 vs evaluator */
  int asm_samples;     /* per form, nasm and Capstone */
  int replay_limit;    /* tests per 80286 form, 0 = all */
  const char *oracle_dir;
  unsigned which;      /* bit per O_* */
  bool stop_first;     /* stop at the first mismatch (mutation runs) */
  bool corrupt;        /* self-test: flip a bit of every encoding (nasm) and of
                          every decoded register (Capstone) to prove that the
                          encode/decode oracles can fail */
  int print_limit;     /* mismatches printed per oracle */
  const char *only_form; /* substring filter on form names, or NULL */
} oracle_opts;

typedef struct {
  uint64_t forms;      /* forms this oracle ran */
  uint64_t tests;      /* tests compared */
  uint64_t mismatches;
  uint64_t excepted;   /* documented exceptions (EXCEPTIONS.md) */
  uint64_t uncovered;  /* forms/tests outside the model */
  uint64_t skipped;    /* outputs not compared: the manual leaves them undefined */
} tally;

/* Outputs of one form not compared because the manual (sdm_undef.c) leaves
 * them undefined: per status flag (cf pf af zf sf of), and whole results
 * whose destination is undefined. */
typedef struct oracle_run oracle_run;
typedef struct {
  uint64_t flag[6];
  uint64_t dest;
} skip_count;

void skip_add(skip_count *s, const sdm_undef *u);
/* Print the form's count (when not zero) and add it to the oracle's tally. */
void report_skipped(oracle_run *r, int oracle, const char *form, const skip_count *s);

struct oracle_run {
  oracle_opts opt;
  tally t[O_COUNT];
  int printed[O_COUNT];
  form_list forms;
  FILE *repro;             /* every mismatch goes here (repro.h) */
  const char *repro_path;
  repro_ctx *cur;          /* the test being compared, or NULL */
};

extern const char *const oracle_names[O_COUNT];

/* Record a mismatch and print it (up to the print limit). */
void report_mismatch(oracle_run *r, int oracle, const char *form,
                     const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Print a note that is not a mismatch (uncovered form, exception class). */
void report_note(int oracle, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
bool run_should_stop(const oracle_run *r);
bool form_selected(const oracle_run *r, const char *name);

/* What an outside oracle observed after one instruction. */
typedef struct {
  uint32_t r[8];
  uint16_t s[6];
  uint32_t flags;
  uint8_t fault;           /* ISA_FAULT_* */
} observed;

/* Compare a model final state with an observation on the registers in
 * reg_mask (bit per register), the segments in seg_mask and every modelled
 * flag the manual defines (`manual`, from sdm_undef_at); a flag the model
 * leaves undefined that the manual defines, or defines that the manual
 * leaves undefined, is a difference too, and so is an agreeing outcome
 * that isa_state_equal (the model's as the reference) rejects.  Writes a
 * description of the differences to msg (empty if equal).  Returns true
 * when equal. */
bool compare_regs(const isa_state *model, const observed *ob, unsigned reg_mask,
                  unsigned seg_mask, const sdm_undef *manual, char *msg, size_t n);
/* The flag part of that comparison, for oracles that compare registers
 * their own way; appends to msg at *k. */
void compare_flags(const isa_state *model, uint32_t observed_flags, const sdm_undef *manual,
                   const char *who, char *msg, size_t n, size_t *k);

/* Hex string of bytes (for messages). */
void hexstr(const uint8_t *b, int n, char *out, size_t outn);
/* Bytes of a hex string ("0f01c3"): the count, or -1 if it is not hex or
 * longer than max. */
int hex_to_bytes(const char *s, uint8_t *out, int max);
/* Describe an initial state compactly (for messages). */
void state_str(const isa_state *st, char *out, size_t n);

/* Rerun one recorded test (repro.h): 0 compared, -1 cannot be rerun; a
 * mismatch is reported as in a run. */
int host_rerun(oracle_run *r, const char *form, const repro_ctx *c);
int unicorn_rerun(oracle_run *r, const char *form, const repro_ctx *c);
int replay286_rerun(oracle_run *r, const char *form, const repro_ctx *c);

int run_replay(oracle_run *r);
int run_host(oracle_run *r);
int run_unicorn(oracle_run *r);
int run_z3(oracle_run *r);
int run_nasm(oracle_run *r);
int run_capstone(oracle_run *r);

#endif

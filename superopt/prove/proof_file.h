/* Proof files: results/proofs/<hash>.smt2 (a solver refutes a difference)
 * and <hash>.exh (every input evaluated); <hash> is rewrite_hash, so a
 * proof names exactly what it is about. */
#ifndef SUPEROPT_PROVE_PROOF_FILE_H
#define SUPEROPT_PROVE_PROOF_FILE_H

#include <stdio.h>
#include "program/rewrite.h"

/* The kinds of proof file (search/checker.h's check_answer.kind). */
typedef enum { PROOF_NONE, PROOF_SMT, PROOF_EXHAUSTIVE } proof_kind;

/* The header comment lines shared by both kinds ("; " prefixed): original
 * and candidate bytes and text, live-out, assumptions, semantics version. */
int proof_header(const snippet *s, const insn *cand, int n, const char *kind,
                 char *buf, size_t bufn);

/* Write dir/<hash>.smt2 from the solver's text, then have both solver
 * command lines check it; the file is removed again if either does not say
 * unsat.  path receives the file name. */
bool proof_write_smt2(const char *dir, const snippet *s, const insn *cand, int n,
                      const char *smtlib, char *path, size_t pathn, char *why, size_t whyn);

/* Start a proof file dir/<hash>.<ext>: make the directory, name the file
 * (path), open it under a temporary name (tmp; renamed into place once
 * complete, so a killed run leaves no half-written proof) and write the
 * header.  NULL with the reason in why on failure. */
FILE *proof_file_begin(const char *dir, const snippet *s, const insn *cand, int n,
                       const char *ext, const char *kind, char *path, size_t pathn,
                       char *tmp, size_t tmpn, char *why, size_t whyn);

/* A proof file's header as read back (the `; key: value` lines above). */
typedef struct {
  char kind[16];                 /* smt | exhaustive */
  char obytes[1024], otext[2048];/* hex without spaces, and the text */
  char cbytes[1024], ctext[2048];
  char live[256], assume[512], sem[128];
  char symbolic[512];            /* "sym0=msg(0x7c1a) ...": label addresses, free in the query */
  /* exhaustive: the enumeration to repeat, parsed */
  locset live_out;
  assumption facts[SNIPPET_MAX_ASSUME];
  int nfacts;
  uint32_t base_r[8];
  uint16_t base_s[6];
  uint32_t base_flags;
  uint64_t mem_seed;
  locset input[40];              /* enumerated, least significant first */
  int input_width[40];
  int ninputs, bits;
  char inputs_text[512];
  unsigned long long evaluated;
} proof_info;

/* Read a proof file's header (proof_read.c); an exhaustion proof's
 * live-out, assumptions and inputs are parsed too.  false with the reason
 * (file named) in why.  An .smt2 proof is re-checked by
 * solver_cli_both_unsat (prove/solver_cli.h), as when it was written. */
bool proof_read(const char *path, proof_info *h, char *why, size_t whyn);

#endif

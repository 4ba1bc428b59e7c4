/* Running one benchmark snippet the way the acceptance criteria read:
 * search within a budget, then check the outcome independently (the
 * annotated form is itself proven, a trap is refuted by the solver with a
 * counterexample the evaluator confirms, the tool never returns a trap, and
 * every proof file is unsat under both solver command lines). */
#ifndef TESTS_SEARCH_CORPUS_RUN_H
#define TESTS_SEARCH_CORPUS_RUN_H

#include "corpus_note.h"
#include "prove/equiv.h"
#include "search/opt.h"

typedef struct {
  char name[96];
  corpus_note note;
  bool is_trap;
  int original_bytes, found_bytes;
  char found[512];
  bool found_ok;         /* positive: found_bytes <= annotated best-bytes */
  bool annotation_ok;    /* positive: the annotated best is proven equivalent */
  bool trap_held;        /* trap: not returned, and refuted with a replayed counterexample */
  bool cpu_ok;           /* the answer (if any) assembles under nasm's `cpu` for
                            the snippet's level */
  bool has_proof, proof_ok;
  char proof_path[512];
  char why[512];
  opt_result *res;       /* owned */
} corpus_outcome;

bool corpus_run_one(const char *path, double budget_s, const char *proof_dir, uint64_t seed,
                    corpus_outcome *o);
/* The same with a caller's prover kept across snippets (NULL: a fresh one per snippet). */
bool corpus_run_one_with(const char *path, double budget_s, const char *proof_dir, uint64_t seed,
                         prover *pv, corpus_outcome *o);
void corpus_outcome_free(corpus_outcome *o);

#endif

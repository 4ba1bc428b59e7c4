/* What the search asks of a prover: is this survivor equivalent to the
 * original?  The search declares the question; prove/ (prove/checker.h) or
 * a test answers it, so the search never depends on how proofs are made. */
#ifndef SUPEROPT_SEARCH_CHECKER_H
#define SUPEROPT_SEARCH_CHECKER_H

#include "program/snippet.h"

typedef enum {
  CHECK_PROVEN,     /* proven, and the proof stored at .path */
  CHECK_REFUTED,    /* .cex is an initial state on which they differ (not yet replayed) */
  CHECK_UNDECIDED,  /* no proof either way (solver unknown/timeout, an unusable proof
                       file): a rejection */
  CHECK_UNSTORED    /* proven, but the proof could not be written: a rejection that
                       is not "nothing shorter" either */
} check_verdict;

typedef struct {
  check_verdict verdict;
  int kind;               /* the checker's kind of proof (prove/proof_file.h) */
  char path[512];
  isa_state cex;
  const char *cex_source; /* who refuted it, for SEMANTICS BUG lines */
  char why[256];          /* UNDECIDED, UNSTORED: the reason */
  int solver_unknown;     /* queries the solver gave up on */
  int nquery_ms;          /* solver times of the queries made */
  double query_ms[4];
} check_answer;

typedef struct search_checker search_checker;
struct search_checker {
  /* A session for one search, whose queries may take query_ms each; NULL:
     out of memory. */
  void *(*open)(const search_checker *c, unsigned query_ms);
  /* Fills all of *out; a proof goes under proof_dir. */
  void (*check)(void *session, const snippet *s, const insn *cand, int n,
                const char *proof_dir, check_answer *out);
  void (*close)(void *session);
  void *ctx;              /* the checker's own (e.g. a prover kept across searches) */
  bool per_search;        /* open pays a solver's set-up with query_ms as its limit:
                             the search keeps one query's time at its end */
};

#endif

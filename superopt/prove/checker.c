/* The prover's answer to the search's question; see checker.h. */
#include "prove/checker.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "prove/exhaust.h"
#include "prove/proof_file.h"
#include "search/enumerate.h"   /* clock_now */

typedef struct {
  prover *pv;
  bool owned;
} session;

static void *open_session(const search_checker *c, unsigned query_ms) {
  session *ss = calloc(1, sizeof *ss);
  if (!ss) return NULL;
  ss->owned = c->ctx == NULL;
  ss->pv = ss->owned ? prover_new(query_ms) : c->ctx;
  if (!ss->pv) {
    free(ss);
    return NULL;
  }
  return ss;
}

static void close_session(void *vs) {
  session *ss = vs;
  if (!ss) return;
  if (ss->owned) prover_free(ss->pv);
  free(ss);
}

static void note_query(check_answer *a, double ms) {
  if (a->nquery_ms < (int)(sizeof a->query_ms / sizeof a->query_ms[0])) a->query_ms[a->nquery_ms++] = ms;
}

static void answer(check_answer *a, check_verdict v, const char *fmt, const char *why) {
  a->verdict = v;
  snprintf(a->why, sizeof a->why, fmt, why);
}

static void check(void *vs, const snippet *s, const insn *cand, int n, const char *proof_dir,
                  check_answer *a) {
  session *ss = vs;
  memset(a, 0, sizeof *a);
  char why[256] = "";
  double t0 = clock_now();
  eq_verdict v = prover_check(ss->pv, s, cand, n, &a->cex, why, sizeof why);
  note_query(a, (clock_now() - t0) * 1e3);
  if (v == EQ_PROVEN) {
    char *smt = prover_smtlib(ss->pv, s, cand, n);
    if (!smt) return answer(a, CHECK_UNDECIDED, "%s", "proven but not expressible as SMT-LIB2; rejected");
    bool ok = proof_write_smt2(proof_dir, s, cand, n, smt, a->path, sizeof a->path, why, sizeof why);
    free(smt);
    if (!ok && !strncmp(why, "cannot ", 7))   /* the file, not the proof, failed */
      return answer(a, CHECK_UNSTORED, "proven, but the proof cannot be stored: %.200s", why);
    if (!ok) {
      fprintf(stderr, "opt: %s: proof file check failed, rewrite rejected: %s\n", s->path, why);
      return answer(a, CHECK_UNDECIDED, "proof file check failed: %.200s", why);
    }
    a->verdict = CHECK_PROVEN;
    a->kind = PROOF_SMT;
    return;
  }
  if (v == EQ_REFUTED) {
    a->verdict = CHECK_REFUTED;
    a->cex_source = "solver";
    return;
  }
  a->solver_unknown++;
  uint64_t count;
  exh_verdict ev = exhaust_check(s, cand, n, &count, &a->cex);
  if (ev == EXH_EQUAL) {
    if (!exhaust_write(proof_dir, s, cand, n, count, a->path, sizeof a->path, why, sizeof why))
      return answer(a, CHECK_UNSTORED, "proven by exhaustion, but the proof cannot be stored: %.200s", why);
    a->verdict = CHECK_PROVEN;
    a->kind = PROOF_EXHAUSTIVE;
    return;
  }
  if (ev == EXH_DIFFER) {
    a->verdict = CHECK_REFUTED;
    a->cex_source = "exhaustive check";
    return;
  }
  a->verdict = CHECK_UNDECIDED;
}

search_checker prove_checker(prover *kept) {
  return (search_checker){.open = open_session, .check = check, .close = close_session,
                          .ctx = kept, .per_search = kept == NULL};
}

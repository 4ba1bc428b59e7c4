/* make bench-search: every corpus/bench snippet within its budget; a table,
 * solver figures, and the last line
 * "search: found F/N, traps held T/M, proofs ok P/P". */
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "corpus_run.h"

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  const char *dir = argc > 1 ? argv[1] : "corpus/bench";
  double budget = argc > 2 ? atof(argv[2]) : 20;
  const char *proofs = argc > 3 ? argv[3] : "build/bench-search/proofs";
  char pat[512];
  snprintf(pat, sizeof pat, "%s/*.asm", dir);
  glob_t g;
  if (glob(pat, 0, NULL, &g) != 0) {
    fprintf(stderr, "bench-search: no snippets in %s\n", dir);
    return 2;
  }
  int n = 0, found = 0, traps = 0, held = 0, nproofs = 0, proofs_ok = 0, bad_notes = 0;
  uint64_t survivors = 0, refuted = 0, unknown = 0, sembugs = 0;
  double *times = NULL;
  size_t ntimes = 0;
  printf("%-24s %5s %5s %5s  %-7s %6s  %s\n", "snippet", "orig", "known", "found", "result", "secs", "best found");
  for (size_t i = 0; i < g.gl_pathc; i++) {
    corpus_outcome o;
    if (!corpus_run_one(g.gl_pathv[i], budget, proofs, 1, &o)) {
      printf("%-24s  error: %s\n", o.name, o.why);
      bad_notes++;
      corpus_outcome_free(&o);
      continue;
    }
    const char *verdict;
    if (o.is_trap) {
      traps++;
      held += o.trap_held;
      verdict = o.trap_held ? "held" : "BROKEN";
    } else {
      n++;
      bool ok = o.found_ok && o.annotation_ok;
      found += ok;
      verdict = ok ? (o.found_bytes < o.note.best_bytes ? "better" : "found") : "MISSED";
    }
    if (o.has_proof) {
      nproofs++;
      proofs_ok += o.proof_ok;
    }
    survivors += o.res->survivors;
    refuted += o.res->refuted;
    unknown += o.res->solver_unknown;
    sembugs += o.res->semantics_bugs;
    times = realloc(times, (ntimes + (size_t)o.res->nproof_ms) * sizeof *times);
    for (int k = 0; k < o.res->nproof_ms; k++) times[ntimes++] = o.res->proof_ms[k];
    char known[16];
    snprintf(known, sizeof known, "%d", o.note.best_bytes);
    printf("%-24s %5d %5s %5d  %-7s %6.2f  %s%s%s\n", o.name, o.original_bytes,
           o.is_trap ? "trap" : known, o.found_bytes, verdict, o.res->seconds, o.found,
           o.why[0] ? "   -- " : "", o.why);
    fflush(stdout);
    corpus_outcome_free(&o);
  }
  globfree(&g);
  if (ntimes) qsort(times, ntimes, sizeof *times, cmp_double);
  printf("solver: %llu fingerprint survivors, %llu refuted (%.1f%%), %llu unknown, "
         "%llu counterexamples the evaluator did not confirm; "
         "proof time median %.2f ms, p99 %.2f ms over %zu queries\n",
         (unsigned long long)survivors, (unsigned long long)refuted,
         survivors ? 100.0 * (double)refuted / (double)survivors : 0.0, (unsigned long long)unknown,
         (unsigned long long)sembugs, ntimes ? times[ntimes / 2] : 0.0, ntimes ? times[(ntimes * 99) / 100] : 0.0, ntimes);
  free(times);
  printf("search: found %d/%d, traps held %d/%d, proofs ok %d/%d\n", found, n, held, traps,
         proofs_ok, nproofs);
  return (found == n && held == traps && proofs_ok == nproofs && !bad_notes && !sembugs) ? 0 : 1;
}

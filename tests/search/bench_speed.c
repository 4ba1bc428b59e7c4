/* The search benchmark: candidates tested per second at the first-state
 * filter and the exhaustive depth reached in a fixed time on a 3-register
 * snippet with no short equivalent (enumeration only, one core). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <glob.h>
#include "corpus_run.h"
#include "prove/checker.h"
#include "prove/equiv.h"
#include "program/snippet.h"
#include "search/opt.h"
#include "search/pool.h"

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Solver figures over the corpus: the share of fingerprint survivors the
 * solver refutes, and the time of each equivalence query. */
static void solver_figures(const char *dir, double budget, bool shared) {
  char pat[512];
  snprintf(pat, sizeof pat, "%s/*.asm", dir);
  glob_t g;
  if (glob(pat, 0, NULL, &g) != 0) return;
  uint64_t survivors = 0, refuted = 0, unknown = 0;
  double *t = NULL;
  size_t nt = 0;
  prover *pv = shared ? prover_new(10000) : NULL;
  for (size_t i = 0; i < g.gl_pathc; i++) {
    corpus_outcome o;
    if (corpus_run_one_with(g.gl_pathv[i], budget, "build/bench-search/proofs", 1, pv, &o)) {
      survivors += o.res->survivors;
      refuted += o.res->refuted;
      unknown += o.res->solver_unknown;
      t = realloc(t, (nt + (size_t)o.res->nproof_ms) * sizeof *t);
      for (int k = 0; k < o.res->nproof_ms; k++) t[nt++] = o.res->proof_ms[k];
    }
    corpus_outcome_free(&o);
  }
  globfree(&g);
  prover_free(pv);
  if (nt) qsort(t, nt, sizeof *t, cmp_double);
  printf("%s\n", shared ? "one prover kept across the corpus (as a pipeline would):"
                        : "a fresh prover per snippet:");
  printf("  corpus (%zu snippets): %llu fingerprint survivors, %llu refuted by the solver (%.1f%%), "
         "%llu unknown\n",
         g.gl_pathc, (unsigned long long)survivors, (unsigned long long)refuted,
         survivors ? 100.0 * (double)refuted / (double)survivors : 0.0, (unsigned long long)unknown);
  if (nt)
    printf("  equivalence query time: median %.2f ms, p99 %.2f ms, max %.2f ms over %zu queries\n",
           t[nt / 2], t[(nt * 99) / 100], t[nt - 1], nt);
  free(t);
}

static const char *const three_regs =
    "; live-out: ax bx dx\n"
    "add ax, bx\n"
    "xor dx, ax\n"
    "rol bx, 3\n"
    "sub ax, dx\n"
    "adc bx, ax\n"
    "and dx, bx\n";

int main(int argc, char **argv) {
  double secs = argc > 1 ? atof(argv[1]) : 10;
  char path[] = "/tmp/bench_speedXXXXXX.asm";
  int fd = mkstemps(path, 4);
  if (fd < 0 || write(fd, three_regs, strlen(three_regs)) != (ssize_t)strlen(three_regs)) return 3;
  close(fd);
  snippet s;
  char err[256];
  bool ok = snippet_read(path, &s, err, sizeof err);
  unlink(path);
  if (!ok) {
    fprintf(stderr, "bench: %s\n", err);
    return 3;
  }
  opt_params p;
  opt_params_default(&p);
  p.time_s = secs;
  p.stochastic = false;
  p.enum_budget = UINT64_MAX / 2;   /* here the clock is the limit: a speed figure */
  p.proof_dir = "build/bench-search/proofs";
  search_checker chk = prove_checker(NULL);
  p.checker = &chk;
  opt_result *r = calloc(1, sizeof *r);
  opt_snippet(&s, &p, r);
  printf("snippet: 3 live registers (ax bx dx), %d bytes, %.1f s budget, enumeration only\n",
         s.bytes, secs);
  printf("candidates tested at the first-state filter: %llu in %.2f s = %.3g per second (one core)\n",
         (unsigned long long)r->candidates, r->seconds, (double)r->candidates / r->seconds);
  printf("  of which evaluated: %llu (%.3g per second); the rest write none of the live locations "
         "where their prefix already differs\n",
         (unsigned long long)r->executed, (double)r->executed / r->seconds);
  printf("first-state matches: %llu; fingerprint survivors: %llu; refuted: %llu\n",
         (unsigned long long)r->first_pass, (unsigned long long)r->survivors,
         (unsigned long long)r->refuted);
  printf("exhaustive depth reached in %.0f s: %d bytes (every sequence up to that length)\n", secs,
         r->enumerated_bytes);
  /* the evaluator's own rate: every candidate's last instruction run */
  p.no_writeset_filter = true;
  p.time_s = secs / 2;
  opt_snippet(&s, &p, r);
  printf("without the write-set decision (every last instruction evaluated): %.3g candidates/s, "
         "depth %d bytes in %.0f s\n",
         (double)r->candidates / r->seconds, r->enumerated_bytes, secs / 2);
  /* what the canonical order of interchangeable scratch registers saves:
     every length up to each depth, with and without it */
  pool pl;
  pool_build(&pl, &s);
  locset scratch = 0;
  for (int k = 0; k < pl.nscratch; k++) scratch |= LOC_R16(pl.scratch_reg[k]);
  char names[128];
  isa_loc_print(scratch, names, sizeof names);
  printf("scratch registers: %s", names);
  printf("; %d class(es) of interchangeable ones; pool %d instructions\n", pl.nclasses, pl.n);
  pool_free(&pl);
  p.no_writeset_filter = false;
  p.time_s = 60;
  /* each pruning against the one before, in this run: everything on, then
     without the prefix-state rule, then also without the renaming rule */
  static const char *const steps[] = {"all pruning:", "no prefix-state rule:", "no prefix, no renaming:"};
  for (int depth = 4; depth <= 6; depth++)
    for (int step = 0; step < 3; step++) {
      p.max_bytes = depth;
      p.no_prefix_pruning = step >= 1;
      p.no_rename_pruning = step >= 2;
      opt_snippet(&s, &p, r);
      printf("depth %d %-24s %12llu candidates, %11llu evaluated, %10llu prefixes dropped, %6.2f s%s\n",
             depth, steps[step], (unsigned long long)r->candidates, (unsigned long long)r->enum_work,
             (unsigned long long)r->pruned_prefixes, r->seconds,
             r->enumerated_bytes < depth ? " (not finished)" : "");
    }
  p.no_prefix_pruning = p.no_rename_pruning = false;
  printf("pool size by CPU level (this snippet):");
  for (int cpu = CPU_8086; cpu <= CPU_686; cpu++) {
    snippet t = s;
    t.has_cpu = false;
    snippet_limit_cpu(&t, cpu);
    pool_build(&pl, &t);
    printf(" %s %d%s", isa_cpu_name(cpu), pl.n, cpu < CPU_686 ? "," : "\n");
    pool_free(&pl);
  }
  free(r);
  solver_figures(argc > 2 ? argv[2] : "corpus/bench", 20, false);
  solver_figures(argc > 2 ? argv[2] : "corpus/bench", 20, true);
  return 0;
}

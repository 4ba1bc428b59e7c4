/* superopt opt FILE.asm: the shortest proven equivalent of one snippet. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli/commands.h"
#include "program/snippet.h"
#include "prove/checker.h"
#include "prove/proof_file.h"
#include "sys/run.h"
#include "search/opt.h"

static void opt_usage(FILE *f) {
  fprintf(f,
          "usage: superopt opt FILE.asm [--max-bytes N] [--time SECONDS] [--seed N] [--json]\n"
          "                             [--proof-dir DIR] [--cex-dir DIR] [--solver-timeout MS]\n"
          "                             [--no-stochastic] [--enum-budget N] [--proposals N]\n"
          "                             [--stats] [--cpu LEVEL] [--no-undocumented]\n"
          "\n"
          "Find the shortest instruction sequence proven equivalent to the snippet on its\n"
          "live-out set under its assumptions (`; live-out:` and `; assume:` comments).\n"
          "A proof is written to DIR/<hash>.smt2 (both z3 and cvc5 answer unsat) or, for\n"
          "small inputs the solver gives up on, DIR/<hash>.exh (every input evaluated).\n"
          "\n"
          "  --max-bytes N    longest candidate, at least 1 (default: original size - 1)\n"
          "  --time SECONDS   wall-clock limit of the whole run, proofs included (default\n"
          "                   20); it only cuts a search short, and then says so\n"
          "                   (status time-limit)\n"
          "  --seed N         test states and stochastic search (default 1); a search that\n"
          "                   ends within its count budgets prints the same every run\n"
          "  --enum-budget N  instructions the enumerator evaluates before the stochastic\n"
          "                   search takes over (default %llu per second of --time)\n"
          "  --proposals N    stochastic proposals, over %d restarts drawn from the seed\n"
          "                   (default %llu per second of --time)\n"
          "  --json           end with one JSON object: original_bytes, best_bytes, best,\n"
          "                   proof, proof_kind, status (shorter, none, time-limit, error)\n"
          "  --proof-dir DIR  where proofs go (default build/opt/proofs; results/proofs\n"
          "                   to keep them with the project's)\n"
          "  --cex-dir DIR    counterexamples kept across runs as test states (default:\n"
          "                   counterexamples/ beside the proof directory)\n"
          "  --solver-timeout MS  per equivalence query (default 10000); a timeout rejects,\n"
          "                   or falls back to exhaustion for at most 24 input bits\n"
          "  --no-stochastic  enumeration only\n"
          "  --stats          search counters on stderr (they vary with machine speed)\n"
          "  --cpu LEVEL      8086, 186, 286, 386, 486 or 686: answers run on that CPU\n"
          "                   (the lower of this and the snippet's `; cpu:`; default 386)\n"
          "  --no-undocumented  no salc, no aam/aad with an immediate other than 10\n"
          "\nexit status: 0 searched (shorter or not), 2 bad usage, a snippet that cannot be searched\n"
          "(a directory, unreadable, 32-bit code, not modelled, contradictory assumptions) or a proof\n"
          "directory that cannot be written, 3 a proven rewrite whose proof could not be stored, or an\n"
          "internal error\n",
          (unsigned long long)OPT_ENUM_PER_S, OPT_RESTARTS, (unsigned long long)OPT_PROPOSALS_PER_S);
}

static void json_string(const char *s) {
  putchar('"');
  for (; *s; s++) {
    if (*s == '"' || *s == '\\') printf("\\%c", *s);
    else if ((unsigned char)*s < 0x20) printf("\\u%04x", *s);
    else putchar(*s);
  }
  putchar('"');
}

static bool parse_num(const char *s, double *out) {
  char *end;
  *out = strtod(s, &end);
  return end != s && !*end && *out >= 0;
}

int cmd_opt(int argc, char **argv) {
  opt_params prm;
  opt_params_default(&prm);
  const char *file = NULL;
  bool json = false, stats = false;
  const char *cex_dir = NULL;
  int cpu = -1;
  bool no_undocumented = false;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    double v;
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
      opt_usage(stdout);
      return 0;
    } else if (!strcmp(a, "--json")) {
      json = true;
    } else if (!strcmp(a, "--stats")) {
      stats = true;
    } else if (!strcmp(a, "--no-stochastic")) {
      prm.stochastic = false;
    } else if (!strcmp(a, "--no-undocumented")) {
      no_undocumented = true;
    } else if (!strcmp(a, "--cpu") && i + 1 < argc) {
      if (!isa_cpu_parse(argv[++i], &cpu)) {
        fprintf(stderr, "superopt opt: --cpu: unknown CPU '%s' (8086, 186, 286, 386, 486, 686)\n",
                argv[i]);
        return 2;
      }
    } else if ((!strcmp(a, "--max-bytes") || !strcmp(a, "--time") || !strcmp(a, "--seed") ||
                !strcmp(a, "--proof-dir") || !strcmp(a, "--solver-timeout") ||
                !strcmp(a, "--cex-dir") || !strcmp(a, "--enum-budget") ||
                !strcmp(a, "--proposals")) && i + 1 < argc) {
      const char *val = argv[++i];
      if (!strcmp(a, "--proof-dir")) {
        prm.proof_dir = val;
        continue;
      }
      if (!strcmp(a, "--cex-dir")) {
        cex_dir = val;
        continue;
      }
      if (!parse_num(val, &v)) {
        fprintf(stderr, "superopt opt: %s: bad value '%s'\n", a, val);
        return 2;
      }
      if (!strcmp(a, "--max-bytes") && v < 1) {
        fprintf(stderr, "superopt opt: --max-bytes %s: must be at least 1 (the empty rewrite is always"
                        " tried)\n", val);
        return 2;
      }
      if (!strcmp(a, "--max-bytes")) prm.max_bytes = (int)v;
      else if (!strcmp(a, "--time")) prm.time_s = v;
      else if (!strcmp(a, "--solver-timeout")) prm.solver_timeout_ms = (unsigned)v;
      else if (!strcmp(a, "--enum-budget")) prm.enum_budget = (uint64_t)v;
      else if (!strcmp(a, "--proposals")) prm.proposals = (uint64_t)v;
      else prm.seed = (uint64_t)strtoull(val, NULL, 0);
    } else if (a[0] == '-' && a[1]) {
      fprintf(stderr, "superopt opt: unknown or incomplete option '%s'\n", a);
      opt_usage(stderr);
      return 2;
    } else if (!file) {
      file = a;
    } else {
      fprintf(stderr, "superopt opt: more than one snippet ('%s')\n", a);
      return 2;
    }
  }
  if (!file) {
    opt_usage(stderr);
    return 2;
  }
  snippet *s = malloc(sizeof *s);
  opt_result *r = malloc(sizeof *r);
  if (!s || !r) {
    fprintf(stderr, "superopt opt: out of memory\n");
    return 3;
  }
  char err[512];
  if (!snippet_read(file, s, err, sizeof err)) {
    fprintf(stderr, "%s\n", err);
    free(s);
    free(r);
    return 2;
  }
  if (s->warning[0]) fprintf(stderr, "%s\n", s->warning);
  /* a proof that cannot be stored makes a proven rewrite worthless: find
     out before searching */
  if (!make_dirs(prm.proof_dir) || access(prm.proof_dir, W_OK | X_OK) != 0) {
    fprintf(stderr, "superopt opt: proof directory %s: %s\n", prm.proof_dir,
            errno ? strerror(errno) : "cannot be written");
    free(s);
    free(r);
    return 2;
  }
  if (cpu >= 0) snippet_limit_cpu(s, cpu);
  if (no_undocumented) s->no_undocumented = true;
  prm.progress = isatty(2);
  /* counterexamples live beside the proofs unless told otherwise */
  char cex_default[600];
  if (!cex_dir) {
    const char *slash = strrchr(prm.proof_dir, '/');
    if (slash) snprintf(cex_default, sizeof cex_default, "%.*s/counterexamples", (int)(slash - prm.proof_dir), prm.proof_dir);
    else snprintf(cex_default, sizeof cex_default, "counterexamples");
    cex_dir = cex_default;
  }
  prm.cex_dir = cex_dir;
  search_checker prover_checker = prove_checker(NULL);
  prm.checker = &prover_checker;
  bool ok = opt_snippet(s, &prm, r);
  char orig[2048], best[2048];
  snippet_seq_text(s, s->code, s->n, orig, sizeof orig);
  printf("original: %d bytes: %s\n", s->bytes, s->n ? orig : "(empty)");
  int rc = 0;
  if (!ok || r->status == OPT_ERROR) {
    /* the snippet itself cannot be searched (e.g. it always faults) */
    fprintf(stderr, "%s: cannot search: %s\n", file, r->why);
    rc = 2;
  } else if (r->status == OPT_SHORTER) {
    snippet_seq_text(s, r->best, r->nbest, best, sizeof best);
    printf("best: %d bytes: %s\n", r->best_bytes, r->nbest ? best : "(empty: delete the window)");
    printf("proven: %s\n", r->kind == PROOF_SMT ? "z3 and cvc5 both answer unsat"
                                                : "exhaustion, every input evaluated");
    printf("proof: %s\n", r->proof_path);
  } else if (r->proof_unstored) {
    fprintf(stderr, "%s: a shorter rewrite was proven but not kept: %s\n", file, r->why);
    rc = 3;
  } else if (r->time_limited) {
    printf("nothing shorter found before the time limit\n");
  } else {
    printf("nothing shorter found within the budget\n");
  }
  if (rc == 0 && r->unreachable_tails)
    printf("%llu candidates dropped: their short closing branch would not reach %s from where it sits\n",
           (unsigned long long)r->unreachable_tails, s->tail_label[0] ? s->tail_label : "the target");
  if (rc == 0 && r->time_limited)
    printf("stopped by the time limit (%g s) before the count budgets: another run may differ\n",
           prm.time_s);
  fflush(stdout);
  if (stats)
    fprintf(stderr, "stats: %llu candidates, %llu first-state matches, %llu survivors, %llu refuted, "
                    "%llu unknown, %llu semantics bugs, enumerated to %d bytes, %llu enumerator steps, "
                    "%llu proposals, %.2f s\n",
            (unsigned long long)r->candidates, (unsigned long long)r->first_pass,
            (unsigned long long)r->survivors, (unsigned long long)r->refuted,
            (unsigned long long)r->solver_unknown, (unsigned long long)r->semantics_bugs,
            r->enumerated_bytes, (unsigned long long)r->enum_work,
            (unsigned long long)r->proposals, r->seconds);
  if (json) {
    const char *status = rc                   ? "error"
                         : r->time_limited    ? "time-limit"
                         : r->status == OPT_SHORTER ? "shorter"
                                                    : "none";
    printf("{\"file\":");
    json_string(file);
    printf(",\"original_bytes\":%d,\"best_bytes\":%d,\"best\":", s->bytes,
           r->status == OPT_SHORTER ? r->best_bytes : s->bytes);
    json_string(r->status == OPT_SHORTER ? best : orig);
    printf(",\"proof\":");
    if (r->status == OPT_SHORTER) json_string(r->proof_path);
    else printf("null");
    printf(",\"proof_kind\":%s,\"status\":\"%s\",\"seed\":%llu}\n",
           r->status != OPT_SHORTER ? "null" : r->kind == PROOF_SMT ? "\"smt\"" : "\"exhaustive\"",
           status, (unsigned long long)prm.seed);
  }
  free(s);
  free(r);
  return rc;
}

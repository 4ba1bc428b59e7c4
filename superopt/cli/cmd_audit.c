/* superopt audit: re-check every stored proof and patch with outside tools. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/audit.h"
#include "cli/commands.h"
#include "isa/isa.h"
#include "prove/solver_cli.h"

static const char usage[] =
  "usage: superopt audit [--results DIR] [--base FILE]... [--exhaust-limit N] [--solver-timeout S]\n"
  "\n"
  "Re-check everything under DIR (default results):\n"
  "  proofs/*.smt2   `z3 FILE` and `cvc5 --lang smt2 FILE` must both print unsat\n"
  "  proofs/*.exh    every enumerated input re-run on Unicorn (at most N inputs,\n"
  "                  default 1048576; above that an evenly spaced sample, reported)\n"
  "  both kinds      Capstone decodes the header's original and candidate bytes\n"
  "                  into the instructions its text names; label addresses the\n"
  "                  header names (`symbolic:`) are free variables of the query\n"
  "  patches/*.patch each applies to the base blob its index line names (from the\n"
  "                  repository or an earlier patch) and yields the result blob it\n"
  "                  names; whether HEAD contains it is reported; --base FILE\n"
  "                  adds a program kept outside the repository as a base\n"
  "Prints `audit: P proofs, Q ok` and `audit: N patches, M ok`.\n"
  "exit: 0 all ok, 1 a failure, 2 bad usage, 3 a missing tool\n";

static int proof_filter(const struct dirent *d) {
  size_t l = strlen(d->d_name);
  return (l > 5 && !strcmp(d->d_name + l - 5, ".smt2")) || (l > 4 && !strcmp(d->d_name + l - 4, ".exh"));
}

int cmd_audit(int argc, char **argv) {
  const char *results = "results";
  unsigned long long limit = 1ull << 20;
  unsigned solver_timeout = 120;
  const char **bases = calloc((size_t)argc + 1, sizeof *bases);
  int nbases = 0;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
      fputs(usage, stdout);
      return 0;
    } else if (!strcmp(argv[i], "--base") && i + 1 < argc) {
      bases[nbases++] = argv[++i];
    } else if (!strcmp(argv[i], "--results") && i + 1 < argc) {
      results = argv[++i];
    } else if (!strcmp(argv[i], "--exhaust-limit") && i + 1 < argc) {
      limit = strtoull(argv[++i], NULL, 0);
      if (!limit) limit = 1;
    } else if (!strcmp(argv[i], "--solver-timeout") && i + 1 < argc) {
      solver_timeout = (unsigned)atoi(argv[++i]);
    } else {
      fprintf(stderr, "superopt audit: unknown argument '%s'\n%s", argv[i], usage);
      free(bases);
      return 2;
    }
  }
  char dir[4096];
  snprintf(dir, sizeof dir, "%s/proofs", results);
  struct dirent **names;
  int n = scandir(dir, &names, proof_filter, alphasort);
  if (n < 0) n = 0;
  int ok = 0, stale = 0;
  bool missing_tool = false;
  for (int i = 0; i < n; i++) {
    char path[8192], why[1024] = "";
    snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name);
    proof_info h;
    bool good = proof_read(path, &h, why, sizeof why);
    if (good && !audit_capstone_matches(h.obytes, h.otext, why, sizeof why)) good = false;
    if (good && !audit_capstone_matches(h.cbytes, h.ctext, why, sizeof why)) good = false;
    if (good && !audit_symbolic_free(path, &h, why, sizeof why)) good = false;
    char detail[256] = "";
    if (good && !strcmp(h.kind, "smt")) {
      if (!solver_cli_both_unsat(path, solver_timeout, why, sizeof why)) {
        good = false;
        if (strstr(why, "not found") || strstr(why, "could not run")) missing_tool = true;
      } else {
        snprintf(detail, sizeof detail, "z3 and cvc5: unsat");
      }
    } else if (good && !strcmp(h.kind, "exhaustive")) {
      bool sampled;
      unsigned long long ran;
      good = audit_exhaust_unicorn(&h, limit, &sampled, &ran, why, sizeof why);
      if (good)
        snprintf(detail, sizeof detail, "unicorn: %llu input%s agree%s", ran, ran == 1 ? "" : "s",
                 sampled ? " (sampled)" : "");
    } else if (good) {
      snprintf(why, sizeof why, "unknown proof kind '%s'", h.kind);
      good = false;
    }
    if (good && strcmp(h.sem, isa_sem_version())) {
      stale++;
      strncat(detail, "; made with another semantics version", sizeof detail - strlen(detail) - 1);
    }
    if (good) ok++;
    printf("proof %s: %s%s%s\n", names[i]->d_name, good ? "ok" : "FAIL: ", good ? "" : why,
           good && detail[0] ? "" : "");
    if (good && detail[0]) printf("  %s\n", detail);
    free(names[i]);
  }
  if (n > 0) free(names);
  snprintf(dir, sizeof dir, "%s/patches", results);
  int np = 0;
  int pfail = audit_patches_on(dir, bases, nbases, &np);
  free(bases);
  printf("audit: %d proofs, %d ok\n", n, ok);
  printf("audit: %d patches, %d ok\n", np, np - pfail);
  if (stale) printf("audit: %d proofs made with another semantics version (still unsat)\n", stale);
  if (missing_tool) return 3;
  return ok == n && pfail == 0 ? 0 : 1;
}

/* Option parsing for the pipeline commands (see pipeline_args.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/pipeline_args.h"
#include "program/snippet.h"

static bool number(const char *opt, const char *v, double lo, double hi, double *out) {
  char *end;
  double d = v ? strtod(v, &end) : 0;
  if (!v || !*v || *end || d < lo || d > hi) {
    fprintf(stderr, "superopt: %s needs a number in [%g, %g], got '%s'\n", opt, lo, hi, v ? v : "");
    return false;
  }
  *out = d;
  return true;
}

/* --shard K/N, --phase, --store: nights over many machines. */
static bool cluster_option(const char *key) {
  return !strcmp(key, "--shard") || !strcmp(key, "--phase") || !strcmp(key, "--store");
}

static bool cluster_value(const char *key, const char *val, pipeline_opts *o) {
  if (!strcmp(key, "--store")) {
    o->store = val;
    return true;
  }
  if (!strcmp(key, "--phase")) {
    if (!strcmp(val, "search")) o->phase = PHASE_SEARCH;
    else if (!strcmp(val, "splice")) o->phase = PHASE_SPLICE;
    else if (!strcmp(val, "all")) o->phase = PHASE_ALL;
    else {
      fprintf(stderr, "superopt: --phase is search, splice or all, got '%s'\n", val);
      return false;
    }
    return true;
  }
  int k, n, end = 0;
  if (sscanf(val, "%d/%d%n", &k, &n, &end) != 2 || val[end] || n < 1 || n > 65536 || k < 0 ||
      k >= n) {
    fprintf(stderr, "superopt: --shard needs K/N with 0 <= K < N, got '%s'\n", val);
    return false;
  }
  o->shard = k;
  o->nshards = n;
  return true;
}

int pipeline_args(int argc, char **argv, pipeline_opts *o, const char **pos, int maxpos,
                  int *npos, const char *usage) {
  *npos = 0;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    char key[64];
    const char *val = NULL;
    const char *eq = strchr(a, '=');
    if (a[0] == '-' && a[1] == '-' && eq && eq - a < (long)sizeof key) {
      snprintf(key, sizeof key, "%.*s", (int)(eq - a), a);
      val = eq + 1;
    } else {
      snprintf(key, sizeof key, "%s", a);
    }
    bool takes = !strcmp(key, "--budget") || !strcmp(key, "--window") || !strcmp(key, "--seed") ||
                 !strcmp(key, "--window-time") || !strcmp(key, "--results") ||
                 !strcmp(key, "--work") || !strcmp(key, "--out") || !strcmp(key, "--ledger") ||
                 !strcmp(key, "--check-timeout") || !strcmp(key, "--check") ||
                 !strcmp(key, "--program") || !strcmp(key, "--cpu");
    takes = takes || cluster_option(key);
    /* --check-boot SCRIPT (shrink: verify/boot-script against the original's capture) */
    takes = takes || !strcmp(key, "--check-boot");
    if (takes && !val) {
      if (i + 1 >= argc) {
        fprintf(stderr, "superopt %s: %s needs a value\n%s", argv[0], key, usage);
        return 2;
      }
      val = argv[++i];
    }
    double d;
    if (!strcmp(key, "--help") || !strcmp(key, "-h")) {
      fputs(usage, stdout);
      return 0;
    } else if (!strcmp(key, "--budget")) {
      if (!number(key, val, 0, 1e7, &d)) return 2;
      o->budget_s = d;
    } else if (!strcmp(key, "--window")) {
      if (!number(key, val, 1, SNIPPET_MAX_INSNS, &d)) return 2;
      o->window = (int)d;
    } else if (!strcmp(key, "--seed")) {
      if (!number(key, val, 0, 1e18, &d)) return 2;
      o->seed = (uint64_t)d;
    } else if (!strcmp(key, "--window-time")) {
      if (!number(key, val, 0.01, 1e5, &d)) return 2;
      o->window_time = d;
    } else if (!strcmp(key, "--check-timeout")) {
      if (!number(key, val, 1, 1e6, &d)) return 2;
      o->check_timeout = (unsigned)d;
    } else if (!strcmp(key, "--results")) {
      o->results_dir = val;
    } else if (!strcmp(key, "--work")) {
      o->work_dir = val;
    } else if (!strcmp(key, "--out")) {
      o->out_asm = val;
    } else if (!strcmp(key, "--ledger")) {
      o->ledger = val;
    } else if (!strcmp(key, "--check")) {
      o->check = val;
    } else if (!strcmp(key, "--check-boot")) {
      o->check_boot = val;
    } else if (!strcmp(key, "--program")) {
      o->program = val;
    } else if (!strcmp(key, "--cpu")) {
      if (!isa_cpu_parse(val, &o->cpu)) {
        fprintf(stderr, "superopt %s: --cpu: unknown CPU '%s' (8086, 186, 286, 386, 486, 686)\n",
                argv[0], val);
        return 2;
      }
    } else if (!strcmp(key, "--no-undocumented")) {
      o->no_undocumented = true;
    } else if (!strcmp(key, "--no-indirect-targets")) {
      o->no_indirect_targets = true;
    } else if (!strcmp(key, "--list-windows")) {
      o->list_windows = true;
    } else if (!strcmp(key, "--apply")) {
      o->apply = true;
    } else if (cluster_option(key)) {
      if (!cluster_value(key, val, o)) return 2;
    } else if (a[0] == '-') {
      fprintf(stderr, "superopt %s: unknown option '%s'\n%s", argv[0], a, usage);
      return 2;
    } else if (*npos < maxpos) {
      pos[(*npos)++] = a;
    } else {
      fprintf(stderr, "superopt %s: unexpected argument '%s'\n%s", argv[0], a, usage);
      return 2;
    }
  }
  if (o->nshards && o->phase == PHASE_SPLICE) {
    fprintf(stderr, "superopt %s: the splice phase reads every shard's answers: drop --shard\n%s",
            argv[0], usage);
    return 2;
  }
  return -1;
}

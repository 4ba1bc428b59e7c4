/* oracle: runs the semantics oracles against the instruction model and
 * prints, as its last line, "oracle: F forms, T tests, M mismatches".
 * Exit status: 0 no mismatch, 1 mismatches, 2 bad usage or input, 3 a tool
 * or library is missing. */
#include "oracle.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const keys[O_COUNT] = { "replay", "host", "unicorn", "z3", "nasm", "capstone" };

static void usage(void) {
  fprintf(stderr,
          "usage: oracle [--states N] [--z3-states N] [--asm-samples N] [--replay-limit N]\n"
          "              [--seed S] [--oracle-dir DIR] [--only replay,host,unicorn,z3,nasm,capstone]\n"
          "              [--form SUBSTRING] [--stop-first] [--print-limit N] [--self-test-corrupt]\n"
          "              [--repro FILE]\n"
          "       oracle --replay FILE   rerun the mismatches a run wrote to FILE\n"
          "Every mismatch is written to the reproducer file (default: repro-SEED.jsonl beside\n"
          "the binary) with its seed, form, bytes, state and both outputs.\n");
}

static bool parse_only(const char *s, unsigned *which) {
  *which = 0;
  char buf[256];
  snprintf(buf, sizeof buf, "%s", s);
  for (char *tok = strtok(buf, ","); tok; tok = strtok(NULL, ",")) {
    int k = -1;
    for (int i = 0; i < O_COUNT; i++) if (!strcmp(tok, keys[i])) k = i;
    if (k < 0) { fprintf(stderr, "oracle: unknown oracle '%s' in --only\n", tok); return false; }
    *which |= 1u << k;
  }
  return true;
}

int main(int argc, char **argv) {
  static oracle_run run;
  oracle_opts *o = &run.opt;
  o->seed = (uint64_t)time(NULL) * 0x9E3779B97F4A7C15ull;
  o->states = 10000;
  o->z3_states = 100;
  o->asm_samples = 20;
  o->replay_limit = 0;
  /* the shared data sits beside the clone unless ORACLE_DIR says otherwise */
  o->oracle_dir = getenv("ORACLE_DIR") ? getenv("ORACLE_DIR") : "../shared/oracles/80286";
  o->which = (1u << O_COUNT) - 1;
  o->print_limit = 25;
  const char *repro_path = NULL, *replay_path = NULL;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
    bool takes = strcmp(a, "--stop-first") != 0 && strcmp(a, "--self-test-corrupt") != 0;
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) { usage(); return 0; }
    if (takes && !v) { usage(); return 2; }
    char *end = NULL;
    if (!strcmp(a, "--states")) o->states = (int)strtol(v, &end, 0);
    else if (!strcmp(a, "--z3-states")) o->z3_states = (int)strtol(v, &end, 0);
    else if (!strcmp(a, "--asm-samples")) o->asm_samples = (int)strtol(v, &end, 0);
    else if (!strcmp(a, "--replay-limit")) o->replay_limit = (int)strtol(v, &end, 0);
    else if (!strcmp(a, "--print-limit")) o->print_limit = (int)strtol(v, &end, 0);
    else if (!strcmp(a, "--seed")) o->seed = strtoull(v, &end, 0);
    else if (!strcmp(a, "--oracle-dir")) { o->oracle_dir = v; end = (char *)""; }
    else if (!strcmp(a, "--form")) { o->only_form = v; end = (char *)""; }
    else if (!strcmp(a, "--repro")) { repro_path = v; end = (char *)""; }
    else if (!strcmp(a, "--replay")) { replay_path = v; end = (char *)""; }
    else if (!strcmp(a, "--only")) { if (!parse_only(v, &o->which)) return 2; end = (char *)""; }
    else if (!strcmp(a, "--stop-first")) { o->stop_first = true; continue; }
    else if (!strcmp(a, "--self-test-corrupt")) { o->corrupt = true; continue; }
    else { fprintf(stderr, "oracle: unknown option '%s'\n", a); usage(); return 2; }
    if (!end || *end) { fprintf(stderr, "oracle: bad value '%s' for %s\n", v, a); return 2; }
    i++;
  }
  forms_build(&run.forms);
  if (replay_path) return repro_replay(&run, replay_path);
  char default_repro[1100];
  if (!repro_path) {
    const char *slash = strrchr(argv[0], '/');
    snprintf(default_repro, sizeof default_repro, "%.*srepro-0x%llx.jsonl", slash ? (int)(slash - argv[0] + 1) : 0,
             argv[0], (unsigned long long)o->seed);
    repro_path = default_repro;
  }
  if (!repro_open(&run, repro_path, argc, argv)) return 3;
  printf("oracle: seed 0x%llx (rerun with --seed), %d generated forms, %d states per form "
         "(host, unicorn), %d (z3), %d samples (nasm, capstone), replay limit %d, semantics %s\n",
         (unsigned long long)o->seed, run.forms.n, o->states, o->z3_states, o->asm_samples,
         o->replay_limit, isa_sem_version());
  fflush(stdout);
  int (*const runners[O_COUNT])(oracle_run *) = { run_replay, run_host, run_unicorn,
                                                  run_z3, run_nasm, run_capstone };
  int worst = 0;
  for (int i = 0; i < O_COUNT; i++) {
    if (!(o->which >> i & 1) || run_should_stop(&run)) continue;
    clock_t t0 = clock();
    int rc = runners[i](&run);
    if (rc > worst) worst = rc;
    tally *t = &run.t[i];
    printf("%-16s %4llu forms %10llu tests %8llu mismatches %8llu documented exceptions "
           "%4llu not covered %10llu outputs skipped as undefined  (%.1f s)\n", oracle_names[i],
           (unsigned long long)t->forms, (unsigned long long)t->tests, (unsigned long long)t->mismatches,
           (unsigned long long)t->excepted, (unsigned long long)t->uncovered, (unsigned long long)t->skipped,
           (double)(clock() - t0) / CLOCKS_PER_SEC);
    fflush(stdout);
  }
  /* F: generated forms any oracle ran plus recorded 80286 forms replayed. */
  uint64_t gen_forms = 0, tests = 0, mism = 0;
  for (int i = 1; i < O_COUNT; i++)
    if (run.t[i].forms > gen_forms) gen_forms = run.t[i].forms;
  for (int i = 0; i < O_COUNT; i++) { tests += run.t[i].tests; mism += run.t[i].mismatches; }
  uint64_t forms = gen_forms + run.t[O_REPLAY].forms;
  repro_close(&run);
  printf("oracle: reproducers of the %llu mismatches in %s (rerun them: oracle --replay %s)\n",
         (unsigned long long)mism, repro_path, repro_path);
  printf("oracle: %llu forms, %llu tests, %llu mismatches\n", (unsigned long long)forms,
         (unsigned long long)tests, (unsigned long long)mism);
  if (worst >= 2) return worst;
  return mism ? 1 : 0;
}

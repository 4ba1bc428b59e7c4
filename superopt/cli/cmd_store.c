/* superopt store: merge stores made on machines without a shared database,
 * and list what a store holds. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "cli/commands.h"
#include "store/store.h"

static const char usage[] =
  "usage: superopt store merge STORE... [--into STORE]\n"
  "       superopt store dump STORE\n"
  "       superopt store bench STORE [N]\n"
  "\n"
  "A STORE is an SQLite file or a postgresql:// URL.\n"
  "merge  fold every store into the --into one (made when missing; default: the\n"
  "       first).  A key answered in two stores keeps the longer-searched answer\n"
  "       (the one already in the target on a tie) and adds up its search\n"
  "       counts; a splice verdict already in the target stays.\n"
  "dump   one line per search: key, status (shorter/none/error), bytes\n"
  "       (original -> best), best bytes in hex, searches, seconds of budget,\n"
  "       proof file name.\n"
  "bench  write N (default 200) made-up answers, each its own transaction as a\n"
  "       search's, and print the rate; run several at once for concurrent\n"
  "       writers.  Use a scratch store: the rows stay.\n"
  "exit: 0 done, 2 bad usage, 3 a store cannot be opened, read or written\n";

static void print_row(void *ctx, const char *key, const store_search *r) {
  FILE *out = ctx;
  static const char *const status[] = {"shorter", "none", "error"};
  const char *proof = strrchr(r->proof, '/');
  proof = proof ? proof + 1 : r->proof;
  fprintf(out, "%s %s %d->%d %s %d %g %s\n", key,
          r->status >= 0 && r->status <= 2 ? status[r->status] : "?", r->orig_bytes, r->best_bytes,
          r->best_hex[0] ? r->best_hex : "-", r->searches, r->time_s, proof[0] ? proof : "-");
}

static int dump(const char *spec) {
  char err[512];
  store *st = store_open(spec, err, sizeof err);
  if (!st) {
    fprintf(stderr, "superopt store: %s\n", err);
    return 3;
  }
  bool ok = store_each_search(st, print_row, stdout);
  store_close(st);
  return ok ? 0 : 3;
}

static int merge(int nin, const char **in, const char *into) {
  char err[512];
  store *dst = store_open(into, err, sizeof err);
  if (!dst) {
    fprintf(stderr, "superopt store: %s\n", err);
    return 3;
  }
  int rc = 0;
  for (int i = 0; i < nin; i++) {
    if (!strcmp(in[i], into)) continue;
    store *src = store_open(in[i], err, sizeof err);
    if (!src) {
      fprintf(stderr, "superopt store: %s\n", err);
      rc = 3;
      continue;
    }
    long ns = 0, nv = 0;
    if (store_merge(dst, src, &ns, &nv)) {
      fprintf(stderr, "store merge: %s: %ld searches, %ld verdicts\n", in[i], ns, nv);
    } else {
      fprintf(stderr, "superopt store: merging %s into %s stopped after %ld searches\n", in[i],
              into, ns);
      rc = 3;
    }
    store_close(src);
  }
  printf("store merge: %s holds %ld searches, %ld verdicts\n", into, store_count(dst, "search"),
         store_count(dst, "verdict"));
  store_close(dst);
  return rc;
}

static double now_s(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int bench(const char *spec, long n) {
  char err[512];
  store *st = store_open(spec, err, sizeof err);
  if (!st) {
    fprintf(stderr, "superopt store: %s\n", err);
    return 3;
  }
  /* answers of the size a search leaves (a proof of about 2 kB) */
  char proof[2048];
  memset(proof, ';', sizeof proof - 1);
  proof[sizeof proof - 1] = 0;
  store_search r;
  memset(&r, 0, sizeof r);
  r.status = 1;
  r.orig_bytes = r.best_bytes = 3;
  r.time_s = 1;
  r.proof_text = proof;
  long ok = 0;
  double t0 = now_s();
  for (long i = 0; i < n; i++) {
    char key[64], text[64];
    snprintf(text, sizeof text, "bench %ld %ld", (long)getpid(), i);
    store_hash_text(text, strlen(text), key);
    ok += store_put_search(st, key, "(bench)", 0, "bench", text, &r);
  }
  double dt = now_s() - t0;
  printf("store bench (%s): %ld answers in %.3f s: %.0f answers/s\n", store_backend_name(st), ok,
         dt, dt > 0 ? (double)ok / dt : 0.0);
  store_close(st);
  return ok == n ? 0 : 3;
}

int cmd_store(int argc, char **argv) {
  if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
    fputs(usage, argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  if (!strcmp(argv[1], "dump")) {
    if (argc != 3) {
      fprintf(stderr, "superopt store dump: needs one STORE\n%s", usage);
      return 2;
    }
    return dump(argv[2]);
  }
  if (!strcmp(argv[1], "bench")) {
    long n = argc > 3 ? atol(argv[3]) : 200;
    if (argc < 3 || argc > 4 || n < 1) {
      fprintf(stderr, "superopt store bench: needs STORE and optionally N >= 1\n%s", usage);
      return 2;
    }
    return bench(argv[2], n);
  }
  if (strcmp(argv[1], "merge")) {
    fprintf(stderr, "superopt store: unknown action '%s'\n%s", argv[1], usage);
    return 2;
  }
  const char *in[256];
  int nin = 0;
  const char *into = NULL;
  for (int i = 2; i < argc; i++) {
    if (!strcmp(argv[i], "--into") && i + 1 < argc) {
      into = argv[++i];
    } else if (argv[i][0] == '-' && strncmp(argv[i], "postgres", 8)) {
      fprintf(stderr, "superopt store merge: unknown option '%s'\n%s", argv[i], usage);
      return 2;
    } else if (nin < 256) {
      in[nin++] = argv[i];
    }
  }
  if (nin == 0 || (!into && nin < 2)) {
    fprintf(stderr, "superopt store merge: needs two stores, or one and --into\n%s", usage);
    return 2;
  }
  return merge(nin, in, into ? into : in[0]);
}

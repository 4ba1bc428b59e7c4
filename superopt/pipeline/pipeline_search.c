/* The search phase: every window, shortest first, answered from the store
 * when a finished search exists, else by opt_snippet, whose answer is
 * committed to the store at once. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "program/cpu_directive.h"
#include "pipeline/pipeline_int.h"
#include "prove/checker.h"
#include "sys/run.h"

static int by_len_then_start(const void *x, const void *y, void *windows) {
  const window *w = windows;
  const window *a = &w[*(const int *)x], *b = &w[*(const int *)y];
  int la = a->b - a->a, lb = b->b - b->a;
  if (la != lb) return la - lb;
  return a->a - b->a;
}

static double now_s(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void fill_from_store(win_result *r, const store_search *ss, const snippet *s) {
  r->status = ss->status;
  r->orig = ss->orig_bytes;
  r->best = ss->best_bytes;
  snprintf(r->proof, sizeof r->proof, "%s", ss->proof);
  snprintf(r->why, sizeof r->why, "%s", ss->why);
  r->n = 0;
  if (r->status == OPT_SHORTER) {
    int n = insns_from_store(ss->best_hex, s, r->code, SNIPPET_MAX_INSNS);
    if (n < 0) {               /* cannot be read back: treat as not found */
      r->status = OPT_ERROR;
      snprintf(r->why, sizeof r->why, "stored sequence %s does not decode", ss->best_hex);
    } else {
      r->n = n;
    }
  }
}

static void seq_text_of(const insn *code, int n, char *out, size_t on) {
  size_t k = 0;
  out[0] = 0;
  for (int i = 0; i < n && k + 4 < on; i++) {
    char t[160];
    isa_print(&code[i], t, sizeof t);
    k += (size_t)snprintf(out + k, on - k, "%s%s", i ? "; " : "", t);
  }
}

void pipeline_window_snippet(const pipeline *pl, const window *w, snippet *s) {
  window_snippet(&pl->p, &pl->lv, w, s);
  /* answers must assemble under the program's own `cpu` line too */
  int program_cpu = program_cpu_level(pl->p.src, pl->p.nsrc, NULL);
  if (program_cpu >= 0) snippet_limit_cpu(s, program_cpu);
  if (pl->o->cpu >= 0) snippet_limit_cpu(s, pl->o->cpu);
  s->no_undocumented = pl->o->no_undocumented;
}

bool pipeline_in_shard(const pipeline *pl, const window *w, const snippet *s, char *key) {
  char k[33];
  store_key(s, pl->p.image + pl->p.it[w->a].off, w->bytes, k);
  if (key) memcpy(key, k, sizeof k);
  return pl->o->nshards <= 1 || store_shard_of(k, pl->o->nshards) == pl->o->shard;
}

/* The proof of an answer made on another machine (a shard, a merged store)
 * is written here from the store's copy, under the name it had there. */
static void proof_here(pipeline *pl, win_result *r) {
  if (!r->proof[0]) return;
  const char *base = strrchr(r->proof, '/');
  base = base ? base + 1 : r->proof;
  char local[sizeof r->proof];
  if (snprintf(local, sizeof local, "%s/%s", pl->proofs, base) >= (int)sizeof local) return;
  if (access(local, R_OK) != 0) {
    char *text = store_get_proof(pl->st, r->key);
    bool ok = text && write_file_atomic(local, text, strlen(text));
    free(text);
    if (!ok) return;   /* no proof here: the splice phase leaves the answer out */
  }
  memcpy(r->proof, local, sizeof local);
}

/* After a shard's search: what it did, and how fast the store took it. */
static void shard_summary(const pipeline *pl) {
  const pipeline_opts *o = pl->o;
  long writes;
  double secs;
  store_write_stats(pl->st, &writes, &secs);
  char shard[32] = "";
  if (o->nshards) snprintf(shard, sizeof shard, " shard %d/%d", o->shard, o->nshards);
  fprintf(stderr,
          "[%s]%s search: windows %d of %d (%d in other shards): searched now %d, from the store %d,"
          " not reached in the budget %d, proven shorter %d, not recorded %d\n",
          o->name, shard, pl->nwin - pl->other_shard, pl->nwin, pl->other_shard, pl->searched,
          pl->cached, pl->not_reached, pl->shorter, pl->unrecorded);
  fprintf(stderr, "[%s]%s store (%s): %ld answers written in %.3f s (%.1f ms each)\n", o->name,
          shard, store_backend_name(pl->st), writes, secs, writes ? secs * 1e3 / (double)writes : 0.0);
}

void pipeline_search(pipeline *pl) {
  const pipeline_opts *o = pl->o;
  int *order = malloc(sizeof *order * ((size_t)pl->nwin + 1));
  for (int i = 0; i < pl->nwin; i++) order[i] = i;
  qsort_r(order, (size_t)pl->nwin, sizeof *order, by_len_then_start, pl->win);
  opt_params prm;
  opt_params_default(&prm);
  prm.time_s = o->window_time;
  prm.seed = o->seed;
  prm.proof_dir = pl->proofs;
  prm.progress = false;
  search_checker prover_checker = prove_checker(NULL);
  prm.checker = &prover_checker;
  bool *covered = calloc((size_t)pl->p.n + 1, 1);
  int saved = 0;
  bool tty = isatty(2);
  double t0 = now_s(), last_print = 0;
  for (int k = 0; k < pl->nwin; k++) {
    const window *w = &pl->win[order[k]];
    win_result *r = &pl->res[order[k]];
    r->status = -1;
    snippet s;
    pipeline_window_snippet(pl, w, &s);
    if (!pipeline_in_shard(pl, w, &s, r->key)) {
      pl->other_shard++;
      continue;
    }
    r->orig = w->bytes;
    store_search ss;
    const char *block = pipeline_block(pl, &pl->p, w->a);
    bool have = store_get_search(pl->st, r->key, &ss);
    if (have && (ss.status != OPT_NONE || ss.time_s >= o->window_time - 1e-9)) {
      fill_from_store(r, &ss, &s);
      proof_here(pl, r);
      r->cached = true;
      pl->cached++;
    } else if (o->phase == PHASE_SPLICE) {
      pl->no_answer++;   /* its shard has not finished */
      continue;
    } else if (now_s() - t0 >= o->budget_s) {
      pl->not_reached++;
      continue;
    } else {
      opt_result res;
      memset(&res, 0, sizeof res);
      opt_snippet(&s, &prm, &res);
      memset(&ss, 0, sizeof ss);
      ss.status = res.status;
      ss.orig_bytes = w->bytes;
      ss.best_bytes = res.status == OPT_SHORTER ? res.best_bytes : w->bytes;
      if (res.status == OPT_SHORTER) {
        ss.best_bytes = store_hex_of(res.best, res.nbest, &s, ss.best_hex, sizeof ss.best_hex);
        seq_text_of(res.best, res.nbest, ss.best_text, sizeof ss.best_text);
      }
      snprintf(ss.proof, sizeof ss.proof, "%s", res.proof_path);
      ss.proof_kind = res.kind;
      snprintf(ss.why, sizeof ss.why, "%s", res.why);
      ss.time_s = o->window_time;
      ss.seconds = res.seconds;
      char code[512];
      seq_text_of(s.code, s.n, code, sizeof code);
      size_t plen = 0;
      char *proof_text = ss.proof[0] ? read_whole_file(ss.proof, &plen) : NULL;
      ss.proof_text = proof_text;
      if (!store_put_search(pl->st, r->key, o->program, pl->p.it[w->a].line, block, code, &ss)) {
        fprintf(stderr, "superopt %s: could not record the search of %s:%d in the store\n",
                o->name, o->program, pl->p.it[w->a].line);
        pl->unrecorded++;
      }
      free(proof_text);
      ss.proof_text = NULL;
      fill_from_store(r, &ss, &s);
      pl->searched++;
    }
    if (r->status == OPT_ERROR) pl->errors++;
    if (r->status == OPT_SHORTER && r->best < r->orig) {
      pl->shorter++;
      bool free_ = true;
      for (int i = w->a; i <= w->b; i++) free_ = free_ && !covered[i];
      if (free_) {
        for (int i = w->a; i <= w->b; i++) covered[i] = true;
        saved += r->orig - r->best;
      }
    }
    double t = now_s();
    if (tty ? t - last_print > 0.2 : (t - last_print > 10 || k + 1 == pl->nwin)) {
      last_print = t;
      fprintf(stderr, "%s[%s] windows %d/%d (cached %d)  block %-18s  proven shrinks %d, %d bytes saved%s",
              tty ? "\r" : "", o->name, k + 1, pl->nwin, pl->cached, block, pl->shorter, saved,
              tty ? "   " : "\n");
    }
  }
  if (tty) fprintf(stderr, "\n");
  if (o->phase == PHASE_SEARCH || o->nshards) shard_summary(pl);
  if (pl->no_answer)
    fprintf(stderr,
            "[%s] splice phase: %d of %d windows have no answer in the store (a shard did not"
            " finish: rerun it); splicing the answered ones\n",
            o->name, pl->no_answer, pl->nwin);
  free(covered);
  free(order);
}

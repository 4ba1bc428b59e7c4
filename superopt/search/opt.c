/* The search driver: test states, then enumeration by length, then (when
 * enumeration runs out of time) stochastic search; every survivor of the
 * first-state filter is checked on all states, fingerprinted, and proved
 * before it is accepted.  Counterexamples join the test states. */
#include "search/opt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "program/rewrite.h"
#include "sys/run.h"
#include "search/enumerate.h"
#include "search/pool.h"
#include "search/replay.h"
#include "search/stochastic.h"
#include "search/synth.h"
#include "search/teststates.h"

void opt_params_default(opt_params *p) {
  memset(p, 0, sizeof *p);
  p->max_bytes = 0;            /* 0: original - 1 */
  p->time_s = 20;
  p->seed = 1;
  p->progress = false;
  p->proof_dir = "build/opt/proofs";   /* never the checkout's results/ unless told */
  p->solver_timeout_ms = 10000;
  p->stochastic = true;
  p->ntests = 32;
}

typedef struct {
  const snippet *s;
  const opt_params *prm;
  teststates *ts;
  void *session;          /* the checker's, for this search */
  opt_result *res;
  int best_bytes;
  char cex_path[600];     /* empty: counterexamples are not kept */
  double deadline;        /* no proof is started after it */
} search_ctx;

static void note_proof_time(opt_result *r, double ms) {
  if (r->nproof_ms < (int)(sizeof r->proof_ms / sizeof r->proof_ms[0])) r->proof_ms[r->nproof_ms++] = ms;
}

static void accept(search_ctx *c, const insn *seq, int n, int kind, const char *path) {
  opt_result *r = c->res;
  r->status = OPT_SHORTER;
  memcpy(r->best, seq, (size_t)n * sizeof *seq);
  r->nbest = n;
  r->best_bytes = seq_bytes(seq, n);
  r->kind = kind;
  snprintf(r->proof_path, sizeof r->proof_path, "%s", path);
  c->best_bytes = r->best_bytes;
}

/* A counterexample is trusted only after the evaluator agrees that the two
 * sequences differ on it (search/replay.c); otherwise the two instantiations
 * of the semantics disagree, which must never be papered over. */
static void take_counterexample(search_ctx *c, const insn *seq, int n, const isa_state *cex,
                                const char *source) {
  isa_state init;
  char msg[768];
  if (!cex_replay(c->s, seq, n, cex, &init, msg, sizeof msg)) {
    fprintf(stderr, "SEMANTICS BUG (%s): %s; candidate rejected\n", source, msg);
    c->res->semantics_bugs++;
    return;
  }
  if (teststates_add(c->ts, &init) && c->cex_path[0]) teststate_append(c->cex_path, &init);
}

static bool on_survivor(void *vc, const insn *cand, int n) {
  search_ctx *c = vc;
  opt_result *r = c->res;
  /* a closing branch goes to the original's target: its displacement
     follows the candidate's length, and a short one may not reach */
  insn seq[SNIPPET_MAX_INSNS];
  if (n > SNIPPET_MAX_INSNS) return false;
  memcpy(seq, cand, (size_t)n * sizeof *seq);
  if (!snippet_place_tail(c->s, seq, n)) {
    r->unreachable_tails++;
    return false;
  }
  if (seq_bytes(seq, n) >= c->best_bytes) return false;
  for (int i = 0; i < n; i++)
    if (!pool_target_allows(c->s, &seq[i])) return false;   /* the pool already keeps them out */
  if (!teststates_all_equal(c->ts, seq, n, 1)) return false;
  if (teststates_fingerprint(c->ts, seq, n) != c->ts->fp) return false;
  r->survivors++;
  if (clock_now() > c->deadline) {   /* --time bounds the proofs too */
    r->time_limited = true;
    return false;
  }
  check_answer a;
  c->prm->checker->check(c->session, c->s, seq, n, c->prm->proof_dir, &a);
  for (int i = 0; i < a.nquery_ms; i++) note_proof_time(r, a.query_ms[i]);
  r->solver_unknown += (uint64_t)a.solver_unknown;
  switch (a.verdict) {
  case CHECK_PROVEN:
    accept(c, seq, n, a.kind, a.path);
    return true;
  case CHECK_REFUTED:
    r->refuted++;
    take_counterexample(c, seq, n, &a.cex, a.cex_source);
    return false;
  case CHECK_UNSTORED:
    r->proof_unstored = true;
    snprintf(r->why, sizeof r->why, "%s", a.why);
    return false;
  case CHECK_UNDECIDED:
    if (a.why[0]) snprintf(r->why, sizeof r->why, "%s", a.why);
    return false;
  }
  return false;
}

/* Live-out registers the original leaves with the same value on every test
 * state: likely constants, offered to the pool as immediates. */
static int constant_outputs(const snippet *s, const teststates *ts, int32_t *out, int max) {
  int n = 0;
  for (int r = 0; r < 8 && n < max; r++) {
    static const uint32_t masks[] = {0xffff, 0xff, 0xff00};
    for (int k = 0; k < 3 && n < max; k++) {
      locset need = k == 0 ? LOC_R16(r) : k == 1 ? LOC_LO(r) : LOC_HI(r);
      if ((s->live_out & need) != need || s->live_out == LOC_ALL) continue;
      uint32_t v = ts->want[0].r[r] & masks[k];
      bool same = true;
      for (int i = 1; i < ts->n && same; i++) same = (ts->want[i].r[r] & masks[k]) == v;
      if (same) out[n++] = (int32_t)(k == 2 ? v >> 8 : v);
    }
  }
  return n;
}

static void assumption_text(const assumption *a, char *out, size_t n) {
  char loc[64];
  isa_loc_print(a->loc, loc, sizeof loc);
  snprintf(out, n, a->value < 10 ? "%s%c%u" : "%s%c0x%x", loc, a->kind == ASSUME_EQ ? '=' : '<', a->value);
}

/* Why no test state could be made: an instruction the model does not
 * evaluate, two assumptions no state meets together, or (else) the
 * original really faults everywhere. */
static void why_no_state(const snippet *s, char *why, size_t n) {
  for (int i = 0; i < s->n; i++) {
    isa_state st;
    memset(&st, 0, sizeof st);
    isa_exec(&st, &s->code[i]);
    if (st.fault == ISA_FAULT_UD) {
      char text[96];
      seq_text(&s->code[i], 1, text, sizeof text);
      snprintf(why, n, "not modelled: %s (line %d)", text, s->line[i]);
      return;
    }
  }
  for (int i = 0; i < s->nassume; i++)
    for (int j = i + 1; j < s->nassume; j++) {
      snippet two = {.nassume = 2, .assume = {s->assume[i], s->assume[j]}};
      bool met = false;
      for (int k = 0; k < 2 && !met; k++) {   /* either order of applying them */
        isa_state st;
        memset(&st, 0, sizeof st);
        two.assume[0] = s->assume[k ? j : i];
        two.assume[1] = s->assume[k ? i : j];
        teststate_assume(&two, &st);
        met = snippet_assumptions_hold(&two, &st);
      }
      if (!met) {
        char a[64], b[64];
        assumption_text(&s->assume[i], a, sizeof a);
        assumption_text(&s->assume[j], b, sizeof b);
        snprintf(why, n, "the assumptions contradict each other (%s, %s)", a, b);
        return;
      }
    }
  snprintf(why, n, "the original faults on every test state");
}

bool opt_snippet(const snippet *s, const opt_params *prm, opt_result *out) {
  memset(out, 0, sizeof *out);
  double start = clock_now();
  out->original_bytes = s->bytes;
  out->best_bytes = s->bytes;
  out->status = OPT_NONE;
  out->enumerated_bytes = -1;
  int max_bytes = prm->max_bytes > 0 ? prm->max_bytes : s->bytes - 1;
  if (max_bytes > s->bytes - 1) max_bytes = s->bytes - 1;

  teststates *ts = calloc(1, sizeof *ts);
  pool pl;
  double budget = prm->time_s > 0 ? prm->time_s : 20;
  /* the budget covers the proofs: a query made here may take a twentieth
     of it, and the search ends that long before the budget does */
  unsigned query_ms = prm->solver_timeout_ms ? prm->solver_timeout_ms : 10000;
  if (query_ms > budget * 50) query_ms = (unsigned)(budget * 50) + 1;
  if (!prm->checker) {
    snprintf(out->why, sizeof out->why, "no checker to prove candidates with");
    out->status = OPT_ERROR;
    free(ts);
    return false;
  }
  double end = start + budget - (prm->checker->per_search ? query_ms / 1000.0 : 0);
  void *session = prm->checker->open(prm->checker, query_ms);
  memset(&pl, 0, sizeof pl);
  if (!ts || !session) {
    snprintf(out->why, sizeof out->why, "out of memory");
    out->status = OPT_ERROR;
    free(ts);
    if (session) prm->checker->close(session);
    return false;
  }
  bool ok = true;
  /* the model describes each form on the lowest CPU isa_cpu_level names: an
     original above the target level (a shift by cl, push sp on an 8086) has
     another meaning there, and no proof about the model's meaning holds */
  for (int i = 0; i < s->n; i++)
    if (isa_cpu_level(&s->code[i]) > snippet_cpu(s)) {
      char t[160];
      isa_print(&s->code[i], t, sizeof t);
      snprintf(out->why, sizeof out->why, "line %d: '%s' is modelled as on a %s, not a %s",
               s->line[i], t, isa_cpu_name(isa_cpu_level(&s->code[i])), isa_cpu_name(snippet_cpu(s)));
      out->status = OPT_ERROR;
      ok = false;
      goto done;
    }
  int nseeded = teststates_make(ts, s, prm->ntests > 0 ? prm->ntests : 32, prm->seed);
  if (nseeded == 0) {
    why_no_state(s, out->why, sizeof out->why);
    out->status = OPT_ERROR;
    ok = false;
    goto done;
  }
  int32_t consts[48];
  int nconst = constant_outputs(s, ts, consts, 16);
  nconst += synth_constants(s, ts, consts + nconst, 48 - nconst);
  if (!pool_build_extra(&pl, s, consts, nconst)) {
    snprintf(out->why, sizeof out->why, "out of memory");
    out->status = OPT_ERROR;
    ok = false;
    goto done;
  }
  if (prm->no_rename_pruning) memset(pl.canonical, 1, sizeof pl.canonical);
  search_ctx c = {.s = s, .prm = prm, .ts = ts, .session = session, .res = out, .best_bytes = s->bytes,
                  .deadline = end};
  if (prm->cex_dir && make_dirs(prm->cex_dir)) {
    char key[33];
    rewrite_hash(s, NULL, 0, key);
    snprintf(c.cex_path, sizeof c.cex_path, "%s/%s.cex", prm->cex_dir, key);
    teststates_load(ts, c.cex_path);
  }
  /* constants Z3 solves for come first: a one-instruction answer ends the
     search early, and the immediates it finds join the pool */
  synth_stats sy;
  int nz = synth_cegis(s, ts, &pl, on_survivor, &c, (int)(budget * SYNTH_QUERIES_PER_S) + 1,
                       consts + nconst, 48 - nconst, &sy);
  if (nz > 0) {
    pool_free(&pl);
    if (!pool_build_extra(&pl, s, consts, nconst + nz)) {
      snprintf(out->why, sizeof out->why, "out of memory");
      out->status = OPT_ERROR;
      ok = false;
      goto done;
    }
    if (prm->no_rename_pruning) memset(pl.canonical, 1, sizeof pl.canonical);
  }
  if (out->status == OPT_SHORTER && max_bytes >= out->best_bytes) max_bytes = out->best_bytes - 1;
  enumerator *e = calloc(1, sizeof *e);
  e->p = &pl;
  e->ts = ts;
  e->on_survivor = on_survivor;
  e->ctx = &c;
  e->progress = prm->progress;
  e->no_writeset_filter = prm->no_writeset_filter;
  e->no_prefix_pruning = prm->no_prefix_pruning;
  out->pool_size = pl.n;
  enumerate_prepare(e);
  /* enumeration first, up to its count budget; what is left goes to the
     stochastic search.  The clock only cuts either short (time_limited). */
  e->deadline = prm->stochastic ? start + (end - start) * 0.6 : end;
  e->budget = prm->enum_budget ? prm->enum_budget : (uint64_t)(budget * (double)OPT_ENUM_PER_S);
  for (int L = 0; L <= max_bytes; L++) {
    if (!enumerate_length(e, L)) break;
    out->enumerated_bytes = L;
  }
  out->candidates = e->candidates;
  out->first_pass = e->first_pass;
  out->executed = e->executed;
  out->enum_work = e->prefixes + e->executed;
  out->pruned_prefixes = e->pruned_prefixes;
  bool unfinished = e->timed_out || e->budget_out;
  out->time_limited = e->timed_out;
  enumerate_release(e);
  free(e);
  if (prm->progress) fprintf(stderr, "\r%60s\r", "");
  /* (the chains' moves do not keep a closing branch last: not for tails) */
  if (out->status != OPT_SHORTER && unfinished && prm->stochastic && !s->has_tail) {
    /* chains see only the states made from the seed: counterexamples kept
       from earlier runs sit after them and must not steer the chain */
    stochastic sx = {.p = &pl, .ts = ts, .on_survivor = on_survivor, .ctx = &c,
                     .deadline = end, .seed = prm->seed,
                     .below = s->bytes, .at_least = out->enumerated_bytes + 1,
                     .progress = prm->progress, .ntests = nseeded,
                     .budget = prm->proposals ? prm->proposals
                                              : (uint64_t)(budget * (double)OPT_PROPOSALS_PER_S),
                     .restarts = prm->restarts > 0 ? prm->restarts : OPT_RESTARTS};
    stochastic_run(&sx);
    if (prm->progress) fprintf(stderr, "\r%70s\r", "");
    out->candidates += sx.proposals;
    out->proposals = sx.proposals;
    if (sx.timed_out) out->time_limited = true;
  }
done:
  out->seconds = clock_now() - start;
  pool_free(&pl);
  prm->checker->close(session);
  free(ts);
  return ok;
}

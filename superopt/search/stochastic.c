#include "search/stochastic.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define SX_MAX 24
#define MISMATCH_WEIGHT 4
#define SX_TESTS 16

typedef struct {
  int idx[SX_MAX];
  int n;
} prog;

static int prog_bytes(const pool *p, const prog *g) {
  int b = 0;
  for (int i = 0; i < g->n; i++) b += p->v[g->idx[i]].len;
  return b;
}

static int mismatches(const stochastic *sx, const prog *g) {
  insn seq[SX_MAX];
  for (int i = 0; i < g->n; i++) seq[i] = sx->p->v[g->idx[i]].in;
  const teststates *ts = sx->ts;
  int bad = 0, lim = sx->ntests;
  for (int k = 0; k < lim; k++) {
    isa_state st;
    state_copy(&st, &ts->init[k]);
    isa_exec_seq(&st, seq, g->n);
    if (!isa_state_equal(&ts->want[k], &st, ts->s->live_out)) bad++;
  }
  return bad;
}

static int pick(uint64_t *rng, int n) { return n > 0 ? (int)(rng_next(rng) % (uint64_t)n) : 0; }

static bool same_operands(const insn *a, const insn *b) {
  return a->nops == b->nops && a->size == b->size && !memcmp(a->o, b->o, sizeof a->o);
}

/* A random pool instruction related to `cur` by `rel` (0 same operands, 1
 * same operation), or any one when none turns up quickly. */
static int related(const pool *p, uint64_t *rng, int cur, int rel) {
  for (int tries = 0; tries < 64; tries++) {
    int j = pick(rng, p->n);
    const insn *a = &p->v[cur].in, *b = &p->v[j].in;
    if (j == cur) continue;
    if (rel == 0 ? same_operands(a, b) : (a->op == b->op && a->cc == b->cc)) return j;
  }
  return pick(rng, p->n);
}

static void propose(const stochastic *sx, uint64_t *rng, prog *g) {
  const pool *p = sx->p;
  int move = pick(rng, 6);
  if (g->n == 0) move = 3;
  if (g->n >= SX_MAX && move == 3) move = 4;
  int at = pick(rng, g->n);
  switch (move) {
  case 0: g->idx[at] = related(p, rng, g->idx[at], 0); break;   /* opcode */
  case 1: g->idx[at] = related(p, rng, g->idx[at], 1); break;   /* operand */
  case 2: g->idx[at] = pick(rng, p->n); break;                  /* instruction */
  case 3:                                                       /* insert */
    at = pick(rng, g->n + 1);
    memmove(&g->idx[at + 1], &g->idx[at], (size_t)(g->n - at) * sizeof g->idx[0]);
    g->idx[at] = pick(rng, p->n);
    g->n++;
    break;
  case 4:                                                       /* delete */
    memmove(&g->idx[at], &g->idx[at + 1], (size_t)(g->n - at - 1) * sizeof g->idx[0]);
    g->n--;
    break;
  default: {                                                    /* swap */
    int b = pick(rng, g->n);
    int t = g->idx[at];
    g->idx[at] = g->idx[b];
    g->idx[b] = t;
  }
  }
}

static int find_in_pool(const pool *p, const insn *in) {
  uint8_t want[ISA_MAX_LEN], got[ISA_MAX_LEN];
  insn a = *in;
  int la = isa_encode(&a, want);
  for (int i = 0; i < p->n; i++) {
    insn b = p->v[i].in;
    if (p->v[i].len == la && isa_encode(&b, got) == la && !memcmp(want, got, (size_t)la)) return i;
  }
  return -1;
}

/* One chain of `budget` proposals (0: until the deadline) from `start`.
 * Returns 2 when an accepted sequence reached at_least or the deadline
 * passed (no chain need follow), 1 when it accepted something, else 0. */
static int run_chain(stochastic *sx, const prog *start, uint64_t rng, uint64_t budget) {
  const pool *p = sx->p;
  prog cur = *start;
  double cur_cost = prog_bytes(p, &cur) + MISMATCH_WEIGHT * mismatches(sx, &cur);
  const double beta = 1.0;
  int found = 0;
  for (uint64_t k = 0; budget == 0 || k < budget; k++) {
    if ((sx->proposals & 1023) == 0) {
      double now = clock_now();
      if (now > sx->deadline) {
        sx->timed_out = true;
        return 2;
      }
      if (sx->progress && (sx->proposals & 65535) == 0)
        fprintf(stderr, "\rstochastic: %llu proposals, current %d bytes, best %d bytes      ",
                (unsigned long long)sx->proposals, prog_bytes(p, &cur), sx->best_bytes);
    }
    sx->proposals++;
    prog next = cur;
    propose(sx, &rng, &next);
    int bytes = prog_bytes(p, &next);
    int bad = mismatches(sx, &next);
    double cost = bytes + MISMATCH_WEIGHT * bad;
    if (bad == 0 && bytes < sx->best_bytes && bytes >= sx->at_least) {
      insn seq[SX_MAX];
      for (int i = 0; i < next.n; i++) seq[i] = p->v[next.idx[i]].in;
      sx->offered++;
      if (sx->on_survivor(sx->ctx, seq, next.n)) {
        sx->best_bytes = bytes;
        found = 1;
        if (bytes <= sx->at_least) return 2;
      }
    }
    double u = (double)(rng_next(&rng) >> 11) * 0x1.0p-53;
    if (cost <= cur_cost || u < exp(-beta * (cost - cur_cost))) {
      cur = next;
      cur_cost = cost;
    }
  }
  return found;
}

bool stochastic_run(stochastic *sx) {
  const pool *p = sx->p;
  uint64_t seeds = sx->seed ^ 0x570c4a571cull;
  sx->best_bytes = sx->below;
  sx->timed_out = false;
  if (p->n == 0 || sx->ts->n == 0) return false;
  int lim = sx->ts->n < SX_TESTS ? sx->ts->n : SX_TESTS;
  if (sx->ntests <= 0 || sx->ntests > lim) sx->ntests = lim;
  prog orig = {.n = 0}, empty = {.n = 0};
  for (int i = 0; i < sx->ts->s->n && orig.n < SX_MAX; i++) {
    int j = find_in_pool(p, &sx->ts->s->code[i]);
    if (j < 0) { orig.n = 0; break; }
    orig.idx[orig.n++] = j;
  }
  int chains = sx->restarts > 0 ? sx->restarts : 1;
  if (sx->budget == 0) chains = 1;   /* one chain until the deadline */
  for (int c = 0; c < chains; c++) {
    /* each chain's stream is drawn from the seed, so the chains and their
       order depend on nothing else */
    uint64_t rng = rng_next(&seeds);
    uint64_t budget = sx->budget / (uint64_t)chains;
    if (sx->budget && c == chains - 1) budget = sx->budget - budget * (uint64_t)(chains - 1);
    if (run_chain(sx, c % 2 == 0 ? &orig : &empty, rng, budget) == 2) break;
  }
  return sx->best_bytes < sx->below;
}

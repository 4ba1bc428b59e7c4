#include "search/enumerate.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <xxhash.h>

double clock_now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

#define CHECK_EVERY (1u << 18)

/* (a closing branch stays last: never reordered) */
static bool independent(const pool_insn *a, const pool_insn *b) {
  if (a->tail || b->tail) return false;
  return !(a->writes & (b->reads | b->writes)) && !(b->writes & a->reads);
}

/* The previous instruction is dead when this one overwrites everything it
 * wrote without reading it: dropping it gives a shorter sequence that was
 * tried earlier.  (Only this local case is pruned; a sequence with a dead
 * instruction further back cannot win either, since its shorter version
 * passes every check first.) */
static bool kills(const pool_insn *prev, const pool_insn *cur) {
  if (prev->writes & LOC_MEM) return false;
  if (cur->in.op == OP_CMOVCC) return false;   /* writes only sometimes */
  return !(prev->writes & cur->reads) && !(prev->writes & ~cur->writes);
}

static void progress_line(enumerator *e) {
  double now = clock_now();
  double rate = (double)e->candidates / (now - e->started + 1e-9);
  fprintf(stderr, "\rsearching %d bytes  %.3g candidates/s  %llu survivors   ", e->len, rate,
          (unsigned long long)e->first_pass);
  fflush(stderr);
}

/* The count budget is looked at only where the clock is (every so many
 * candidates or prefixes), points that depend on the enumeration alone: the
 * same pool stops at the same sequence however fast the machine is. */
static bool over_budget(enumerator *e) {
  if (!e->budget || e->prefixes + e->executed < e->budget) return false;
  e->budget_out = true;
  return true;
}

static bool report(enumerator *e, int n) {
  for (int k = 0; k < n; k++) e->seq[k] = e->p->v[e->idx[k]].in;
  e->first_pass++;
  if (e->on_survivor(e->ctx, e->seq, n)) {
    e->stopped = true;
    return true;
  }
  return false;
}

/* Whether some sequence of exactly rem bytes can write every location in
 * mism (a superset of it is one of the maximal write unions). */
static bool coverable(enumerator *e, int rem, locset mism) {
  size_t h = (size_t)((mism * 0x9e3779b97f4a7c15ull) >> 54) & (COVER_MEMO - 1);
  if (e->cover_key[rem][h] == mism) return e->cover_ok[rem][h];
  bool ok = false;
  for (int k = 0; k < e->ncovers[rem] && !ok; k++) ok = !(mism & ~e->covers[rem][k]);
  e->cover_key[rem][h] = mism;
  e->cover_ok[rem][h] = ok;
  return ok;
}

/* The hash of what a prefix leaves on the first two test states and which
 * scratch registers it used (the renaming rule looks at those). */
static uint64_t prefix_key(const isa_state *a, const isa_state *b, uint8_t used) {
  uint8_t buf[2 * (offsetof(isa_state, mem_seed) + sizeof(uint32_t) +
                   ISA_MEMLOG * (sizeof(uint32_t) + 1)) + 1];
  size_t n = 0;
  const isa_state *both[2] = {a, b};
  for (int k = 0; k < 2; k++) {
    const isa_state *s = both[k];
    memcpy(buf + n, s, offsetof(isa_state, mem_seed));
    n += offsetof(isa_state, mem_seed);
    memcpy(buf + n, &s->nwrites, sizeof s->nwrites);
    n += sizeof s->nwrites;
    memcpy(buf + n, s->waddr, s->nwrites * sizeof s->waddr[0]);
    n += s->nwrites * sizeof s->waddr[0];
    memcpy(buf + n, s->wval, s->nwrites);
    n += s->nwrites;
  }
  buf[n++] = used;
  uint64_t h = XXH3_64bits(buf, n);
  return h ? h : 1;
}

/* Below this many bytes left, a subtree is mostly decided in bulk by write
 * sets and is cheaper to walk than to look up. */
#define PREFIX_MIN_REST 3

/* Has a prefix of at most `bytes` bytes left these states already?  If not,
 * remember this one. */
static bool seen_prefix(enumerator *e, uint64_t key, int bytes) {
  size_t i = (size_t)(key >> 40) & (PREFIX_SEEN - 1);
  if (e->seen_key[i] == key && e->seen_used[i] <= bytes) return true;
  e->seen_key[i] = key;
  e->seen_used[i] = (uint8_t)bytes;
  return false;
}

/* Place instructions from position d on, with rem bytes left to fill. */
static bool dfs(enumerator *e, int d, int rem, uint8_t scratch_used) {
  const pool *p = e->p;
  const teststates *ts = e->ts;
  const isa_state *want = &ts->want[0];
  const isa_live_masks *m = &ts->live;
  locset live = ts->s->live_out;
  const pool_insn *prev = d > 0 ? &p->v[e->idx[d - 1]] : NULL;
  int prev_i = d > 0 ? e->idx[d - 1] : -1;
  const isa_state *here = &e->st[d];
  isa_state *t = &e->st[d + 1];
  int maxlen = rem < POOL_MAX_LEN ? rem : POOL_MAX_LEN;
  locset mism = e->no_writeset_filter ? 0 : isa_outcome_mismatch(want, here, m);
  if (mism && rem <= COVER_MAX_LEN && e->covers[rem] && !coverable(e, rem, mism))
    return true;   /* the remaining bytes cannot write every live location still wrong */
  /* inner positions */
  if (d + 1 < ENUM_MAX_DEPTH)
    for (int len = 1; len < maxlen || (len == maxlen && len < rem); len++) {
      for (int i = p->start[len]; i < p->start[len + 1]; i++) {
        const pool_insn *pi = &p->v[i];
        if (pi->tail) continue;   /* a branch only closes a sequence */
        if (prev && ((i < prev_i && independent(prev, pi)) || kills(prev, pi))) continue;
        uint8_t used = scratch_used | pi->scratch;
        if (!p->canonical[used]) continue;
        e->idx[d] = i;
        if (__builtin_expect(++e->prefixes >= e->next_prefix_check, 0)) {
          e->next_prefix_check = e->prefixes + (CHECK_EVERY >> 4);
          if (over_budget(e)) return false;
          if (clock_now() > e->deadline) {
            e->timed_out = true;
            return false;
          }
          if (e->progress) progress_line(e);
        }
        state_copy(t, here);
        isa_exec(t, &pi->in);
        if (t->fault || t->poisoned) continue;
        if (e->seen_key && rem - len >= PREFIX_MIN_REST) {
          isa_state *t2 = &e->st2[d + 1];
          state_copy(t2, &e->st2[d]);
          isa_exec(t2, &pi->in);
          if (!t2->fault && !t2->poisoned &&
              seen_prefix(e, prefix_key(t, t2, used), e->len - (rem - len))) {
            e->pruned_prefixes++;
            continue;
          }
        }
        if (!dfs(e, d + 1, rem - len, used)) return false;
      }
    }
  /* the last position: only instructions that write something live */
  if (rem > POOL_MAX_LEN) return true;
  const uint16_t *list16 = NULL;
  const int *list = p->last;
  int from = p->last_start[rem], to = p->last_start[rem + 1];
  if (prev && e->succ) {
    const uint32_t *off = &e->succ_off[(size_t)prev_i * (POOL_MAX_LEN + 1)];
    list16 = e->succ;
    from = (int)off[rem - 1];
    to = (int)off[rem];
  }
  locset must_write = mism;
  if (must_write) {
    /* no last instruction of this length writes every live location that
       still differs: every one of these sequences is decided (mismatch on
       the first state) without running it */
    bool coverable = false;
    for (int w = p->wsets_start[rem]; w < p->wsets_start[rem + 1] && !coverable; w++)
      coverable = !(must_write & ~p->wsets[w]);
    if (!coverable) {
      e->candidates += (uint64_t)(to - from);
      return true;
    }
  }
  for (int k = from; k < to; k++) {
    int i = list16 ? list16[k] : list[k];
    const pool_insn *pi = &p->v[i];
    if (!list16 && prev && ((i < prev_i && independent(prev, pi)) || kills(prev, pi))) continue;
    uint8_t used = scratch_used | pi->scratch;
    if (!p->canonical[used]) continue;
    if (__builtin_expect(++e->candidates >= e->next_check, 0)) {
      e->next_check = e->candidates + CHECK_EVERY;
      if (over_budget(e)) return false;
      if (clock_now() > e->deadline) {
        e->timed_out = true;
        return false;
      }
      if (e->progress) progress_line(e);
    }
    if (must_write & ~pi->writes) continue;   /* decided: cannot match */
    e->executed++;
    state_copy(t, here);
    isa_exec(t, &pi->in);
    if (__builtin_expect(isa_outcome_fast(want, t, m), 0) && (!m->mem || isa_state_equal(want, t, live))) {
      e->idx[d] = i;
      if (report(e, d + 1)) return false;
    }
  }
  return true;
}

#define SUCC_MAX (16u << 20)

/* Add u to a list of maximal sets: drop it if a member contains it, drop
 * members it contains. */
static void add_maximal(locset *list, int *n, int cap, locset u) {
  for (int k = 0; k < *n; k++)
    if (!(u & ~list[k])) return;
  int w = 0;
  for (int k = 0; k < *n; k++)
    if (list[k] & ~u) list[w++] = list[k];
  *n = w;
  if (*n < cap) list[(*n)++] = u;
}

#define COVER_CAP 4096

static void build_covers(enumerator *e) {
  const pool *p = e->p;
  /* the write sets of any instruction (not only last ones) by length */
  locset *by_len[COVER_MAX_LEN + 1] = {0};
  int nby[COVER_MAX_LEN + 1] = {0};
  for (int L = 1; L <= COVER_MAX_LEN; L++) {
    by_len[L] = malloc((size_t)(p->start[L + 1] - p->start[L] + 1) * sizeof(locset));
    for (int i = p->start[L]; i < p->start[L + 1]; i++)
      add_maximal(by_len[L], &nby[L], p->start[L + 1] - p->start[L], p->v[i].writes);
  }
  for (int L = 1; L <= COVER_MAX_LEN; L++) {
    locset *c = malloc(COVER_CAP * sizeof *c);
    int n = 0;
    bool full = false;
    for (int k = 0; k < nby[L]; k++) add_maximal(c, &n, COVER_CAP, by_len[L][k]);
    /* a first instruction of length a, then any cover of the rest */
    for (int a = 1; a < L && !full; a++)
      for (int i = 0; i < nby[a] && !full; i++)
        for (int k = 0; k < e->ncovers[L - a] && !full; k++) {
          add_maximal(c, &n, COVER_CAP, by_len[a][i] | e->covers[L - a][k]);
          full = n >= COVER_CAP;
        }
    if (full) {          /* too many to be worth it: no pruning at this length */
      free(c);
      c = NULL;
      n = 0;
    }
    e->covers[L] = c;
    e->ncovers[L] = n;
    if (!c) break;       /* longer lengths build on this one */
  }
  for (int L = 1; L <= COVER_MAX_LEN; L++) free(by_len[L]);
}

void enumerate_prepare(enumerator *e) {
  const pool *p = e->p;
  memset(e->cover_key, 0, sizeof e->cover_key);
  build_covers(e);
  if (!e->no_prefix_pruning && e->ts->n >= 2) {
    e->seen_key = calloc(PREFIX_SEEN, sizeof *e->seen_key);
    e->seen_used = calloc(PREFIX_SEEN, 1);
    if (!e->seen_key || !e->seen_used) {
      free(e->seen_key);
      free(e->seen_used);
      e->seen_key = NULL;
      e->seen_used = NULL;
    }
  }
  size_t nlast = (size_t)p->last_start[POOL_MAX_LEN + 1];
  if (p->n >= 65536 || (size_t)p->n * nlast > SUCC_MAX) return;
  e->succ = malloc((size_t)p->n * nlast * sizeof *e->succ + 1);
  e->succ_off = malloc((size_t)(p->n + 1) * (POOL_MAX_LEN + 1) * sizeof *e->succ_off);
  if (!e->succ || !e->succ_off) {
    enumerate_release(e);
    return;
  }
  /* succ_off[i*(M+1) + L-1] .. [i*(M+1) + L]: successors of i of length L */
  uint32_t k = 0;
  for (int i = 0; i < p->n; i++) {
    uint32_t *off = &e->succ_off[(size_t)i * (POOL_MAX_LEN + 1)];
    for (int L = 1; L <= POOL_MAX_LEN; L++) {
      off[L - 1] = k;
      for (int q = p->last_start[L]; q < p->last_start[L + 1]; q++) {
        int j = p->last[q];
        if ((j < i && independent(&p->v[i], &p->v[j])) || kills(&p->v[i], &p->v[j])) continue;
        e->succ[k++] = (uint16_t)j;
      }
    }
    off[POOL_MAX_LEN] = k;
  }
}

void enumerate_release(enumerator *e) {
  for (int L = 0; L <= COVER_MAX_LEN; L++) {
    free(e->covers[L]);
    e->covers[L] = NULL;
  }
  free(e->succ);
  free(e->succ_off);
  free(e->seen_key);
  free(e->seen_used);
  e->seen_key = NULL;
  e->seen_used = NULL;
  e->succ = NULL;
  e->succ_off = NULL;
}

bool enumerate_length(enumerator *e, int L) {
  e->len = L;
  if (!e->started) e->started = clock_now();
  if (!e->next_check) e->next_check = CHECK_EVERY;
  state_copy(&e->st[0], &e->ts->init[0]);
  if (e->seen_key) {
    /* what a pass at another length saw says nothing of this one's subtrees */
    memset(e->seen_key, 0, PREFIX_SEEN * sizeof *e->seen_key);
    state_copy(&e->st2[0], &e->ts->init[1]);
    /* the empty prefix: an inner run that changes nothing is dropped */
    seen_prefix(e, prefix_key(&e->st[0], &e->st2[0], 0), 0);
  }
  if (L == 0) {
    /* the empty sequence: the window may be deleted */
    e->candidates++;
    isa_state *t = &e->st[0];
    if (isa_outcome_fast(&e->ts->want[0], t, &e->ts->live) &&
        isa_state_equal(&e->ts->want[0], t, e->ts->s->live_out) && report(e, 0))
      return false;
    return true;
  }
  return dfs(e, 0, L, 0);
}

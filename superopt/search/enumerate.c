#include "search/enumerate.h"

#include <stdio.h>
#include <time.h>
#include <unistd.h>

double clock_now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

#define CHECK_EVERY (1u << 18)

static bool independent(const pool_insn *a, const pool_insn *b) {
  return !(a->writes & (b->reads | b->writes)) && !(b->writes & a->reads);
}

/* A sequence with an instruction whose every write is overwritten or never
 * read before the end cannot be shortest: dropping it gives a shorter
 * sequence that was tried earlier. */
static bool has_dead_insn(const enumerator *e, int n, locset live) {
  locset needed = live;
  for (int i = n - 1; i >= 0; i--) {
    const pool_insn *pi = &e->p->v[e->idx[i]];
    if (!(pi->writes & needed)) return true;
    locset killed = pi->in.op == OP_CMOVCC ? 0 : (pi->writes & ~LOC_MEM);
    needed = (needed & ~killed) | pi->reads;
  }
  return false;
}

static void progress_line(enumerator *e) {
  double now = clock_now();
  double rate = (double)e->candidates / (now - e->started + 1e-9);
  fprintf(stderr, "\rsearching %d bytes  %.3g candidates/s  %llu survivors   ", e->len, rate,
          (unsigned long long)e->first_pass);
  fflush(stderr);
}

/* Place instructions from position d on, with rem bytes left to fill. */
static bool dfs(enumerator *e, int d, int rem, uint8_t scratch_used) {
  const pool *p = e->p;
  const teststates *ts = e->ts;
  const isa_state *want = &ts->want[0];
  const live_masks *m = &ts->live;
  locset live = ts->s->live_out;
  int prev = d > 0 ? e->idx[d - 1] : -1;
  int maxlen = rem < POOL_MAX_LEN ? rem : POOL_MAX_LEN;
  for (int len = 1; len <= maxlen; len++) {
    bool leaf = len == rem;
    if (!leaf && d + 1 >= ENUM_MAX_DEPTH) continue;
    for (int i = p->start[len]; i < p->start[len + 1]; i++) {
      const pool_insn *pi = &p->v[i];
      if (prev >= 0 && i < prev && independent(&p->v[prev], pi)) continue;
      uint8_t used = scratch_used | pi->scratch;
      if (used & (uint8_t)(used + 1)) continue;
      e->idx[d] = i;
      e->seq[d] = pi->in;
      if (leaf) {
        if (!pi->writes_live || has_dead_insn(e, d + 1, live)) continue;
        isa_state *t = &e->st[d + 1];
        state_copy(t, &e->st[d]);
        isa_exec(t, &pi->in);
        e->candidates++;
        if (regs_flags_match(want, t, m) && (!m->mem || isa_state_equal(want, t, live))) {
          e->first_pass++;
          if (e->on_survivor(e->ctx, e->seq, d + 1)) {
            e->stopped = true;
            return false;
          }
        }
        if (e->candidates >= e->next_check) {
          e->next_check = e->candidates + CHECK_EVERY;
          if (clock_now() > e->deadline) {
            e->timed_out = true;
            return false;
          }
          if (e->progress) progress_line(e);
        }
      } else {
        isa_state *t = &e->st[d + 1];
        state_copy(t, &e->st[d]);
        isa_exec(t, &pi->in);
        if (t->fault || t->poisoned) continue;
        if (!dfs(e, d + 1, rem - len, used)) return false;
      }
    }
  }
  return true;
}

bool enumerate_length(enumerator *e, int L) {
  e->len = L;
  if (!e->started) e->started = clock_now();
  if (!e->next_check) e->next_check = CHECK_EVERY;
  state_copy(&e->st[0], &e->ts->init[0]);
  if (L == 0) {
    /* the empty sequence: the window may be deleted */
    e->candidates++;
    isa_state *t = &e->st[0];
    if (regs_flags_match(&e->ts->want[0], t, &e->ts->live) &&
        isa_state_equal(&e->ts->want[0], t, e->ts->s->live_out)) {
      e->first_pass++;
      if (e->on_survivor(e->ctx, e->seq, 0)) {
        e->stopped = true;
        return false;
      }
    }
    return true;
  }
  return dfs(e, 0, L, 0);
}

/* The test states of one snippet: random (seeded), edge values, and every
 * counterexample the prover returned.  All satisfy the snippet's
 * assumptions; want[i] is the original's final state from init[i]. */
#ifndef SUPEROPT_SEARCH_TESTSTATES_H
#define SUPEROPT_SEARCH_TESTSTATES_H

#include "program/snippet.h"
#include "search/liveset.h"

#define TS_MAX 96

typedef struct {
  const snippet *s;
  isa_live_masks live;
  int n;
  isa_state init[TS_MAX];
  isa_state want[TS_MAX];
  uint64_t fp;            /* fingerprint of want[0..n) */
} teststates;

/* splitmix64: the one random stream of a search, advanced explicitly. */
static inline uint64_t rng_next(uint64_t *x) {
  uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

/* Fill with `count` states: state 0 random, then edge-value states, then
 * random ones.  Only states on which the original does not fault are kept.
 * Returns the number kept. */
int teststates_make(teststates *t, const snippet *s, int count, uint64_t seed);

/* Add a counterexample (the caller has checked the assumptions hold).
 * Returns false when the set is full. */
bool teststates_add(teststates *t, const isa_state *init);

/* Counterexamples kept across runs: one initial state per line in
 * `path` (registers, segments, flags, memory seed, initial-memory overlay).
 * Loading adds those that satisfy the assumptions; returns how many. */
int teststates_load(teststates *t, const char *path);
bool teststate_append(const char *path, const isa_state *init);

/* Fingerprint: XXH3 over the live-out outputs of a candidate on every state,
 * masked by what the original defines, so a candidate equal to the original
 * on all states hashes to t->fp. */
uint64_t teststates_fingerprint(const teststates *t, const insn *seq, int n);

/* Run a candidate on states [from, t->n) and compare exactly. */
bool teststates_all_equal(const teststates *t, const insn *seq, int n, int from);

/* Fresh initial state drawn from the stream (before assumptions). */
void teststate_random(isa_state *st, uint64_t *rng, int edge_kind);
/* Force a state to satisfy the assumptions (reg=v set, reg<v reduced). */
void teststate_assume(const snippet *s, isa_state *st);

#endif

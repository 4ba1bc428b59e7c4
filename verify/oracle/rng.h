/* Deterministic test-value generator: splitmix64, biased towards the values
 * where instruction semantics usually go wrong (0, 1, sign boundaries, all
 * ones) so that every run covers the edges, not only the bulk. */
#ifndef ORACLE_RNG_H
#define ORACLE_RNG_H

#include <stdint.h>

typedef struct { uint64_t s; } rng;

static inline uint64_t rng_next(rng *g) {
  uint64_t z = (g->s += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

/* Uniform in [0, n). n > 0. */
static inline uint32_t rng_below(rng *g, uint32_t n) {
  return (uint32_t)(((rng_next(g) >> 32) * (uint64_t)n) >> 32);
}

/* True with probability num/den. */
static inline int rng_chance(rng *g, uint32_t num, uint32_t den) {
  return rng_below(g, den) < num;
}

/* A value of `bits` width (8, 16 or 32): 35% special values of that width,
 * otherwise uniform.  The special share is what makes edge cases certain. */
uint32_t rng_value(rng *g, int bits);
/* A 32-bit register value whose low 8/16 bits are biased as rng_value and
 * whose upper part is 0, all ones or random. */
uint32_t rng_reg32(rng *g);
/* Shift or rotate count: 0-40 half of the time, special or random otherwise. */
uint8_t rng_count(rng *g);

#endif

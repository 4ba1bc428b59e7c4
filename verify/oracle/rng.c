#include "rng.h"

static const uint32_t special8[] = { 0, 1, 2, 0x7f, 0x80, 0x81, 0xfe, 0xff,
                                     0x0f, 0x10, 0x09, 0x0a, 0x99, 0x40 };
static const uint32_t special16[] = { 0, 1, 2, 0x7f, 0x80, 0xff, 0x100,
                                      0x7fff, 0x8000, 0x8001, 0xfffe, 0xffff,
                                      0x00ff, 0xff00, 0x0f0f, 0x1234 };
static const uint32_t special32[] = { 0, 1, 2, 0x7f, 0x80, 0xff, 0x7fff,
                                      0x8000, 0xffff, 0x10000, 0x7fffffff,
                                      0x80000000, 0x80000001, 0xfffffffe,
                                      0xffffffff, 0xffff0000, 0x0000ffff };

#define N(a) (sizeof(a) / sizeof((a)[0]))

uint32_t rng_value(rng *g, int bits) {
  if (rng_chance(g, 35, 100)) {
    if (bits == 8) return special8[rng_below(g, N(special8))];
    if (bits == 16) return special16[rng_below(g, N(special16))];
    return special32[rng_below(g, N(special32))];
  }
  uint32_t v = (uint32_t)rng_next(g);
  if (bits == 8) return v & 0xff;
  if (bits == 16) return v & 0xffff;
  return v;
}

uint32_t rng_reg32(rng *g) {
  uint32_t r = rng_below(g, 8);
  if (r < 2) return rng_value(g, 32);
  uint32_t lo = rng_chance(g, 1, 3) ? rng_value(g, 8) | (rng_value(g, 8) << 8)
                                    : rng_value(g, 16);
  uint32_t up = r < 4 ? 0 : r < 5 ? 0xffff : (uint32_t)rng_next(g) & 0xffff;
  return lo | up << 16;
}

uint8_t rng_count(rng *g) {
  if (rng_chance(g, 1, 2)) return (uint8_t)rng_below(g, 41);
  return (uint8_t)rng_value(g, 8);
}

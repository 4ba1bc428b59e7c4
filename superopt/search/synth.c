/* Constant synthesis by inversion (see synth.h). */
#include "search/synth.h"

static void add_const(int32_t *out, int *n, int max, uint32_t v) {
  for (int i = 0; i < *n; i++)
    if ((uint32_t)out[i] == v) return;
  if (*n < max) out[(*n)++] = (int32_t)v;
}

/* The bits of register r at (shift, mask) in a state. */
static uint32_t part(const isa_state *st, int r, int shift, uint32_t mask) {
  return (st->r[r] >> shift) & mask;
}

int synth_constants(const snippet *s, const teststates *ts, int32_t *out, int max) {
  int n = 0;
  if (s->live_out == LOC_ALL || ts->n == 0) return 0;
  static const struct { int shift; uint32_t mask; } parts[3] = {{0, 0xffff}, {0, 0xff}, {8, 0xff}};
  for (int r = 0; r < 8; r++)
    for (int k = 0; k < 3; k++) {
      locset need = k == 0 ? LOC_R16(r) : k == 1 ? LOC_LO(r) : LOC_HI(r);
      if (k > 0 && r >= 4) continue;                 /* no byte halves */
      if ((s->live_out & need) != need) continue;
      int sh = parts[k].shift;
      uint32_t m = parts[k].mask;
      /* one constant per operation, consistent over every state, or none */
      uint32_t kmov = 0, kadd = 0, kxor = 0;
      bool mov_ok = true, add_ok = true, xor_ok = true;
      uint32_t and_ones = 0, and_zeros = 0, or_ones = 0, or_zeros = 0;
      for (int i = 0; i < ts->n; i++) {
        if (ts->want[i].fault) continue;
        uint32_t a = part(&ts->init[i], r, sh, m), w = part(&ts->want[i], r, sh, m);
        uint32_t vmov = w, vadd = (w - a) & m, vxor = w ^ a;
        if (i == 0) { kmov = vmov; kadd = vadd; kxor = vxor; }
        mov_ok = mov_ok && vmov == kmov;
        add_ok = add_ok && vadd == kadd;
        xor_ok = xor_ok && vxor == kxor;
        and_ones |= w;            /* and: a bit the output keeps must be 1 */
        and_zeros |= a & ~w & m;  /* ... one it clears must be 0 */
        or_ones |= w & ~a & m;    /* or: a bit it sets must be 1 */
        or_zeros |= ~w & m;       /* ... one that stays 0 must be 0 */
      }
      if (mov_ok) add_const(out, &n, max, kmov);
      if (add_ok && kadd) {
        add_const(out, &n, max, kadd);
        add_const(out, &n, max, (0u - kadd) & m);    /* as sub */
      }
      if (xor_ok && kxor) add_const(out, &n, max, kxor);
      if (!(and_ones & and_zeros)) add_const(out, &n, max, ~and_zeros & m);
      if (!(or_ones & or_zeros)) add_const(out, &n, max, or_ones);
    }
  return n;
}

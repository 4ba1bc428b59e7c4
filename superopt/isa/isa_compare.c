/* isa_state_equal: the rule of isa_compare.def on concrete states, the live
 * set given as a locset; and the masks the search's instantiations take. */
#define ISA_COMPARE_KEEP_PRIMITIVES
#include "isa/isa_compare.h"
#include "isa/isa_sem.h"

static uint32_t reg_bits(locset live, int r) {
  uint32_t m = 0;
  if (live & LOC_LO(r)) m |= 0xffu;
  if (live & LOC_HI(r)) m |= 0xff00u;
  if (live & LOC_UP(r)) m |= 0xffff0000u;
  return m;
}

static uint32_t flag_bits(locset live) {
  uint32_t m = 0;
  for (int f = 0; f < FL_COUNT; f++)
    if (live & isa_flag_loc[f]) m |= isa_flag_bit[f];
  return m;
}

void isa_live_masks_of(locset live, isa_live_masks *m) {
  *m = (isa_live_masks){0};
  for (int r = 0; r < 8; r++)
    if ((m->reg[r] = reg_bits(live, r)) != 0) m->live_reg[m->nlive_reg++] = (uint8_t)r;
  for (int s = 0; s < 6; s++)
    if (live & LOC_SEG(s)) {
      m->seg[s] = 0xffff;
      m->live_seg[m->nlive_seg++] = (uint8_t)s;
    }
  for (int f = 0; f < FL_COUNT; f++)
    if (live & isa_flag_loc[f]) m->live_flag[m->nlive_flag++] = (uint8_t)f;
  m->flags = flag_bits(live);
  m->mem = (live & LOC_MEM) != 0;
  m->br = (live & LOC_BR) != 0;
  m->ip = (live & LOC_IP) != 0;
}

/* Every byte the log's side wrote reads the same on both sides. */
static bool mem_same(const isa_state *a, const isa_state *b, const isa_state *log) {
  for (uint32_t i = 0; i < log->nwrites; i++)
    if (isa_mem_read(a, log->waddr[i]) != isa_mem_read(b, log->waddr[i])) return false;
  return true;
}

bool isa_state_equal(const isa_state *want, const isa_state *got, locset live) {
#define DIFFER(where, d) do { if ((d) != 0) return false; } while (0)
#define FOR_LIVE_REGS(r, parts, where) \
  for (int r = 0; r < 8; r++)          \
    for (uint32_t parts = reg_bits(live, r); parts; parts = 0)
#define FOR_LIVE_SEGS(s, where) \
  for (int s = 0; s < 6; s++)   \
    if (live & LOC_SEG(s))
#define FOR_LIVE_FLAGS(f, where) for (uint32_t f = flag_bits(live); f; f = 0)
#define MEM_LIVE (live & LOC_MEM)
#define MEM_NE (!mem_same(want, got, want) || !mem_same(want, got, got))
#define BR_LIVE (live & LOC_BR)
#define BR_NE (want->taken != got->taken)
#define IP_LIVE (live & LOC_IP)
#define IP_NE (want->taken && got->taken && want->target != got->target)
#include "isa/isa_compare.def"
  return true;
}

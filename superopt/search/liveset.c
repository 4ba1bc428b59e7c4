#include "search/liveset.h"

static const struct { locset loc; uint32_t bit; } flag_map[] = {
  {LOC_CF, F_CF}, {LOC_PF, F_PF}, {LOC_AF, F_AF}, {LOC_ZF, F_ZF},
  {LOC_SF, F_SF}, {LOC_OF, F_OF}, {LOC_DF, F_DF},
};

uint32_t flag_bit_of(locset flag) {
  for (size_t i = 0; i < sizeof flag_map / sizeof *flag_map; i++)
    if (flag == flag_map[i].loc) return flag_map[i].bit;
  return 0;
}

void live_masks_of(locset live, live_masks *m) {
  memset(m, 0, sizeof *m);
  for (int r = 0; r < 8; r++) {
    if (live & LOC_LO(r)) m->reg[r] |= 0xffu;
    if (live & LOC_HI(r)) m->reg[r] |= 0xff00u;
    if (live & LOC_UP(r)) m->reg[r] |= 0xffff0000u;
  }
  for (int s = 0; s < 6; s++)
    if (live & LOC_SEG(s)) m->seg[s] = 0xffff;
  for (size_t i = 0; i < sizeof flag_map / sizeof *flag_map; i++)
    if (live & flag_map[i].loc) m->flags |= flag_map[i].bit;
  m->mem = (live & LOC_MEM) != 0;
  m->br = (live & LOC_BR) != 0;
  for (int r = 0; r < 8; r++)
    if (m->reg[r]) m->live_reg[m->nlive_reg++] = (uint8_t)r;
  for (int s = 0; s < 6; s++)
    if (m->seg[s]) m->live_seg[m->nlive_seg++] = (uint8_t)s;
}

/* shift and mask of a register location; false when l is not one */
static bool reg_field(locset l, int *reg, int *shift, uint32_t *mask) {
  for (int r = 0; r < 8; r++) {
    *reg = r;
    if (l == LOC_LO(r)) { *shift = 0; *mask = 0xff; return true; }
    if (l == LOC_HI(r)) { *shift = 8; *mask = 0xff; return true; }
    if (l == LOC_R16(r)) { *shift = 0; *mask = 0xffff; return true; }
    if (l == LOC_R32(r)) { *shift = 0; *mask = 0xffffffffu; return true; }
  }
  return false;
}

uint32_t loc_get(const isa_state *st, locset l) {
  int r, sh;
  uint32_t mask;
  if (reg_field(l, &r, &sh, &mask)) return (st->r[r] >> sh) & mask;
  for (int s = 0; s < 6; s++)
    if (l == LOC_SEG(s)) return st->s[s];
  uint32_t fb = flag_bit_of(l);
  return fb && (st->flags & fb) ? 1 : 0;
}

void loc_set(isa_state *st, locset l, uint32_t v) {
  int r, sh;
  uint32_t mask;
  if (reg_field(l, &r, &sh, &mask)) {
    st->r[r] = (st->r[r] & ~(mask << sh)) | ((v & mask) << sh);
    return;
  }
  for (int s = 0; s < 6; s++)
    if (l == LOC_SEG(s)) { st->s[s] = (uint16_t)v; return; }
  uint32_t fb = flag_bit_of(l);
  if (fb) st->flags = v ? (st->flags | fb) : (st->flags & ~fb);
}

int loc_width(locset l) {
  int r, sh;
  uint32_t mask;
  if (reg_field(l, &r, &sh, &mask)) return mask == 0xff ? 8 : mask == 0xffff ? 16 : 32;
  for (int s = 0; s < 6; s++)
    if (l == LOC_SEG(s)) return 16;
  return flag_bit_of(l) ? 1 : 0;
}

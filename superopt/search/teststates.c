#include "search/teststates.h"

#include <stdio.h>
#include <xxhash.h>

static const uint32_t edge16[] = {0, 1, 2, 0xffff, 0x8000, 0x7fff, 0xff, 0x80, 0x7f, 0xfffe, 0x100};

void teststate_random(isa_state *st, uint64_t *rng, int edge_kind) {
  memset(st, 0, sizeof *st);
  for (int r = 0; r < 8; r++) {
    uint32_t v = (uint32_t)rng_next(rng);
    if (edge_kind == 1) v = 0;
    else if (edge_kind == 2) v = 0xffffffffu;
    else if (edge_kind == 3) v = (v & 0xffff0000u) | edge16[rng_next(rng) % (sizeof edge16 / sizeof *edge16)];
    st->r[r] = v;
  }
  for (int s = 0; s < 6; s++) st->s[s] = (uint16_t)rng_next(rng);
  uint32_t fl = (uint32_t)rng_next(rng) & F_MODELLED;
  if (edge_kind == 1) fl = 0;
  if (edge_kind == 2) fl = F_MODELLED;
  st->flags = fl;
  st->mem_seed = rng_next(rng);
}

void teststate_assume(const snippet *s, isa_state *st) {
  for (int i = 0; i < s->nassume; i++) {
    const assumption *a = &s->assume[i];
    if (a->kind == ASSUME_MEM) {
      /* the store the fact describes, moved into the initial memory */
      isa_state t = *st;
      t.nwrites = 0;
      t.fault = 0;
      insn mov = snippet_fact_insn(s, i, OP_MOV);
      isa_exec(&t, &mov);
      for (uint32_t k = 0; !t.fault && k < t.nwrites; k++) isa_mem_set_initial(st, t.waddr[k], t.wval[k]);
    } else if (a->kind == ASSUME_EQ) isa_loc_set(st, a->loc, a->value);
    else if (a->value > 0) isa_loc_set(st, a->loc, isa_loc_get(st, a->loc) % a->value);
  }
}

static bool add_state(teststates *t, const isa_state *init) {
  if (t->n >= TS_MAX) return false;
  if (!snippet_assumptions_hold(t->s, init)) return false;
  isa_state w = *init;
  isa_exec_seq(&w, t->s->code, t->s->n);
  if (w.fault) return false;
  t->init[t->n] = *init;
  t->want[t->n] = w;
  t->n++;
  return true;
}

int teststates_make(teststates *t, const snippet *s, int count, uint64_t seed) {
  t->s = s;
  t->n = 0;
  isa_live_masks_of(s->live_out, &t->live);
  uint64_t rng = seed ^ 0x5eed5eed5eedull;
  if (count > TS_MAX) count = TS_MAX;
  for (int tries = 0; t->n < count && tries < count * 64; tries++) {
    int kind = t->n == 0 ? 0 : t->n <= 2 ? t->n : (t->n % 3 == 0 ? 3 : 0);
    isa_state st;
    teststate_random(&st, &rng, kind);
    /* label addresses: the image's in the first state, any in the others */
    for (int k = 0; k < s->nsym; k++) st.sym[k] = t->n == 0 ? s->sym_value[k] : (uint16_t)rng_next(&rng);
    st.next_ip = t->n == 0 ? (uint16_t)s->next_ip : (uint16_t)rng_next(&rng);
    teststate_assume(s, &st);
    add_state(t, &st);
  }
  t->fp = teststates_fingerprint(t, s->code, s->n);
  return t->n;
}

bool teststates_add(teststates *t, const isa_state *init) {
  isa_state st = *init;
  st.nwrites = 0;
  st.fault = 0;
  st.poisoned = 0;
  st.undef = 0;
  if (!add_state(t, &st)) return false;
  t->fp = teststates_fingerprint(t, t->s->code, t->s->n);
  return true;
}

static bool wrote(const isa_state *st, uint32_t a) {
  for (uint32_t i = 0; i < st->nwrites; i++)
    if (st->waddr[i] == a) return true;
  return false;
}

uint64_t teststates_fingerprint(const teststates *t, const insn *seq, int n) {
  XXH3_state_t *h = XXH3_createState();
  XXH3_64bits_reset(h);
  const isa_live_masks *m = &t->live;
  for (int i = 0; i < t->n; i++) {
    isa_state got = t->init[i];
    isa_exec_seq(&got, seq, n);
    const isa_state *want = &t->want[i];
    uint32_t flmask = m->flags & ~want->undef;
    struct {
      uint32_t r[8];
      uint16_t s[6];
      uint32_t flags, undef;
      uint16_t target;
      uint8_t fault, poisoned, taken;
    } out;
    memset(&out, 0, sizeof out);
    for (int r = 0; r < 8; r++) out.r[r] = got.r[r] & m->reg[r];
    for (int s = 0; s < 6; s++) out.s[s] = got.s[s] & m->seg[s];
    out.flags = got.flags & flmask;
    out.undef = got.undef & flmask;
    out.fault = got.fault;
    out.poisoned = got.poisoned;
    out.taken = m->br && got.taken;
    out.target = m->ip && got.taken ? got.target : 0;
    XXH3_64bits_update(h, &out, sizeof out);
    if (m->mem) {
      /* the original's written bytes as the candidate leaves them, then any
         byte the candidate alone changed */
      for (uint32_t k = 0; k < want->nwrites; k++) {
        uint8_t v = isa_mem_read(&got, want->waddr[k]);
        XXH3_64bits_update(h, &want->waddr[k], sizeof want->waddr[k]);
        XXH3_64bits_update(h, &v, 1);
      }
      for (uint32_t k = 0; k < got.nwrites; k++) {
        uint32_t a = got.waddr[k];
        if (wrote(want, a)) continue;
        isa_state fresh = t->init[i];
        if (got.wval[k] == isa_mem_read(&fresh, a)) continue;
        XXH3_64bits_update(h, &a, sizeof a);
        XXH3_64bits_update(h, &got.wval[k], 1);
      }
    }
  }
  uint64_t fp = XXH3_64bits_digest(h);
  XXH3_freeState(h);
  return fp;
}

bool teststates_all_equal(const teststates *t, const insn *seq, int n, int from) {
  for (int i = from; i < t->n; i++) {
    isa_state got = t->init[i];
    isa_exec_seq(&got, seq, n);
    if (!isa_state_equal(&t->want[i], &got, t->s->live_out)) return false;
  }
  return true;
}

bool teststate_append(const char *path, const isa_state *st) {
  FILE *f = fopen(path, "a");
  if (!f) return false;
  fprintf(f, "state");
  for (int r = 0; r < 8; r++) fprintf(f, " %08x", st->r[r]);
  for (int s = 0; s < 6; s++) fprintf(f, " %04x", st->s[s]);
  fprintf(f, " %08x %016llx %u", st->flags, (unsigned long long)st->mem_seed, st->ninit);
  for (uint32_t i = 0; i < st->ninit; i++) fprintf(f, " %x:%02x", st->iaddr[i], st->ival[i]);
  fputc('\n', f);
  return fclose(f) == 0;
}

int teststates_load(teststates *t, const char *path) {
  FILE *f = fopen(path, "r");
  if (!f) return 0;
  char line[4096];
  int added = 0;
  while (fgets(line, sizeof line, f)) {
    isa_state st;
    memset(&st, 0, sizeof st);
    unsigned seg[6], ninit;
    unsigned long long seed;
    int used = 0;
    if (sscanf(line, "state %x %x %x %x %x %x %x %x %x %x %x %x %x %x %x %llx %u%n", &st.r[0],
               &st.r[1], &st.r[2], &st.r[3], &st.r[4], &st.r[5], &st.r[6], &st.r[7], &seg[0],
               &seg[1], &seg[2], &seg[3], &seg[4], &seg[5], &st.flags, &seed, &ninit, &used) != 17)
      continue;
    for (int s = 0; s < 6; s++) st.s[s] = (uint16_t)seg[s];
    st.flags &= F_MODELLED;
    st.mem_seed = seed;
    const char *p = line + used;
    bool ok = true;
    for (unsigned i = 0; i < ninit && ok; i++) {
      unsigned a, v;
      int k = 0;
      ok = sscanf(p, " %x:%x%n", &a, &v, &k) == 2 && isa_mem_set_initial(&st, a, (uint8_t)v);
      p += k;
    }
    if (ok && add_state(t, &st)) added++;
  }
  fclose(f);
  if (added) t->fp = teststates_fingerprint(t, t->s->code, t->s->n);
  return added;
}

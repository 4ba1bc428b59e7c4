/* The outcome comparison (isa_compare.def) and its instantiations: the
 * evaluator's isa_state_equal, the search's fast path and mismatch set over
 * masks, and the Z3 term isa_z3_differ must give the same verdict on the
 * same pair of outcomes; and the rule itself, case by case. */
#include <criterion/criterion.h>
#include <string.h>
#include "isa/isa_compare.h"
#include "isa/isa_z3.h"
#include "sample.h"

static Z3_context ctx;
static void setup(void) {
  Z3_config cfg = Z3_mk_config();
  ctx = Z3_mk_context(cfg);
  Z3_del_config(cfg);
}
static void teardown(void) { Z3_del_context(ctx); }

/* a write as the evaluator logs it: one entry per address */
static void write_byte(isa_state *st, uint32_t a, uint8_t v) {
  for (uint32_t i = 0; i < st->nwrites; i++)
    if (st->waddr[i] == a) { st->wval[i] = v; return; }
  st->waddr[st->nwrites] = a;
  st->wval[st->nwrites++] = v;
}

/* got: a copy of want with a few random differences, often only on one
 * location, so that equal and unequal pairs both occur */
static void perturb(sample_rng *r, const isa_state *want, isa_state *got) {
  *got = *want;
  int k = (int)(sample_next(r) % 4);
  for (int i = 0; i < k; i++) {
    uint64_t x = sample_next(r);
    switch (x % 8) {
    case 0: got->r[(x >> 8) & 7] ^= 1u << ((x >> 16) % 32); break;
    case 1: got->s[(x >> 8) % 6] ^= 1; break;
    case 2: got->flags ^= isa_flag_bit[(x >> 8) % FL_COUNT]; break;
    case 3: got->undef ^= isa_flag_bit[(x >> 8) % FL_COUNT]; break;
    case 4: got->fault = (uint8_t)((x >> 8) % 3); break;
    case 5: got->poisoned ^= 1; break;
    case 6: write_byte(got, 0x100 + (uint32_t)((x >> 8) % 4), (uint8_t)(x >> 16)); break;
    case 7:   /* a closing transfer: taken, or where it goes */
      if ((x >> 8) & 1) got->taken ^= 1;
      else got->target ^= (uint16_t)(1u << ((x >> 9) % 16));
      break;
    default: break;
    }
  }
}

static void random_outcome(sample_rng *r, isa_state *st) {
  sample_state(r, st);
  st->undef = (uint32_t)sample_next(r) & F_MODELLED & (sample_next(r) % 3 ? 0 : ~0u);
  st->nwrites = 0;
  for (int i = 0; i < 2; i++) write_byte(st, 0x100 + (uint32_t)(sample_next(r) % 4), (uint8_t)sample_next(r));
  st->taken = (uint8_t)(sample_next(r) % 4 != 0);
  st->target = (uint16_t)sample_next(r);
}

static locset random_live(sample_rng *r) {
  locset l = sample_next(r) & LOC_ALL;
  if (sample_next(r) % 2) l |= sample_next(r) % 3 ? LOC_BR | LOC_IP : LOC_IP;   /* a closer's */
  return sample_next(r) % 2 ? l & sample_next(r) : l;   /* sparse ones too */
}

/* A concrete outcome as terms over one symbolic initial memory that z0
 * pins to the state's seed and overlay. */
static void as_terms(const isa_state *st, const isa_z3_state *z0, isa_z3_state *z) {
  *z = *z0;
  for (int i = 0; i < 8; i++) z->r[i] = Z3_mk_unsigned_int64(ctx, st->r[i], Z3_mk_bv_sort(ctx, 32));
  for (int i = 0; i < 6; i++) z->s[i] = Z3_mk_unsigned_int64(ctx, st->s[i], Z3_mk_bv_sort(ctx, 16));
  for (int f = 0; f < FL_COUNT; f++) {
    z->flag[f] = Z3_mk_unsigned_int64(ctx, (st->flags & isa_flag_bit[f]) != 0, Z3_mk_bv_sort(ctx, 1));
    z->fdef[f] = (st->undef & isa_flag_bit[f]) ? Z3_mk_false(ctx) : Z3_mk_true(ctx);
  }
  for (uint32_t i = 0; i < st->nwrites; i++)
    z->mem = Z3_mk_store(ctx, z->mem, Z3_mk_unsigned_int64(ctx, st->waddr[i], Z3_mk_bv_sort(ctx, 32)),
                         Z3_mk_unsigned_int64(ctx, st->wval[i], Z3_mk_bv_sort(ctx, 8)));
  z->fault = Z3_mk_unsigned_int64(ctx, st->fault, Z3_mk_bv_sort(ctx, 8));
  z->poisoned = st->poisoned ? Z3_mk_true(ctx) : Z3_mk_false(ctx);
  z->taken = st->taken ? Z3_mk_true(ctx) : Z3_mk_false(ctx);
  z->target = Z3_mk_unsigned_int64(ctx, st->target, Z3_mk_bv_sort(ctx, 16));
}

static bool z3_says_equal(const isa_state *want, const isa_state *got, locset live) {
  isa_z3_state z0, zw, zg;
  isa_z3_state_init(ctx, &z0, "c_");
  isa_state init = *want;
  init.nwrites = 0;
  as_terms(want, &z0, &zw);
  as_terms(got, &z0, &zg);
  Z3_solver sv = Z3_mk_solver(ctx);
  Z3_solver_inc_ref(ctx, sv);
  Z3_solver_assert(ctx, sv, isa_z3_state_is(ctx, &z0, &init));
  Z3_solver_assert(ctx, sv, isa_z3_differ(ctx, &zw, &zg, live));
  Z3_lbool res = Z3_solver_check(ctx, sv);
  Z3_solver_dec_ref(ctx, sv);
  cr_assert_neq(res, Z3_L_UNDEF);
  return res == Z3_L_FALSE;
}

Test(compare, instantiations_agree, .init = setup, .fini = teardown) {
  sample_rng r = {0xc0417a5e};
  int equal = 0, unequal = 0;
  for (int n = 0; n < 600; n++) {
    isa_state want, got;
    random_outcome(&r, &want);
    perturb(&r, &want, &got);
    locset live = random_live(&r);
    isa_live_masks m;
    isa_live_masks_of(live, &m);
    bool eq = isa_state_equal(&want, &got, live);
    bool fast = isa_outcome_fast(&want, &got, &m);
    locset mism = isa_outcome_mismatch(&want, &got, &m);
    eq ? equal++ : unequal++;
    if (!(live & LOC_MEM)) cr_expect_eq(fast, eq, "pair %d: fast path %d, isa_state_equal %d", n, fast, eq);
    else if (eq) cr_expect(fast, "pair %d: equal but the fast path rejects", n);
    cr_expect_eq(mism & ~live, 0, "pair %d: mismatch outside the live set", n);
    cr_expect_eq(mism & LOC_MEM, 0, "pair %d", n);
    if (mism) cr_expect(!fast, "pair %d: a live location differs yet the fast path accepts", n);
    if (!fast && want.fault == got.fault && !want.poisoned && !got.poisoned)
      cr_expect_neq(mism, 0, "pair %d: rejected with no live location named", n);
    if (n % 3 == 0)
      cr_expect_eq(z3_says_equal(&want, &got, live), eq, "pair %d: isa_z3_differ against isa_state_equal", n);
  }
  cr_expect_gt(equal, 50);
  cr_expect_gt(unequal, 50);
}

Test(compare, the_rule_case_by_case) {
  isa_state a, b;
  memset(&a, 0, sizeof a);
  isa_live_masks all;
  isa_live_masks_of(LOC_ALL & ~LOC_MEM, &all);
  b = a;
  a.undef = F_AF;
  b.flags = F_AF;
  cr_expect(isa_outcome_fast(&a, &b, &all), "a flag the reference leaves undefined is not compared");
  cr_expect(!isa_outcome_fast(&b, &a, &all), "undefined in the candidate, defined in the reference");
  cr_expect_eq(isa_outcome_mismatch(&b, &a, &all), LOC_AF);
  b = a;
  a.poisoned = 1;
  cr_expect(!isa_outcome_fast(&a, &b, &all), "a poisoned reference matches nothing");
  cr_expect(!isa_state_equal(&a, &a, 0));
  a.poisoned = 0;
  b = a;
  a.fault = b.fault = ISA_FAULT_DE;
  b.r[R_CX] = 1;
  cr_expect(isa_state_equal(&a, &b, LOC_R16(R_AX)), "the same fault: compared on the live set");
  cr_expect(!isa_state_equal(&a, &b, LOC_R16(R_CX)));
  b = a;
  b.fault = ISA_FAULT_GP;
  cr_expect(!isa_state_equal(&a, &b, 0), "another fault differs even on an empty live set");
  b = a;
  b.r[R_AX] = 0x00010000;
  isa_live_masks lo;
  isa_live_masks_of(LOC_R16(R_AX) | LOC_CF, &lo);
  cr_expect(isa_outcome_fast(&a, &b, &lo), "the upper half of eax is not live");
  b.r[R_AX] = 0x100;
  cr_expect_eq(isa_outcome_mismatch(&a, &b, &lo), LOC_HI(R_AX));
}

/* where a closing transfer goes is compared only when both are taken; one
 * not taken differs under LOC_BR */
Test(compare, the_target_only_when_both_are_taken) {
  isa_state a, b;
  memset(&a, 0, sizeof a);
  a.taken = 1;
  a.target = 0x7c10;
  b = a;
  b.target = 0x7c12;
  cr_expect(!isa_state_equal(&a, &b, LOC_IP));
  cr_expect(isa_state_equal(&a, &b, LOC_BR), "the target is not live");
  isa_live_masks m;
  isa_live_masks_of(LOC_BR | LOC_IP, &m);
  cr_expect_eq(isa_outcome_mismatch(&a, &b, &m), LOC_IP);
  b.taken = 0;
  cr_expect(isa_state_equal(&a, &b, LOC_IP), "not taken on one side: no target to compare");
  cr_expect(!isa_state_equal(&a, &b, LOC_BR | LOC_IP));
  cr_expect_eq(isa_outcome_mismatch(&a, &b, &m), LOC_BR);
}

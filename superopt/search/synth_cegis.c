/* Constant synthesis with Z3 over the test states (see synth.h).
 *
 * A sketch is a pool instruction whose immediates or displacement are
 * unknowns.  The one semantics has no symbolic immediate, so each unknown is
 * carried by a register the instruction does not otherwise touch: `and ax,
 * K` runs as `and ax, dx` with dx = K, `mov al, [bx+K]` as `mov al, [bx+si]`
 * with si = K (same segment, same 16-bit wrap of the offset).  Per solve
 * state every input is a constant; only K is free, so the query is small
 * QF_BV.  Memory in the query is a cheap function of the address (plus the
 * state's fixed bytes), the same for the original and the sketch: the
 * query only proposes constants, the concrete check on every test state
 * and the proof decide. */
#include <stdlib.h>
#include <string.h>
#include "isa/isa_z3.h"
#include "search/synth.h"

#define SYN_SOLVE_FIRST 8     /* test states the first solve of a sketch uses */
#define SYN_ROUNDS 6          /* solves per sketch */
#define SYN_MAX_PAIRS 64       /* sketches of the snippet's own instructions */
#define SYN_MAX_SKETCHES 480   /* in all */
#define SYN_MAX_QUERIES 600   /* per snippet, whatever the budget */
#define SYN_RLIMIT 4000000u   /* Z3 resource units per query: a count, so the
                                 outcome does not depend on the machine's load */

typedef struct {
  int ninsn;
  insn in[2];     /* the instructions, constants still their own */
  insn carrier[2];/* the unknowns read from registers */
  int nsym;
  int at[2];      /* instruction holding each unknown */
  int opnd[2];    /* ... and its operand */
  bool disp[2];   /* a displacement (else an immediate) */
  int reg[2];     /* the register carrying it (16/32-bit number; 8-bit: low half) */
  int width[2];   /* bits */
  locset carriers;
  int minlen;     /* bytes with the shortest constants */
  int rank;       /* the order sketches are tried in */
} sketch;

typedef struct {
  Z3_context c;
  Z3_solver so;
  const snippet *s;
  teststates *ts;
  isa_z3_state orig[TS_MAX];   /* the original's final state per test state */
  bool have[TS_MAX];
  int solve[TS_MAX], nsolve;   /* the test states a solve asks about */
  Z3_ast sym[2];
} syn;

static bool is_shift(int op) {
  return op == OP_SHL || op == OP_SHR || op == OP_SAR || op == OP_ROL || op == OP_ROR ||
         op == OP_RCL || op == OP_RCR || op == OP_SHLD || op == OP_SHRD;
}

static bool free_reg(locset used, int r) { return !(used & LOC_R32(r)); }

/* A register for an immediate of the instruction: the count register for
 * shifts, else the first untouched one of the operation's size. */
static int imm_carrier(const insn *in, locset used) {
  if (is_shift(in->op)) return free_reg(used, R_CX) ? R_CX : -1;
  static const int order[] = {R_DX, R_CX, R_BX, R_SI, R_DI, R_BP, R_AX};
  for (size_t i = 0; i < sizeof order / sizeof *order; i++) {
    int r = order[i];
    if (in->size == 1 && r >= 4) continue;
    if (free_reg(used, r)) return r;
  }
  return -1;
}

/* The memory operand rewritten to read its displacement from a register:
 * [b+K] as [b+x] (b bx/bp, x si/di; b si/di, x bx), [K] as [x]. */
static bool disp_carrier(operand *m, locset used, int *reg) {
  if (m->addr32 || (m->base >= 0 && m->index >= 0)) return false;
  int b = m->base >= 0 ? m->base : m->index;
  static const int for_bxbp[] = {R_SI, R_DI}, for_sidi[] = {R_BX}, direct[] = {R_BX, R_SI, R_DI};
  const int *cand;
  int nc;
  if (b == R_BX || b == R_BP) { cand = for_bxbp; nc = 2; }
  else if (b == R_SI || b == R_DI) { cand = for_sidi; nc = 1; }
  else if (b < 0) { cand = direct; nc = 3; }
  else return false;
  for (int i = 0; i < nc; i++)
    if (free_reg(used, cand[i])) {
      *reg = cand[i];
      if (b < 0) m->base = (int8_t)cand[i];
      else if (cand[i] == R_BX) { m->index = (int8_t)b; m->base = R_BX; }
      else { m->base = (int8_t)b; m->index = (int8_t)cand[i]; }
      m->disp = 0;
      if (!m->seg_explicit) m->seg = (uint8_t)((m->base == R_BP || m->index == R_BP) ? S_SS : S_DS);
      return true;
    }
  return false;
}

static bool encodes(insn *in) {
  uint8_t b[ISA_MAX_LEN];
  return isa_encode(in, b) > 0;
}

/* One operand's constant from a solved value. */
static int32_t constant_of(const sketch *k, int j, const operand *o, uint64_t v) {
  uint64_t x = v & (k->width[j] >= 32 ? 0xffffffffull : (1ull << k->width[j]) - 1);
  if (k->disp[j]) return o->base < 0 && o->index < 0 ? (int32_t)x : (int16_t)x;
  return k->width[j] == 8 ? (int8_t)x : k->width[j] == 16 ? (int16_t)x : (int32_t)x;
}

/* The sketch with every unknown set to v[]: encoded, decoded back into the
 * model's own representation (as the pool stores it). */
static bool instantiate(const sketch *k, const uint64_t *v, insn *out) {
  for (int i = 0; i < k->ninsn; i++) {
    insn in = k->in[i];
    for (int j = 0; j < k->nsym; j++)
      if (k->at[j] == i) in.o[k->opnd[j]].disp = constant_of(k, j, &in.o[k->opnd[j]], v[j]);
    uint8_t b[ISA_MAX_LEN];
    int len = isa_encode(&in, b);
    for (int j = 0; j < k->nsym && len <= 0; j++)   /* an encoder that wants the unsigned spelling */
      if (k->at[j] == i && !k->disp[j] && k->width[j] < 32) {
        in.o[k->opnd[j]].disp &= (int32_t)((1u << k->width[j]) - 1);
        len = isa_encode(&in, b);
      }
    if (len <= 0 || isa_decode(b, (size_t)len, &out[i], NULL, 0) != len) return false;
  }
  return true;
}

static int seq_len(const insn *seq, int n) {
  int len = 0;
  for (int i = 0; i < n; i++) len += seq[i].len;
  return len;
}

static int sketch_minlen(const sketch *k) {
  uint64_t one[2] = {!k->disp[0], !k->disp[1]};   /* no displacement, a short immediate */
  insn t[2];
  return instantiate(k, one, t) ? seq_len(t, k->ninsn) : 99;
}

/* The registers an instruction names or touches. */
static locset regs_of(const insn *in) {
  isa_effects e;
  isa_effects_of(in, &e);
  locset used = e.reads | e.writes;
  for (int i = 0; i < in->nops; i++) {
    const operand *o = &in->o[i];
    if (o->kind == K_MEM && o->base >= 0) used |= LOC_R32(o->base);
    if (o->kind == K_MEM && o->index >= 0) used |= LOC_R32(o->index);
  }
  return used;
}

/* Append instruction `in` to the sketch with the unknowns it has, carried
 * by registers outside `used`; the direct variant replaces a one-register
 * address by a constant one. */
static bool sketch_add(sketch *k, const insn *in, bool direct, locset used) {
  if (in->op == OP_AAM || in->op == OP_AAD || in->op == OP_ENTER || in->op == OP_INT) return false;
  if (in->op == OP_IMUL && in->nops == 3) return false;   /* no register form */
  int at = k->ninsn++;
  k->in[at] = *in;
  k->carrier[at] = *in;
  used |= k->carriers;
  int had = k->nsym;
  for (int i = 0; i < in->nops && k->nsym < 2; i++) {
    operand *o = &k->carrier[at].o[i];
    int r;
    if (o->kind == K_MEM) {
      if (in->op == OP_LODS || in->op == OP_STOS || in->op == OP_MOVS || in->op == OP_CMPS ||
          in->op == OP_SCAS || in->op == OP_XLAT)
        continue;
      if (in->op == OP_BT || in->op == OP_BTS || in->op == OP_BTR || in->op == OP_BTC) return false;
      if (direct) {
        if (o->base < 0 || o->index >= 0 || o->addr32) return false;
        o->base = -1;
        if (!o->seg_explicit) o->seg = S_DS;
      }
      if (!disp_carrier(o, used, &r)) return false;
      if (direct) k->in[at].o[i].base = -1;
      k->in[at].o[i].seg = o->seg;
      k->disp[k->nsym] = true;
      k->width[k->nsym] = 16;
    } else if (o->kind == K_IMM) {
      r = imm_carrier(in, used);
      if (r < 0) return false;
      int size = is_shift(in->op) ? 1 : in->size;
      k->disp[k->nsym] = false;
      k->width[k->nsym] = 8 * size;
      *o = (operand){.kind = K_REG, .size = (uint8_t)size, .reg = (uint8_t)r, .base = -1, .index = -1};
    } else {
      continue;
    }
    used |= LOC_R32(r);
    k->at[k->nsym] = at;
    k->opnd[k->nsym] = i;
    k->reg[k->nsym] = r;
    k->carriers |= LOC_R32(r);
    k->nsym++;
  }
  if (direct && k->nsym == had) return false;
  return encodes(&k->carrier[at]);
}

/* ---------------------------------------------------------------- Z3 */

static Z3_ast bvk(Z3_context c, int w, uint64_t v) {
  if (w < 64) v &= (1ull << w) - 1;
  return Z3_mk_unsigned_int64(c, v, Z3_mk_bv_sort(c, (unsigned)w));
}

/* The test state as constants; memory is its fixed bytes over a cheap
 * address hash (the query proposes, the evaluator checks). */
static void concrete_state(Z3_context c, isa_z3_state *st, const isa_state *in, int salt) {
  for (int i = 0; i < 8; i++) st->r[i] = bvk(c, 32, in->r[i]);
  for (int i = 0; i < 6; i++) st->s[i] = bvk(c, 16, in->s[i]);
  for (int i = 0; i < ISA_NSYM; i++) st->sym[i] = bvk(c, 16, in->sym[i]);
  for (int f = 0; f < FL_COUNT; f++) {
    st->flag[f] = bvk(c, 1, (in->flags & isa_flag_bit[f]) != 0);
    st->fdef[f] = Z3_mk_true(c);
  }
  Z3_ast a = Z3_mk_bound(c, 0, Z3_mk_bv_sort(c, 32));
  Z3_ast h = Z3_mk_bvxor(c, a, Z3_mk_bvlshr(c, a, bvk(c, 32, 7)));
  h = Z3_mk_bvxor(c, h, Z3_mk_bvlshr(c, a, bvk(c, 32, 13)));
  Z3_ast body = Z3_mk_bvxor(c, Z3_mk_extract(c, 7, 0, h), bvk(c, 8, (uint64_t)(0x3d + 0x5b * salt)));
  for (int i = (int)in->ninit - 1; i >= 0; i--)
    body = Z3_mk_ite(c, Z3_mk_eq(c, a, bvk(c, 32, in->iaddr[i])), bvk(c, 8, in->ival[i]), body);
  Z3_sort dom = Z3_mk_bv_sort(c, 32);
  Z3_symbol name = Z3_mk_string_symbol(c, "a");
  st->mem = Z3_mk_lambda(c, 1, &dom, &name, body);
  st->fault = bvk(c, 8, 0);
  st->poisoned = Z3_mk_false(c);
  st->taken = Z3_mk_false(c);
  st->target = bvk(c, 16, 0);
  st->next_ip = bvk(c, 16, in->next_ip);
}

static bool original_at(syn *y, int i) {
  if (y->have[i]) return true;
  concrete_state(y->c, &y->orig[i], &y->ts->init[i], i);
  for (int k = 0; k < y->s->n; k++)
    if (!isa_z3_exec(y->c, &y->orig[i], &y->s->code[k], "syn_o_")) return false;
  y->have[i] = true;
  return true;
}

static void solve_add(syn *y, int i) {
  for (int j = 0; j < y->nsolve; j++)
    if (y->solve[j] == i) return;
  y->solve[y->nsolve++] = i;
}

/* sat with a model for the unknowns: fills v[] */
static bool solve(syn *y, const sketch *k, const uint64_t (*blocked)[2], int nblocked, uint64_t *v) {
  Z3_context c = y->c;
  Z3_solver_push(c, y->so);
  for (int j = 0; j < y->nsolve; j++) {
    int i = y->solve[j];
    if (!original_at(y, i)) { Z3_solver_pop(c, y->so, 1); return false; }
    isa_z3_state st;
    concrete_state(c, &st, &y->ts->init[i], i);
    for (int q = 0; q < k->nsym; q++) {
      int r = k->reg[q], w = k->width[q];
      st.r[r] = w == 32 ? y->sym[q] : Z3_mk_concat(c, Z3_mk_extract(c, 31, (unsigned)w, st.r[r]),
                                                   Z3_mk_extract(c, (unsigned)w - 1, 0, y->sym[q]));
    }
    for (int q = 0; q < k->ninsn; q++)
      if (!isa_z3_exec(c, &st, &k->carrier[q], "syn_k_")) { Z3_solver_pop(c, y->so, 1); return false; }
    /* memory compared where the original wrote, not as whole arrays (which
       would ask Z3 for extensionality): writes elsewhere the check sees */
    locset live = y->s->live_out & ~k->carriers;
    Z3_solver_assert(c, y->so, Z3_mk_not(c, isa_z3_differ(c, &y->orig[i], &st, live & ~LOC_MEM)));
    const isa_state *w = &y->ts->want[i];
    for (uint32_t b = 0; (live & LOC_MEM) && b < w->nwrites; b++) {
      Z3_ast a = bvk(c, 32, w->waddr[b]);
      Z3_solver_assert(c, y->so, Z3_mk_eq(c, Z3_mk_select(c, y->orig[i].mem, a), Z3_mk_select(c, st.mem, a)));
    }
  }
  for (int q = 0; q < k->nsym; q++)   /* bits above the constant's width mean nothing */
    if (k->width[q] < 32)
      Z3_solver_assert(c, y->so, Z3_mk_eq(c, Z3_mk_extract(c, 31, (unsigned)k->width[q], y->sym[q]),
                                          bvk(c, 32 - k->width[q], 0)));
  for (int b = 0; b < nblocked; b++) {
    Z3_ast d[2];
    for (int q = 0; q < k->nsym; q++) d[q] = Z3_mk_not(c, Z3_mk_eq(c, y->sym[q], bvk(c, 32, blocked[b][q])));
    Z3_solver_assert(c, y->so, Z3_mk_or(c, (unsigned)k->nsym, d));
  }
  bool sat = Z3_solver_check(c, y->so) == Z3_L_TRUE;
  if (sat) {
    Z3_model m = Z3_solver_get_model(c, y->so);
    Z3_model_inc_ref(c, m);
    for (int q = 0; q < k->nsym; q++) {
      Z3_ast val;
      uint64_t u = 0;
      if (Z3_model_eval(c, m, y->sym[q], true, &val)) Z3_get_numeral_uint64(c, val, &u);
      v[q] = u;
    }
    Z3_model_dec_ref(c, m);
  }
  Z3_solver_pop(c, y->so, 1);
  return sat;
}

/* The first test state the candidate gets wrong, or -1. */
static int first_wrong(const teststates *ts, const insn *cand, int n) {
  for (int i = 0; i < ts->n; i++) {
    isa_state got = ts->init[i];
    isa_exec_seq(&got, cand, n);
    if (!isa_state_equal(&ts->want[i], &got, ts->s->live_out)) return i;
  }
  return -1;
}

/* The live locations some test state changes: a one-instruction answer
 * must write every one of them. */
static locset changed_live(const teststates *ts) {
  locset ch = 0, live = ts->s->live_out;
  for (int i = 0; i < ts->n; i++) {
    const isa_state *a = &ts->init[i], *w = &ts->want[i];
    for (int r = 0; r < 8; r++)
      for (int p = 0; p < 3; p++) {
        uint32_t m = p == 2 ? 0xffff0000u : 0xffu << (8 * p);
        if ((a->r[r] ^ w->r[r]) & m) ch |= 1ull << (r * 3 + p);
      }
    for (int sg = 0; sg < 6; sg++)
      if (a->s[sg] != w->s[sg]) ch |= LOC_SEG(sg);
    for (int f = 0; f < FL_COUNT; f++)
      if (!(w->undef & isa_flag_bit[f]) && ((a->flags ^ w->flags) & isa_flag_bit[f])) ch |= isa_flag_loc[f];
    if (w->nwrites) ch |= LOC_MEM;
  }
  return ch & live;
}

/* Keep a sketch shorter than the original unless an equal one is kept. */
static void keep_sketch(sketch *sk, int *n, sketch *k, int below) {
  k->minlen = sketch_minlen(k);
  if (k->minlen >= below) return;
  uint8_t a[2 * ISA_MAX_LEN], b[2 * ISA_MAX_LEN];
  int la = 0;
  for (int q = 0; q < k->ninsn; q++) {
    insn t = k->carrier[q];
    la += isa_encode(&t, a + la);
  }
  for (int j = 0; j < *n; j++) {
    int lb = 0;
    for (int q = 0; q < sk[j].ninsn; q++) {
      insn t = sk[j].carrier[q];
      lb += isa_encode(&t, b + lb);
    }
    if (la == lb && !memcmp(a, b, (size_t)la) && sk[j].minlen == k->minlen &&
        !memcmp(sk[j].reg, k->reg, sizeof k->reg) && sk[j].nsym == k->nsym)
      return;
  }
  sk[(*n)++] = *k;
}

static void keep_const(int32_t *out, int *n, int max, int32_t v) {
  for (int i = 0; i < *n; i++)
    if (out[i] == v) return;
  if (*n < max) out[(*n)++] = v;
}

int synth_cegis(const snippet *s, teststates *ts, const pool *pl, synth_check_fn check, void *ctx,
                int max_queries, int32_t *out, int max, synth_stats *stats) {
  memset(stats, 0, sizeof *stats);
  if (max_queries > SYN_MAX_QUERIES) max_queries = SYN_MAX_QUERIES;
  if (s->live_out == LOC_ALL || ts->n == 0 || s->bytes <= 1) return 0;
  locset need = changed_live(ts);
  sketch *sk = malloc(SYN_MAX_SKETCHES * sizeof *sk);
  syn *y = calloc(1, sizeof *y);
  if (!sk || !y) { free(sk); free(y); return 0; }
  int nsk = 0;
  /* the snippet's own instructions with their constants unknown, alone and
     in pairs (constants that go through two operations), then every pool
     instruction with unknowns and its direct-address variant */
  for (int i = 0; i < s->n; i++) {
    isa_effects e;
    isa_effects_of(&s->code[i], &e);
    sketch k = {0};
    if ((e.writes & need) == need && sketch_add(&k, &s->code[i], false, regs_of(&s->code[i])) && k.nsym)
      keep_sketch(sk, &nsk, &k, s->bytes);
  }
  for (int i = 0; i < s->n; i++)
    for (int j = 0; j < s->n && nsk < SYN_MAX_PAIRS; j++) {
      const insn *a = &s->code[i], *b = &s->code[j];
      isa_effects ea, eb;
      isa_effects_of(a, &ea);
      isa_effects_of(b, &eb);
      if (((ea.writes | eb.writes) & need) != need) continue;
      locset used = regs_of(a) | regs_of(b);
      sketch k = {0};
      if (sketch_add(&k, a, false, used) && sketch_add(&k, b, false, used) && k.nsym)
        keep_sketch(sk, &nsk, &k, s->bytes);
    }
  for (int i = 0; i < pl->n && nsk < SYN_MAX_SKETCHES; i++) {
    const pool_insn *pi = &pl->v[i];
    if ((pi->writes & need) != need) continue;
    for (int direct = 0; direct < 2 && nsk < SYN_MAX_SKETCHES; direct++) {
      sketch k = {0};
      if (sketch_add(&k, &pi->in, direct, regs_of(&pi->in)) && k.nsym) keep_sketch(sk, &nsk, &k, s->bytes);
    }
  }
  /* shortest first, operations the snippet uses first among equals (stable) */
  bool own_op[OP_COUNT] = {false};
  for (int i = 0; i < s->n; i++) own_op[s->code[i].op] = true;
  for (int i = 0; i < nsk; i++) sk[i].rank = 2 * sk[i].minlen + !own_op[sk[i].in[0].op];
  for (int i = 1; i < nsk; i++)
    for (int j = i; j > 0 && sk[j - 1].rank > sk[j].rank; j--) {
      sketch x = sk[j];
      sk[j] = sk[j - 1];
      sk[j - 1] = x;
    }
  stats->sketches = nsk;
  int nout = 0;
  if (nsk) {
    Z3_config cfg = Z3_mk_config();
    y->c = Z3_mk_context(cfg);
    Z3_del_config(cfg);
    y->so = Z3_mk_solver(y->c);
    Z3_solver_inc_ref(y->c, y->so);
    Z3_params p = Z3_mk_params(y->c);
    Z3_params_inc_ref(y->c, p);
    Z3_params_set_uint(y->c, p, Z3_mk_string_symbol(y->c, "rlimit"), SYN_RLIMIT);
    Z3_solver_set_params(y->c, y->so, p);
    Z3_params_dec_ref(y->c, p);
    y->s = s;
    y->ts = ts;
    for (int q = 0; q < 2; q++) {
      char name[16] = "syn_k0";
      name[5] = (char)('0' + q);
      y->sym[q] = Z3_mk_const(y->c, Z3_mk_string_symbol(y->c, name), Z3_mk_bv_sort(y->c, 32));
    }
  }
  int bound = s->bytes;
  for (int n = 0; n < nsk && stats->queries < max_queries; n++) {
    const sketch *k = &sk[n];
    if (k->minlen >= bound) break;
    y->nsolve = 0;
    for (int i = 0; i < ts->n && i < SYN_SOLVE_FIRST; i++) solve_add(y, i);
    uint64_t blocked[SYN_ROUNDS][2];
    int nblocked = 0;
    for (int round = 0; round < SYN_ROUNDS && stats->queries < max_queries; round++) {
      uint64_t v[2] = {0, 0};
      stats->queries++;
      bool sat = solve(y, k, (const uint64_t (*)[2])blocked, nblocked, v);
      if (!sat) break;
      stats->fits++;
      memcpy(blocked[nblocked++], v, sizeof v);
      insn cand[2];
      if (!instantiate(k, v, cand)) continue;
      int len = seq_len(cand, k->ninsn);
      int wrong = first_wrong(ts, cand, k->ninsn);
      if (wrong >= 0) {      /* the cheap memory of the query misled it */
        solve_add(y, wrong);
        continue;
      }
      for (int q = 0; q < k->nsym; q++)
        if (!k->disp[q]) keep_const(out, &nout, max, cand[k->at[q]].o[k->opnd[q]].disp);
      if (len >= bound) continue;
      int before = ts->n;
      stats->checked++;
      if (check(ctx, cand, k->ninsn)) {
        stats->proven++;
        bound = len;
        break;
      }
      if (ts->n > before) {  /* refuted: the counterexample joins the solve */
        solve_add(y, ts->n - 1);
        stats->refuted++;
      }
    }
  }
  if (nsk) {
    Z3_solver_dec_ref(y->c, y->so);
    Z3_del_context(y->c);
  }
  free(sk);
  free(y);
  return nout;
}

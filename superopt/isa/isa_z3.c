/* The Z3 instantiation of isa_sem.def: each primitive builds a bit-vector
 * term.  A faulting instruction leaves the state as it was: the body runs on
 * the state, then every component is merged with its old term under the
 * fault condition.  Terms live as long as the context (the context must be
 * made with Z3_mk_context, not the reference-counted variant). */
#include <stdio.h>
#include <string.h>
#include "isa/isa_z3.h"
#include "isa/isa_sem.h"
#include "isa/isa_tables.h"

typedef Z3_ast V;
typedef Z3_ast C;

typedef struct {
  Z3_context c;
  isa_z3_state *st;
  const char *tag;
  Z3_ast fc;       /* Bool: a fault has occurred in this instruction */
  Z3_ast fcode;    /* BitVec 8: its code, meaningful where fc holds */
  bool unsupported;
} z3_ctx;
typedef z3_ctx *X;


static inline Z3_sort bv(Z3_context c, int w) { return Z3_mk_bv_sort(c, (unsigned)w); }
static inline V z_k(Z3_context c, int w, uint64_t v) {
  if (w < 64) v &= (1ull << w) - 1;
  return Z3_mk_unsigned_int64(c, v, bv(c, w));
}
static inline V z_zx(Z3_context c, int from, int to, V a) {
  return to == from ? a : Z3_mk_zero_ext(c, (unsigned)(to - from), a);
}
static inline V z_sx(Z3_context c, int from, int to, V a) {
  return to == from ? a : Z3_mk_sign_ext(c, (unsigned)(to - from), a);
}
static inline C z_bit(Z3_context c, V a, int i) {
  return Z3_mk_eq(c, Z3_mk_extract(c, (unsigned)i, (unsigned)i, a), z_k(c, 1, 1));
}
static inline C z_and(Z3_context c, C a, C b) { Z3_ast t[2] = {a, b}; return Z3_mk_and(c, 2, t); }
static inline C z_or(Z3_context c, C a, C b) { Z3_ast t[2] = {a, b}; return Z3_mk_or(c, 2, t); }
static inline C z_par(Z3_context c, V a) {
  Z3_ast p = Z3_mk_extract(c, 0, 0, a);
  for (unsigned i = 1; i < 8; i++) p = Z3_mk_bvxor(c, p, Z3_mk_extract(c, i, i, a));
  return Z3_mk_eq(c, p, z_k(c, 1, 0));
}

#define K(w, v) z_k(x->c, w, (uint64_t)(v))
#define ADD(w, a, b) Z3_mk_bvadd(x->c, a, b)
#define SUB(w, a, b) Z3_mk_bvsub(x->c, a, b)
#define AND(w, a, b) Z3_mk_bvand(x->c, a, b)
#define OR(w, a, b) Z3_mk_bvor(x->c, a, b)
#define XOR(w, a, b) Z3_mk_bvxor(x->c, a, b)
#define MUL(w, a, b) Z3_mk_bvmul(x->c, a, b)
#define UDIV(w, a, b) Z3_mk_bvudiv(x->c, a, b)
#define UREM(w, a, b) Z3_mk_bvurem(x->c, a, b)
#define SDIV(w, a, b) Z3_mk_bvsdiv(x->c, a, b)
#define SREM(w, a, b) Z3_mk_bvsrem(x->c, a, b)
#define NOT(w, a) Z3_mk_bvnot(x->c, a)
#define NEG(w, a) Z3_mk_bvneg(x->c, a)
#define SHL(w, a, b) Z3_mk_bvshl(x->c, a, b)
#define LSHR(w, a, b) Z3_mk_bvlshr(x->c, a, b)
#define ASHR(w, a, b) Z3_mk_bvashr(x->c, a, b)
#define ZX(from, to, a) z_zx(x->c, from, to, a)
#define SX(from, to, a) z_sx(x->c, from, to, a)
#define EXT(hi, lo, a) Z3_mk_extract(x->c, (unsigned)(hi), (unsigned)(lo), a)
#define CAT(wh, h, wl, l) Z3_mk_concat(x->c, h, l)
#define ITE(p, a, b) Z3_mk_ite(x->c, p, a, b)
#define C2V(w, cnd) Z3_mk_ite(x->c, cnd, z_k(x->c, w, 1), z_k(x->c, w, 0))
#define EQ(w, a, b) Z3_mk_eq(x->c, a, b)
#define NE(w, a, b) Z3_mk_not(x->c, Z3_mk_eq(x->c, a, b))
#define ULT(w, a, b) Z3_mk_bvult(x->c, a, b)
#define ULE(w, a, b) Z3_mk_bvule(x->c, a, b)
#define SLT(w, a, b) Z3_mk_bvslt(x->c, a, b)
#define SLE(w, a, b) Z3_mk_bvsle(x->c, a, b)
#define MSB(w, a) z_bit(x->c, a, (w) - 1)
#define BIT(w, a, i) z_bit(x->c, a, i)
#define PAR(a) z_par(x->c, a)
#define CAND(a, b) z_and(x->c, a, b)
#define COR(a, b) z_or(x->c, a, b)
#define CXOR(a, b) Z3_mk_xor(x->c, a, b)
#define CNOT(a) Z3_mk_not(x->c, a)
#define CTRUE Z3_mk_true(x->c)
#define CFALSE Z3_mk_false(x->c)

static V z_reg(X x, int w, int n) {
  Z3_context c = x->c;
  if (w == 8)
    return n < 4 ? Z3_mk_extract(c, 7, 0, x->st->r[n]) : Z3_mk_extract(c, 15, 8, x->st->r[n - 4]);
  if (w == 16) return Z3_mk_extract(c, 15, 0, x->st->r[n]);
  return x->st->r[n];
}
static void z_setreg(X x, int w, int n, V v) {
  Z3_context c = x->c;
  if (w == 8) {
    int r = n < 4 ? n : n - 4;
    Z3_ast old = x->st->r[r];
    if (n < 4)
      x->st->r[r] = Z3_mk_concat(c, Z3_mk_extract(c, 31, 8, old), v);
    else
      x->st->r[r] = Z3_mk_concat(c, Z3_mk_extract(c, 31, 16, old),
                                 Z3_mk_concat(c, v, Z3_mk_extract(c, 7, 0, old)));
  } else if (w == 16) {
    x->st->r[n] = Z3_mk_concat(c, Z3_mk_extract(c, 31, 16, x->st->r[n]), v);
  } else {
    x->st->r[n] = v;
  }
}
static C z_flagc(X x, C cond, int f) {
  Z3_context c = x->c;
  C undef = Z3_mk_not(c, x->st->fdef[f]);
  if (cond) undef = z_and(c, cond, undef);
  x->st->poisoned = z_or(c, x->st->poisoned, undef);
  return Z3_mk_eq(c, x->st->flag[f], z_k(c, 1, 1));
}
static V z_fresh(X x, int f) {
  char name[96];
  snprintf(name, sizeof name, "%s%s", x->tag ? x->tag : "", isa_flag_name(f));
  return Z3_mk_fresh_const(x->c, name, bv(x->c, 1));
}
static void z_setf(X x, C cond, int f, C v) {
  Z3_context c = x->c;
  V bit = Z3_mk_ite(c, v, z_k(c, 1, 1), z_k(c, 1, 0));
  if (!cond) {
    x->st->flag[f] = bit;
    x->st->fdef[f] = Z3_mk_true(c);
  } else {
    x->st->flag[f] = Z3_mk_ite(c, cond, bit, x->st->flag[f]);
    x->st->fdef[f] = z_or(c, cond, x->st->fdef[f]);
  }
}
static void z_undef(X x, C cond, int f) {
  Z3_context c = x->c;
  V u = z_fresh(x, f);
  if (!cond) {
    x->st->flag[f] = u;
    x->st->fdef[f] = Z3_mk_false(c);
  } else {
    x->st->flag[f] = Z3_mk_ite(c, cond, u, x->st->flag[f]);
    x->st->fdef[f] = z_and(c, Z3_mk_not(c, cond), x->st->fdef[f]);
  }
}
static void z_fault_if(X x, C cond, int code) {
  Z3_context c = x->c;
  x->fcode = Z3_mk_ite(c, x->fc, x->fcode, z_k(c, 8, (uint64_t)code));
  x->fc = z_or(c, x->fc, cond);
}

#define REG(w, n) z_reg(x, w, n)
#define SETREG(w, n, v) z_setreg(x, w, n, v)
#define SREG(sg) (x->st->s[sg])
#define SYM(k) (x->st->sym[k])
#define SETSREG(sg, v) (x->st->s[sg] = (v))
#define FLAG(f) z_flagc(x, NULL, f)
#define FLAGC(cnd, f) z_flagc(x, cnd, f)
#define SETF(f, v) z_setf(x, NULL, f, v)
#define UNDEF(f) z_undef(x, NULL, f)
#define SETF_IF(cnd, f, v) z_setf(x, cnd, f, v)
#define UNDEF_IF(cnd, f) z_undef(x, cnd, f)
#define MRD8(lin) Z3_mk_select(x->c, x->st->mem, lin)
#define MWR8(lin, v) (x->st->mem = Z3_mk_store(x->c, x->st->mem, lin, v))
#define FAULT_IF(cnd, code) z_fault_if(x, cnd, code)
#define POISON_IF(cnd) (x->st->poisoned = z_or(x->c, x->st->poisoned, cnd))
#define UNSUPPORTED() (x->unsupported = true)
#define TOUCH_ALL() ((void)0)
#define SETBR(cnd) (x->st->taken = (cnd))
#define SETIP(v) (x->st->target = (v))
#define NEXTIP() (x->st->next_ip)

/* helpers of the description need not use every primitive's context */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include "isa/isa_sem.def"
#pragma GCC diagnostic pop

static Z3_ast keep(Z3_context c, Z3_ast guard, Z3_ast old, Z3_ast now) {
  return old == now ? old : Z3_mk_ite(c, guard, old, now);
}

bool isa_z3_exec(Z3_context c, isa_z3_state *st, const insn *in, const char *tag) {
  /* only well-formed instructions: a width of 0 would be a Z3 sort error */
  insn check = *in;
  uint8_t bytes[ISA_MAX_LEN];
  if (isa_encode(&check, bytes) < 0) return false;
  isa_z3_state old = *st;
  z3_ctx x = {c, st, tag, Z3_mk_false(c), z_k(c, 8, 0), false};
  switch (in->op) {
#define DISPATCH(name) case OP_##name: sem_##name(&x, in); break;
    ISA_OPS(DISPATCH)
#undef DISPATCH
  default: x.unsupported = true; break;
  }
  if (x.unsupported) {
    *st = old;
    return false;
  }
  Z3_ast zero8 = z_k(c, 8, 0);
  Z3_ast was = Z3_mk_not(c, Z3_mk_eq(c, old.fault, zero8));
  Z3_ast guard = z_or(c, was, x.fc);
  for (int i = 0; i < 8; i++) st->r[i] = keep(c, guard, old.r[i], st->r[i]);
  for (int i = 0; i < 6; i++) st->s[i] = keep(c, guard, old.s[i], st->s[i]);
  for (int i = 0; i < FL_COUNT; i++) {
    st->flag[i] = keep(c, guard, old.flag[i], st->flag[i]);
    st->fdef[i] = keep(c, guard, old.fdef[i], st->fdef[i]);
  }
  st->mem = keep(c, guard, old.mem, st->mem);
  st->poisoned = keep(c, guard, old.poisoned, st->poisoned);
  st->taken = keep(c, guard, old.taken, st->taken);
  st->target = keep(c, guard, old.target, st->target);
  st->fault = Z3_mk_ite(c, was, old.fault, Z3_mk_ite(c, x.fc, x.fcode, zero8));
  return true;
}

/* ---------------------------------------------------------------- states */


static Z3_ast named(Z3_context c, const char *prefix, const char *name, Z3_sort s) {
  char buf[128];
  snprintf(buf, sizeof buf, "%s%s", prefix ? prefix : "", name);
  return Z3_mk_const(c, Z3_mk_string_symbol(c, buf), s);
}

void isa_z3_state_init(Z3_context c, isa_z3_state *st, const char *prefix) {
  for (int i = 0; i < 8; i++) st->r[i] = named(c, prefix, isa_reg_name(4, i), bv(c, 32));
  for (int i = 0; i < 6; i++) st->s[i] = named(c, prefix, isa_sreg_name(i), bv(c, 16));
  for (int i = 0; i < ISA_NSYM; i++) {
    char k[8];
    snprintf(k, sizeof k, "sym%d", i);
    st->sym[i] = named(c, prefix, k, bv(c, 16));
  }
  for (int i = 0; i < FL_COUNT; i++) {
    st->flag[i] = named(c, prefix, isa_flag_name(i), bv(c, 1));
    st->fdef[i] = Z3_mk_true(c);
  }
  Z3_sort arr = Z3_mk_array_sort(c, bv(c, 32), bv(c, 8));
  st->mem = named(c, prefix, "mem", arr);
  st->fault = z_k(c, 8, 0);
  st->poisoned = Z3_mk_false(c);
  st->taken = Z3_mk_false(c);
  st->target = z_k(c, 16, 0);
  st->next_ip = named(c, prefix, "next_ip", bv(c, 16));
}

/* the parts of register r in `parts` (a locset), as one inequality */
static Z3_ast reg_ne(Z3_context c, const isa_z3_state *want, const isa_z3_state *got, int r,
                     locset parts) {
  if (parts == LOC_R32(r)) return Z3_mk_not(c, Z3_mk_eq(c, want->r[r], got->r[r]));
  static const struct { unsigned hi, lo; } bits[3] = {{7, 0}, {15, 8}, {31, 16}};
  Z3_ast d[3];
  unsigned n = 0;
  for (int p = 0; p < 3; p++)
    if (parts & (1ull << (r * 3 + p)))
      d[n++] = Z3_mk_not(c, Z3_mk_eq(c, Z3_mk_extract(c, bits[p].hi, bits[p].lo, want->r[r]),
                                     Z3_mk_extract(c, bits[p].hi, bits[p].lo, got->r[r])));
  return n == 1 ? d[0] : Z3_mk_or(c, n, d);
}

/* The rule of isa_compare.def, as a disjunction of the ways to differ. */
Z3_ast isa_z3_differ(Z3_context c, const isa_z3_state *want,
                     const isa_z3_state *got, locset live) {
  Z3_ast d[32];
  unsigned n = 0;
#define DIFFER(where, t) (d[n++] = (t))
#define FAULT_NE Z3_mk_not(c, Z3_mk_eq(c, want->fault, got->fault))
#define POISONED(st) ((st)->poisoned)
#define FOR_LIVE_REGS(r, parts, where) \
  for (int r = 0; r < 8; r++)          \
    for (locset parts = live & LOC_R32(r); parts; parts = 0)
#define REG_NE(r, parts) reg_ne(c, want, got, r, parts)
#define FOR_LIVE_SEGS(s, where) \
  for (int s = 0; s < 6; s++)   \
    if (live & LOC_SEG(s))
#define SEG_NE(i) Z3_mk_not(c, Z3_mk_eq(c, want->s[i], got->s[i]))
#define FOR_LIVE_FLAGS(f, where) \
  for (int f = 0; f < FL_COUNT; f++) \
    if (live & isa_flag_loc[f])
#define FLAG_DEF(st, f) ((st)->fdef[f])
#define FLAG_UNDEF(st, f) Z3_mk_not(c, (st)->fdef[f])
#define FLAG_NE(f) Z3_mk_not(c, Z3_mk_eq(c, want->flag[f], got->flag[f]))
#define AND_(a, b) z_and(c, a, b)
#define OR_(a, b) z_or(c, a, b)
#define MEM_LIVE (live & LOC_MEM)
#define MEM_NE Z3_mk_not(c, Z3_mk_eq(c, want->mem, got->mem))
#define BR_LIVE (live & LOC_BR)
#define BR_NE Z3_mk_not(c, Z3_mk_eq(c, want->taken, got->taken))
#define IP_LIVE (live & LOC_IP)
#define IP_NE z_and(c, z_and(c, want->taken, got->taken), \
                    Z3_mk_not(c, Z3_mk_eq(c, want->target, got->target)))
#include "isa/isa_compare.def"
  return Z3_mk_or(c, n, d);
}

/* isa_mem_initial restated over a 32-bit address term */
static Z3_ast mem_initial_term(Z3_context c, uint64_t seed, Z3_ast a) {
  Z3_ast h = Z3_mk_bvadd(c, Z3_mk_bvmul(c, a, z_k(c, 32, ISA_MEM_MUL1)), z_k(c, 32, (uint32_t)seed));
  h = Z3_mk_bvxor(c, h, z_k(c, 32, (uint32_t)(seed >> 32)));
  h = Z3_mk_bvxor(c, h, Z3_mk_bvlshr(c, h, z_k(c, 32, 16)));
  h = Z3_mk_bvmul(c, h, z_k(c, 32, ISA_MEM_MUL2));
  h = Z3_mk_bvxor(c, h, Z3_mk_bvlshr(c, h, z_k(c, 32, 13)));
  h = Z3_mk_bvmul(c, h, z_k(c, 32, ISA_MEM_MUL3));
  h = Z3_mk_bvxor(c, h, Z3_mk_bvlshr(c, h, z_k(c, 32, 16)));
  return Z3_mk_extract(c, 7, 0, h);
}

Z3_ast isa_z3_state_is(Z3_context c, const isa_z3_state *st, const isa_state *init) {
  Z3_ast eq[32];
  int n = 0;
  for (int i = 0; i < 8; i++) eq[n++] = Z3_mk_eq(c, st->r[i], z_k(c, 32, init->r[i]));
  for (int i = 0; i < 6; i++) eq[n++] = Z3_mk_eq(c, st->s[i], z_k(c, 16, init->s[i]));
  for (int i = 0; i < ISA_NSYM; i++) eq[n++] = Z3_mk_eq(c, st->sym[i], z_k(c, 16, init->sym[i]));
  eq[n++] = Z3_mk_eq(c, st->next_ip, z_k(c, 16, init->next_ip));
  for (int f = 0; f < FL_COUNT; f++)
    eq[n++] = Z3_mk_eq(c, st->flag[f], z_k(c, 1, (init->flags & isa_flag_bit[f]) != 0));
  /* memory: the written bytes, then the overlay, then the seed */
  Z3_ast a = Z3_mk_const(c, Z3_mk_string_symbol(c, "isa!addr"), bv(c, 32));
  Z3_ast body = mem_initial_term(c, init->mem_seed, a);
  for (int i = (int)init->ninit - 1; i >= 0; i--)
    body = Z3_mk_ite(c, Z3_mk_eq(c, a, z_k(c, 32, init->iaddr[i])), z_k(c, 8, init->ival[i]), body);
  for (int i = (int)init->nwrites - 1; i >= 0; i--)
    body = Z3_mk_ite(c, Z3_mk_eq(c, a, z_k(c, 32, init->waddr[i])), z_k(c, 8, init->wval[i]), body);
  Z3_app bound = Z3_to_app(c, a);
  eq[n++] = Z3_mk_eq(c, st->mem, Z3_mk_lambda_const(c, 1, &bound, body));
  return Z3_mk_and(c, (unsigned)n, eq);
}

static uint64_t model_u64(Z3_context c, Z3_model m, Z3_ast t) {
  Z3_ast v;
  uint64_t u = 0;
  if (Z3_model_eval(c, m, t, true, &v) && Z3_get_numeral_uint64(c, v, &u)) return u;
  return 0;
}

/* collect the bytes an array value fixes: store chains and as-array entries */
static void model_mem(Z3_context c, Z3_model m, Z3_ast arr, isa_state *out) {
  for (int depth = 0; depth < 4096; depth++) {
    if (Z3_get_ast_kind(c, arr) != Z3_APP_AST) return;
    Z3_app app = Z3_to_app(c, arr);
    Z3_decl_kind k = Z3_get_decl_kind(c, Z3_get_app_decl(c, app));
    if (k == Z3_OP_STORE) {
      uint64_t a = 0, v = 0;
      Z3_get_numeral_uint64(c, Z3_get_app_arg(c, app, 1), &a);
      Z3_get_numeral_uint64(c, Z3_get_app_arg(c, app, 2), &v);
      bool seen = false;
      for (uint32_t i = 0; i < out->ninit; i++) seen |= out->iaddr[i] == (uint32_t)a;
      if (!seen) isa_mem_set_initial(out, (uint32_t)a, (uint8_t)v);
      arr = Z3_get_app_arg(c, app, 0);
      continue;
    }
    if (k == Z3_OP_AS_ARRAY) {
      Z3_func_interp fi = Z3_model_get_func_interp(c, m, Z3_get_as_array_func_decl(c, arr));
      if (!fi) return;
      Z3_func_interp_inc_ref(c, fi);
      unsigned ne = Z3_func_interp_get_num_entries(c, fi);
      for (unsigned i = 0; i < ne; i++) {
        Z3_func_entry e = Z3_func_interp_get_entry(c, fi, i);
        Z3_func_entry_inc_ref(c, e);
        uint64_t a = 0, v = 0;
        Z3_get_numeral_uint64(c, Z3_func_entry_get_arg(c, e, 0), &a);
        Z3_get_numeral_uint64(c, Z3_func_entry_get_value(c, e), &v);
        bool seen = false;
        for (uint32_t j = 0; j < out->ninit; j++) seen |= out->iaddr[j] == (uint32_t)a;
        if (!seen) isa_mem_set_initial(out, (uint32_t)a, (uint8_t)v);
        Z3_func_entry_dec_ref(c, e);
      }
      Z3_func_interp_dec_ref(c, fi);
    }
    return;
  }
}

void isa_z3_model_state(Z3_context c, Z3_model m, const isa_z3_state *init, isa_state *out) {
  memset(out, 0, sizeof *out);
  for (int i = 0; i < 8; i++) out->r[i] = (uint32_t)model_u64(c, m, init->r[i]);
  for (int i = 0; i < 6; i++) out->s[i] = (uint16_t)model_u64(c, m, init->s[i]);
  for (int i = 0; i < ISA_NSYM; i++) out->sym[i] = (uint16_t)model_u64(c, m, init->sym[i]);
  out->next_ip = (uint16_t)model_u64(c, m, init->next_ip);
  for (int f = 0; f < FL_COUNT; f++)
    if (model_u64(c, m, init->flag[f])) out->flags |= isa_flag_bit[f];
  Z3_ast mem;
  if (Z3_model_eval(c, m, init->mem, true, &mem)) model_mem(c, m, mem, out);
}

/* The concrete instantiation of isa_sem.def: the fast evaluator the search
 * runs.  Values are uint64_t kept masked to their width; conditions are
 * bool.  An instruction that faults leaves the state as it was: the
 * registers are saved before it runs and its memory writes are undone. */
#include <string.h>
#include "isa/isa.h"
#include "isa/isa_sem.h"
#include "isa/isa_tables.h"

typedef uint64_t V;
typedef bool C;

typedef struct {
  isa_state *st;
  uint8_t fault;
  uint8_t unsupported;
  uint8_t nundo;
  uint8_t undo_idx[ISA_MEMLOG];   /* log entries overwritten, old values */
  uint8_t undo_val[ISA_MEMLOG];
} eval_ctx;
typedef eval_ctx *X;

#define MASKW(w) ((w) >= 64 ? ~0ull : ((1ull << (w)) - 1))

static inline int64_t sx64(V a, int w) {
  return w >= 64 ? (int64_t)a : (int64_t)(a << (64 - w)) >> (64 - w);
}
static inline V c_shl(int w, V a, V b) { return b >= (V)w ? 0 : (a << b) & MASKW(w); }
static inline V c_lshr(int w, V a, V b) { return b >= (V)w ? 0 : a >> b; }
static inline V c_ashr(int w, V a, V b) {
  return (V)(sx64(a, w) >> (b >= (V)w ? w - 1 : (int)b)) & MASKW(w);
}
static inline V c_udiv(int w, V a, V b) { (void)w; return b ? a / b : 0; }
static inline V c_urem(int w, V a, V b) { (void)w; return b ? a % b : 0; }
static inline V c_sdiv(int w, V a, V b) {
  int64_t sa = sx64(a, w), sb = sx64(b, w);
  if (!sb) return 0;
  if (sb == -1) return (0 - (V)sa) & MASKW(w);
  return (V)(sa / sb) & MASKW(w);
}
static inline V c_srem(int w, V a, V b) {
  int64_t sa = sx64(a, w), sb = sx64(b, w);
  if (!sb || sb == -1) return 0;
  return (V)(sa % sb) & MASKW(w);
}

#define K(w, c) ((V)(c) & MASKW(w))
#define ADD(w, a, b) (((a) + (b)) & MASKW(w))
#define SUB(w, a, b) (((a) - (b)) & MASKW(w))
#define AND(w, a, b) ((a) & (b))
#define OR(w, a, b) ((a) | (b))
#define XOR(w, a, b) ((a) ^ (b))
#define MUL(w, a, b) (((a) * (b)) & MASKW(w))
#define UDIV(w, a, b) c_udiv(w, a, b)
#define UREM(w, a, b) c_urem(w, a, b)
#define SDIV(w, a, b) c_sdiv(w, a, b)
#define SREM(w, a, b) c_srem(w, a, b)
#define NOT(w, a) (~(a) & MASKW(w))
#define NEG(w, a) ((0 - (a)) & MASKW(w))
#define SHL(w, a, b) c_shl(w, a, b)
#define LSHR(w, a, b) c_lshr(w, a, b)
#define ASHR(w, a, b) c_ashr(w, a, b)
#define ZX(from, to, a) (a)
#define SX(from, to, a) ((V)sx64(a, from) & MASKW(to))
#define EXT(hi, lo, a) (((a) >> (lo)) & MASKW((hi) - (lo) + 1))
#define CAT(wh, h, wl, l) (((h) << (wl)) | (l))
#define ITE(c, a, b) ((c) ? (a) : (b))
#define C2V(w, c) ((V)(c))
#define EQ(w, a, b) ((a) == (b))
#define NE(w, a, b) ((a) != (b))
#define ULT(w, a, b) ((a) < (b))
#define ULE(w, a, b) ((a) <= (b))
#define SLT(w, a, b) (sx64(a, w) < sx64(b, w))
#define SLE(w, a, b) (sx64(a, w) <= sx64(b, w))
#define MSB(w, a) ((((a) >> ((w) - 1)) & 1) != 0)
#define BIT(w, a, i) ((((a) >> (i)) & 1) != 0)
#define PAR(a) ((bool)isa_parity_even[(a) & 0xff])
#define CAND(a, b) ((a) && (b))
#define COR(a, b) ((a) || (b))
#define CXOR(a, b) ((a) != (b))
#define CNOT(a) (!(a))
#define CTRUE true
#define CFALSE false

#define HOT static inline __attribute__((always_inline))

HOT V c_reg(X x, int w, int n) {
  const uint32_t *r = x->st->r;
  if (w == 8) return n < 4 ? (r[n] & 0xff) : ((r[n - 4] >> 8) & 0xff);
  if (w == 16) return r[n] & 0xffff;
  return r[n];
}
HOT void c_setreg(X x, int w, int n, V v) {
  uint32_t *r = x->st->r;
  if (w == 8) {
    if (n < 4) r[n] = (r[n] & ~0xffu) | (uint32_t)v;
    else r[n - 4] = (r[n - 4] & ~0xff00u) | (uint32_t)v << 8;
  } else if (w == 16) {
    r[n] = (r[n] & 0xffff0000u) | (uint32_t)v;
  } else {
    r[n] = (uint32_t)v;
  }
}
HOT C c_flag(X x, int f) {
  uint32_t b = isa_flag_bit[f];
  if (x->st->undef & b) x->st->poisoned = 1;
  return (x->st->flags & b) != 0;
}
HOT C c_flagc(X x, C c, int f) {
  uint32_t b = isa_flag_bit[f];
  if (c && (x->st->undef & b)) x->st->poisoned = 1;
  return (x->st->flags & b) != 0;
}
HOT void c_setf(X x, int f, C v) {
  uint32_t b = isa_flag_bit[f];
  x->st->flags = (x->st->flags & ~b) | (v ? b : 0);
  x->st->undef &= ~b;
}
HOT void c_undef(X x, int f) {
  uint32_t b = isa_flag_bit[f];
  x->st->flags &= ~b;
  x->st->undef |= b;
}

static void c_mwr8(X x, V lin, V v) {
  isa_state *st = x->st;
  uint32_t a = (uint32_t)lin;
  for (uint32_t i = 0; i < st->nwrites; i++)
    if (st->waddr[i] == a) {
      if (x->nundo < ISA_MEMLOG) {
        x->undo_idx[x->nundo] = (uint8_t)i;
        x->undo_val[x->nundo++] = st->wval[i];
      }
      st->wval[i] = (uint8_t)v;
      return;
    }
  if (st->nwrites == ISA_MEMLOG) {
    if (!x->fault) x->fault = ISA_FAULT_MEMLOG;
    return;
  }
  st->waddr[st->nwrites] = a;
  st->wval[st->nwrites++] = (uint8_t)v;
}

#define REG(w, n) c_reg(x, w, n)
#define SETREG(w, n, v) c_setreg(x, w, n, v)
#define SREG(sg) ((V)x->st->s[sg])
#define SYM(k) ((V)x->st->sym[k])
#define SETSREG(sg, v) (x->st->s[sg] = (uint16_t)(v))
#define FLAG(f) c_flag(x, f)
#define FLAGC(c, f) c_flagc(x, c, f)
#define SETF(f, c) c_setf(x, f, c)
#define UNDEF(f) c_undef(x, f)
#define SETF_IF(c, f, v) do { if (c) c_setf(x, f, v); } while (0)
#define UNDEF_IF(c, f) do { if (c) c_undef(x, f); } while (0)
#define MRD8(lin) ((V)isa_mem_read(x->st, (uint32_t)(lin)))
#define MWR8(lin, v) c_mwr8(x, lin, v)
#define FAULT_IF(c, code) do { if ((c) && !x->fault) x->fault = (code); } while (0)
#define POISON_IF(c) do { if (c) x->st->poisoned = 1; } while (0)
#define UNSUPPORTED() (x->unsupported = 1)
#define TOUCH_ALL() ((void)0)
#define SETBR(c) (x->st->taken = (uint8_t)(c))
#define SETIP(v) (x->st->target = (uint16_t)(v))
#define NEXTIP() ((V)x->st->next_ip)

/* the evaluator is the search's inner loop: inline the description's helpers */
#define SEM_INLINE inline __attribute__((always_inline))
#define SEM(name) static inline __attribute__((always_inline)) \
  void sem_##name(X x, const insn *in, const int sem_w)
#define SEM_W sem_w
/* helpers of the description need not use every primitive's context */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include "isa/isa_sem.def"
#pragma GCC diagnostic pop

/* the registers, segments, flags and undef mask sit at the head of the state */
#define SAVED_HEAD offsetof(isa_state, mem_seed)

void isa_exec(isa_state *st, const insn *in) {
  if (st->fault) return;
  eval_ctx x;
  x.st = st;
  x.fault = 0;
  x.unsupported = 0;
  x.nundo = 0;
  /* Only an instruction that can fault needs the state saved (copying it
   * right after the previous instruction's narrow stores is costly). */
  bool save = isa_op_may_fault[in->op] | (in->prefix != 0) | (in->o[0].kind == K_MEM) |
              (in->o[1].kind == K_MEM) | (in->o[2].kind == K_MEM);
  unsigned char head[SAVED_HEAD];
  uint8_t poisoned = 0;
  uint32_t nwrites = 0;
  if (save) {
    memcpy(head, st, SAVED_HEAD);
    poisoned = st->poisoned;
    nwrites = st->nwrites;
  }

  switch (in->op) {
    /* one body per operand size, the width a constant in each; encode and
     * decode admit only sizes 1, 2, 4 for operations whose width matters */
#define DISPATCH(name) \
  case OP_##name: \
    switch (in->size) { \
    case 1: sem_##name(&x, in, 8); break; \
    case 4: sem_##name(&x, in, 32); break; \
    default: sem_##name(&x, in, 16); break;  /* size 2, or 0 where unused */ \
    } \
    break;
    ISA_OPS(DISPATCH)
#undef DISPATCH
  default: x.unsupported = 1; break;
  }

  if (__builtin_expect(x.fault | x.unsupported, 0)) {
    if (!save) __builtin_trap();   /* isa_op_may_fault is missing this op */
    while (x.nundo) {
      x.nundo--;
      st->wval[x.undo_idx[x.nundo]] = x.undo_val[x.nundo];
    }
    memcpy(st, head, SAVED_HEAD);
    st->poisoned = poisoned;
    st->nwrites = nwrites;
    st->fault = x.unsupported ? ISA_FAULT_UD : x.fault;
  }
}

void isa_exec_seq(isa_state *st, const insn *seq, int n) {
  for (int i = 0; i < n && !st->fault; i++) isa_exec(st, &seq[i]);
}

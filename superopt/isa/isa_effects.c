/* The third instantiation of isa_sem.def: instead of values it collects the
 * locations an instruction reads, writes and may leave undefined.  Since the
 * description never branches on values, running it once gives exactly the
 * static read/write sets. */
#include <string.h>
#include "isa/isa.h"
#include "isa/isa_sem.h"

typedef int V;
typedef int C;

typedef struct {
  locset reads, writes, undef;
  locset must;        /* written on every path through the description */
  bool unsupported;
  bool may_fault;
  bool may_poison;    /* some inputs leave a result undefined */
} eff_ctx;
typedef eff_ctx *X;

static inline locset reg_loc(int w, int n) {
  return w == 8 ? LOC_R8(n) : w == 16 ? LOC_R16(n) : LOC_R32(n);
}
static inline V e_reg(X x, int w, int n) { x->reads |= reg_loc(w, n); return 0; }
static inline void e_setreg(X x, int w, int n) { x->writes |= x->must |= reg_loc(w, n); }
static inline C e_flag(X x, int f) { x->reads |= isa_flag_loc[f]; return 0; }

#define K(w, c) ((void)(w), (void)(c), 0)
#define BIN_(w, a, b) ((void)(w), (void)(a), (void)(b), 0)
#define ADD BIN_
#define SUB BIN_
#define AND BIN_
#define OR BIN_
#define XOR BIN_
#define MUL BIN_
#define UDIV BIN_
#define UREM BIN_
#define SDIV BIN_
#define SREM BIN_
#define SHL BIN_
#define LSHR BIN_
#define ASHR BIN_
#define EQ BIN_
#define NE BIN_
#define ULT BIN_
#define ULE BIN_
#define SLT BIN_
#define SLE BIN_
#define NOT(w, a) ((void)(a), 0)
#define NEG(w, a) ((void)(a), 0)
#define ZX(from, to, a) ((void)(a), 0)
#define SX(from, to, a) ((void)(a), 0)
#define EXT(hi, lo, a) ((void)(a), 0)
#define CAT(wh, h, wl, l) ((void)(h), (void)(l), 0)
#define ITE(c, a, b) ((void)(c), (void)(a), (void)(b), 0)
#define C2V(w, c) ((void)(c), 0)
#define MSB(w, a) ((void)(a), 0)
#define BIT(w, a, i) ((void)(a), 0)
#define PAR(a) ((void)(a), 0)
#define CAND(a, b) ((void)(a), (void)(b), 0)
#define COR(a, b) ((void)(a), (void)(b), 0)
#define CXOR(a, b) ((void)(a), (void)(b), 0)
#define CNOT(a) ((void)(a), 0)
#define CTRUE 0
#define CFALSE 0

#define REG(w, n) e_reg(x, w, n)
#define SETREG(w, n, v) ((void)(v), e_setreg(x, w, n))
#define SREG(sg) (x->reads |= LOC_SEG(sg), 0)
#define SYM(k) ((void)(k), 0)
#define SETSREG(sg, v) ((void)(v), x->writes |= x->must |= LOC_SEG(sg))
#define FLAG(f) e_flag(x, f)
#define FLAGC(c, f) ((void)(c), e_flag(x, f))
#define SETF(f, c) ((void)(c), x->writes |= x->must |= isa_flag_loc[f])
#define UNDEF(f) (x->writes |= x->must |= isa_flag_loc[f], x->undef |= isa_flag_loc[f])
/* a conditional update keeps the old value where the condition fails */
#define SETF_IF(c, f, v) ((void)(c), (void)(v), x->reads |= isa_flag_loc[f], \
                          x->writes |= isa_flag_loc[f])
#define UNDEF_IF(c, f) ((void)(c), x->reads |= isa_flag_loc[f], \
                        x->writes |= isa_flag_loc[f], x->undef |= isa_flag_loc[f])
#define MRD8(lin) ((void)(lin), x->reads |= LOC_MEM, 0)
#define MWR8(lin, v) ((void)(lin), (void)(v), x->writes |= LOC_MEM, x->may_fault = true)
#define FAULT_IF(c, code) ((void)(c), x->may_fault = true)
#define POISON_IF(c) ((void)(c), x->may_poison = true)
#define UNSUPPORTED() (x->unsupported = x->may_fault = true)
#define TOUCH_ALL() (x->reads |= LOC_ALL, x->writes |= LOC_ALL)
#define SETBR(c) ((void)(c), x->writes |= x->must |= LOC_BR)
#define SETIP(v) ((void)(v), x->writes |= x->must |= LOC_IP)
#define NEXTIP() 0

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-value"
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wunused-variable"
#pragma GCC diagnostic ignored "-Wunused-but-set-variable"
#include "isa/isa_sem.def"
#pragma GCC diagnostic pop

static void run(eff_ctx *x, const insn *in) {
  memset(x, 0, sizeof *x);
  switch (in->op) {
#define DISPATCH(name) case OP_##name: sem_##name(x, in); break;
    ISA_OPS(DISPATCH)
#undef DISPATCH
  default: x->unsupported = x->may_fault = true; break;
  }
}

bool isa_sem_may_fault(const insn *in) {
  eff_ctx x;
  run(&x, in);
  return x.may_fault;
}

/* The row says whether control goes on to the next instruction; an
 * instruction no row encodes (a lenient decoding) asks its operation's rows. */
static bool ends_block(const insn *in) {
  const isa_form *f = isa_form_of(in);
  if (f) return f->flags & ISA_F_BRANCH;
  for (size_t i = 0; i < isa_form_count(); i++)
    if (isa_form_at(i)->op == in->op && (isa_form_at(i)->flags & ISA_F_BRANCH)) return true;
  return false;
}

void isa_effects_of(const insn *in, isa_effects *out) {
  eff_ctx x;
  run(&x, in);
  out->reads = x.reads;
  out->writes = x.writes;
  out->undef = x.undef;
  /* Must-writes: what the description writes on every path (a conditional
   * flag update is only a may-write).  Where some inputs leave a register
   * undefined (bsf/bsr of 0, shld/shrd past 16) it may also keep its old
   * value; with a rep prefix and cx = 0 nothing is written at all. */
  out->must_writes = x.must & ~LOC_MEM;
  if (x.may_poison) out->must_writes &= ~LOC_ALLREGS;
  if (in->prefix & (PFX_REP | PFX_REPNE)) out->must_writes = 0;
  out->branch = ends_block(in);
  out->searchable = !x.unsupported;
}

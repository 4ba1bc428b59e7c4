/* Runs every form, memory forms included, on Unicorn (QEMU TCG) in 16-bit
 * mode and compares with the model.
 *
 * Unicorn's memory holds isa_mem_initial(UNI_SEED, a) everywhere, so the
 * model (seeded with UNI_SEED) and the emulator see the same bytes; each
 * state adds its overlay (operand edge values and the instruction's own
 * bytes) to both and is undone afterwards.  Limits handled explicitly:
 * a multi-byte access crossing offset 0xFFFF goes through linearly in
 * Unicorn where a 386 faults, so a model #GP is checked against such an
 * access having happened (counted, EXCEPTIONS.md U1); A20 is always on, as
 * in the model; the translation cache is dropped whenever the code bytes
 * change (uc_ctl_remove_cache). */
#include "oracle.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicorn/unicorn.h>

#define UNI_SEED 0x5eedull
#define UNI_MAP (2u << 20)       /* covers FFFF:FFFF+3 and small a32 offsets */
#define MAX_ACC 64

typedef struct {
  uint32_t addr[MAX_ACC];
  uint8_t size[MAX_ACC];
  bool write[MAX_ACC];
  int n;
  int intno;                 /* -1: none */
  bool invalid;
  uint32_t stop_at;          /* a branch's target: stop before running it */
  bool stop_next;            /* a transfer: stop at the next instruction,
                                wherever it is (a wrong model target must
                                not let the run go on through memory) */
  int seen;                  /* instructions the hook saw */
} uni_trace;

/* (Unicorn honours the stop only at the end of the block being run) */
static void hook_code(uc_engine *uc, uint64_t addr, uint32_t size, void *user) {
  (void)size;
  uni_trace *t = user;
  if ((uint32_t)addr == t->stop_at || (t->stop_next && ++t->seen >= 2)) uc_emu_stop(uc);
}

static void hook_mem(uc_engine *uc, uc_mem_type type, uint64_t addr, int size,
                     int64_t value, void *user) {
  (void)uc; (void)value;
  uni_trace *t = user;
  if (t->n < MAX_ACC) {
    t->addr[t->n] = (uint32_t)addr;
    t->size[t->n] = (uint8_t)size;
    t->write[t->n] = type == UC_MEM_WRITE;
    t->n++;
  }
}

static void hook_intr(uc_engine *uc, uint32_t intno, void *user) {
  uni_trace *t = user;
  if (t->intno < 0) t->intno = (int)intno;
  uc_emu_stop(uc);
}

static bool hook_invalid(uc_engine *uc, void *user) {
  uni_trace *t = user;
  t->invalid = true;
  uc_emu_stop(uc);
  return false;
}

static const int uc_r32[8] = { UC_X86_REG_EAX, UC_X86_REG_ECX, UC_X86_REG_EDX, UC_X86_REG_EBX,
                               UC_X86_REG_ESP, UC_X86_REG_EBP, UC_X86_REG_ESI, UC_X86_REG_EDI };
static const int uc_seg[6] = { UC_X86_REG_ES, UC_X86_REG_CS, UC_X86_REG_SS,
                               UC_X86_REG_DS, UC_X86_REG_FS, UC_X86_REG_GS };

static void mem_restore(uc_engine *uc, uint32_t a, int n) {
  for (int i = 0; i < n; i++) {
    uint32_t x = a + (uint32_t)i;
    if (x >= UNI_MAP) continue;
    uint8_t v = isa_mem_initial(UNI_SEED, x);
    uc_mem_write(uc, x, &v, 1);
  }
}

/* The first access of this instruction that crosses offset 0xFFFF, predicted
 * from the instruction and the initial state alone (operand offsets, the
 * stack pointer, si/di): its linear address in *lin.  16-bit addressing. */
static bool predicted_crossing(const oform *f, const insn *in, const isa_state *st,
                               const uint8_t *b, int n, uint32_t *lin) {
#define CROSS(segbase, off, size) do { uint32_t o_ = (off) & 0xffff; \
    if (o_ + (uint32_t)(size) > 0x10000) { *lin = (segbase) + o_; return true; } } while (0)
  int sz = in->size ? in->size : 2;
  uint32_t sp = st->r[R_SP], ss = (uint32_t)st->s[S_SS] << 4;
  switch (in->op) {
  case OP_PUSH: CROSS(ss, sp - (uint32_t)sz, sz); break;
  case OP_POP: CROSS(ss, sp, sz); break;
  case OP_PUSHA: for (int k = 1; k <= 8; k++) CROSS(ss, sp - (uint32_t)(k * sz), sz); break;
  case OP_POPA: for (int k = 0; k < 8; k++) if (k != 3) CROSS(ss, sp + (uint32_t)(k * sz), sz); break;
  case OP_ENTER: CROSS(ss, sp - 2u, 2); break;
  case OP_LEAVE: CROSS(ss, st->r[R_BP], 2); break;
  case OP_CALL: if (in->cc == ISA_NEAR) CROSS(ss, sp - 2u, 2); break;   /* the return address */
  case OP_RET: if (in->cc == ISA_NEAR) CROSS(ss, sp, 2); break;
  default: break;
  }
  if (f->flags & FORM_STR) {
    int seg = S_DS;
    for (int i = 0; i < n; i++) {
      if (b[i] == 0x26) seg = S_ES; else if (b[i] == 0x2e) seg = S_CS;
      else if (b[i] == 0x36) seg = S_SS; else if (b[i] == 0x3e) seg = S_DS;
      else if (b[i] == 0x64) seg = S_FS; else if (b[i] == 0x65) seg = S_GS;
      else if (b[i] != 0x66 && b[i] != 0x67) break;
    }
    bool src = in->op == OP_LODS || in->op == OP_MOVS || in->op == OP_CMPS;
    bool dst = in->op == OP_STOS || in->op == OP_MOVS || in->op == OP_SCAS || in->op == OP_CMPS;
    if (src) CROSS((uint32_t)st->s[seg] << 4, st->r[R_SI], sz);
    if (dst) CROSS((uint32_t)st->s[S_ES] << 4, st->r[R_DI], sz);
    return false;
  }
  for (int i = 0; i < in->nops; i++) {
    const operand *o = &in->o[i];
    if (o->kind != K_MEM || in->op == OP_LEA || o->addr32) continue;
    uint32_t base = (uint32_t)st->s[o->seg] << 4;
    /* les/lds: the offset, then the segment word */
    int far = in->op == OP_LES || in->op == OP_LDS ? 2 : 0;
    CROSS(base, operand_linear(st, o) - base, o->size + far);
  }
#undef CROSS
  return false;
}

/* Did Unicorn make a multi-byte access at that linear address? */
static bool traced_at(const uni_trace *t, uint32_t lin) {
  for (int i = 0; i < t->n; i++)
    if (t->addr[i] == lin && t->size[i] >= 2) return true;
  return false;
}

static bool overlay_hits(const isa_state *st, uint32_t lo, uint32_t hi) {
  for (uint32_t i = 0; i < st->ninit; i++)
    if (st->iaddr[i] >= lo && st->iaddr[i] < hi) return true;
  return false;
}

/* Two engines run every instance: `uc` without memory hooks gives the
 * values compared, `uct` with memory hooks gives the access trace (where it
 * wrote, whether an access crossed offset 0xFFFF).  Values never come from
 * the hooked engine: in Unicorn 2.0.1 a memory hook corrupts the flags of a
 * shift by CL on a memory operand (EXCEPTIONS.md U2). */
/* popa/popad whose 16/32-byte block runs past offset 0xFFFF: Intel's
 * real-mode rule faults ("#SS if the starting or ending stack address is
 * not within the stack segment"), QEMU skips the (e)sp slot unread. */
/* EXCEPTIONS.md U6: Unicorn's idiv helpers divide natively in a C int of
 * twice the operand width, so the one overflowing dividend (the most
 * negative, divided by -1) traps the host process instead of raising #DE
 * in the guest. */
static bool idiv_traps_host(const insn *in, const isa_state *st) {
  if (in->op != OP_IDIV || in->size == 1) return false;
  uint32_t d = operand_value(st, &in->o[0]);
  if (in->size == 2) return (st->r[R_DX] & 0xffff) == 0x8000 && (st->r[R_AX] & 0xffff) == 0 && (d & 0xffff) == 0xffff;
  return st->r[R_DX] == 0x80000000u && st->r[R_AX] == 0 && d == 0xffffffffu;
}

static bool popa_runs_past_limit(const insn *in, const isa_state *init) {
  return in->op == OP_POPA && (init->r[R_SP] & 0xffff) + 8u * in->size > 0x10000;
}

/* Does the instruction address anything in [lo, hi): explicit operands,
 * the stack, string source/destination, the xlat table (4 bytes each,
 * generous)? */
static bool touches(const isa_state *st, const insn *in, uint32_t lo, uint32_t hi) {
  uint32_t at[3 + 12 + 1];
  int n = 0;
  for (int i = 0; i < in->nops; i++)
    if (in->o[i].kind == K_MEM) at[n++] = operand_linear(st, &in->o[i]);
  for (int s = 0; s < 6; s++) {
    uint32_t base = (uint32_t)st->s[s] << 4;
    at[n++] = base + (st->r[R_SI] & 0xffff);
    at[n++] = base + ((st->r[R_BX] + (st->r[R_AX] & 0xff)) & 0xffff);
  }
  at[n++] = ((uint32_t)st->s[S_ES] << 4) + (st->r[R_DI] & 0xffff);
  uint32_t ss = (uint32_t)st->s[S_SS] << 4;
  for (int a = 0; a < n; a++)
    if (at[a] + 4 > lo && at[a] < hi) return true;
  for (uint32_t d = 0; d < 0x40; d++)          /* pusha/popa reach 32 bytes each way */
    if (ss + ((st->r[R_SP] - 0x20 + d) & 0xffff) >= lo && ss + ((st->r[R_SP] - 0x20 + d) & 0xffff) < hi)
      return true;
  return false;
}

typedef struct {
  uc_engine *uc, *uct;
  uni_trace tr, trt;
  uint8_t *mem, *memt;     /* the engines' memory, kept across reopening */
  uint64_t crossings, reopened, popa_limit, host_trap;
  skip_count skip;         /* of the form being run */
} uni;

/* Open an engine on the memory buffer `mem` (mapped, not copied, so that an
 * engine can be reopened cheaply: after an exception Unicorn 2.0.1 keeps
 * the exception pending and reports the next one as a double fault (#8),
 * then none at all, so an engine that saw one is replaced). */
static int uni_engine(uc_engine **uc, uni_trace *tr, bool trace, uint8_t *mem) {
  if (uc_open(UC_ARCH_X86, UC_MODE_16, uc) != UC_ERR_OK) {
    fprintf(stderr, "unicorn: cannot open a 16-bit x86 engine\n");
    return 3;
  }
  if (uc_mem_map_ptr(*uc, 0, UNI_MAP, UC_PROT_ALL, mem) != UC_ERR_OK) {
    fprintf(stderr, "unicorn: cannot map %u bytes\n", UNI_MAP);
    return 3;
  }
  uc_hook h;
  if (trace) uc_hook_add(*uc, &h, UC_HOOK_MEM_READ | UC_HOOK_MEM_WRITE, (void *)hook_mem, tr, 1, 0);
  uc_hook_add(*uc, &h, UC_HOOK_INTR, (void *)hook_intr, tr, 1, 0);
  uc_hook_add(*uc, &h, UC_HOOK_INSN_INVALID, (void *)hook_invalid, tr, 1, 0);
  /* a taken branch ends the run at its target (one instruction is run, so
     the hook costs little) */
  uc_hook_add(*uc, &h, UC_HOOK_CODE, (void *)hook_code, tr, 1, 0);
  return 0;
}

static int uni_open(uni *u) {
  u->mem = aligned_alloc(4096, UNI_MAP);
  u->memt = aligned_alloc(4096, UNI_MAP);
  if (!u->mem || !u->memt) { fprintf(stderr, "unicorn: out of memory\n"); return 3; }
  for (uint32_t a = 0; a < UNI_MAP; a++) u->mem[a] = u->memt[a] = isa_mem_initial(UNI_SEED, a);
  int rc = uni_engine(&u->uc, &u->tr, false, u->mem);
  return rc ? rc : uni_engine(&u->uct, &u->trt, true, u->memt);
}

static void uni_close(uni *u) {
  uc_close(u->uc);
  uc_close(u->uct);
  free(u->mem);
  free(u->memt);
}

/* Load a state and run one instruction, stopping at its end (`until`, not
 * count=1: count=1 hits a TCG fatal error after some thousand runs). */
static uc_err uni_run(uc_engine *uc, uni_trace *tr, const isa_state *init, uint32_t code,
                      uint16_t ip, int len, uint32_t stop_at, bool stop_next) {
  for (int i = 0; i < 8; i++) uc_reg_write(uc, uc_r32[i], &init->r[i]);
  for (int i = 0; i < 6; i++) { uint32_t v = init->s[i]; uc_reg_write(uc, uc_seg[i], &v); }
  uint32_t fl = 0x2 | (init->flags & F_MODELLED), eip = ip;
  uc_reg_write(uc, UC_X86_REG_EFLAGS, &fl);
  uc_reg_write(uc, UC_X86_REG_EIP, &eip);
  memset(tr, 0, sizeof *tr);
  tr->intno = -1;
  tr->stop_at = stop_at;
  tr->stop_next = stop_next;
  return uc_emu_start(uc, code, code + (uint32_t)len, 0, 0);
}

static bool uni_check(oracle_run *r, uni *u, const oform *f, const insn *in, const uint8_t *b, int n,
                      const isa_state *st, uint16_t ip, const char **why, char *why_buf, size_t wn);

/* A closing transfer's inputs for one test: a displacement's target is a
 * label (symbolic constant 0) whose value is the ip it goes to, and the
 * window ends right after the instruction (what a call pushes). */
static void transfer_inputs(insn *in, isa_state *st, uint16_t ip, int n) {
  st->next_ip = (uint16_t)(ip + n);
  if (in->o[0].kind != K_REL) return;
  in->o[0].sym = 1;
  st->sym[0] = (uint16_t)(ip + n + in->o[0].disp);
}

/* Would a branch at cs:ip leave the same ip, taken or not, in either of the
 * two ways Unicorn reports it (ip, or the linear address)? */
static bool branch_ambiguous(const isa_state *st, const insn *in, uint16_t ip, int n) {
  uint32_t base = (uint32_t)st->s[S_CS] << 4;
  uint32_t fall[3] = {(uint16_t)(ip + n), base + ip + (uint32_t)n, base + (uint16_t)(ip + n)};
  uint16_t t = (uint16_t)(ip + n + in->o[0].disp);
  for (int k = 0; k < 3; k++)
    if (fall[k] == t || fall[k] == base + t) return true;
  return false;
}

/* A transfer that reads where it goes (a register, memory, the stack): the
 * linear address the model says it goes to, in *t (0 when the model
 * faults: nothing to mark), and whether a `jmp $` there stays clear of the
 * code, the stack words and the seeded bytes. */
static bool read_target_clear(const isa_state *st, const insn *in, uint16_t ip, int n,
                              uint32_t code, uint32_t *t) {
  isa_state probe = *st;
  insn pin = *in;
  transfer_inputs(&pin, &probe, ip, n);
  isa_exec(&probe, &pin);
  *t = 0;
  if (probe.fault) return true;
  *t = ((uint32_t)st->s[S_CS] << 4) + probe.target;
  uint32_t sp = ((uint32_t)st->s[S_SS] << 4) + (uint16_t)(st->r[R_SP] - 4);
  return !(*t + 2 > code && *t < code + 16) && !(*t + 2 > sp && *t < sp + 12) &&
         !overlay_hits(st, *t, *t + 2);
}

/* One state of one form.  Returns false when the model does not cover it. */
static bool uni_one(oracle_run *r, uni *u, const oform *f, rng *g, const char **why, char *why_buf, size_t wn) {
  uint8_t b[16];
  insn in;
  char err[128] = "";
  int n = form_instance(f, g, false, b);
  int len = isa_decode_lenient(b, (size_t)n, &in, err, sizeof err);
  char bx[40];
  hexstr(b, n, bx, sizeof bx);
  if (len < 0) { snprintf(why_buf, wn, "decode %s: %s", bx, err); *why = why_buf; return false; }
  if (len != n) {
    report_mismatch(r, O_UNICORN, f->name, "%s: decoded length %d, bytes %d", bx, len, n);
    return true;
  }
  isa_state st;
  state_random(g, f, UNI_SEED, &st);
  /* Place the code away from the bytes the instruction addresses (which may
   * depend on cs), then seed the operands: the code bytes are part of the
   * overlay and must not be seeded over. */
  uint16_t ip = 0;
  uint32_t code = 0;
  /* the seeded operand bytes may still land on the code: then place and
     seed again (rare, so a seed's stream rarely changes) */
  isa_state drawn = st;
  for (int round = 0; round < 16; round++) {
    st = drawn;
    for (int tries = 0; tries < 64; tries++) {
      st.s[S_CS] = (uint16_t)rng_value(g, 16);
      ip = (uint16_t)rng_below(g, 0xfff0);
      code = ((uint32_t)st.s[S_CS] << 4) + ip;
      if (!touches(&st, &in, code, code + 16) &&
          !((f->flags & FORM_BRANCH) && branch_ambiguous(&st, &in, ip, n)))
        break;
    }
    state_seed_operands(g, f, &in, &st);
    uint32_t t;
    if (!overlay_hits(&st, code, code + 16) &&
        (!(f->flags & FORM_TRANSFER) || in.o[0].kind == K_REL ||
         read_target_clear(&st, &in, ip, n, code, &t)))
      break;
  }
  uint32_t t_unused;
  if (overlay_hits(&st, code, code + 16) ||   /* no free place in 16 rounds: the harness failed */
      ((f->flags & FORM_TRANSFER) && in.o[0].kind != K_REL &&
       !read_target_clear(&st, &in, ip, n, code, &t_unused))) {
    r->t[O_UNICORN].tests++;
    report_mismatch(r, O_UNICORN, f->name, "%s: no code placement away from its operands", bx);
    return true;
  }
  for (int i = 0; i < n; i++) isa_mem_set_initial(&st, code + (uint32_t)i, b[i]);
  if ((f->flags & FORM_TRANSFER) && in.o[0].kind != K_REL) {
    /* where the model says it goes gets the `jmp $`; if the model is wrong,
       Unicorn ends elsewhere and the ips differ */
    uint32_t t;
    if (read_target_clear(&st, &in, ip, n, code, &t) && t) {
      isa_mem_set_initial(&st, t, 0xeb);
      isa_mem_set_initial(&st, t + 1, 0xfe);
    }
  }
  if (f->flags & (FORM_BRANCH | FORM_TRANSFER) && in.o[0].kind == K_REL) {
    /* `jmp $` at the target: a stop requested there takes effect at the end
       of its block, which then leaves ip at the target */
    uint32_t t = ((uint32_t)st.s[S_CS] << 4) + (uint16_t)(ip + n + in.o[0].disp);
    isa_mem_set_initial(&st, t, 0xeb);
    isa_mem_set_initial(&st, t + 1, 0xfe);
  }
  return uni_check(r, u, f, &in, b, n, &st, ip, why, why_buf, wn);
}

/* One instance from one state (its code bytes in the overlay at cs:ip): the
 * model against Unicorn.  Returns false when the model does not cover it.
 * The test is the run's current one while compared (a mismatch leaves a
 * reproducer). */
static bool uni_check(oracle_run *r, uni *u, const oform *f, const insn *inp, const uint8_t *b, int n,
                      const isa_state *st0, uint16_t ip, const char **why, char *why_buf, size_t wn) {
  insn in = *inp;
  isa_state st = *st0;
  int len = n;
  char bx[40];
  hexstr(b, n, bx, sizeof bx);
  uint32_t code = ((uint32_t)st.s[S_CS] << 4) + ip;
  repro_ctx c;
  memset(&c, 0, sizeof c);
  memcpy(c.bytes, b, (size_t)n);
  c.n = n;
  c.init = st;
  c.ip = ip;
  for (uint32_t i = 0; i < st.ninit; i++) {
    uc_mem_write(u->uc, st.iaddr[i], &st.ival[i], 1);
    uc_mem_write(u->uct, st.iaddr[i], &st.ival[i], 1);
  }
  uc_ctl_remove_cache(u->uc, code, code + 16);
  uc_ctl_remove_cache(u->uct, code, code + 16);

  bool transfer = (f->flags & FORM_TRANSFER) != 0;
  if (transfer) transfer_inputs(&in, &st, ip, n);
  isa_state init = st;
  isa_exec(&st, &in);
  if (st.fault == ISA_FAULT_UD) {
    snprintf(why_buf, wn, "%s not evaluated", bx);
    *why = why_buf;
    for (uint32_t i = 0; i < init.ninit; i++) { mem_restore(u->uc, init.iaddr[i], 1); mem_restore(u->uct, init.iaddr[i], 1); }
    return false;
  }
  if (idiv_traps_host(&in, &init)) {
    /* not run on Unicorn; the manual's rule (#DE) is checked on the model */
    r->t[O_UNICORN].tests++;
    if (st.fault != ISA_FAULT_DE)
      report_mismatch(r, O_UNICORN, f->name, "%s: idiv of the most negative dividend by -1, model fault %u, "
                      "not #DE", bx, st.fault);
    else { u->host_trap++; r->t[O_UNICORN].tests--; r->t[O_UNICORN].excepted++; }
    for (uint32_t i = 0; i < init.ninit; i++) { mem_restore(u->uc, init.iaddr[i], 1); mem_restore(u->uct, init.iaddr[i], 1); }
    return true;
  }

  /* a branch goes to cs:(ip + len + disp) when taken (ip wraps in 16 bits) */
  bool branch = (f->flags & FORM_BRANCH) != 0;
  uint16_t target_ip = (uint16_t)(ip + len + (branch ? in.o[0].disp : 0));
  if (transfer) target_ip = st.target;   /* the model's; Unicorn must end there */
  uint32_t stop_at = branch || (transfer && !st.fault) ? ((uint32_t)st.s[S_CS] << 4) + target_ip
                                                       : 0xffffffffu;
  uni_run(u->uct, &u->trt, &init, code, ip, len, stop_at, transfer);
  uc_err e = uni_run(u->uc, &u->tr, &init, code, ip, len, stop_at, transfer);

  observed ob = { 0 };
  for (int i = 0; i < 8; i++) uc_reg_read(u->uc, uc_r32[i], &ob.r[i]);
  for (int i = 0; i < 6; i++) { uint32_t v = 0; uc_reg_read(u->uc, uc_seg[i], &v); ob.s[i] = (uint16_t)v; }
  uc_reg_read(u->uc, UC_X86_REG_EFLAGS, &ob.flags);
  uint32_t eip_after = 0;
  uc_reg_read(u->uc, UC_X86_REG_EIP, &eip_after);

  c.has_observed = true;
  memcpy(c.ob_r, ob.r, sizeof c.ob_r);
  memcpy(c.ob_s, ob.s, sizeof c.ob_s);
  c.ob_flags = ob.flags;
  r->cur = &c;
  char msg[768] = "";
  size_t k = 0;
#define OUT(...) do { if (k < sizeof msg) k += (size_t)snprintf(msg + k, sizeof msg - k, __VA_ARGS__); } while (0)
  uint32_t cross_at = 0;
  bool predicted = !(f->flags & FORM_A32) && predicted_crossing(f, &in, &init, b, n, &cross_at);
  bool crossed = predicted && traced_at(&u->trt, cross_at);
  r->t[O_UNICORN].tests++;
  sdm_undef manual = sdm_undef_at(&in, &init);
  if (e != UC_ERR_OK && u->tr.intno < 0 && !u->tr.invalid) {
    OUT("unicorn error: %s; ", uc_strerror(e));
  } else if (u->tr.invalid || (u->tr.intno >= 0 && u->tr.intno != 0)) {
    OUT("unicorn #UD/int %d, model fault %u; ", u->tr.intno, st.fault);
  } else if (st.fault == ISA_FAULT_GP || predicted) {
    /* the operand access faults before anything else (e.g. a divide error) */
    if (predicted && !crossed) OUT("predicted access across offset 0xFFFF at %06x not in unicorn's trace; ", cross_at);
    else if (st.fault != ISA_FAULT_GP) OUT("access crosses offset 0xFFFF (a 386 faults), model fault %u; ", st.fault);
    else if (!crossed && popa_runs_past_limit(&in, &init)) {   /* EXCEPTIONS.md U5 */
      u->popa_limit++; r->t[O_UNICORN].tests--; r->t[O_UNICORN].excepted++;
    } else if (!crossed) OUT("model #GP, no access across offset 0xFFFF in unicorn; ");
    else { u->crossings++; r->t[O_UNICORN].tests--; r->t[O_UNICORN].excepted++; }
  } else if (u->tr.intno == 0) {
    if (st.fault != ISA_FAULT_DE) OUT("unicorn #DE, model fault %u; ", st.fault);
  } else if (manual.dest) {            /* the whole result is undefined */
    if (!st.poisoned) OUT("the manual leaves the destination undefined (%s), the model does not poison; ",
                          manual.cite);
    else skip_add(&u->skip, &manual);
  } else {
    ob.fault = ISA_FAULT_NONE;
    char m2[512];
    if (!st.fault) skip_add(&u->skip, &manual);   /* a fault is compared, not the flags */
    if (!compare_regs(&st, &ob, 0xff, 0x3f, &manual, m2, sizeof m2)) OUT("%s", m2);
    /* stopped at `until`, Unicorn gives back ip; stopped by the hook, the
       linear address */
    bool seen_taken = eip_after == stop_at || eip_after == target_ip;
    bool seen_fall = eip_after == code + (uint32_t)len || eip_after == (uint16_t)(ip + len);
    if (!st.fault && branch && (st.taken ? !seen_taken : (seen_taken || !seen_fall)))
      OUT("ip after: unicorn %x (taken %d), model taken %d; ", eip_after, seen_taken, st.taken);
    else if (!st.fault && transfer && (!st.taken || !seen_taken))
      OUT("ip after: unicorn %x, model goes to %04x (taken %d); ", eip_after, st.target, st.taken);
    else if (!st.fault && !branch && !transfer && (uint16_t)eip_after != (uint16_t)(ip + len))
      OUT("ip after: unicorn %04x, model length says %04x; ", eip_after & 0xffff, (ip + len) & 0xffff);
    for (uint32_t i = 0; i < st.nwrites; i++) {
      uint8_t v = 0;
      uc_mem_read(u->uc, st.waddr[i], &v, 1);
      if (v != st.wval[i]) OUT("mem[%06x] model=%02x unicorn=%02x; ", st.waddr[i], st.wval[i], v);
    }
    for (int i = 0; i < u->trt.n; i++) {
      if (!u->trt.write[i]) continue;
      for (int j = 0; j < u->trt.size[i]; j++) {
        uint32_t a = u->trt.addr[i] + (uint32_t)j;
        uint8_t v = 0;
        uc_mem_read(u->uc, a, &v, 1);
        if (v != isa_mem_read(&st, a)) OUT("mem[%06x] model=%02x unicorn=%02x (unicorn wrote); ", a, isa_mem_read(&st, a), v);
      }
    }
  }
#undef OUT
  if (msg[0]) {
    char is[300];
    state_str(&init, is, sizeof is);
    report_mismatch(r, O_UNICORN, f->name, "%s at %04x:%04x from %s: %s", bx, init.s[S_CS], ip, is, msg);
  }
  r->cur = NULL;
  if (e != UC_ERR_OK || u->tr.intno >= 0 || u->tr.invalid) {
    uc_close(u->uc);
    if (uni_engine(&u->uc, &u->tr, false, u->mem)) exit(3);
    u->reopened++;
  }
  if (u->trt.intno >= 0 || u->trt.invalid) {
    uc_close(u->uct);
    if (uni_engine(&u->uct, &u->trt, true, u->memt)) exit(3);
  }
  for (int k = 0; k < 2; k++) {
    uc_engine *uc = k ? u->uct : u->uc;
    for (int i = 0; i < u->trt.n; i++) if (u->trt.write[i]) mem_restore(uc, u->trt.addr[i], u->trt.size[i]);
    for (uint32_t i = 0; i < st.nwrites; i++) mem_restore(uc, st.waddr[i], 1);
    for (uint32_t i = 0; i < init.ninit; i++) mem_restore(uc, init.iaddr[i], 1);
  }
  return true;
}

int unicorn_rerun(oracle_run *r, const char *form, const repro_ctx *c) {
  const oform *f = NULL;
  for (int i = 0; i < r->forms.n && !f; i++)
    if (!strcmp(r->forms.f[i].name, form)) f = &r->forms.f[i];
  insn in;
  if (!f || isa_decode_lenient(c->bytes, (size_t)c->n, &in, NULL, 0) != c->n) return -1;
  uni u;
  memset(&u, 0, sizeof u);
  if (uni_open(&u)) return -1;
  const char *why = NULL;
  char wb[200];
  bool covered = uni_check(r, &u, f, &in, c->bytes, c->n, &c->init, c->ip, &why, wb, sizeof wb);
  uni_close(&u);
  return covered ? 0 : -1;
}

int run_unicorn(oracle_run *r) {
  uni u;
  memset(&u, 0, sizeof u);
  int rc = uni_open(&u);
  if (rc) return rc;
  rng g = { r->opt.seed ^ 0x0c0ffeeull };
  int uncovered = 0;
  for (int fi = 0; fi < r->forms.n && !run_should_stop(r); fi++) {
    const oform *f = &r->forms.f[fi];
    if (!form_selected(r, f->name)) continue;
    const char *why = NULL;
    char wb[200], first[200] = "";
    int s = 0, nunc = 0;
    memset(&u.skip, 0, sizeof u.skip);
    for (; s < r->opt.states && !run_should_stop(r); s++)
      if (!uni_one(r, &u, f, &g, &why, wb, sizeof wb) && !nunc++) snprintf(first, sizeof first, "%s", why);
    report_skipped(r, O_UNICORN, f->name, &u.skip);
    if (nunc) {
      report_note(O_UNICORN, "form %s: %d of %d instances not covered by the model (first: %s)",
                  f->name, nunc, s, first);
      uncovered++;
      r->t[O_UNICORN].uncovered++;
    }
    s -= nunc;
    if (s) r->t[O_UNICORN].forms++;
  }
  report_note(O_UNICORN, "documented exception U1 (access across offset 0xFFFF: Unicorn reads/writes "
              "through, the model and a 386 fault; fault expectation compared): %llu tests",
              (unsigned long long)u.crossings);
  report_note(O_UNICORN, "%d forms not covered by the model", uncovered);
  report_note(O_UNICORN, "documented exception U5 (popa/popad block past offset 0xFFFF, skipped slot "
              "unread by Unicorn): %llu tests", (unsigned long long)u.popa_limit);
  report_note(O_UNICORN, "documented exception U6 (idiv of the most negative dividend by -1: Unicorn's helper "
              "traps the host; the model must raise #DE): %llu tests", (unsigned long long)u.host_trap);
  report_note(O_UNICORN, "engines reopened after an exception: %llu", (unsigned long long)u.reopened);
  uni_close(&u);
  return 0;
}

/* Runs register-only forms natively on this x86-64 CPU and compares with the
 * model on the same random states.
 *
 * The 16-bit-mode bytes are translated to 64-bit mode: the operand-size
 * prefix 0x66 is toggled (it selects 32 bits in 16-bit mode and 16 bits in
 * 64-bit mode; 8-bit operations ignore it) and the one-byte inc/dec 40-4F,
 * which are REX prefixes in 64-bit mode, become FF /0 and FF /1.  A small
 * generated thunk loads the registers, loads FLAGS with popf, executes the
 * instruction, saves FLAGS with pushf and stores the registers.  ESP is not
 * used as an operand (the thunk needs the stack); divide errors arrive as
 * SIGFPE and are compared with the model's #DE. */
#include "oracle.h"

#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

typedef struct {
  uint32_t r[8];
  uint64_t flags;
} host_regs;

typedef void (*thunk_fn)(host_regs *);

typedef struct {
  uint8_t *page;
  int insn_at;       /* where the instruction goes */
} thunk;

static sigjmp_buf fault_jmp;
static volatile sig_atomic_t fault_sig;

static void on_fault(int sig) {
  fault_sig = sig;
  siglongjmp(fault_jmp, 1);
}

static int emit_load_store(uint8_t *p, bool store) {
  int n = 0;
  for (int i = 0; i < 8; i++) {
    if (i == R_SP) continue;
    p[n++] = 0x41;
    p[n++] = store ? 0x89 : 0x8b;
    p[n++] = (uint8_t)(0x47 | i << 3);          /* [r15+disp8] */
    p[n++] = (uint8_t)(4 * i);
  }
  return n;
}

/* Build the thunk around an instruction of n bytes. */
static void thunk_write(thunk *t, const uint8_t *code, int n) {
  uint8_t *p = t->page;
  int k = 0;
  static const uint8_t prologue[] = { 0x53, 0x55, 0x41, 0x54, 0x41, 0x55, 0x41, 0x56, 0x41, 0x57,
                                      0x49, 0x89, 0xff,             /* mov r15, rdi */
                                      0x41, 0xff, 0x77, 0x20 };     /* push [r15+32] */
  memcpy(p + k, prologue, sizeof prologue); k += (int)sizeof prologue;
  k += emit_load_store(p + k, false);
  p[k++] = 0x9d;                                                    /* popfq */
  memcpy(p + k, code, (size_t)n); k += n;
  p[k++] = 0x9c;                                                    /* pushfq */
  k += emit_load_store(p + k, true);
  static const uint8_t epilogue[] = { 0x41, 0x8f, 0x47, 0x20,       /* pop [r15+32] */
                                      0xfc,                         /* cld */
                                      0x41, 0x5f, 0x41, 0x5e, 0x41, 0x5d, 0x41, 0x5c,
                                      0x5d, 0x5b, 0xc3 };
  memcpy(p + k, epilogue, sizeof epilogue);
}

/* 16-bit-mode bytes to 64-bit-mode bytes (see the file comment). */
static int to_long_mode(const uint8_t *b, int n, uint8_t *out) {
  int i = 0, k = 0;
  bool had66 = false;
  for (; i < n && (b[i] == 0x66); i++) had66 = true;
  if (!had66) out[k++] = 0x66;
  if (b[i] >= 0x40 && b[i] <= 0x4f) {
    out[k++] = 0xff;
    out[k++] = (uint8_t)((b[i] < 0x48 ? 0xc0 : 0xc8) | (b[i] & 7));
    return k;
  }
  for (; i < n; i++) out[k++] = b[i];
  return k;
}

static bool uses_sp(const insn *in) {
  for (int i = 0; i < in->nops; i++)
    if (in->o[i].kind == K_REG && in->o[i].size >= 2 && in->o[i].reg == R_SP) return true;
  return false;
}

/* Run one translated instruction natively.  Returns the ISA_FAULT_* seen. */
static uint8_t host_run(thunk *t, host_regs *hr) {
  fault_sig = 0;
  if (sigsetjmp(fault_jmp, 1)) return fault_sig == SIGFPE ? ISA_FAULT_DE : ISA_FAULT_UD;
  ((thunk_fn)(void *)t->page)(hr);
  return ISA_FAULT_NONE;
}

/* One instance from one state: the model against this CPU.  The test is
 * the run's current one (r->cur) while it is compared, so a mismatch
 * leaves a reproducer. */
static void host_check(oracle_run *r, thunk *t, const char *form, const insn *in, const uint8_t *b, int n,
                       const isa_state *init, skip_count *skip) {
  repro_ctx c;
  memset(&c, 0, sizeof c);
  memcpy(c.bytes, b, (size_t)n);
  c.n = n;
  c.init = *init;
  r->cur = &c;
  char bx[40];
  hexstr(b, n, bx, sizeof bx);
  isa_state st = *init;
  isa_exec(&st, in);
  sdm_undef manual = sdm_undef_at(in, init);
  r->t[O_HOST].tests++;
  if (manual.dest) {              /* the whole result is undefined */
    if (!st.poisoned)
      report_mismatch(r, O_HOST, form, "%s: the manual leaves the destination undefined (%s), "
                      "the model does not poison", bx, manual.cite);
    else skip_add(skip, &manual);
    r->cur = NULL;
    return;
  }
  if (!st.fault) skip_add(skip, &manual);   /* a fault is compared, not the flags */
  uint8_t lb[20];
  int ln = to_long_mode(b, n, lb);
  thunk_write(t, lb, ln);
  host_regs hr;
  for (int i = 0; i < 8; i++) hr.r[i] = init->r[i];
  hr.flags = 0x202 | (init->flags & F_MODELLED);
  observed ob = { 0 };
  ob.fault = host_run(t, &hr);
  for (int i = 0; i < 8; i++) ob.r[i] = i == R_SP ? st.r[i] : hr.r[i];
  ob.flags = (uint32_t)hr.flags;
  c.has_observed = true;
  memcpy(c.ob_r, ob.r, sizeof c.ob_r);
  c.ob_flags = ob.flags;
  c.ob_fault = ob.fault;
  char msg[512];
  if (!compare_regs(&st, &ob, 0xff & ~(1u << R_SP), 0, &manual, msg, sizeof msg)) {
    char is[300];
    state_str(init, is, sizeof is);
    report_mismatch(r, O_HOST, form, "%s from %s: %s", bx, is, msg);
  }
  r->cur = NULL;
}

typedef struct {
  thunk t;
  struct sigaction old_fpe, old_ill;
} host_env;

static bool host_begin(host_env *h) {
  h->t.page = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (h->t.page == MAP_FAILED) { fprintf(stderr, "host: cannot map an executable page\n"); return false; }
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_fault;
  sigaction(SIGFPE, &sa, &h->old_fpe);
  sigaction(SIGILL, &sa, &h->old_ill);
  return true;
}

static void host_end(host_env *h) {
  sigaction(SIGFPE, &h->old_fpe, NULL);
  sigaction(SIGILL, &h->old_ill, NULL);
  munmap(h->t.page, 4096);
}

int host_rerun(oracle_run *r, const char *form, const repro_ctx *c) {
  insn in;
  if (isa_decode_lenient(c->bytes, (size_t)c->n, &in, NULL, 0) != c->n) return -1;
  host_env h;
  if (!host_begin(&h)) return -1;
  skip_count skip = { { 0 }, 0 };
  host_check(r, &h.t, form, &in, c->bytes, c->n, &c->init, &skip);
  host_end(&h);
  return 0;
}

int run_host(oracle_run *r) {
  host_env h;
  if (!host_begin(&h)) return 3;

  rng g = { r->opt.seed ^ 0x4057ull };
  int uncovered = 0;
  for (int fi = 0; fi < r->forms.n && !run_should_stop(r); fi++) {
    const oform *f = &r->forms.f[fi];
    if (!(f->flags & FORM_HOST) || !form_selected(r, f->name)) continue;
    bool counted = false;
    int nunc = 0;
    skip_count skip = { { 0 }, 0 };
    char why[200] = "";
    for (int s = 0; s < r->opt.states && !run_should_stop(r); s++) {
      uint8_t b[16];
      insn in;
      int n = 0, len = -1;
      char err[128] = "";
      for (int tries = 0; tries < 100; tries++) {
        n = form_instance(f, &g, true, b);
        len = isa_decode_lenient(b, (size_t)n, &in, err, sizeof err);
        if (len < 0 || !uses_sp(&in)) break;
      }
      char bx[40];
      hexstr(b, n, bx, sizeof bx);
      if (len < 0) {
        if (!nunc++) snprintf(why, sizeof why, "decode %s: %s", bx, err);
        continue;
      }
      if (len != n) {
        report_mismatch(r, O_HOST, f->name, "%s: decoded length %d, bytes %d", bx, len, n);
        continue;
      }
      if (uses_sp(&in)) continue;
      isa_state st;
      state_random(&g, f, 0x1057, &st);
      isa_state init = st;
      isa_exec(&st, &in);
      if (st.fault == ISA_FAULT_UD) {
        if (!nunc++) snprintf(why, sizeof why, "%s not evaluated", bx);
        continue;
      }
      if (!counted) { r->t[O_HOST].forms++; counted = true; }
      host_check(r, &h.t, f->name, &in, b, n, &init, &skip);
    }
    report_skipped(r, O_HOST, f->name, &skip);
    if (nunc) {
      report_note(O_HOST, "form %s: %d of %d instances not covered by the model (first: %s)",
                  f->name, nunc, r->opt.states, why);
      uncovered++;
      r->t[O_HOST].uncovered++;
    }
  }
  host_end(&h);
  report_note(O_HOST, "%d forms not covered by the model", uncovered);
  return 0;
}

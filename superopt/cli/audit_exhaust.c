/* Re-running an exhaustion proof on Unicorn (an emulator that shares no
 * code with the instruction model): each input the proof enumerated runs
 * through the original and the candidate bytes, and the live-out parts must
 * agree.  Which flags are undefined after a sequence comes from the model's
 * effect sets (those flags are not compared, as in the proof). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicorn/unicorn.h>
#include "cli/audit.h"
#include "isa/isa.h"
#include "program/snippet.h"

#define CODE_AT 0x1000u
#define MEM_SIZE (2u << 20)

typedef struct {
  uint32_t addr[256];
  uint8_t val[256];
  int n;
  int intno;          /* -1: none */
} run_log;

static void on_write(uc_engine *uc, uc_mem_type type, uint64_t address, int size, int64_t value,
                     void *user) {
  (void)uc;
  (void)type;
  run_log *lg = user;
  for (int i = 0; i < size; i++) {
    uint32_t a = (uint32_t)address + (uint32_t)i;
    uint8_t v = (uint8_t)((uint64_t)value >> (8 * i));
    int k = 0;
    while (k < lg->n && lg->addr[k] != a) k++;
    if (k == lg->n) {
      if (lg->n == 256) continue;
      lg->addr[lg->n++] = a;
    }
    lg->val[k] = v;
  }
}

static void on_intr(uc_engine *uc, uint32_t intno, void *user) {
  run_log *lg = user;
  if (lg->intno < 0) lg->intno = (int)intno;
  uc_emu_stop(uc);
}

static const int ureg[8] = {UC_X86_REG_EAX, UC_X86_REG_ECX, UC_X86_REG_EDX, UC_X86_REG_EBX,
                            UC_X86_REG_ESP, UC_X86_REG_EBP, UC_X86_REG_ESI, UC_X86_REG_EDI};
static const int useg[6] = {UC_X86_REG_ES, UC_X86_REG_CS, UC_X86_REG_SS, UC_X86_REG_DS,
                            UC_X86_REG_FS, UC_X86_REG_GS};

static int parse_hex(const char *hex, uint8_t *out, int max) {
  int n = 0;
  for (const char *s = hex; s[0] && s[1] && n < max; s += 2) {
    char two[3] = {s[0], s[1], 0};
    out[n++] = (uint8_t)strtoul(two, NULL, 16);
  }
  return n;
}

/* flags left undefined by a byte sequence, per the model */
static uint32_t undefined_after(const uint8_t *b, int n, bool *ok) {
  locset u = 0;
  int off = 0;
  *ok = true;
  while (off < n) {
    insn in;
    int l = isa_decode(b + off, (size_t)(n - off), &in, NULL, 0);
    if (l <= 0) {
      *ok = false;
      return 0;
    }
    isa_effects ef;
    isa_effects_of(&in, &ef);
    u = (u & ~ef.writes) | ef.undef;
    off += l;
  }
  uint32_t f = 0;
  if (u & LOC_CF) f |= F_CF;
  if (u & LOC_PF) f |= F_PF;
  if (u & LOC_AF) f |= F_AF;
  if (u & LOC_ZF) f |= F_ZF;
  if (u & LOC_SF) f |= F_SF;
  if (u & LOC_OF) f |= F_OF;
  return f;
}

typedef struct {
  uint32_t r[8];
  uint16_t s[6];
  uint32_t flags;
} cpu;

static bool run_once(uc_engine *uc, const uint8_t *code, int n, const cpu *in, cpu *out,
                     run_log *lg) {
  lg->n = 0;
  lg->intno = -1;
  uc_mem_write(uc, CODE_AT, code, (size_t)n);
  for (int r = 0; r < 8; r++) uc_reg_write(uc, ureg[r], &in->r[r]);
  for (int s = 0; s < 6; s++) {
    uint32_t v = s == 1 ? 0 : in->s[s];
    uc_reg_write(uc, useg[s], &v);
  }
  uint32_t fl = (in->flags & (F_STATUS | F_DF)) | 2;
  uc_reg_write(uc, UC_X86_REG_EFLAGS, &fl);
  uc_err e = uc_emu_start(uc, CODE_AT, CODE_AT + (uint64_t)n, 0, 1000);
  if (e != UC_ERR_OK && lg->intno < 0) lg->intno = 1000 + (int)e;
  for (int r = 0; r < 8; r++) uc_reg_read(uc, ureg[r], &out->r[r]);
  for (int s = 0; s < 6; s++) {
    uint32_t v = 0;
    uc_reg_read(uc, useg[s], &v);
    out->s[s] = (uint16_t)v;
  }
  uc_reg_read(uc, UC_X86_REG_EFLAGS, &out->flags);
  /* undo the writes so the next run starts from the same memory */
  for (int k = 0; k < lg->n; k++) {
    uint8_t zero = 0;
    uc_mem_write(uc, lg->addr[k], &zero, 1);
  }
  return true;
}

static bool parse_input(const char *name, locset *l) {
  const char *dot = strstr(name, ".hi16");
  if (dot) {
    for (int r = 0; r < 8; r++)
      if ((size_t)(dot - name) == 3 && !strncmp(name, isa_reg_name(4, r), 3)) {
        *l = LOC_UP(r);
        return true;
      }
    return false;
  }
  return isa_loc_parse(name, l);
}

static void put(cpu *c, locset l, uint32_t v) {
  for (int r = 0; r < 8; r++) {
    if (l == LOC_LO(r)) c->r[r] = (c->r[r] & ~0xffu) | (v & 0xff);
    if (l == LOC_HI(r)) c->r[r] = (c->r[r] & ~0xff00u) | ((v & 0xff) << 8);
    if (l == LOC_UP(r)) c->r[r] = (c->r[r] & 0xffffu) | (v << 16);
    if (l == LOC_R16(r)) c->r[r] = (c->r[r] & ~0xffffu) | (v & 0xffff);
    if (l == LOC_R32(r)) c->r[r] = v;
  }
  for (int s = 0; s < 6; s++)
    if (l == LOC_SEG(s)) c->s[s] = (uint16_t)v;
  static const struct { locset l; uint32_t f; } fl[] = {
    {LOC_CF, F_CF}, {LOC_PF, F_PF}, {LOC_AF, F_AF}, {LOC_ZF, F_ZF}, {LOC_SF, F_SF},
    {LOC_OF, F_OF}, {LOC_DF, F_DF}};
  for (size_t k = 0; k < sizeof fl / sizeof *fl; k++)
    if (l == fl[k].l) c->flags = v & 1 ? c->flags | fl[k].f : c->flags & ~fl[k].f;
}

static bool differ(const cpu *a, const cpu *b, locset live, uint32_t undef_a, uint32_t undef_b,
                   char *what, size_t wn) {
  for (int r = 0; r < 8; r++) {
    uint32_t m = 0;
    if (live & LOC_LO(r)) m |= 0xff;
    if (live & LOC_HI(r)) m |= 0xff00;
    if (live & LOC_UP(r)) m |= 0xffff0000u;
    if ((a->r[r] ^ b->r[r]) & m) {
      snprintf(what, wn, "register %d: %08x vs %08x", r, a->r[r], b->r[r]);
      return true;
    }
  }
  for (int s = 0; s < 6; s++)
    if ((live & LOC_SEG(s)) && a->s[s] != b->s[s]) {
      snprintf(what, wn, "segment %d", s);
      return true;
    }
  static const struct { locset l; uint32_t f; } fl[] = {
    {LOC_CF, F_CF}, {LOC_PF, F_PF}, {LOC_AF, F_AF}, {LOC_ZF, F_ZF}, {LOC_SF, F_SF},
    {LOC_OF, F_OF}, {LOC_DF, F_DF}};
  for (size_t k = 0; k < sizeof fl / sizeof *fl; k++) {
    if (!(live & fl[k].l) || (undef_a & fl[k].f)) continue;
    if ((undef_b & fl[k].f) || ((a->flags ^ b->flags) & fl[k].f)) {
      snprintf(what, wn, "flag %x", fl[k].f);
      return true;
    }
  }
  return false;
}

static bool mem_differ(const run_log *a, const run_log *b, uint64_t seed) {
  for (int k = 0; k < a->n; k++) {
    int j = 0;
    while (j < b->n && b->addr[j] != a->addr[k]) j++;
    uint8_t vb = j < b->n ? b->val[j] : isa_mem_initial(seed, a->addr[k]);
    if (vb != a->val[k]) return true;
  }
  for (int j = 0; j < b->n; j++) {
    int k = 0;
    while (k < a->n && a->addr[k] != b->addr[j]) k++;
    if (k == a->n && b->val[j] != isa_mem_initial(seed, b->addr[j])) return true;
  }
  return false;
}

bool audit_exhaust_unicorn(const proof_header_t *h, unsigned long long limit, bool *sampled,
                           unsigned long long *ran, char *why, size_t whyn) {
  *sampled = false;
  *ran = 0;
  uint8_t ob[256], cb[256];
  int on = parse_hex(h->obytes, ob, sizeof ob), cn = parse_hex(h->cbytes, cb, sizeof cb);
  bool ok1, ok2;
  uint32_t ua = undefined_after(ob, on, &ok1), ub = undefined_after(cb, cn, &ok2);
  if (!ok1 || !ok2) {
    snprintf(why, whyn, "the model no longer decodes the proof's bytes");
    return false;
  }
  if (strstr(h->otext, "cs") || strstr(h->ctext, "cs")) {
    snprintf(why, whyn, "cannot re-run on Unicorn: the sequence names cs");
    return false;
  }
  locset live = 0;
  char lbuf[256];
  snprintf(lbuf, sizeof lbuf, "%s", h->live);
  for (char *t = strtok(lbuf, " "); t; t = strtok(NULL, " ")) {
    locset l;
    if (!isa_loc_parse(t, &l)) {
      snprintf(why, whyn, "live-out name '%s' not understood", t);
      return false;
    }
    live |= l;
  }
  snippet s;
  memset(&s, 0, sizeof s);
  char abuf[512];
  snprintf(abuf, sizeof abuf, "%s", h->assume);
  if (strcmp(abuf, "(none)"))
    for (char *t = strtok(abuf, " "); t && s.nassume < SNIPPET_MAX_ASSUME; t = strtok(NULL, " ")) {
      char *op = strpbrk(t, "=<");
      if (!op) continue;
      char kind = *op;
      *op = 0;
      locset l;
      if (!isa_loc_parse(t, &l)) {
        snprintf(why, whyn, "assumption '%s' not understood", t);
        return false;
      }
      s.assume[s.nassume].kind = kind == '=' ? ASSUME_EQ : ASSUME_LT;
      s.assume[s.nassume].loc = l;
      s.assume[s.nassume].value = (uint32_t)strtoul(op + 1, NULL, 0);
      s.nassume++;
    }
  locset in_loc[40];
  int in_w[40], nin = 0, bits = 0;
  char ibuf[512];
  snprintf(ibuf, sizeof ibuf, "%s", h->inputs);
  for (char *t = strtok(ibuf, " "); t && nin < 40; t = strtok(NULL, " ")) {
    char *colon = strchr(t, ':');
    if (!colon) continue;
    *colon = 0;
    if (!parse_input(t, &in_loc[nin])) {
      snprintf(why, whyn, "input '%s' not understood", t);
      return false;
    }
    in_w[nin] = atoi(colon + 1);
    bits += in_w[nin++];
  }
  if (bits != h->bits || bits > 32) {
    snprintf(why, whyn, "inputs add up to %d bits, header says %d", bits, h->bits);
    return false;
  }
  uint64_t seed = h->mem_seed;
  uc_engine *uc;
  if (uc_open(UC_ARCH_X86, UC_MODE_16, &uc) != UC_ERR_OK) {
    snprintf(why, whyn, "unicorn cannot open 16-bit x86");
    return false;
  }
  uc_mem_map(uc, 0, MEM_SIZE, UC_PROT_ALL);
  run_log la, lb;
  uc_hook hw, hi;
  run_log shared;
  uc_hook_add(uc, &hw, UC_HOOK_MEM_WRITE, (void *)on_write, &shared, 1, 0);
  uc_hook_add(uc, &hi, UC_HOOK_INTR, (void *)on_intr, &shared, 1, 0);
  unsigned long long total = 1ull << bits, step = 1;
  if (total > limit) {
    step = (total + limit - 1) / limit;
    *sampled = true;
  }
  bool ok = true;
  cpu base;
  memcpy(base.r, h->base_r, sizeof base.r);
  memcpy(base.s, h->base_s, sizeof base.s);
  base.flags = h->base_flags;
  for (unsigned long long x = 0; x < total && ok; x += step) {
    cpu c = base;
    unsigned long long rest = x;
    for (int i = 0; i < nin; i++) {
      put(&c, in_loc[i], (uint32_t)(rest & ((1ull << in_w[i]) - 1)));
      rest >>= in_w[i];
    }
    isa_state st;
    memset(&st, 0, sizeof st);
    memcpy(st.r, c.r, sizeof st.r);
    for (int k = 0; k < 6; k++) st.s[k] = c.s[k];
    st.flags = c.flags;
    if (!snippet_assumptions_hold(&s, &st)) continue;
    cpu a, b;
    run_once(uc, ob, on, &c, &a, &shared);
    la = shared;
    run_once(uc, cb, cn, &c, &b, &shared);
    lb = shared;
    (*ran)++;
    char what[96];
    if (la.intno != lb.intno) {
      snprintf(why, whyn, "input %llu: original %s, candidate %s", x,
               la.intno < 0 ? "runs" : "faults", lb.intno < 0 ? "runs" : "faults");
      ok = false;
    } else if (la.intno < 0 && differ(&a, &b, live, ua, ub, what, sizeof what)) {
      snprintf(why, whyn, "input %llu: %s", x, what);
      ok = false;
    } else if (la.intno < 0 && (live & LOC_MEM) && mem_differ(&la, &lb, seed)) {
      snprintf(why, whyn, "input %llu: memory written differs", x);
      ok = false;
    }
  }
  uc_close(uc);
  return ok;
}

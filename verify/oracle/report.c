#include "oracle.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *const oracle_names[O_COUNT] = {
  "80286-replay", "host-cpu", "unicorn", "z3-vs-eval", "nasm-encode", "capstone-decode"
};

void report_mismatch(oracle_run *r, int oracle, const char *form, const char *fmt, ...) {
  r->t[oracle].mismatches++;
  char msg[2048];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  repro_write(r, oracle, form, msg);
  if (r->printed[oracle] >= r->opt.print_limit) return;
  r->printed[oracle]++;
  fprintf(stdout, "MISMATCH %s [%s]: %s\n", oracle_names[oracle], form, msg);
  fflush(stdout);
}

void report_note(int oracle, const char *fmt, ...) {
  fprintf(stdout, "  %s: ", oracle_names[oracle]);
  va_list ap;
  va_start(ap, fmt);
  vfprintf(stdout, fmt, ap);
  va_end(ap);
  fputc('\n', stdout);
}

bool run_should_stop(const oracle_run *r) {
  if (!r->opt.stop_first) return false;
  for (int i = 0; i < O_COUNT; i++)
    if (r->t[i].mismatches) return true;
  return false;
}

bool form_selected(const oracle_run *r, const char *name) {
  return !r->opt.only_form || strstr(name, r->opt.only_form);
}


/* With the model's outcome as the reference, the search's comparison must
 * accept what the machine did: it may compare nothing the model leaves
 * undefined (the registers and flags already agree where it defines them). */
static bool comparison_accepts(const isa_state *m, const observed *ob, unsigned reg_mask,
                               unsigned seg_mask) {
  isa_state o = *m;
  locset live = LOC_FLAGS;
  for (int i = 0; i < 8; i++)
    if (reg_mask >> i & 1) {
      o.r[i] = ob->r[i];
      live |= LOC_R32(i);
    }
  for (int i = 0; i < 6; i++)
    if (seg_mask >> i & 1) {
      o.s[i] = ob->s[i];
      live |= LOC_SEG(i);
    }
  o.flags = (m->flags & ~F_MODELLED) | (ob->flags & F_MODELLED);
  o.undef = 0;
  return isa_state_equal(m, &o, live);
}

bool compare_regs(const isa_state *m, const observed *ob, unsigned reg_mask,
                  unsigned seg_mask, const sdm_undef *manual, char *msg, size_t n) {
  size_t k = 0;
  msg[0] = 0;
#define OUT(...) do { if (k < n) k += (size_t)snprintf(msg + k, n - k, __VA_ARGS__); } while (0)
  if (m->fault != ob->fault) {
    OUT("fault model=%u oracle=%u ", m->fault, ob->fault);
    return false;
  }
  if (m->fault) return true;
  for (int i = 0; i < 8; i++)
    if ((reg_mask >> i & 1) && m->r[i] != ob->r[i])
      OUT("%s model=%08x oracle=%08x ", isa_reg_name(4, i), m->r[i], ob->r[i]);
  for (int i = 0; i < 6; i++)
    if ((seg_mask >> i & 1) && m->s[i] != ob->s[i])
      OUT("%s model=%04x oracle=%04x ", isa_sreg_name(i), m->s[i], ob->s[i]);
  compare_flags(m, ob->flags, manual, "oracle", msg, n, &k);
  if (m->poisoned) OUT("model poisoned ");
  if (k == 0 && !comparison_accepts(m, ob, reg_mask, seg_mask))
    OUT("the outcome comparison (isa_state_equal) rejects the observed outcome ");
#undef OUT
  return msg[0] == 0;
}

void compare_flags(const isa_state *m, uint32_t obf, const sdm_undef *manual, const char *who,
                   char *msg, size_t n, size_t *kp) {
  size_t k = *kp;
#define OUT(...) do { if (k < n) k += (size_t)snprintf(msg + k, n - k, __VA_ARGS__); } while (0)
  uint32_t undef = manual->flags & F_MODELLED, cmp = F_MODELLED & ~undef;
  uint32_t diff = (m->flags ^ obf) & cmp & ~m->undef;
  if (diff) OUT("flags(compared %03x) model=%03x %s=%03x differ %03x ", cmp, m->flags & F_MODELLED, who,
                obf & F_MODELLED, diff);
  if (m->undef & cmp) OUT("model leaves flags %03x undefined that the manual defines ", m->undef & cmp);
  if (undef & ~m->undef)
    OUT("model defines flags %03x that the manual leaves undefined (%s) ", undef & ~m->undef,
        manual->cite ? manual->cite : "?");
#undef OUT
  *kp = k;
}

void skip_add(skip_count *s, const sdm_undef *u) {
  if (u->dest) { s->dest++; return; }
  for (int i = 0; i < 6; i++) if (u->flags & isa_flag_bit[i]) s->flag[i]++;   /* FL_CF..FL_OF */
}

void report_skipped(oracle_run *r, int oracle, const char *form, const skip_count *s) {
  uint64_t total = s->dest;
  for (int i = 0; i < 6; i++) total += s->flag[i];
  r->t[oracle].skipped += total;
  if (!total) return;
  report_note(oracle, "form %s: skipped as undefined (manual): cf %llu pf %llu af %llu zf %llu sf %llu "
              "of %llu, whole result %llu", form, (unsigned long long)s->flag[0],
              (unsigned long long)s->flag[1], (unsigned long long)s->flag[2], (unsigned long long)s->flag[3],
              (unsigned long long)s->flag[4], (unsigned long long)s->flag[5], (unsigned long long)s->dest);
}

void hexstr(const uint8_t *b, int n, char *out, size_t outn) {
  size_t k = 0;
  out[0] = 0;
  for (int i = 0; i < n && k + 3 < outn; i++) k += (size_t)snprintf(out + k, outn - k, "%02x", b[i]);
}

int hex_to_bytes(const char *s, uint8_t *out, int max) {
  int n = 0;
  while (s[0] && s[1] && n < max) {
    unsigned v;
    if (sscanf(s, "%2x", &v) != 1) return -1;
    out[n++] = (uint8_t)v;
    s += 2;
  }
  return s[0] ? -1 : n;
}

void state_str(const isa_state *st, char *out, size_t n) {
  snprintf(out, n,
           "eax=%08x ecx=%08x edx=%08x ebx=%08x esp=%08x ebp=%08x esi=%08x edi=%08x "
           "es=%04x cs=%04x ss=%04x ds=%04x fs=%04x gs=%04x flags=%03x",
           st->r[0], st->r[1], st->r[2], st->r[3], st->r[4], st->r[5], st->r[6], st->r[7],
           st->s[0], st->s[1], st->s[2], st->s[3], st->s[4], st->s[5], st->flags);
}

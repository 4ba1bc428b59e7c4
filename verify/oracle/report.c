#include "oracle.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *const oracle_names[O_COUNT] = {
  "80286-replay", "host-cpu", "unicorn", "z3-vs-eval", "nasm-encode", "capstone-decode"
};

void report_mismatch(oracle_run *r, int oracle, const char *form, const char *fmt, ...) {
  r->t[oracle].mismatches++;
  if (r->printed[oracle] >= r->opt.print_limit) return;
  r->printed[oracle]++;
  fprintf(stdout, "MISMATCH %s [%s]: ", oracle_names[oracle], form);
  va_list ap;
  va_start(ap, fmt);
  vfprintf(stdout, fmt, ap);
  va_end(ap);
  fputc('\n', stdout);
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


bool compare_regs(const isa_state *m, const observed *ob, unsigned reg_mask,
                  unsigned seg_mask, char *msg, size_t n) {
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
  uint32_t defined = F_MODELLED & ~m->undef;
  uint32_t diff = (m->flags ^ ob->flags) & defined;
  if (diff) OUT("flags(defined %03x) model=%03x oracle=%03x differ %03x ", defined,
                m->flags & F_MODELLED, ob->flags & F_MODELLED, diff);
  if (m->poisoned) OUT("model poisoned ");
#undef OUT
  return msg[0] == 0;
}

void hexstr(const uint8_t *b, int n, char *out, size_t outn) {
  size_t k = 0;
  out[0] = 0;
  for (int i = 0; i < n && k + 3 < outn; i++) k += (size_t)snprintf(out + k, outn - k, "%02x", b[i]);
}

void state_str(const isa_state *st, char *out, size_t n) {
  snprintf(out, n,
           "eax=%08x ecx=%08x edx=%08x ebx=%08x esp=%08x ebp=%08x esi=%08x edi=%08x "
           "es=%04x cs=%04x ss=%04x ds=%04x fs=%04x gs=%04x flags=%03x",
           st->r[0], st->r[1], st->r[2], st->r[3], st->r[4], st->r[5], st->r[6], st->r[7],
           st->s[0], st->s[1], st->s[2], st->s[3], st->s[4], st->s[5], st->flags);
}

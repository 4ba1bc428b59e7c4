#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include "run.h"

size_t run_bytes(const char *hex, uint8_t *b, size_t max) {
  size_t n = 0;
  for (const char *p = hex; *p;) {
    if (*p == ' ') { p++; continue; }
    cr_assert(n < max, "'%s' is longer than %zu bytes", hex, max);
    char t[3] = {p[0], p[1], 0};
    b[n++] = (uint8_t)strtoul(t, NULL, 16);
    p += 2;
  }
  return n;
}

int run_decode(const char *hex, insn *seq, int max) {
  uint8_t b[256];
  size_t n = run_bytes(hex, b, sizeof b);
  int k = 0;
  for (size_t pos = 0; pos < n; k++) {
    char err[160];
    cr_assert(k < max);
    int len = isa_decode(b + pos, n - pos, &seq[k], err, sizeof err);
    cr_assert(len > 0, "'%s' offset %zu: %s", hex, pos, err);
    pos += (size_t)len;
  }
  return k;
}

void run_hex(isa_state *st, const char *hex) {
  insn seq[32];
  int n = run_decode(hex, seq, 32);
  isa_exec_seq(st, seq, n);
}

/* Location names, the one table of them: registers, segment registers,
 * flags, conditions; parsing "ax", "cf", "mem"... and printing locsets. */
#include <stdio.h>
#include <string.h>
#include "isa/isa.h"

static const char *const r32[8] = {"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"};
static const char *const r16[8] = {"ax", "cx", "dx", "bx", "sp", "bp", "si", "di"};
static const char *const r8[8] = {"al", "cl", "dl", "bl", "ah", "ch", "dh", "bh"};
static const char *const sregs[6] = {"es", "cs", "ss", "ds", "fs", "gs"};
static const char *const ccs[16] = {"o", "no", "b", "ae", "e", "ne", "be", "a",
                                    "s", "ns", "p", "np", "l", "ge", "le", "g"};

const char *isa_reg_name(int size, int n) {
  n &= 7;
  return size == 1 ? r8[n] : size == 2 ? r16[n] : r32[n];
}
const char *isa_sreg_name(int s) { return s >= 0 && s < 6 ? sregs[s] : "?"; }
const char *isa_cc_name(int cc) { return ccs[cc & 15]; }
static const char *const flag_names[FL_COUNT] = {"cf", "pf", "af", "zf", "sf", "of", "df"};
const uint32_t isa_flag_bit[FL_COUNT] = {F_CF, F_PF, F_AF, F_ZF, F_SF, F_OF, F_DF};
const locset isa_flag_loc[FL_COUNT] = {LOC_CF, LOC_PF, LOC_AF, LOC_ZF, LOC_SF, LOC_OF, LOC_DF};

const char *isa_flag_name(int fl) { return fl >= 0 && fl < FL_COUNT ? flag_names[fl] : "?"; }

bool isa_loc_parse(const char *name, locset *out) {
  for (int i = 0; i < 8; i++) {
    if (!strcmp(name, r32[i])) { *out = LOC_R32(i); return true; }
    if (!strcmp(name, r16[i])) { *out = LOC_R16(i); return true; }
    if (!strcmp(name, r8[i])) { *out = LOC_R8(i); return true; }
  }
  for (int i = 0; i < 6; i++)
    if (!strcmp(name, sregs[i])) { *out = LOC_SEG(i); return true; }
  for (int i = 0; i < FL_COUNT; i++)
    if (!strcmp(name, flag_names[i])) { *out = isa_flag_loc[i]; return true; }
  if (!strcmp(name, "mem")) { *out = LOC_MEM; return true; }
  if (!strcmp(name, "flags")) { *out = LOC_FLAGS; return true; }
  if (!strcmp(name, "br")) { *out = LOC_BR; return true; }
  if (!strcmp(name, "ip")) { *out = LOC_IP; return true; }
  return false;
}

static void put(char *buf, size_t n, size_t *len, const char *word) {
  int k = snprintf(buf + (*len < n ? *len : n), *len < n ? n - *len : 0,
                   "%s%s", *len ? " " : "", word);
  if (k > 0) *len += (size_t)k;
}

int isa_loc_print(locset s, char *buf, size_t n) {
  size_t len = 0;
  if (n) buf[0] = 0;
  for (int r = 0; r < 8; r++) {
    if ((s & LOC_R32(r)) == LOC_R32(r)) { put(buf, n, &len, r32[r]); continue; }
    if ((s & LOC_R16(r)) == LOC_R16(r)) put(buf, n, &len, r16[r]);
    else {
      if (r < 4 && (s & LOC_LO(r))) put(buf, n, &len, r8[r]);
      if (r < 4 && (s & LOC_HI(r))) put(buf, n, &len, r8[r + 4]);
      if (r >= 4 && (s & LOC_LO(r))) {   /* sp bp si di have no 8-bit names */
        char t[16];
        snprintf(t, sizeof t, "%s.lo", r16[r]);
        put(buf, n, &len, t);
      }
      if (r >= 4 && (s & LOC_HI(r))) {
        char t[16];
        snprintf(t, sizeof t, "%s.hi", r16[r]);
        put(buf, n, &len, t);
      }
    }
    if (s & LOC_UP(r)) {
      char t[16];
      snprintf(t, sizeof t, "%s.up", r32[r]);
      put(buf, n, &len, t);
    }
  }
  for (int i = 0; i < 6; i++)
    if (s & LOC_SEG(i)) put(buf, n, &len, sregs[i]);
  for (int i = 0; i < FL_COUNT; i++)
    if (s & isa_flag_loc[i]) put(buf, n, &len, flag_names[i]);
  if (s & LOC_MEM) put(buf, n, &len, "mem");
  if (s & LOC_BR) put(buf, n, &len, "br");
  if (s & LOC_IP) put(buf, n, &len, "ip");
  return (int)len;
}

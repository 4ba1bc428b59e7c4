#include "prove/exhaust.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "prove/proof_file.h"
#include "isa/isa.h"

/* The free inputs: each register part, segment or flag either sequence
 * reads, minus those an equality assumption pins. */
typedef struct {
  locset loc[40];
  int width[40];
  int n, bits;
} inputs;

static bool free_inputs(const snippet *s, const insn *cand, int n, inputs *in) {
  /* what each sequence reads before it must have written it (a location
     both sequences overwrite first is not an input; a may-write, such as a
     flag a shift by cl may keep, does not hide a later read) */
  locset reads = 0;
  for (int k = 0; k < 2; k++) {
    const insn *seq = k ? cand : s->code;
    int len = k ? n : s->n;
    locset written = 0;
    for (int i = 0; i < len; i++) {
      isa_effects e;
      isa_effects_of(&seq[i], &e);
      reads |= e.reads & ~written;
      written |= e.must_writes;
    }
  }
  if (reads & LOC_MEM) return false;
  for (int i = 0; i < s->nassume; i++)
    if (s->assume[i].kind == ASSUME_EQ) reads &= ~s->assume[i].loc;
  memset(in, 0, sizeof *in);
  for (int b = 0; b < 38; b++) {
    locset l = 1ull << b;
    if (!(reads & l)) continue;
    int w;
    if (l & LOC_ALLREGS) w = (b % 3 == 2) ? 16 : 8;
    else if (l & LOC_ALLSEGS) w = 16;
    else w = 1;
    in->loc[in->n] = l;
    in->width[in->n++] = w;
    in->bits += w;
  }
  return in->bits <= EXHAUST_MAX_BITS;
}

/* A fixed base state for the inputs that are not enumerated. */
static void base_state(const snippet *s, isa_state *st) {
  memset(st, 0, sizeof *st);
  for (int r = 0; r < 8; r++) st->r[r] = 0x12345678u * (uint32_t)(r + 1);
  for (int i = 0; i < 6; i++) st->s[i] = (uint16_t)(0x1000 * (i + 1));
  st->mem_seed = 0x5ec7023ull;
  for (int i = 0; i < s->nassume; i++)
    if (s->assume[i].kind == ASSUME_EQ) isa_loc_set(st, s->assume[i].loc, s->assume[i].value);
}

exh_verdict exhaust_check(const snippet *s, const insn *cand, int n, uint64_t *count,
                          isa_state *cex) {
  inputs in;
  *count = 0;
  /* a label's address, and the return address a closing call pushes, are
     inputs the enumeration does not cover */
  if (s->nsym > 0 || s->tail_transfer || !free_inputs(s, cand, n, &in)) return EXH_NOT_ELIGIBLE;
  isa_state base;
  base_state(s, &base);
  uint64_t total = 1ull << in.bits;
  for (uint64_t x = 0; x < total; x++) {
    isa_state a = base;
    uint64_t rest = x;
    for (int i = 0; i < in.n; i++) {
      isa_loc_set(&a, in.loc[i], (uint32_t)(rest & ((1ull << in.width[i]) - 1)));
      rest >>= in.width[i];
    }
    if (!snippet_assumptions_hold(s, &a)) continue;
    isa_state init = a, b = a;
    isa_exec_seq(&a, s->code, s->n);
    isa_exec_seq(&b, cand, n);
    (*count)++;
    if (!isa_state_equal(&a, &b, s->live_out)) {
      *cex = init;
      return EXH_DIFFER;
    }
  }
  return EXH_EQUAL;
}

bool exhaust_write(const char *dir, const snippet *s, const insn *cand, int n, uint64_t count,
                   char *path, size_t pathn, char *why, size_t whyn) {
  inputs in;
  if (!free_inputs(s, cand, n, &in)) {
    snprintf(why, whyn, "not eligible for exhaustion");
    return false;
  }
  char tmp[600];
  FILE *f = proof_file_begin(dir, s, cand, n, "exh", "exhaustive", path, pathn, tmp, sizeof tmp,
                             why, whyn);
  if (!f) return false;
  isa_state base;
  base_state(s, &base);
  fprintf(f, "; format: sectoropt-exhaustion 1\n");
  fprintf(f, "; base: eax=%08x ecx=%08x edx=%08x ebx=%08x esp=%08x ebp=%08x esi=%08x edi=%08x\n",
          base.r[0], base.r[1], base.r[2], base.r[3], base.r[4], base.r[5], base.r[6], base.r[7]);
  fprintf(f, "; base-segments: es=%04x cs=%04x ss=%04x ds=%04x fs=%04x gs=%04x flags=%08x\n", base.s[0],
          base.s[1], base.s[2], base.s[3], base.s[4], base.s[5], base.flags);
  fprintf(f, "; base-mem-seed: 0x%llx (isa_mem_initial; the sequences read no memory)\n",
          (unsigned long long)base.mem_seed);
  fprintf(f, "; input-bits: %d\n; inputs:", in.bits);
  for (int i = 0; i < in.n; i++) {
    char name[32];
    locset l = in.loc[i];
    int r = -1;
    for (int k = 0; k < 8; k++)
      if (l == LOC_UP(k)) r = k;
    if (r >= 0) snprintf(name, sizeof name, "%s.hi16", isa_reg_name(4, r));
    else isa_loc_print(l, name, sizeof name);
    fprintf(f, " %s:%d", name, in.width[i]);
  }
  fprintf(f, "\n; evaluated: %llu\n; of: %llu\n; result: all-equal\n",
          (unsigned long long)count, 1ull << in.bits);
  if (fclose(f) != 0 || rename(tmp, path) != 0) {
    snprintf(why, whyn, "cannot write %s", path);
    unlink(tmp);
    return false;
  }
  return true;
}

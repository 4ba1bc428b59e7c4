/* The model's undefined outputs against the manual's table
 * (verify/oracle/sdm_undef.c, written from the SDM, not from isa_sem.def).
 *
 * Statically, the effects instantiation must name as "may be undefined"
 * exactly the flags the table may leave undefined, for every operation,
 * every operand size and kind, and every immediate count; on concrete states
 * the evaluator must leave undefined exactly what the table says for that
 * state, and poison exactly where the table calls the destination
 * undefined. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include "isa/isa.h"
#include "isa/isa_sem.h"
#include "run.h"
#include "sample.h"
#include "sdm_undef.h"

static uint32_t flags_of(locset l) {
  uint32_t f = 0;
  for (int i = 0; i < FL_COUNT; i++)
    if (l & isa_flag_loc[i]) f |= isa_flag_bit[i];
  return f;
}

static void flag_names(uint32_t f, char *out, size_t n) {
  static const struct { uint32_t bit; const char *name; } nm[] = {
    { F_CF, "cf" }, { F_PF, "pf" }, { F_AF, "af" }, { F_ZF, "zf" }, { F_SF, "sf" }, { F_OF, "of" },
    { F_DF, "df" } };
  size_t k = 0;
  out[0] = 0;
  for (size_t i = 0; i < sizeof nm / sizeof nm[0]; i++)
    if (f & nm[i].bit) k += (size_t)snprintf(out + k, n - k, "%s%s", k ? " " : "", nm[i].name);
  if (!k) snprintf(out, n, "none");
}

static int static_mismatches;

/* Effects versus table for one instruction; returns false on a difference. */
static bool check_static(const insn *in) {
  isa_effects e;
  isa_effects_of(in, &e);
  uint32_t model = flags_of(e.undef) & F_STATUS;
  sdm_undef t = sdm_undef_may(in);
  if (model == t.flags) return true;
  char text[96] = "?", m[64], w[64];
  isa_print(in, text, sizeof text);
  flag_names(model, m, sizeof m);
  flag_names(t.flags, w, sizeof w);
  if (static_mismatches++ < 20)
    cr_log_error("%s (size %d): model may leave [%s] undefined, the manual [%s] (%s)", text,
                 in->size, m, w, t.cite ? t.cite : "no rule: everything defined");
  return false;
}

Test(sdm_undef, effects_match_the_manual_for_sampled_forms_of_every_operation) {
  static insn s[400];
  sample_rng r = { 0x5d3 };
  int checked = 0;
  static_mismatches = 0;
  for (int op = 0; op < OP_COUNT; op++) {
    int n = sample_op((isa_op)op, &r, s, 400);
    for (int i = 0; i < n; i++, checked++) check_static(&s[i]);
  }
  cr_assert_gt(checked, 1000, "only %d instructions sampled", checked);
  cr_expect_eq(static_mismatches, 0, "%d of %d instructions differ from the manual", static_mismatches,
               checked);
}

/* Every shift, rotate and double shift, every size, register and memory
 * destination, by 1, by cl and by every immediate count 0..31 (and 32..40,
 * which mask to 0..8). */
Test(sdm_undef, effects_match_the_manual_for_every_shift_count_and_size) {
  static const struct { uint8_t op, ext; } grp[] = {
    { OP_ROL, 0 }, { OP_ROR, 1 }, { OP_RCL, 2 }, { OP_RCR, 3 }, { OP_SHL, 4 }, { OP_SHR, 5 }, { OP_SAR, 7 } };
  static_mismatches = 0;
  int checked = 0;
  for (int sz = 0; sz < 3; sz++) {
    for (int mem = 0; mem < 2; mem++) {
      uint8_t modrm_base = mem ? 0x07 : 0xc3;     /* [bx] or bl/bx/ebx */
      for (size_t g = 0; g < sizeof grp / sizeof grp[0]; g++) {
        uint8_t modrm = (uint8_t)(modrm_base | grp[g].ext << 3);
        for (int form = 0; form < 43; form++) {   /* 0..40 immediate, 41 by 1, 42 by cl */
          uint8_t b[8];
          size_t k = 0;
          if (sz == 2) b[k++] = 0x66;
          uint8_t w = sz ? 1 : 0;
          if (form <= 40) { b[k++] = 0xc0 | w; b[k++] = modrm; b[k++] = (uint8_t)form; }
          else if (form == 41) { b[k++] = 0xd0 | w; b[k++] = modrm; }
          else { b[k++] = 0xd2 | w; b[k++] = modrm; }
          insn in;
          cr_assert_eq(isa_decode_lenient(b, k, &in, NULL, 0), (int)k);
          check_static(&in);
          checked++;
        }
      }
      for (int d = 0; d < 2 && sz; d++) {          /* shld, shrd: 16 and 32 bits */
        for (int form = 0; form < 34; form++) {    /* 0..32 immediate, 33 by cl */
          uint8_t b[8];
          size_t k = 0;
          if (sz == 2) b[k++] = 0x66;
          b[k++] = 0x0f;
          b[k++] = (uint8_t)((d ? 0xac : 0xa4) + (form == 33));
          b[k++] = (uint8_t)((mem ? 0x07 : 0xc3) | 2 << 3);   /* dx/edx source */
          if (form < 33) b[k++] = (uint8_t)form;
          insn in;
          cr_assert_eq(isa_decode_lenient(b, k, &in, NULL, 0), (int)k);
          check_static(&in);
          checked++;
        }
      }
    }
  }
  cr_expect_eq(static_mismatches, 0, "%d of %d shift forms differ from the manual", static_mismatches,
               checked);
}

/* The table's conditions on concrete states: the evaluator leaves undefined
 * exactly the flags the table names for that count or source, and poisons
 * exactly where the manual leaves the destination undefined. */
Test(sdm_undef, evaluator_matches_the_manual_on_concrete_states) {
  static insn s[200];
  sample_rng r = { 0x5d4 };
  int checked = 0, bad = 0;
  for (int op = 0; op < OP_COUNT; op++) {
    int n = sample_op((isa_op)op, &r, s, 200);
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < 20; k++) {
        isa_state st;
        sample_state(&r, &st);
        st.undef = 0;
        st.poisoned = 0;
        isa_state init = st;
        isa_exec(&st, &s[i]);
        if (st.fault) continue;
        checked++;
        sdm_undef t = sdm_undef_at(&s[i], &init);
        bool ok = t.dest ? st.poisoned : !st.poisoned && (st.undef & F_STATUS) == t.flags;
        if (ok) continue;
        if (bad++ < 20) {
          char text[96] = "?", m[64], w[64];
          isa_print(&s[i], text, sizeof text);
          flag_names(st.undef & F_STATUS, m, sizeof m);
          flag_names(t.flags, w, sizeof w);
          cr_log_error("%s from ecx=%08x: model undefined [%s]%s, manual [%s]%s", text, init.r[R_CX], m,
                       st.poisoned ? " poisoned" : "", w, t.dest ? " destination undefined" : "");
        }
      }
    }
  }
  cr_assert_gt(checked, 10000, "only %d executions", checked);
  cr_expect_eq(bad, 0, "%d of %d executions differ from the manual", bad, checked);
}

/* The table itself: the rules the issue that introduced it turned on. */
Test(sdm_undef, table_keeps_sar_cf_and_leaves_shl_cf_undefined_at_the_width) {
  insn in[2];
  cr_assert_eq(run_decode("c0 f8 08", in, 2), 1);       /* sar al, 8 */
  cr_expect_eq(sdm_undef_may(&in[0]).flags, F_OF | F_AF);
  cr_assert_eq(run_decode("c0 e0 08", in, 2), 1);       /* shl al, 8 */
  cr_expect_eq(sdm_undef_may(&in[0]).flags, F_CF | F_OF | F_AF);
  cr_assert_eq(run_decode("66 d3 e0", in, 2), 1);       /* shl eax, cl: count < 32 */
  cr_expect_eq(sdm_undef_may(&in[0]).flags, F_OF | F_AF);
  cr_assert_eq(run_decode("c0 c0 08", in, 2), 1);       /* rol al, 8: CF defined */
  cr_expect_eq(sdm_undef_may(&in[0]).flags, F_OF);
  cr_assert_eq(run_decode("0f ac d8 10", in, 2), 1);    /* shrd ax, bx, 16: defined */
  cr_expect(!sdm_undef_may(&in[0]).dest);
  cr_assert_eq(run_decode("0f ac d8 11", in, 2), 1);    /* shrd ax, bx, 17 */
  cr_expect(sdm_undef_may(&in[0]).dest);
  for (int i = 0; i < sdm_nrules; i++) cr_expect(sdm_rules[i].cite && !strncmp(sdm_rules[i].cite, "SDM ", 4));
}

/* Constant synthesis with Z3 (search/synth_cegis.c): the constants it
 * solves for, the loop that takes counterexamples back, and that nothing
 * reaches the caller's check without holding on every test state. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "program_text.h"
#include "program/snippet.h"
#include "prove/checker.h"
#include "prove/equiv.h"
#include "prove/proof_file.h"
#include "search/opt.h"
#include "search/pool.h"
#include "search/replay.h"
#include "search/synth.h"
#include "search/teststates.h"

/* snippet_from_text (tests/program/program_text.h), the test failing when
 * the text does not read */
static snippet *from_text(const char *text) {
  char err[256] = "";
  snippet *s = snippet_from_text(text, err, sizeof err);
  cr_assert(s, "%s", err);
  return s;
}

/* A check that proves with Z3 and takes replayed counterexamples into the
 * test states, as the search's survivor check does; it records what it
 * was handed. */
typedef struct {
  const snippet *s;
  teststates *ts;
  prover *pv;
  int calls, accepted, not_on_states;
  insn seen[64][2];
  int nseen[64];
  char accepted_text[160];
} checker;

static bool prove_check(void *vc, const insn *seq, int n) {
  checker *k = vc;
  if (k->calls < 64) {
    memcpy(k->seen[k->calls], seq, (size_t)n * sizeof *seq);
    k->nseen[k->calls] = n;
  }
  k->calls++;
  if (!teststates_all_equal(k->ts, seq, n, 0)) k->not_on_states++;
  if (!k->pv) return false;
  isa_state cex, init;
  char why[256];
  eq_verdict v = prover_check(k->pv, k->s, seq, n, &cex, why, sizeof why);
  if (v == EQ_REFUTED) {
    cr_assert(cex_replay(k->s, seq, n, &cex, &init, why, sizeof why), "%s", why);
    teststates_add(k->ts, &init);
    return false;
  }
  if (v != EQ_PROVEN) return false;
  k->accepted++;
  int off = 0;
  for (int i = 0; i < n; i++) {
    off += isa_print(&seq[i], k->accepted_text + off, sizeof k->accepted_text - (size_t)off);
    if (i + 1 < n) off += snprintf(k->accepted_text + off, sizeof k->accepted_text - (size_t)off, "; ");
  }
  return true;
}

static void run(const char *text, int ntests, bool prove, checker *k, synth_stats *st) {
  snippet *s = from_text(text);
  teststates *ts = calloc(1, sizeof *ts);
  cr_assert(teststates_make(ts, s, ntests, 1) > 0);
  pool p;
  cr_assert(pool_build(&p, s));
  memset(k, 0, sizeof *k);
  k->s = s;
  k->ts = ts;
  k->pv = prove ? prover_new(10000) : NULL;
  int32_t consts[16];
  synth_cegis(s, ts, &p, prove_check, k, 600, consts, 16, st);
  if (k->pv) prover_free(k->pv);
  pool_free(&p);
  free(ts);
  free(s);
}

/* Constants that inversion cannot give: a memory operand's immediate, a
 * displacement made of a copy and an addition, a direct address. */
Test(synth, solves_immediates_and_displacements) {
  static const struct { const char *text, *want; } cases[] = {
    {"; live-out: mem bx\nadd word [bx+2], 3\nadd word [bx+2], 5\n", "add word [bx+0x2], 0x8"},
    {"; live-out: al bx\nmov si, bx\nadd si, 0x10\nmov al, [si+3]\n", "mov al, byte [bx+0x13]"},
    {"; live-out: al\nmov bx, 0x7c00\nmov al, [bx+0x10]\n", "mov al, byte [0x7c10]"},
    {"; live-out: ax bx\nmov ax, bx\nadd ax, 0x1234\nsub ax, 0x34\n", "lea ax, [bx+0x1200]"},
    {"; live-out: zf bx\nmov ax, bx\nsub ax, 0x100\ncmp ax, 0x23\n", "cmp bx, 0x123"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    checker k;
    synth_stats st;
    run(cases[i].text, 32, true, &k, &st);
    cr_expect_eq(st.proven, 1, "case %zu: %d proven of %d checked (%d queries)", i, st.proven,
                 st.checked, st.queries);
    cr_expect_str_eq(k.accepted_text, cases[i].want, "case %zu", i);
    cr_expect_eq(k.not_on_states, 0);
  }
}

/* With a single test state Z3 fits wrong masks; each refutation's
 * counterexample joins the states and the next solve, until the mask is
 * the right one. */
Test(synth, counterexamples_go_back_into_the_solve) {
  checker k;
  synth_stats st;
  run("; live-out: ax\nand ax, 0x0ff0\nand ax, 0xff00\n", 1, true, &k, &st);
  cr_expect_geq(st.refuted, 1, "%d refuted", st.refuted);
  cr_expect_eq(st.proven, 1);
  cr_expect_str_eq(k.accepted_text, "and ax, 0xf00");
  cr_expect_eq(k.not_on_states, 0);
}

/* A check that accepts nothing: every instantiation it sees held on every
 * test state, none twice, and the solves stay within their bound. */
Test(synth, bounded_and_never_repeats) {
  checker k;
  synth_stats st;
  run("; live-out: cx\nor cx, 0x0101\nor cx, 0x1010\n", 32, false, &k, &st);
  cr_expect_gt(k.calls, 0);
  cr_expect_eq(k.not_on_states, 0);
  cr_expect_eq(st.proven, 0);
  cr_expect_leq(st.queries, 600);
  for (int a = 0; a < k.calls && a < 64; a++)
    for (int b = a + 1; b < k.calls && b < 64; b++) {
      uint8_t x[2 * ISA_MAX_LEN], y[2 * ISA_MAX_LEN];
      int lx = 0, ly = 0;
      for (int i = 0; i < k.nseen[a]; i++) lx += isa_encode(&k.seen[a][i], x + lx);
      for (int i = 0; i < k.nseen[b]; i++) ly += isa_encode(&k.seen[b][i], y + ly);
      cr_expect(lx != ly || memcmp(x, y, (size_t)lx) != 0, "candidates %d and %d are the same", a, b);
    }
}

/* End to end: opt_snippet proves the synthesized answer and says so. */
Test(synth, opt_uses_it) {
  snippet *s = from_text("; live-out: mem si\nxor byte [si], 0x0f\nxor byte [si], 0x3c\n");
  opt_params p;
  opt_params_default(&p);
  search_checker chk = prove_checker(NULL);
  p.checker = &chk;
  p.time_s = 10;
  p.proof_dir = "build/tests/search/proofs";
  opt_result r;
  cr_assert(opt_snippet(s, &p, &r), "%s", r.why);
  cr_expect_eq(r.status, OPT_SHORTER);
  cr_expect_eq(r.best_bytes, 3);
  cr_expect_eq(r.kind, PROOF_SMT);
  char text[96];
  isa_print(&r.best[0], text, sizeof text);
  cr_expect_str_eq(text, "xor byte [si], 0x33");
  cr_expect(access(r.proof_path, R_OK) == 0, "%s", r.proof_path);
  free(s);
}

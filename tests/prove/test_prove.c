/* The prover's parts on their own: the equivalence query (proof,
 * refutation with a counterexample the evaluator confirms, assumptions), a
 * proof file both solver command lines re-check (and a wrong one refused),
 * exhaustion, and a proof file read back. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "program_text.h"
#include "prove/equiv.h"
#include "prove/exhaust.h"
#include "prove/proof_file.h"
#include "prove/solver_cli.h"

static snippet *text_snippet(const char *text) {
  char err[256] = "";
  snippet *s = snippet_from_text(text, err, sizeof err);
  cr_assert(s, "%s", err);
  return s;
}

Test(prover, proves_refutes_and_counterexample_replays) {
  snippet *s = text_snippet("; live-out: ax\nmov ax, 0\n");
  snippet *good = text_snippet("xor ax, ax\n");
  snippet *bad = text_snippet("and ax, 1\n");
  prover *pv = prover_new(10000);
  isa_state cex;
  char why[256];
  cr_expect_eq(prover_check(pv, s, good->code, good->n, &cex, why, sizeof why), EQ_PROVEN, "%s", why);
  cr_assert_eq(prover_check(pv, s, bad->code, bad->n, &cex, why, sizeof why), EQ_REFUTED, "%s", why);
  isa_state a = cex, b = cex;
  isa_exec_seq(&a, s->code, s->n);
  isa_exec_seq(&b, bad->code, bad->n);
  cr_expect_not(isa_state_equal(&a, &b, s->live_out));
  /* the solver keeps working after push/pop */
  cr_expect_eq(prover_check(pv, s, good->code, good->n, &cex, why, sizeof why), EQ_PROVEN, "%s", why);
  prover_free(pv);
  free(s);
  free(good);
  free(bad);
}

Test(prover, assumptions_matter) {
  snippet *s = text_snippet("; live-out: ax dx\n; assume: ax<0x8000\nmov dx, 0\n");
  snippet *cwd = text_snippet("cwd\n");
  prover *pv = prover_new(10000);
  isa_state cex;
  char why[256];
  cr_expect_eq(prover_check(pv, s, cwd->code, cwd->n, &cex, why, sizeof why), EQ_PROVEN, "%s", why);
  s->nassume = 0;
  cr_expect_eq(prover_check(pv, s, cwd->code, cwd->n, &cex, why, sizeof why), EQ_REFUTED, "%s", why);
  prover_free(pv);
  free(s);
  free(cwd);
}

Test(proof_file, written_checked_by_both_solvers) {
  snippet *s = text_snippet("; live-out: ax dx\n; assume: ax<0x8000\nmov dx, 0\n");
  snippet *cwd = text_snippet("cwd\n");
  prover *pv = prover_new(10000);
  char *smt = prover_smtlib(pv, s, cwd->code, cwd->n);
  cr_assert(smt);
  char dir[] = "/tmp/test_proofsXXXXXX";
  cr_assert(mkdtemp(dir));
  char path[512], why[512];
  cr_assert(proof_write_smt2(dir, s, cwd->code, cwd->n, smt, path, sizeof path, why, sizeof why), "%s", why);
  cr_expect(solver_cli_both_unsat(path, 30, why, sizeof why), "%s", why);
  FILE *f = fopen(path, "r");
  char text[65536];
  size_t n = fread(text, 1, sizeof text - 1, f);
  text[n] = 0;
  fclose(f);
  cr_expect(strstr(text, "(set-logic QF_ABV)"));
  cr_expect(strstr(text, "(check-sat)"));
  cr_expect(strstr(text, "; original bytes: ba0000"), "%s", text);
  cr_expect(strstr(text, "; candidate bytes: 99"));
  cr_expect(strstr(text, isa_sem_version()));
  unlink(path);
  /* a wrong claim written as a proof is rejected by the solvers */
  s->nassume = 0;
  char *wrong = prover_smtlib(pv, s, cwd->code, cwd->n);
  cr_expect_not(proof_write_smt2(dir, s, cwd->code, cwd->n, wrong, path, sizeof path, why, sizeof why));
  cr_expect(access(path, F_OK) != 0);
  free(smt);
  free(wrong);
  rmdir(dir);
  prover_free(pv);
  free(s);
  free(cwd);
}

Test(exhaust, small_inputs_enumerated) {
  snippet *s = text_snippet("; live-out: al\nmov al, 0\nsbb al, 0\n");
  snippet *sbb = text_snippet("sbb al, al\n");
  snippet *wrong = text_snippet("mov al, 0xff\n");
  uint64_t count;
  isa_state cex;
  cr_expect_eq(exhaust_check(s, sbb->code, sbb->n, &count, &cex), EXH_EQUAL);
  cr_expect_gt(count, 0u);
  cr_expect_eq(exhaust_check(s, wrong->code, wrong->n, &count, &cex), EXH_DIFFER);
  free(s);
  free(sbb);
  free(wrong);
}

Test(proof_file, read_back_needs_its_header) {
  char dir[] = "/tmp/prove-hdrXXXXXX";
  cr_assert(mkdtemp(dir));
  char path[600], why[512] = "";
  snprintf(path, sizeof path, "%s/x.smt2", dir);
  FILE *f = fopen(path, "w");
  cr_assert(f);
  fputs("; sectoropt proof\n; kind: smt\n(check-sat)\n", f);
  fclose(f);
  proof_info h;
  cr_expect_not(proof_read(path, &h, why, sizeof why));
  cr_expect(strstr(why, path) && strstr(why, "semantics version"), "%s", why);
  unlink(path);
  rmdir(dir);
}

/* The search's parts on their own: pool, test states, fingerprint, the
 * checker, stochastic search, replay (the prover's own: tests/prove). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "program_text.h"
#include "program/snippet.h"
#include "prove/checker.h"
#include "prove/proof_file.h"
#include "prove/solver_cli.h"
#include "search/opt.h"
#include "search/pool.h"
#include "search/teststates.h"
#include "search/enumerate.h"

/* snippet_from_text (tests/program/program_text.h), the test failing when
 * the text does not read */
static snippet *from_text(const char *text) {
  char err[256] = "";
  snippet *s = snippet_from_text(text, err, sizeof err);
  cr_assert(s, "%s", err);
  return s;
}

/* si and di (dead, untouched, no string instructions) are interchangeable:
 * only sequences that use si before di are enumerated; cx is not
 * interchangeable with them (it is the shift count register, and has byte
 * halves), so its use is never restricted. */
Test(pool, interchangeable_scratch_registers_in_canonical_order) {
  snippet *s = from_text("; live-out: ax bx dx\nadd ax, bx\nxor dx, ax\nrol bx, 3\n");
  pool p;
  cr_assert(pool_build(&p, s));
  cr_assert_eq(p.nscratch, 3);
  cr_expect_eq(p.scratch_reg[0], R_CX);
  cr_expect_eq(p.scratch_reg[1], R_SI);
  cr_expect_eq(p.scratch_reg[2], R_DI);
  cr_expect_eq(p.nclasses, 1);
  cr_expect(p.canonical[0]);
  cr_expect(p.canonical[1]);       /* cx */
  cr_expect(p.canonical[2]);       /* si */
  cr_expect(!p.canonical[4]);      /* di before si */
  cr_expect(!p.canonical[1 | 4]);  /* cx and di, no si */
  cr_expect(p.canonical[2 | 4]);
  cr_expect(p.canonical[7]);
  pool_free(&p);
  free(s);
}

/* When si is the first dead register, di joins as its partner once, and
 * the second pick is the next free one (bp), not di again. */
Test(pool, scratch_registers_are_distinct) {
  snippet *s = from_text("; live-out: ax bx cx dx\nadd ax, bx\nadd cx, dx\n");
  pool p;
  cr_assert(pool_build(&p, s));
  cr_assert_eq(p.nscratch, 3);
  cr_expect_eq(p.scratch_reg[0], R_SI);
  cr_expect_eq(p.scratch_reg[1], R_DI);
  cr_expect_eq(p.scratch_reg[2], R_BP);
  pool_free(&p);
  free(s);
}

/* A register the snippet only writes is scratch too; with string
 * instructions si and di have fixed roles and no class forms. */
Test(pool, written_only_registers_are_scratch_and_string_ops_break_classes) {
  snippet *s = from_text("; live-out: ax\nmov cx, ax\nadd cx, cx\nmov ax, cx\n");
  pool p;
  cr_assert(pool_build(&p, s));
  bool cx = false;
  for (int k = 0; k < p.nscratch; k++) cx = cx || p.scratch_reg[k] == R_CX;
  cr_expect(cx, "cx is written before it is read and not live: scratch");
  pool_free(&p);
  free(s);
  /* a memory operand brings lods/stos/movs into the pool */
  s = from_text("; live-out: ax bx dx\nmov ax, [bx]\nadd ax, dx\n");
  cr_assert(pool_build(&p, s));
  cr_assert_eq(p.nscratch, 3);
  cr_expect_eq(p.scratch_reg[1], R_SI);
  cr_expect_eq(p.scratch_reg[2], R_DI);
  cr_expect_eq(p.nclasses, 0);
  for (int u = 0; u < 256; u++) cr_expect(p.canonical[u]);
  pool_free(&p);
  free(s);
}

Test(pool, sorted_by_length_and_encodable) {
  snippet *s = from_text("; live-out: ax dx\nmov dx, ax\nsar dx, 15\n");
  pool p;
  cr_assert(pool_build(&p, s));
  cr_assert_gt(p.n, 10);
  for (int i = 0; i < p.n; i++) {
    insn in = p.v[i].in;
    uint8_t b[ISA_MAX_LEN];
    cr_assert_eq(isa_encode(&in, b), p.v[i].len);
    if (i) cr_assert_leq(p.v[i - 1].len, p.v[i].len);
  }
  for (int L = 1; L <= POOL_MAX_LEN; L++)
    for (int i = p.start[L]; i < p.start[L + 1]; i++) cr_assert_eq(p.v[i].len, L);
  pool_free(&p);
  free(s);
}

Test(teststates, satisfy_assumptions_and_are_seeded) {
  snippet *s = from_text("; live-out: ax\n; assume: ax<0x100 df=0 bl=7\nadd ax, bx\n");
  teststates *a = calloc(1, sizeof *a), *b = calloc(1, sizeof *b);
  cr_assert_gt(teststates_make(a, s, 32, 42), 20);
  teststates_make(b, s, 32, 42);
  cr_expect_eq(a->fp, b->fp);
  for (int i = 0; i < a->n; i++) {
    cr_expect(snippet_assumptions_hold(s, &a->init[i]));
    cr_expect_lt(a->init[i].r[R_AX] & 0xffff, 0x100u);
  }
  teststates_make(b, s, 32, 43);
  cr_expect_neq(a->fp, b->fp);
  free(a);
  free(b);
  free(s);
}

Test(fingerprint, equal_programs_equal_hash_different_differ) {
  snippet *s = from_text("; live-out: ax\nmov ax, 0\n");
  snippet *same = from_text("xor ax, ax\n");
  snippet *other = from_text("mov ax, 1\n");
  teststates *t = calloc(1, sizeof *t);
  teststates_make(t, s, 16, 1);
  cr_expect_eq(teststates_fingerprint(t, same->code, same->n), t->fp);
  cr_expect_neq(teststates_fingerprint(t, other->code, other->n), t->fp);
  free(t);
  free(s);
  free(same);
  free(other);
}

Test(opt, finds_and_proves_and_is_deterministic) {
  snippet *s = from_text("; live-out: ax dx\nmov ax, 0\nmov dx, 0\n");
  opt_params p;
  opt_params_default(&p);
  search_checker chk = prove_checker(NULL);
  p.checker = &chk;
  p.time_s = 10;
  p.proof_dir = "build/tests/search/proofs";
  opt_result *a = calloc(1, sizeof *a), *b = calloc(1, sizeof *b);
  cr_assert(opt_snippet(s, &p, a));
  cr_assert_eq(a->status, OPT_SHORTER, "%s", a->why);
  cr_expect_eq(a->best_bytes, 3);
  cr_expect_eq(a->kind, PROOF_SMT);
  char why[512];
  cr_expect(solver_cli_both_unsat(a->proof_path, 30, why, sizeof why), "%s", why);
  cr_assert(opt_snippet(s, &p, b));
  cr_expect_eq(b->nbest, a->nbest);
  cr_expect(!memcmp(a->best, b->best, (size_t)a->nbest * sizeof a->best[0]));
  cr_expect_str_eq(a->proof_path, b->proof_path);
  free(a);
  free(b);
  free(s);
}

/* A checker that proves nothing: whatever the test states say, the search
 * accepts no candidate without a proof, and without a checker it searches
 * nothing. */
static void *refusing_open(const search_checker *c, unsigned query_ms) {
  (void)query_ms;
  return c->ctx;
}
static void refusing_check(void *session, const snippet *s, const insn *cand, int n,
                           const char *proof_dir, check_answer *out) {
  (void)s, (void)cand, (void)n, (void)proof_dir;
  memset(out, 0, sizeof *out);
  out->verdict = CHECK_UNDECIDED;
  ++*(int *)session;
}
static void refusing_close(void *session) { (void)session; }

Test(opt, accepts_only_what_the_checker_proves) {
  snippet *s = from_text("; live-out: ax dx\nmov ax, 0\nmov dx, 0\n");
  int asked = 0;
  search_checker refusing = {.open = refusing_open, .check = refusing_check,
                             .close = refusing_close, .ctx = &asked};
  opt_params p;
  opt_params_default(&p);
  p.time_s = 5;
  p.stochastic = false;
  p.proof_dir = "build/tests/search/proofs";
  p.checker = &refusing;
  opt_result *r = calloc(1, sizeof *r);
  cr_assert(opt_snippet(s, &p, r));
  cr_expect_gt(asked, 0, "the search asked the checker about no survivor");
  cr_expect_eq(r->status, OPT_NONE);
  cr_expect_eq(r->proof_path[0], 0);
  p.checker = NULL;
  cr_expect_not(opt_snippet(s, &p, r));
  cr_expect_eq(r->status, OPT_ERROR);
  free(r);
  free(s);
}

Test(opt, nothing_shorter) {
  snippet *s = from_text("; live-out: ax\nxor ax, bx\n");
  opt_params p;
  opt_params_default(&p);
  search_checker chk = prove_checker(NULL);
  p.checker = &chk;
  p.time_s = 5;
  p.proof_dir = "build/tests/search/proofs";
  opt_result *r = calloc(1, sizeof *r);
  cr_assert(opt_snippet(s, &p, r));
  cr_expect_eq(r->status, OPT_NONE);
  cr_expect_eq(r->proof_path[0], 0);
  free(r);
  free(s);
}

#include "search/stochastic.h"

static bool accept_if_all_equal(void *ctx, const insn *seq, int n) {
  return teststates_all_equal((const teststates *)ctx, seq, n, 0);
}

Test(stochastic, finds_a_shorter_sequence_from_the_original) {
  snippet *s = from_text("; live-out: ax dx\nmov ax, 0\nmov dx, 0\n");
  teststates *t = calloc(1, sizeof *t);
  teststates_make(t, s, 32, 3);
  pool p;
  cr_assert(pool_build(&p, s));
  stochastic sx = {.p = &p, .ts = t, .on_survivor = accept_if_all_equal, .ctx = t,
                   .deadline = clock_now() + 5, .seed = 3, .below = s->bytes, .at_least = 0};
  cr_expect(stochastic_run(&sx));
  cr_expect_lt(sx.best_bytes, 6);
  cr_expect_gt(sx.proposals, 1000u);
  pool_free(&p);
  free(t);
  free(s);
}

/* With a proposal budget the chains depend on the seed alone: two runs make
 * exactly the budgeted proposals and offer the same sequences. */
static bool count_offers(void *ctx, const insn *seq, int n) {
  (void)seq;
  uint64_t *h = ctx;
  *h = *h * 31 + (uint64_t)n + 1;
  return false;
}

Test(stochastic, a_budget_makes_it_depend_on_the_seed_only) {
  snippet *s = from_text("; live-out: ax dx\nmov ax, 0\nmov dx, 0\n");
  teststates *t = calloc(1, sizeof *t);
  teststates_make(t, s, 32, 3);
  pool p;
  cr_assert(pool_build(&p, s));
  uint64_t h[3] = {0, 0, 0};
  stochastic sx[3];
  for (int k = 0; k < 3; k++) {
    sx[k] = (stochastic){.p = &p, .ts = t, .on_survivor = count_offers, .ctx = &h[k],
                         .deadline = clock_now() + 60, .seed = k < 2 ? 3 : 4, .below = s->bytes,
                         .at_least = 0, .budget = 20000, .restarts = 4};
    stochastic_run(&sx[k]);
    cr_expect(!sx[k].timed_out);
    cr_expect_eq(sx[k].proposals, 20000u);
  }
  cr_expect_gt(sx[0].offered, 0u);
  cr_expect_eq(sx[0].offered, sx[1].offered);
  cr_expect_eq(h[0], h[1]);
  cr_expect(h[0] != h[2] || sx[0].offered != sx[2].offered, "another seed, another chain");
  pool_free(&p);
  free(t);
  free(s);
}

Test(teststates, counterexamples_kept_across_runs) {
  snippet *s = from_text("; live-out: ax\n; assume: bl=7\nadd ax, bx\n");
  teststates *t = calloc(1, sizeof *t);
  teststates_make(t, s, 8, 1);
  int n0 = t->n;
  char path[] = "/tmp/test_cexXXXXXX";
  int fd = mkstemp(path);
  cr_assert(fd >= 0);
  close(fd);
  isa_state st;
  memset(&st, 0, sizeof st);
  st.r[R_AX] = 0x1234;
  st.r[R_BX] = 0x0107;
  cr_assert(isa_mem_set_initial(&st, 0x12345, 0xab));
  cr_assert(teststate_append(path, &st));
  st.r[R_BX] = 0x0108;   /* violates bl=7: not loaded */
  cr_assert(teststate_append(path, &st));
  uint64_t fp0 = t->fp;
  cr_expect_eq(teststates_load(t, path), 1);
  cr_expect_eq(t->n, n0 + 1);
  cr_expect_eq(t->init[n0].r[R_AX], 0x1234u);
  cr_expect_eq(isa_mem_read(&t->init[n0], 0x12345), 0xab);
  cr_expect_neq(t->fp, fp0);
  unlink(path);
  free(t);
  free(s);
}

#include "search/replay.h"

Test(replay, confirms_real_differences_and_flags_disagreement) {
  snippet *s = from_text("; live-out: ax\n; assume: bx<0x10\nmov ax, 0\n");
  snippet *bad = from_text("and ax, 1\n");
  isa_state st, clean;
  char msg[768];
  memset(&st, 0, sizeof st);
  st.r[R_AX] = 1;                       /* and ax, 1 leaves 1: a real difference */
  cr_expect(cex_replay(s, bad->code, bad->n, &st, &clean, msg, sizeof msg));
  st.r[R_AX] = 2;                       /* and ax, 1 gives 0 here: the evaluator agrees */
  cr_expect_not(cex_replay(s, bad->code, bad->n, &st, &clean, msg, sizeof msg));
  cr_expect(strstr(msg, "evaluator agrees"), "%s", msg);
  st.r[R_AX] = 1;
  st.r[R_BX] = 0x20;                    /* outside the assumptions */
  cr_expect_not(cex_replay(s, bad->code, bad->n, &st, &clean, msg, sizeof msg));
  cr_expect(strstr(msg, "violates the assumptions"), "%s", msg);
  free(s);
  free(bad);
}

Test(opt, honours_the_time_budget) {
  snippet *s = from_text("; live-out: ax dx bx\nmov ax, 0\nmov dx, 0\nmov bx, cx\nadd bx, si\n");
  opt_params p;
  opt_params_default(&p);
  search_checker chk = prove_checker(NULL);
  p.checker = &chk;
  p.time_s = 2;
  p.proof_dir = "build/tests/search/proofs";
  opt_result *r = calloc(1, sizeof *r);
  double t0 = clock_now();
  cr_assert(opt_snippet(s, &p, r));
  double took = clock_now() - t0;
  cr_expect_lt(took, 4.0, "took %.2f s for a 2 s budget", took);
  if (r->status == OPT_SHORTER) cr_expect_lt(r->best_bytes, 10);
  free(r);
  free(s);
}

/* A window of a program closed by `call func` after `mov bx, func` (the
 * label a symbolic constant of the window): the call through bx goes to
 * the same place, one byte shorter, proven for every address func may get;
 * the pool offers the call through each of the window's registers and the
 * call to the label, and nothing else as the last instruction. */
Test(opt, call_through_the_register_that_holds_the_label) {
  program prog;
  char err[256];
  cr_assert(read_text("bits 16\norg 0x7c00\nstart: mov ax, 1\n  mov bx, func\n  call func\n"
                      "  mov [0x500], ax\n  jmp start\nfunc: add ax, bx\n  ret\n",
                      &prog, err, sizeof err), "%s", err);
  cfg g;
  cfg_build(&prog, &g);
  liveness lv;
  liveness_compute(&prog, &g, &lv);
  window w = {.a = 1, .b = 2, .tail = true, .transfer = true, .target = 5};
  snippet *s = calloc(1, sizeof *s);
  window_snippet(&prog, &lv, &w, s);
  cr_assert(s->tail_transfer && s->nsym == 1);
  pool pl;
  cr_assert(pool_build(&pl, s));
  int calls = 0;
  for (int q = 0; q < pl.last_start[POOL_MAX_LEN + 1]; q++) {
    const insn *in = &pl.v[pl.last[q]].in;
    cr_expect_eq(in->op, OP_CALL, "only calls close a call's window");
    calls += in->op == OP_CALL && in->o[0].kind == K_REG && in->o[0].reg == R_BX;
  }
  cr_expect_eq(calls, 1);
  pool_free(&pl);
  opt_params p;
  opt_params_default(&p);
  search_checker chk = prove_checker(NULL);
  p.checker = &chk;
  p.time_s = 10;
  p.proof_dir = "build/tests/search/proofs";
  opt_result *r = calloc(1, sizeof *r);
  cr_assert(opt_snippet(s, &p, r));
  cr_assert_eq(r->status, OPT_SHORTER, "%s", r->why);
  cr_expect_eq(r->best_bytes, 5);
  char text[128];
  snippet_seq_text(s, r->best, r->nbest, text, sizeof text);
  cr_expect_str_eq(text, "mov bx, sym0; call bx");
  cr_expect(solver_cli_both_unsat(r->proof_path, 30, err, sizeof err), "%s", err);
  free(r);
  free(s);
  liveness_free(&lv);
  cfg_free(&g);
  program_free(&prog);
}

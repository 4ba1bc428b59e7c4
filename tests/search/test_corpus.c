/* A quick subset of corpus/bench under the same checks as make
 * bench-search (which runs all of it): known forms found within a reduced
 * budget, traps refused and refuted, proof files unsat under z3 and cvc5. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include "corpus_run.h"

#define PROOF_DIR "build/tests/search/proofs"

static void check_positive(const char *name, double budget) {
  char path[256];
  snprintf(path, sizeof path, "corpus/bench/%s.asm", name);
  corpus_outcome o;
  cr_assert(corpus_run_one(path, budget, PROOF_DIR, 1, &o), "%s: %s", name, o.why);
  cr_expect(!o.is_trap);
  cr_expect(o.annotation_ok, "%s: annotation: %s", name, o.why);
  cr_expect(o.found_ok, "%s: found %d bytes (%s), known %d: %s", name, o.found_bytes, o.found,
            o.note.best_bytes, o.why);
  cr_expect(o.has_proof && o.proof_ok, "%s: proof %s: %s", name, o.proof_path, o.why);
  corpus_outcome_free(&o);
}

static void check_trap(const char *name, double budget) {
  char path[256];
  snprintf(path, sizeof path, "corpus/bench/%s.asm", name);
  corpus_outcome o;
  cr_assert(corpus_run_one(path, budget, PROOF_DIR, 1, &o), "%s: %s", name, o.why);
  cr_expect(o.is_trap);
  cr_expect(o.trap_held, "%s: %s (found %s)", name, o.why, o.found);
  if (o.has_proof) cr_expect(o.proof_ok, "%s: proof %s: %s", name, o.proof_path, o.why);
  corpus_outcome_free(&o);
}

Test(corpus, zero_ax) { check_positive("zero_ax", 10); }
Test(corpus, sext_al) { check_positive("sext_al", 10); }
Test(corpus, swap_ax_bx_xor) { check_positive("swap_ax_bx_xor", 10); }
Test(corpus, cwd_positive) { check_positive("cwd_positive", 10); }
Test(corpus, lodsb_df0) { check_positive("lodsb_df0", 10); }
Test(corpus, not_not) { check_positive("not_not", 10); }
Test(corpus, inc_mem_word) { check_positive("inc_mem_word", 10); }
Test(corpus, trap_xor_live_flags) { check_trap("trap_xor_live_flags", 5); }
Test(corpus, trap_inc_cf) { check_trap("trap_inc_cf", 5); }
Test(corpus, trap_sar8_cf) { check_trap("trap_sar8_cf", 5); }
Test(corpus, trap_sar16_cf) { check_trap("trap_sar16_cf", 5); }
Test(corpus, trap_lodsb_df_unknown) { check_trap("trap_lodsb_df_unknown", 5); }
Test(corpus, trap_stosb_ds) { check_trap("trap_stosb_ds", 5); }
Test(corpus, trap_stack_write) { check_trap("trap_stack_write", 5); }
Test(corpus, trap_cwd_unassumed) { check_trap("trap_cwd_unassumed", 5); }
/* the search's reach: a CPU level (the answer assembled by nasm under
   `cpu 8086`), a synthesized constant, an addressing mode the window lacks,
   a memory fact, and a counterexample that needs the memory it compares */
Test(corpus, shl8_at_8086) { check_positive("shl8_at_8086", 10); }
Test(corpus, trap_shl_imm_8086) { check_trap("trap_shl_imm_8086", 5); }
Test(corpus, const_shr_shl_mask) { check_positive("const_shr_shl_mask", 10); }
Test(corpus, addr_copy_disp) { check_positive("addr_copy_disp", 10); }
Test(corpus, memfact_inc_byte) { check_positive("memfact_inc_byte", 10); }
Test(corpus, trap_cmpsb_zf_live) { check_trap("trap_cmpsb_zf_live", 5); }
/* windows that end in a conditional branch: dec cx; jnz -> loop, and the
   same where the target reads the ZF that loop would not set */
Test(corpus, tail_dec_jnz_loop) { check_positive("tail_dec_jnz_loop", 10); }
Test(corpus, tail_or_jz_jcxz) { check_positive("tail_or_jz_jcxz", 10); }
Test(corpus, trap_tail_loop_zf_live) { check_trap("trap_tail_loop_zf_live", 5); }
Test(corpus, cegis_disp_sum) { check_positive("cegis_disp_sum", 10); }
Test(corpus, cegis_push_sum_8086) { check_positive("cegis_push_sum_8086", 10); }

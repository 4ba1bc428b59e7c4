#include "prove/equiv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "isa/isa_z3.h"
#include "prove/cex_memory.h"

struct prover {
  Z3_context c;
  /* made on first use, for the first query in a fresh context is mostly
     the solver's set-up: Z3's SMT core without preprocessing (the simple
     solver, arrays interpreted) for queries over memory, whose QF_BV
     solver would treat array store/select as uninterpreted and hand back
     false counterexamples; the QF_BV solver for the rest.  Either set-up
     is a fraction of the default solver's (which picks between them per
     query); unknown and timeout stay rejections */
  Z3_solver s, bv;
  unsigned timeout_ms;
};

/* Z3 reports errors through this handler; the default one aborts the
 * process.  Errors are read back with Z3_get_error_code after each step. */
static void ignore_error(Z3_context c, Z3_error_code e) { (void)c; (void)e; }

prover *prover_new(unsigned timeout_ms) {
  prover *pv = calloc(1, sizeof *pv);
  if (!pv) return NULL;
  Z3_config cfg = Z3_mk_config();
  Z3_set_param_value(cfg, "model", "true");
  pv->c = Z3_mk_context(cfg);
  Z3_del_config(cfg);
  Z3_set_error_handler(pv->c, ignore_error);
  pv->timeout_ms = timeout_ms;
  return pv;
}

static Z3_solver solver_for(prover *pv, bool memory) {
  Z3_solver *sp = memory ? &pv->s : &pv->bv;
  if (*sp) return *sp;
  Z3_context c = pv->c;
  *sp = memory ? Z3_mk_simple_solver(c) : Z3_mk_solver_for_logic(c, Z3_mk_string_symbol(c, "QF_BV"));
  Z3_solver_inc_ref(c, *sp);
  Z3_params p = Z3_mk_params(c);
  Z3_params_inc_ref(c, p);
  Z3_params_set_uint(c, p, Z3_mk_string_symbol(c, "timeout"), pv->timeout_ms);
  Z3_solver_set_params(c, *sp, p);
  Z3_params_dec_ref(c, p);
  return *sp;
}

void prover_free(prover *pv) {
  if (!pv) return;
  if (pv->s) Z3_solver_dec_ref(pv->c, pv->s);
  if (pv->bv) Z3_solver_dec_ref(pv->c, pv->bv);
  Z3_del_context(pv->c);
  free(pv);
}

/* Does the query speak of memory: an access by either sequence, or a
 * memory fact among the assumptions? */
static bool touches_memory(const snippet *s, const insn *cand, int n) {
  for (int i = 0; i < s->nassume; i++)
    if (s->assume[i].kind == ASSUME_MEM) return true;
  for (int k = 0; k < 2; k++) {
    const insn *seq = k ? cand : s->code;
    for (int i = 0; i < (k ? n : s->n); i++) {
      isa_effects e;
      isa_effects_of(&seq[i], &e);
      if ((e.reads | e.writes) & LOC_MEM) return true;
    }
  }
  return false;
}

/* The term for one assumed location of the initial state, and its width. */
static Z3_ast loc_term(Z3_context c, const isa_z3_state *st, locset l, unsigned *bits) {
  for (int r = 0; r < 8; r++) {
    if (l == LOC_LO(r)) { *bits = 8; return Z3_mk_extract(c, 7, 0, st->r[r]); }
    if (l == LOC_HI(r)) { *bits = 8; return Z3_mk_extract(c, 15, 8, st->r[r]); }
    if (l == LOC_R16(r)) { *bits = 16; return Z3_mk_extract(c, 15, 0, st->r[r]); }
    if (l == LOC_R32(r)) { *bits = 32; return st->r[r]; }
  }
  for (int s = 0; s < 6; s++)
    if (l == LOC_SEG(s)) { *bits = 16; return st->s[s]; }
  for (int f = 0; f < FL_COUNT; f++)
    if (l == isa_flag_loc[f]) { *bits = 1; return st->flag[f]; }
  return NULL;
}

static Z3_ast assumptions(Z3_context c, const isa_z3_state *init, const snippet *s) {
  Z3_ast parts[SNIPPET_MAX_ASSUME + 1];
  unsigned n = 0;
  parts[n++] = Z3_mk_true(c);
  for (int i = 0; i < s->nassume; i++) {
    if (s->assume[i].kind == ASSUME_MEM) {
      /* the fact as the one semantics reads it: cmp sets ZF, no fault */
      isa_z3_state t = *init;
      insn cmp = snippet_fact_insn(s, i, OP_CMP);
      if (!isa_z3_exec(c, &t, &cmp, "assume_")) continue;
      Z3_ast holds[2] = {Z3_mk_eq(c, t.flag[FL_ZF], Z3_mk_unsigned_int64(c, 1, Z3_mk_bv_sort(c, 1))),
                         Z3_mk_eq(c, t.fault, Z3_mk_unsigned_int64(c, 0, Z3_mk_bv_sort(c, 8)))};
      parts[n++] = Z3_mk_and(c, 2, holds);
      continue;
    }
    unsigned bits;
    Z3_ast t = loc_term(c, init, s->assume[i].loc, &bits);
    if (!t) continue;
    Z3_ast v = Z3_mk_unsigned_int64(c, s->assume[i].value, Z3_mk_bv_sort(c, bits));
    parts[n++] = s->assume[i].kind == ASSUME_EQ ? Z3_mk_eq(c, t, v) : Z3_mk_bvult(c, t, v);
  }
  return Z3_mk_and(c, n, parts);
}

/* Both sequences from one initial state.  Returns the query formula (sat
 * means they differ) or NULL when an instruction has no Z3 form. */
static Z3_ast build_query(prover *pv, const snippet *s, const insn *cand, int n,
                          isa_z3_state *init, char *why, size_t whyn) {
  Z3_context c = pv->c;
  isa_z3_state_init(c, init, "in_");
  isa_z3_state a = *init, b = *init;
  for (int i = 0; i < s->n; i++)
    if (!isa_z3_exec(c, &a, &s->code[i], "orig_")) {
      if (why) snprintf(why, whyn, "original instruction %d has no Z3 form", i + 1);
      return NULL;
    }
  for (int i = 0; i < n; i++)
    if (!isa_z3_exec(c, &b, &cand[i], "cand_")) {
      if (why) snprintf(why, whyn, "candidate instruction %d has no Z3 form", i + 1);
      return NULL;
    }
  Z3_ast parts[2] = {assumptions(c, init, s), isa_z3_differ(c, &a, &b, s->live_out)};
  Z3_ast q = Z3_mk_and(c, 2, parts);
  if (Z3_get_error_code(c) != Z3_OK) {
    if (why) snprintf(why, whyn, "z3: %s", Z3_get_error_msg(c, Z3_get_error_code(c)));
    return NULL;
  }
  return q;
}

eq_verdict prover_check(prover *pv, const snippet *s, const insn *cand, int n,
                        isa_state *cex, char *why, size_t whyn) {
  Z3_context c = pv->c;
  if (why && whyn) why[0] = 0;
  Z3_solver so = solver_for(pv, touches_memory(s, cand, n));
  Z3_solver_push(c, so);
  isa_z3_state init;
  eq_verdict v = EQ_UNKNOWN;
  Z3_ast q = build_query(pv, s, cand, n, &init, why, whyn);
  if (q) {
    Z3_solver_assert(c, so, q);
    Z3_lbool r = Z3_solver_check(c, so);
    if (r == Z3_L_FALSE) {
      v = EQ_PROVEN;
    } else if (r == Z3_L_TRUE) {
      Z3_model m = Z3_solver_get_model(c, so);
      if (m) {
        Z3_model_inc_ref(c, m);
        memset(cex, 0, sizeof *cex);
        isa_z3_model_state(c, m, &init, cex);
        /* the bytes the model leaves at its default value too, so the
           counterexample replays exactly */
        if (!cex_fix_memory(c, m, &init, q, cex) && why)
          snprintf(why, whyn, "counterexample reads more memory than a test state holds");
        Z3_model_dec_ref(c, m);
        v = EQ_REFUTED;
      } else if (why) {
        snprintf(why, whyn, "sat without a model");
      }
    } else if (why) {
      snprintf(why, whyn, "solver: %s", Z3_solver_get_reason_unknown(c, so));
    }
  }
  Z3_solver_pop(c, so, 1);
  if (Z3_get_error_code(c) != Z3_OK) {
    if (why) snprintf(why, whyn, "z3 error: %s", Z3_get_error_msg(c, Z3_get_error_code(c)));
    Z3_set_error(c, Z3_OK);
    return EQ_UNKNOWN;
  }
  return v;
}

char *prover_smtlib(prover *pv, const snippet *s, const insn *cand, int n) {
  Z3_context c = pv->c;
  isa_z3_state init;
  Z3_ast q = build_query(pv, s, cand, n, &init, NULL, 0);
  if (!q) return NULL;
  /* Z3_benchmark_to_smtlib_string prints declarations, the assertion and
     check-sat in plain SMT-LIB2 (let-bindings for shared terms) */
  const char *txt = Z3_benchmark_to_smtlib_string(c, "sectoropt equivalence", "QF_ABV",
                                                  "unsat", "", 0, NULL, q);
  if (!txt || Z3_get_error_code(c) != Z3_OK) {
    Z3_set_error(c, Z3_OK);
    return NULL;
  }
  return strdup(txt);
}

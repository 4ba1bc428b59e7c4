#include "corpus_run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "program/snippet.h"
#include "prove/checker.h"
#include "prove/equiv.h"
#include "prove/proof_file.h"
#include "prove/solver_cli.h"
#include "search/pool.h"

/* Assemble "insn; insn" (a rewrite from an annotation, or an answer) with
 * the snippet's own directives, through the same reader the tool uses; with
 * at_cpu under nasm's `cpu` directive for the snippet's level, so nasm
 * rejects what that CPU lacks. */
static bool read_rewrite(const char *text, const snippet *like, bool at_cpu, snippet *out,
                         char *err, size_t errn) {
  char path[] = "/tmp/corpus_rewriteXXXXXX.asm";
  int fd = mkstemps(path, 4);
  if (fd < 0) return false;
  FILE *f = fdopen(fd, "w");
  if (at_cpu) fprintf(f, "cpu %s\n", isa_cpu_name(snippet_cpu(like)));
  if (strcmp(text, "(empty)")) {
    for (const char *p = text; *p;) {
      size_t n = strcspn(p, ";");
      fprintf(f, "%.*s\n", (int)n, p);
      p += n;
      if (*p == ';') p++;
    }
  }
  fclose(f);
  bool ok = snippet_read(path, out, err, errn);
  unlink(path);
  if (ok) {
    out->live_out = like->live_out;
    out->nassume = like->nassume;
    memcpy(out->assume, like->assume, sizeof out->assume);
    memcpy(out->assume_mem, like->assume_mem, sizeof out->assume_mem);
  }
  return ok;
}

static bool same_code(const insn *a, int na, const insn *b, int nb) {
  char x[1024], y[1024];
  seq_hex(a, na, x, sizeof x);
  seq_hex(b, nb, y, sizeof y);
  return !strcmp(x, y);
}

bool corpus_run_one(const char *path, double budget_s, const char *proof_dir, uint64_t seed,
                    corpus_outcome *o) {
  return corpus_run_one_with(path, budget_s, proof_dir, seed, NULL, o);
}

bool corpus_run_one_with(const char *path, double budget_s, const char *proof_dir, uint64_t seed,
                         prover *shared, corpus_outcome *o) {
  memset(o, 0, sizeof *o);
  const char *base = strrchr(path, '/');
  snprintf(o->name, sizeof o->name, "%s", base ? base + 1 : path);
  o->name[strcspn(o->name, ".")] = 0;
  if (!corpus_note_read(path, &o->note)) {
    snprintf(o->why, sizeof o->why, "no best-bytes or trap annotation");
    return false;
  }
  o->is_trap = o->note.trap[0] != 0;
  snippet *s = calloc(1, sizeof *s), *alt = calloc(1, sizeof *alt);
  o->res = calloc(1, sizeof *o->res);
  char err[512];
  if (!snippet_read(path, s, err, sizeof err)) {
    snprintf(o->why, sizeof o->why, "%s", err);
    free(s);
    free(alt);
    return false;
  }
  o->original_bytes = s->bytes;
  opt_params prm;
  opt_params_default(&prm);
  prm.time_s = budget_s;
  prm.seed = seed;
  prm.proof_dir = proof_dir;
  search_checker chk = prove_checker(shared);
  prm.checker = &chk;
  opt_snippet(s, &prm, o->res);
  opt_result *r = o->res;
  o->found_bytes = r->status == OPT_SHORTER ? r->best_bytes : s->bytes;
  if (r->status == OPT_SHORTER) seq_text(r->best, r->nbest, o->found, sizeof o->found);
  else snprintf(o->found, sizeof o->found, "(none shorter)");
  if (r->status == OPT_SHORTER) {
    o->has_proof = true;
    snprintf(o->proof_path, sizeof o->proof_path, "%s", r->proof_path);
    char why[512];
    if (r->kind == PROOF_SMT) {
      o->proof_ok = solver_cli_both_unsat(r->proof_path, 60, why, sizeof why);
      if (!o->proof_ok) snprintf(o->why, sizeof o->why, "%s", why);
    } else {
      o->proof_ok = access(r->proof_path, R_OK) == 0;
    }
    o->cpu_ok = read_rewrite(r->nbest ? o->found : "(empty)", s, true, alt, err, sizeof err);
    if (!o->cpu_ok)
      snprintf(o->why, sizeof o->why, "answer does not assemble under cpu %s: %.400s",
               isa_cpu_name(snippet_cpu(s)), err);
  } else {
    o->cpu_ok = true;
  }
  prover *pv = prover_new(30000);
  if (o->is_trap) {
    if (!read_rewrite(o->note.trap, s, false, alt, err, sizeof err)) {
      snprintf(o->why, sizeof o->why, "trap text does not assemble: %.400s", err);
    } else {
      bool returned = r->status == OPT_SHORTER && same_code(r->best, r->nbest, alt->code, alt->n);
      isa_state cex;
      char why[256];
      /* a trap may be an equivalent rewrite the target CPU cannot run */
      bool off_target = false;
      for (int i = 0; i < alt->n; i++) off_target = off_target || !pool_target_allows(s, &alt->code[i]);
      eq_verdict v = off_target ? EQ_REFUTED
                                : prover_check(pv, s, alt->code, alt->n, &cex, why, sizeof why);
      bool confirmed = off_target;
      if (v == EQ_REFUTED && !off_target) {
        isa_state a = cex, b = cex;
        a.nwrites = b.nwrites = 0;
        isa_exec_seq(&a, s->code, s->n);
        isa_exec_seq(&b, alt->code, alt->n);
        confirmed = snippet_assumptions_hold(s, &cex) && !isa_state_equal(&a, &b, s->live_out);
      }
      o->trap_held = !returned && confirmed && o->cpu_ok;
      if (returned) snprintf(o->why, sizeof o->why, "returned the trap");
      else if (!confirmed) snprintf(o->why, sizeof o->why, "trap not refuted (%s)", v == EQ_PROVEN ? "proven equal!" : why);
    }
  } else {
    o->found_ok = r->status != OPT_ERROR && o->found_bytes <= o->note.best_bytes && o->cpu_ok;
    if (!read_rewrite(o->note.best, s, true, alt, err, sizeof err)) {
      snprintf(o->why, sizeof o->why, "best text does not assemble: %.400s", err);
    } else {
      isa_state cex;
      char why[256];
      o->annotation_ok = alt->bytes == o->note.best_bytes &&
                         prover_check(pv, s, alt->code, alt->n, &cex, why, sizeof why) == EQ_PROVEN;
      if (!o->annotation_ok && !o->why[0])
        snprintf(o->why, sizeof o->why, "annotated best (%d bytes) not proven", alt->bytes);
    }
    if (!o->found_ok && !o->why[0]) snprintf(o->why, sizeof o->why, "%s", r->why[0] ? r->why : "not found in budget");
  }
  prover_free(pv);
  free(s);
  free(alt);
  return true;
}

void corpus_outcome_free(corpus_outcome *o) {
  free(o->res);
  o->res = NULL;
}

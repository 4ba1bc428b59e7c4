#include "prove/proof_file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "prove/solver_cli.h"
#include "sys/run.h"

#define CLI_TIMEOUT_S 60

int proof_header(const snippet *s0, const insn *cand, int n, const char *kind, char *buf,
                 size_t bufn) {
  snippet tmp;
  insn cbuf[SNIPPET_MAX_INSNS];
  const snippet *s = rewrite_bound(s0, &tmp, &cand, n, cbuf);
  if (n > SNIPPET_MAX_INSNS) n = SNIPPET_MAX_INSNS;
  char ohex[1024], chex[1024], otxt[2048], ctxt[2048], live[256], as[512], syms[512];
  snippet_original_hex(s, ohex, sizeof ohex);
  seq_hex(cand, n, chex, sizeof chex);
  seq_text(s->code, s->n, otxt, sizeof otxt);
  seq_text(cand, n, ctxt, sizeof ctxt);
  isa_loc_print(s->live_out, live, sizeof live);
  snippet_assume_text(s, as, sizeof as);
  snippet_sym_text(s, syms, sizeof syms);
  int k = snprintf(buf, bufn,
                  "; sectoropt proof\n"
                  "; kind: %s\n"
                  "; claim: from any state satisfying the assumptions, the candidate leaves\n"
                  ";        every live-out location as the original does\n"
                  "; original bytes: %s (%d bytes)\n"
                  "; original text: %s\n"
                  "; candidate bytes: %s (%d bytes)\n"
                  "; candidate text: %s\n"
                  "; live-out: %s\n"
                  "; assume: %s\n"
                  "; semantics version: %s\n",
                  kind, ohex, s->bytes, otxt, chex, seq_bytes(cand, n),
                  ctxt[0] ? ctxt : "(empty)", live, as[0] ? as : "(none)", isa_sem_version());
  if (syms[0] && k >= 0 && (size_t)k < bufn)
    k += snprintf(buf + k, bufn - (size_t)k,
                  "; symbolic: %s (label addresses: the bytes and text above hold the values\n"
                  ";        in this image; the query's in_symK are free, so the claim holds for\n"
                  ";        every address each label may get)\n", syms);
  return k;
}

/* Z3's printer may emit lines that are not standard SMT-LIB2; keep only
 * declarations, definitions, assertions and check-sat, and supply our own
 * set-logic (arrays and bit-vectors, no quantifiers). */
static bool standard_line_prefix(const char *line) {
  static const char *const ok[] = {"(declare-fun", "(declare-const", "(define-fun", "(assert",
                                   "(check-sat", "(set-info", "(declare-sort", "(define-sort"};
  for (size_t i = 0; i < sizeof ok / sizeof *ok; i++)
    if (!strncmp(line, ok[i], strlen(ok[i]))) return true;
  return false;
}

FILE *proof_file_begin(const char *dir, const snippet *s, const insn *cand, int n,
                       const char *ext, const char *kind, char *path, size_t pathn,
                       char *tmp, size_t tmpn, char *why, size_t whyn) {
  if (!make_dirs(dir)) {
    snprintf(why, whyn, "cannot create %s: %s", dir, strerror(errno));
    return NULL;
  }
  char hash[33];
  rewrite_hash(s, cand, n, hash);
  snprintf(path, pathn, "%s/%s.%s", dir, hash, ext);
  snprintf(tmp, tmpn, "%s.tmp%ld", path, (long)getpid());
  FILE *f = fopen(tmp, "w");
  if (!f) {
    snprintf(why, whyn, "cannot write %s: %s", tmp, strerror(errno));
    return NULL;
  }
  char header[8192];
  proof_header(s, cand, n, kind, header, sizeof header);
  fputs(header, f);
  return f;
}

bool proof_write_smt2(const char *dir, const snippet *s, const insn *cand, int n,
                      const char *smtlib, char *path, size_t pathn, char *why, size_t whyn) {
  char tmp[600];
  FILE *f = proof_file_begin(dir, s, cand, n, "smt2", "smt", path, pathn, tmp, sizeof tmp, why, whyn);
  if (!f) return false;
  fputs("(set-logic QF_ABV)\n", f);
  /* copy the top-level commands, which may span lines */
  const char *p = smtlib;
  bool keep = false, saw_check = false;
  while (*p) {
    const char *eol = strchr(p, '\n');
    size_t len = eol ? (size_t)(eol - p) : strlen(p);
    if (*p == '(') {
      keep = standard_line_prefix(p);
      if (!strncmp(p, "(check-sat", 10)) saw_check = true;
    }
    if (keep) fprintf(f, "%.*s\n", (int)len, p);
    p += len + (eol ? 1 : 0);
  }
  if (!saw_check) fputs("(check-sat)\n", f);
  fputs("(exit)\n", f);
  if (fclose(f) != 0) {
    snprintf(why, whyn, "cannot write %s", tmp);
    unlink(tmp);
    return false;
  }
  if (!solver_cli_both_unsat(tmp, CLI_TIMEOUT_S, why, whyn)) {
    unlink(tmp);
    return false;
  }
  if (rename(tmp, path) != 0) {
    snprintf(why, whyn, "cannot rename %s: %s", tmp, strerror(errno));
    unlink(tmp);
    return false;
  }
  return true;
}

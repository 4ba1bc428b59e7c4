#include "prove/proof_file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>
#include "prove/solver_cli.h"

#define CLI_TIMEOUT_S 60

int seq_bytes(const insn *seq, int n) {
  int total = 0;
  for (int i = 0; i < n; i++) {
    insn in = seq[i];
    uint8_t b[ISA_MAX_LEN];
    int len = isa_encode(&in, b);
    total += len > 0 ? len : 0;
  }
  return total;
}

int seq_hex(const insn *seq, int n, char *buf, size_t bufn) {
  size_t k = 0;
  buf[0] = 0;
  for (int i = 0; i < n; i++) {
    insn in = seq[i];
    uint8_t b[ISA_MAX_LEN];
    int len = isa_encode(&in, b);
    for (int j = 0; j < len && k + 3 < bufn; j++) k += (size_t)snprintf(buf + k, bufn - k, "%02x", b[j]);
    if (i + 1 < n && k + 2 < bufn) buf[k++] = ' ', buf[k] = 0;
  }
  return (int)k;
}

int seq_text(const insn *seq, int n, char *buf, size_t bufn) {
  size_t k = 0;
  buf[0] = 0;
  for (int i = 0; i < n && k + 1 < bufn; i++) {
    if (i) k += (size_t)snprintf(buf + k, bufn - k, "; ");
    if (k + 1 >= bufn) break;
    k += (size_t)isa_print(&seq[i], buf + k, bufn - k);
  }
  if (k >= bufn) k = bufn - 1;
  return (int)k;
}

/* The original's bytes: as assembled when known, else the encoder's. */
static int original_hex(const snippet *s, char *buf, size_t bufn) {
  if (s->nraw <= 0 || s->nraw != s->bytes) return seq_hex(s->code, s->n, buf, bufn);
  size_t k = 0;
  int off = 0;
  buf[0] = 0;
  for (int i = 0; i < s->n; i++) {
    int len = s->code[i].len;
    for (int j = 0; j < len && off < s->nraw && k + 3 < bufn; j++)
      k += (size_t)snprintf(buf + k, bufn - k, "%02x", s->raw[off++]);
    if (i + 1 < s->n && k + 2 < bufn) buf[k++] = ' ', buf[k] = 0;
  }
  return (int)k;
}

static int assume_text(const snippet *s, char *buf, size_t bufn) {
  size_t k = 0;
  buf[0] = 0;
  for (int i = 0; i < s->nassume && k + 1 < bufn; i++) {
    char name[64];
    if (s->assume[i].kind == ASSUME_MEM) {
      /* "byte [bx+0x3]=0x0": the operand as the printer writes it */
      insn mov = snippet_fact_insn(s, i, OP_MOV);
      char text[128];
      isa_print(&mov, text, sizeof text);
      char *arg = strchr(text, ' '), *comma = strrchr(text, ',');
      if (arg && comma) *comma = 0;
      k += (size_t)snprintf(buf + k, bufn - k, "%s%s=0x%x", i ? " " : "", arg ? arg + 1 : text,
                            s->assume[i].value);
      continue;
    }
    isa_loc_print(s->assume[i].loc, name, sizeof name);
    k += (size_t)snprintf(buf + k, bufn - k, "%s%s%s0x%x", i ? " " : "", name,
                          s->assume[i].kind == ASSUME_EQ ? "=" : "<", s->assume[i].value);
  }
  return (int)k;
}

/* A window's label addresses (symbolic constants): the header's bytes and
 * text give their values in the image the window came from, the query's
 * variables symK stand for every value.  Returns s, or tmp with the values
 * bound; *c the candidate likewise. */
static const snippet *bound(const snippet *s, snippet *tmp, const insn **cand, int n,
                            insn *cbuf) {
  if (s->nsym <= 0) return s;
  *tmp = *s;
  isa_bind_syms(tmp->code, tmp->n, s->sym_value);
  if (n > SNIPPET_MAX_INSNS) n = SNIPPET_MAX_INSNS;
  if (n > 0) {
    memcpy(cbuf, *cand, sizeof *cbuf * (size_t)n);
    isa_bind_syms(cbuf, n, s->sym_value);
    *cand = cbuf;
  }
  return tmp;
}

static int sym_text(const snippet *s, char *buf, size_t bufn) {
  size_t k = 0;
  buf[0] = 0;
  for (int i = 0; i < s->nsym && k + 1 < bufn; i++)
    k += (size_t)snprintf(buf + k, bufn - k, "%ssym%d=%s(0x%x)", i ? " " : "", i, s->sym_name[i],
                          s->sym_value[i]);
  return (int)k;
}

void proof_hash(const snippet *s0, const insn *cand, int n, char out[33]) {
  snippet tmp;
  insn cbuf[SNIPPET_MAX_INSNS];
  const snippet *s = bound(s0, &tmp, &cand, n, cbuf);
  if (n > SNIPPET_MAX_INSNS) n = SNIPPET_MAX_INSNS;
  char orig[1024], cnd[1024], live[256], as[512], syms[512];
  original_hex(s, orig, sizeof orig);
  seq_hex(cand, n, cnd, sizeof cnd);
  isa_loc_print(s->live_out, live, sizeof live);
  assume_text(s, as, sizeof as);
  sym_text(s, syms, sizeof syms);
  char key[4096];
  int k = snprintf(key, sizeof key, "orig=%s\ncand=%s\nlive=%s\nassume=%s\nsem=%s\n%s%s", orig, cnd,
                   live, as, isa_sem_version(), syms[0] ? "symbolic=" : "", syms);
  XXH128_hash_t h = XXH3_128bits(key, (size_t)k);
  snprintf(out, 33, "%016llx%016llx", (unsigned long long)h.high64, (unsigned long long)h.low64);
}

int proof_header(const snippet *s0, const insn *cand, int n, const char *kind, char *buf,
                 size_t bufn) {
  snippet tmp;
  insn cbuf[SNIPPET_MAX_INSNS];
  const snippet *s = bound(s0, &tmp, &cand, n, cbuf);
  if (n > SNIPPET_MAX_INSNS) n = SNIPPET_MAX_INSNS;
  char ohex[1024], chex[1024], otxt[2048], ctxt[2048], live[256], as[512], syms[512];
  original_hex(s, ohex, sizeof ohex);
  seq_hex(cand, n, chex, sizeof chex);
  seq_text(s->code, s->n, otxt, sizeof otxt);
  seq_text(cand, n, ctxt, sizeof ctxt);
  isa_loc_print(s->live_out, live, sizeof live);
  assume_text(s, as, sizeof as);
  sym_text(s, syms, sizeof syms);
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

bool proof_mkdirs(const char *dir) {
  char tmp[512];
  snprintf(tmp, sizeof tmp, "%s", dir);
  for (char *p = tmp + 1; *p; p++)
    if (*p == '/') {
      *p = 0;
      if (mkdir(tmp, 0777) < 0 && errno != EEXIST) return false;
      *p = '/';
    }
  return mkdir(tmp, 0777) == 0 || errno == EEXIST;
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
  if (!proof_mkdirs(dir)) {
    snprintf(why, whyn, "cannot create %s: %s", dir, strerror(errno));
    return NULL;
  }
  char hash[33];
  proof_hash(s, cand, n, hash);
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

/* A rewrite (a snippet and a candidate for it) as bytes and text, and the
 * hash that names it (proof files, kept counterexamples). */
#include "program/rewrite.h"

#include <stdio.h>
#include <string.h>
#include <xxhash.h>

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
int snippet_original_hex(const snippet *s, char *buf, size_t bufn) {
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

int snippet_assume_text(const snippet *s, char *buf, size_t bufn) {
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

const snippet *rewrite_bound(const snippet *s, snippet *tmp, const insn **cand, int n,
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

int snippet_sym_text(const snippet *s, char *buf, size_t bufn) {
  size_t k = 0;
  buf[0] = 0;
  for (int i = 0; i < s->nsym && k + 1 < bufn; i++)
    k += (size_t)snprintf(buf + k, bufn - k, "%ssym%d=%s(0x%x)", i ? " " : "", i, s->sym_name[i],
                          s->sym_value[i]);
  return (int)k;
}

void rewrite_hash(const snippet *s0, const insn *cand, int n, char out[33]) {
  snippet tmp;
  insn cbuf[SNIPPET_MAX_INSNS];
  const snippet *s = rewrite_bound(s0, &tmp, &cand, n, cbuf);
  if (n > SNIPPET_MAX_INSNS) n = SNIPPET_MAX_INSNS;
  char orig[1024], cnd[1024], live[256], as[512], syms[512];
  snippet_original_hex(s, orig, sizeof orig);
  seq_hex(cand, n, cnd, sizeof cnd);
  isa_loc_print(s->live_out, live, sizeof live);
  snippet_assume_text(s, as, sizeof as);
  snippet_sym_text(s, syms, sizeof syms);
  char key[4096];
  int k = snprintf(key, sizeof key, "orig=%s\ncand=%s\nlive=%s\nassume=%s\nsem=%s\n%s%s", orig, cnd,
                   live, as, isa_sem_version(), syms[0] ? "symbolic=" : "", syms);
  XXH128_hash_t h = XXH3_128bits(key, (size_t)k);
  snprintf(out, 33, "%016llx%016llx", (unsigned long long)h.high64, (unsigned long long)h.low64);
}

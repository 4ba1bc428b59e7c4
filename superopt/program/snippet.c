/* Reading a snippet file: nasm assembles it (`-f bin` is 16-bit by default,
 * so a missing `bits 16` costs nothing), its listing maps each byte offset
 * back to a source line, and the bytes are decoded back into the model so the
 * search works on exactly what nasm emitted.  Directives live in comments. */
#include "program/snippet.h"
#include "program/listing.h"
#include "program/nasm_mode.h"
#include "program/cpu_directive.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_BIN (SNIPPET_MAX_INSNS * ISA_MAX_LEN)

/* Directive names accepted in `; name: ...` comments.  Only live-out and
 * assume change the meaning; the others annotate benchmark snippets. */
static const char *const known_directives[] = {
  "live-out", "assume", "cpu", "best", "best-bytes", "trap", "note", "source", "budget",
  "live-taken",
};

/* nasm assembles the snippet; a lone word on a line is a typo'd
 * instruction far more often than a label in a snippet: nasm's warning
 * about it is made an error. */
static int run_nasm(const char *src, const char *bin, const char *lst, const char *errfile) {
  const char *argv[] = { "nasm", "-f", "bin", "-w+error=label-orphan", "-o", bin, "-l", lst, src, NULL };
  return nasm_run(argv, errfile);
}

static char *trim(char *s);
static void first_word(const char *line, char *out, size_t n);

/* nasm's first error line, passed through; an orphan label becomes an
 * unknown instruction naming the word. */
static void nasm_error(char *first, char **src, int nsrc, char *err, size_t errn) {
  char *line = trim(first);
  char *e = strstr(line, ": error: label alone on a line");
  int ln = 0;
  if (e) {
    char *colon = e;
    while (colon > line && colon[-1] != ':') colon--;
    ln = atoi(colon);
  }
  if (e && ln > 0 && ln <= nsrc) {
    char word[64];
    first_word(src[ln - 1], word, sizeof word);
    snprintf(err, errn, "%.*s: unknown instruction '%s'", (int)(e - line), line, word);
  } else {
    snprintf(err, errn, "%s", line[0] ? line : "nasm failed");
  }
}

static char *trim(char *s) {
  while (isspace((unsigned char)*s)) s++;
  size_t n = strlen(s);
  while (n && isspace((unsigned char)s[n - 1])) s[--n] = 0;
  return s;
}

/* The first word of an instruction line, for "unsupported instruction" errors. */
static void first_word(const char *line, char *out, size_t n) {
  while (isspace((unsigned char)*line)) line++;
  const char *colon = strchr(line, ':');   /* skip a label */
  if (colon && !strchr(line, '[') && colon < line + strcspn(line, " \t")) {
    line = colon + 1;
    while (isspace((unsigned char)*line)) line++;
  }
  size_t k = 0;
  while (line[k] && !isspace((unsigned char)line[k]) && line[k] != ';' && k + 1 < n) {
    out[k] = line[k];
    k++;
  }
  out[k] = 0;
}

static bool parse_value(const char *t, uint32_t *v) {
  char *end;
  errno = 0;
  unsigned long long x = strtoull(t, &end, 0);
  if (errno || *end || end == t || x > 0xffffffffull) return false;
  *v = (uint32_t)x;
  return true;
}

static bool parse_live(snippet *s, const char *name, locset *dst, char *args, int line, char *err,
                       size_t errn) {
  for (char *save = NULL, *tok = strtok_r(args, " \t,", &save); tok; tok = strtok_r(NULL, " \t,", &save)) {
    locset l;
    if (!isa_loc_parse(tok, &l) || l == LOC_BR || l == LOC_IP) {
      snprintf(err, errn, "%s:%d: %s: unknown register or flag '%s'", s->path, line, name, tok);
      return false;
    }
    *dst |= l;
  }
  return true;
}

static bool single_location(locset l) {
  /* one register of any width, one segment or one flag */
  if (l & LOC_ALLREGS) {
    for (int r = 0; r < 8; r++) {
      locset parts = l & LOC_R32(r);
      if (parts && parts == l) return true;
    }
    return false;
  }
  return l && !(l & (l - 1)) && l != LOC_MEM;
}

static int location_bits(locset l) {
  if (l & LOC_FLAGS) return 1;
  if (l & LOC_ALLSEGS) return 16;
  int parts = __builtin_popcountll(l & LOC_ALLREGS);
  return parts == 1 ? 8 : parts == 2 ? 16 : 32;
}

static insn fact_insn(const assumption *a, const operand *m, int op) {
  insn in;
  memset(&in, 0, sizeof in);
  in.op = (uint8_t)op;
  in.size = m->size;
  in.nops = 2;
  in.o[0] = *m;
  in.o[1] = (operand){.kind = K_IMM, .size = m->size, .disp = (int32_t)a->value, .base = -1,
                      .index = -1};
  return in;
}

/* "[es:bx+si+0x10]=0x12" after "byte"/"word": 16-bit addressing with bx bp si
 * di and constants, an optional segment override. */
static bool parse_mem_fact(const char *text, int size, assumption *a, operand *m) {
  memset(a, 0, sizeof *a);
  memset(m, 0, sizeof *m);
  a->kind = ASSUME_MEM;
  a->loc = LOC_MEM;
  m->kind = K_MEM;
  m->size = (uint8_t)size;
  m->base = m->index = -1;
  m->seg = S_NONE;
  const char *p = text;
  if (*p++ != '[') return false;
  const char *close = strchr(p, ']');
  if (!close || close[1] != '=') return false;
  char inner[64];
  size_t n = (size_t)(close - p);
  if (n == 0 || n >= sizeof inner) return false;
  memcpy(inner, p, n);
  inner[n] = 0;
  char *q = inner;
  for (int sg = S_ES; sg <= S_DS; sg++)   /* the 8086's four */
    if (!strncmp(q, isa_sreg_name(sg), 2) && q[2] == ':') {
      m->seg = (uint8_t)sg;
      m->seg_explicit = 1;
      q += 3;
    }
  int32_t disp = 0;
  int sign = 1;
  while (*q) {
    size_t k = strcspn(q, "+-");
    char term[32];
    if (k == 0 || k >= sizeof term) return false;
    memcpy(term, q, k);
    term[k] = 0;
    static const struct { const char *name; int reg; } regs[] = {
      {"bx", R_BX}, {"bp", R_BP}, {"si", R_SI}, {"di", R_DI}};
    int reg = -1;
    for (size_t r = 0; r < 4; r++)
      if (!strcmp(term, regs[r].name)) reg = regs[r].reg;
    uint32_t v;
    if (reg >= 0 && sign > 0 && m->base < 0) m->base = (int8_t)reg;
    else if (reg >= 0 && sign > 0 && m->index < 0) m->index = (int8_t)reg;
    else if (reg < 0 && parse_value(term, &v) && v <= 0xffff) disp += sign * (int32_t)v;
    else return false;
    q += k;
    if (*q) {
      sign = *q++ == '-' ? -1 : 1;
      if (!*q) return false;   /* a sign with no term after it */
    }
  }
  m->disp = (int32_t)(uint16_t)disp;
  if (m->seg == S_NONE) m->seg = (m->base == R_BP || m->index == R_BP) ? S_SS : S_DS;
  uint32_t v;
  if (!parse_value(close + 2, &v) || v >= (size == 1 ? 0x100u : 0x10000u)) return false;
  a->value = v;
  insn probe = fact_insn(a, m, OP_CMP);
  uint8_t code[ISA_MAX_LEN];
  return isa_encode(&probe, code) > 0;   /* an addressing mode the CPU has */
}

static bool parse_assume(snippet *s, char *args, int line, char *err, size_t errn) {
  for (char *save = NULL, *tok = strtok_r(args, " \t,", &save); tok; tok = strtok_r(NULL, " \t,", &save)) {
    if (!strcmp(tok, "byte") || !strcmp(tok, "word")) {
      int size = tok[0] == 'b' ? 1 : 2;
      char *fact = strtok_r(NULL, " \t,", &save);
      assumption a;
      operand m;
      if (!fact || !parse_mem_fact(fact, size, &a, &m)) {
        snprintf(err, errn, "%s:%d: assume: expected %s [address]=value, got '%s'", s->path, line,
                 tok, fact ? fact : "");
        return false;
      }
      if (s->nassume >= SNIPPET_MAX_ASSUME) {
        snprintf(err, errn, "%s:%d: assume: more than %d assumptions", s->path, line, SNIPPET_MAX_ASSUME);
        return false;
      }
      s->assume_mem[s->nassume] = m;
      s->assume[s->nassume++] = a;
      continue;
    }
    char *op = strpbrk(tok, "=<");
    if (!op) {
      snprintf(err, errn, "%s:%d: assume: expected reg=value or reg<value, got '%s'", s->path, line, tok);
      return false;
    }
    assumption a = {.kind = *op == '=' ? ASSUME_EQ : ASSUME_LT};
    char name[32];
    size_t nl = (size_t)(op - tok);
    if (nl == 0 || nl >= sizeof name) {
      snprintf(err, errn, "%s:%d: assume: missing register in '%s'", s->path, line, tok);
      return false;
    }
    memcpy(name, tok, nl);
    name[nl] = 0;
    if (!isa_loc_parse(name, &a.loc) || !single_location(a.loc)) {
      snprintf(err, errn, "%s:%d: assume: unknown register or flag '%s'", s->path, line, name);
      return false;
    }
    if (!parse_value(op + 1, &a.value)) {
      snprintf(err, errn, "%s:%d: assume: bad value '%s'", s->path, line, op + 1);
      return false;
    }
    int bits = location_bits(a.loc);
    uint64_t limit = 1ull << bits;
    if (a.kind == ASSUME_EQ ? a.value >= limit : (a.value == 0 || a.value > limit)) {
      snprintf(err, errn, "%s:%d: assume: %s cannot hold for a %d-bit location ('%s')", s->path,
               line, a.kind == ASSUME_EQ ? "value" : "bound", bits, tok);
      return false;
    }
    if ((a.loc & LOC_FLAGS) && (a.kind != ASSUME_EQ || a.value > 1)) {
      snprintf(err, errn, "%s:%d: assume: a flag can only be =0 or =1 ('%s')", s->path, line, tok);
      return false;
    }
    if (s->nassume >= SNIPPET_MAX_ASSUME) {
      snprintf(err, errn, "%s:%d: assume: more than %d assumptions", s->path, line, SNIPPET_MAX_ASSUME);
      return false;
    }
    s->assume[s->nassume++] = a;
  }
  return true;
}

/* Directives: a comment whose first word is a name followed by ':'
 * ("; live-out: ax"); the known names match in any case ("; Live-Out:").
 * Other comments are prose and are ignored, except a lower-case name that is
 * not known, which is refused as a likely typo. */
static bool parse_directive(snippet *s, const char *text, int line, bool *saw_live,
                            int *saw_taken, char *err, size_t errn) {
  const char *semi = strchr(text, ';');
  if (!semi) return true;
  const char *p = semi + 1;
  while (*p == ' ' || *p == '\t') p++;
  size_t k = 0;
  while (isalpha((unsigned char)p[k]) || p[k] == '-' || p[k] == '_' || isdigit((unsigned char)p[k])) k++;
  if (k == 0 || p[k] != ':' || !isalpha((unsigned char)p[0])) return true;
  char name[32];
  if (k >= sizeof name) k = sizeof name - 1;
  memcpy(name, p, k);
  name[k] = 0;
  bool known = false;
  for (size_t i = 0; i < sizeof known_directives / sizeof *known_directives; i++)
    if (!strcasecmp(name, known_directives[i])) {
      snprintf(name, sizeof name, "%s", known_directives[i]);
      known = true;
    }
  if (!known && !islower((unsigned char)p[0])) return true;   /* "; Note that ..." is prose */
  /* only comments that stand alone on their line are directives */
  for (const char *q = text; q < semi; q++)
    if (!isspace((unsigned char)*q)) return true;
  char args[1024];
  snprintf(args, sizeof args, "%s", p + k + 1);
  if (!strcmp(name, "live-out")) {
    if (!*saw_live) s->live_out = 0;   /* several live-out lines add up */
    *saw_live = true;
    if (!parse_live(s, "live-out", &s->live_out, args, line, err, errn)) return false;
    if (!s->live_out && !s->warning[0])
      snprintf(s->warning, sizeof s->warning,
               "%s:%d: warning: empty live-out: nothing is live, so the whole snippet may be deleted"
               " (write 'live-out: mem' or name a register to keep something)", s->path, line);
    return true;
  }
  if (!strcmp(name, "assume")) return parse_assume(s, args, line, err, errn);
  if (!strcmp(name, "live-taken")) {
    if (!*saw_taken) s->live_taken = 0;
    *saw_taken = line;
    return parse_live(s, "live-taken", &s->live_taken, args, line, err, errn);
  }
  if (!strcmp(name, "cpu")) {
    int cpu;
    char *t = trim(args);
    if (!isa_cpu_parse(t, &cpu)) {
      snprintf(err, errn, "%s:%d: cpu: unknown CPU '%s' (8086, 186, 286, 386, 486, 686)", s->path,
               line, t);
      return false;
    }
    snippet_limit_cpu(s, cpu);
    return true;
  }
  for (size_t i = 0; i < sizeof known_directives / sizeof *known_directives; i++)
    if (!strcmp(name, known_directives[i])) return true;
  snprintf(err, errn, "%s:%d: unknown directive '%s:'", s->path, line, name);
  return false;
}

/* The model is 16-bit code (386 instructions through prefixes): a snippet
 * nasm assembles in 32- or 64-bit mode would be decoded wrongly.  The mode
 * is nasm's own (nasm_mode.h), not a reading of the text. */
static bool sixteen_bit_mode(const char *path, char *err, size_t errn) {
  nasm_modes m;
  if (!nasm_modes_read(path, NULL, &m, err, errn, NULL)) return false;
  bool ok = m.first_line == 0;
  if (m.first_line > 0)
    snprintf(err, errn, "%s:%d: only 16-bit code can be searched: nasm is in %d-bit mode from here ('%s')",
             path, m.first_line, m.first_bits, m.first_text);
  else if (!ok)
    snprintf(err, errn, "%s: only 16-bit code can be searched: an included file puts nasm in %d-bit mode"
             " ('%s')", path, m.first_bits, m.first_text);
  nasm_modes_free(&m);
  return ok;
}

/* Map byte offsets to listing line numbers (with no macros or includes the
 * listing's line numbers are the source's). */
static int read_listing(const char *lst, int *line_of_addr, size_t nbytes) {
  FILE *f = fopen(lst, "r");
  if (!f) return -1;
  char buf[512];
  while (fgets(buf, sizeof buf, f)) {
    buf[strcspn(buf, "\r\n")] = 0;
    int ln, level;
    uint32_t addr;
    const char *hex, *text;
    if (listing_line(buf, &ln, &addr, &hex, &level, &text) && addr < nbytes &&
        isxdigit((unsigned char)hex[0]) && line_of_addr[addr] == 0)
      line_of_addr[addr] = ln;
  }
  fclose(f);
  /* bytes the listing does not list (`times`, the rest of a long line)
     belong to the line listed before them */
  for (size_t a = 1; a < nbytes; a++)
    if (!line_of_addr[a]) line_of_addr[a] = line_of_addr[a - 1];
  return 0;
}

static char **read_source_lines(const char *path, int *nlines) {
  FILE *f = fopen(path, "r");
  if (!f) return NULL;
  char **lines = NULL, *buf = NULL;
  size_t cap = 0, bufn = 0;
  int n = 0;
  ssize_t got;
  while ((got = getline(&buf, &bufn, f)) >= 0) {
    if ((size_t)n + 1 >= cap) {
      cap = cap ? cap * 2 : 256;
      char **g = realloc(lines, cap * sizeof *g);
      if (!g) break;
      lines = g;
    }
    buf[strcspn(buf, "\r\n")] = 0;
    lines[n++] = strdup(buf);
  }
  bool failed = ferror(f) != 0;
  int e = errno;
  free(buf);
  fclose(f);
  if (failed) {
    for (int i = 0; i < n; i++) free(lines[i]);
    free(lines);
    errno = e;
    return NULL;
  }
  if (!lines) lines = calloc(1, sizeof *lines);
  *nlines = n;
  return lines;
}

static void free_lines(char **lines, int n) {
  for (int i = 0; i < n; i++) free(lines[i]);
  free(lines);
}

bool snippet_tail_form(const insn *in) {
  return in->op == OP_JCC || in->op == OP_JCXZ || in->op == OP_LOOP || in->op == OP_LOOPE ||
         in->op == OP_LOOPNE;
}

bool snippet_transfer_form(const insn *in) {
  if (in->cc != ISA_NEAR) return false;
  if (in->op == OP_RET) return in->size != 4 && !in->prefix;
  if (in->op != OP_JMP && in->op != OP_CALL) return false;
  return in->o[0].kind == K_REL || ((in->o[0].kind == K_REG || in->o[0].kind == K_MEM) &&
                                    in->o[0].size == 2);
}

bool snippet_closer_form(const insn *in) { return snippet_tail_form(in) || snippet_transfer_form(in); }

/* a closer that names its target by a displacement */
static bool rel_closer(const insn *in) { return snippet_closer_form(in) && in->o[0].kind == K_REL; }

/* The closing branch: where it goes, and the target's text from the source
 * line (after the mnemonic and a `short`/`near`, up to a comment). */
static bool read_tail(snippet *s, insn *in, int end, int nbin, const char *text, int line,
                      char *err, size_t errn) {
  s->tail_transfer = snippet_transfer_form(in);
  if (!rel_closer(in)) {   /* jmp bx, call [di], ret: where it goes is read */
    s->has_tail = true;
    return true;
  }
  int target = end + in->o[0].disp;
  if (target > 0 && target < nbin) {
    snprintf(err, errn, "%s:%d: the branch goes inside the snippet (offset %d); its target must be"
             " at the start or after the end", s->path, line, target);
    return false;
  }
  s->has_tail = true;
  s->tail_target = target;
  const char *p = text;
  while (isspace((unsigned char)*p)) p++;
  const char *colon = strchr(p, ':');   /* a label before the mnemonic */
  if (colon && colon < p + strcspn(p, " \t")) p = colon + 1;
  while (isspace((unsigned char)*p)) p++;
  p += strcspn(p, " \t");              /* the mnemonic */
  while (isspace((unsigned char)*p)) p++;
  for (int k = 0; k < 2; k++) {
    static const char *const kw[2] = {"short", "near"};
    size_t n = strlen(kw[k]);
    if (!strncasecmp(p, kw[k], n) && isspace((unsigned char)p[n])) {
      p += n;
      while (isspace((unsigned char)*p)) p++;
    }
  }
  size_t n = strcspn(p, ";");
  while (n && isspace((unsigned char)p[n - 1])) n--;
  if (n == 0 || n >= sizeof s->tail_label) n = 0;
  snprintf(s->tail_label, sizeof s->tail_label, "%.*s", (int)n, p);
  if (s->tail_transfer) {
    /* the target label is a symbolic constant: a jcc or a call through a
       register in its place must go to the same label */
    if (s->nsym >= ISA_NSYM || !n) {
      snprintf(err, errn, "%s:%d: the transfer's target must be a label", s->path, line);
      return false;
    }
    int k = s->nsym++;
    s->sym_value[k] = (uint16_t)target;
    s->sym_label[k] = -1;
    snprintf(s->sym_name[k], sizeof s->sym_name[k], "%s", s->tail_label);
    in->o[0].sym = (uint8_t)(k + 1);
  }
  return true;
}

static int encoded_length(const insn *seq, int n) {
  int bytes = 0;
  for (int i = 0; i < n; i++) {
    insn t = seq[i];
    uint8_t code[ISA_MAX_LEN];
    int len = isa_encode(&t, code);
    if (len < 0) return -1;
    bytes += len;
  }
  return bytes;
}

int snippet_seq_text(const snippet *s, const insn *seq, int n, char *buf, size_t bufn) {
  size_t k = 0;
  if (bufn) buf[0] = 0;
  for (int i = 0; i < n && k + 1 < bufn; i++) {
    if (i) k += (size_t)snprintf(buf + k, bufn - k, "; ");
    if (k + 1 >= bufn) break;
    char t[160];
    isa_print(&seq[i], t, sizeof t);
    if (i == n - 1 && s->has_tail && s->tail_label[0] && rel_closer(&seq[i])) {
      /* the mnemonic, `near` where it is one (nasm picks short otherwise;
         a call is always near) */
      t[strcspn(t, " ")] = 0;
      bool near = seq[i].o[0].size == 2 && seq[i].op != OP_CALL;
      k += (size_t)snprintf(buf + k, bufn - k, "%s %s%s", t, near ? "near " : "", s->tail_label);
    } else {
      k += (size_t)snprintf(buf + k, bufn - k, "%s", t);
    }
  }
  if (k >= bufn && bufn) k = bufn - 1;
  return (int)k;
}

bool snippet_place_tail(const snippet *s, insn *seq, int n) {
  if (!s->has_tail || n == 0 || !rel_closer(&seq[n - 1])) return true;
  int len = encoded_length(seq, n);
  if (len < 0) return false;
  /* code after the window moves with it; code before it stays */
  int target = s->tail_target <= 0 ? s->tail_target : s->tail_target - s->bytes + len;
  insn placed = seq[n - 1];
  uint8_t code[ISA_MAX_LEN];
  int before = isa_encode(&placed, code);
  placed.o[0].disp = target - len;
  /* a short jcc out of reach would be encoded near: another length */
  if (isa_encode(&placed, code) != before) return false;
  seq[n - 1] = placed;
  return true;
}

static bool decode_bytes(snippet *s, const uint8_t *bin, size_t nbin, const int *line_of_addr,
                         char **src, int nsrc, char *err, size_t errn) {
  size_t off = 0;
  s->n = 0;
  while (off < nbin) {
    int line = line_of_addr[off] ? line_of_addr[off] : 0;
    char word[64] = "?";
    if (line > 0 && line <= nsrc) first_word(src[line - 1], word, sizeof word);
    if (s->n >= SNIPPET_MAX_INSNS) {
      snprintf(err, errn, "%s:%d: more than %d instructions", s->path, line, SNIPPET_MAX_INSNS);
      return false;
    }
    char why[128] = "";
    insn in;
    int len = isa_decode(bin + off, nbin - off, &in, why, sizeof why);
    if (len <= 0) {
      snprintf(err, errn, "%s:%d: unsupported instruction '%s'%s%s", s->path, line, word,
               why[0] ? ": " : "", why);
      return false;
    }
    isa_effects e;
    isa_effects_of(&in, &e);
    if (e.branch && (!snippet_closer_form(&in) || off + (size_t)len != nbin)) {
      snprintf(err, errn, "%s:%d: '%s' ends a basic block; a snippet is straight-line code"
               " (it may end in one conditional branch or near jmp, call or ret)", s->path, line,
               word);
      return false;
    }
    if (e.branch && !read_tail(s, &in, (int)(off + (size_t)len), (int)nbin,
                               line > 0 && line <= nsrc ? src[line - 1] : "", line, err, errn))
      return false;
    s->code[s->n] = in;
    s->line[s->n] = line;
    s->n++;
    off += (size_t)len;
  }
  s->bytes = (int)nbin;
  memcpy(s->raw, bin, nbin);
  s->nraw = (int)nbin;
  return true;
}

bool snippet_read(const char *path, snippet *out, char *err, size_t errn) {
  memset(out, 0, sizeof *out);
  snprintf(out->path, sizeof out->path, "%s", path);
  out->live_out = LOC_ALL;
  struct stat sb;
  if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
    snprintf(err, errn, "%s: is a directory, not a snippet file", path);
    return false;
  }
  int nsrc = 0;
  char **src = read_source_lines(path, &nsrc);
  if (!src) {
    snprintf(err, errn, "%s: cannot read: %s", path, strerror(errno));
    return false;
  }
  bool ok = false, saw_live = false;
  int saw_taken = 0;
  out->live_taken = LOC_ALL;
  for (int i = 0; i < nsrc; i++) {
    if (!parse_directive(out, src[i], i + 1, &saw_live, &saw_taken, err, errn)) goto done;
    int cpu;
    if (nasm_cpu_directive(src[i], &cpu)) snippet_limit_cpu(out, cpu);
  }
  if (!saw_live) out->live_out = LOC_ALL;
  if (!sixteen_bit_mode(path, err, errn)) goto done;

  char dir[] = "/tmp/snippetXXXXXX";
  if (!mkdtemp(dir)) {
    snprintf(err, errn, "%s: cannot create a temporary directory: %s", path, strerror(errno));
    goto done;
  }
  char bin[64], lst[64], log[64];
  snprintf(bin, sizeof bin, "%s/out.bin", dir);
  snprintf(lst, sizeof lst, "%s/out.lst", dir);
  snprintf(log, sizeof log, "%s/nasm.err", dir);
  int rc = run_nasm(path, bin, lst, log);
  if (rc != 0) {
    char first[512];
    nasm_first_line(log, first, sizeof first);
    if (rc < 0 || rc == 127)
      snprintf(err, errn, "%s: cannot run nasm", path);
    else
      nasm_error(first, src, nsrc, err, errn);
  } else {
    uint8_t buf[MAX_BIN + 1];
    FILE *f = fopen(bin, "rb");
    size_t nbin = f ? fread(buf, 1, sizeof buf, f) : 0;
    if (f) fclose(f);
    if (nbin > MAX_BIN) {
      snprintf(err, errn, "%s: more than %d bytes of code", path, MAX_BIN);
    } else {
      int line_of_addr[MAX_BIN + 1] = {0};
      read_listing(lst, line_of_addr, nbin);
      ok = decode_bytes(out, buf, nbin, line_of_addr, src, nsrc, err, errn);
      if (ok && saw_taken && !(out->has_tail && (out->tail_transfer || out->tail_label[0]))) {
        snprintf(err, errn, "%s:%d: live-taken: the snippet does not end in a branch to a label",
                 path, saw_taken);
        ok = false;
      }
      out->next_ip = (uint16_t)nbin;
      out->live_fall = out->live_out;
      /* a transfer has no fall-through: live-out (and live-taken, if
         given) name what is live where it goes */
      if (ok && out->tail_transfer && !saw_taken) out->live_taken = 0;
      if (ok && out->has_tail) out->live_out |= out->live_taken | LOC_BR;
      if (ok && out->tail_transfer) out->live_out |= LOC_IP;
    }
  }
  unlink(bin);
  unlink(lst);
  unlink(log);
  rmdir(dir);
done:
  free_lines(src, nsrc);
  return ok;
}

int snippet_cpu(const snippet *s) { return s->has_cpu ? s->cpu : CPU_386; }

void snippet_limit_cpu(snippet *s, int cpu) {
  if (!s->has_cpu || cpu < s->cpu) s->cpu = (uint8_t)cpu;
  s->has_cpu = true;
}

insn snippet_fact_insn(const snippet *s, int i, int op) {
  return fact_insn(&s->assume[i], &s->assume_mem[i], op);
}

static bool mem_fact_holds(const snippet *s, int i, const isa_state *st) {
  isa_state t = *st;
  t.nwrites = 0;
  t.fault = 0;
  insn cmp = snippet_fact_insn(s, i, OP_CMP);
  isa_exec(&t, &cmp);
  return !t.fault && (t.flags & F_ZF);
}

bool snippet_assumptions_hold(const snippet *s, const isa_state *st) {
  for (int i = 0; i < s->nassume; i++) {
    if (s->assume[i].kind == ASSUME_MEM) {
      if (!mem_fact_holds(s, i, st)) return false;
      continue;
    }
    uint32_t v = isa_loc_get(st, s->assume[i].loc);
    if (s->assume[i].kind == ASSUME_EQ ? v != s->assume[i].value : v >= s->assume[i].value)
      return false;
  }
  return true;
}

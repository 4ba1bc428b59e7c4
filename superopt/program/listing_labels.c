/* Which label's address a relocated operand holds.  The operand's source
 * text must be a label plus or minus numbers (registers beside it in a
 * memory operand), and the label's address in the image plus that offset
 * must be the value nasm put in the bytes; anything else (an expression,
 * an equ, `$`) stays an address operand and out of windows. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "program/listing.h"

static bool ident_start(int c) { return isalpha(c) || c == '_' || c == '.' || c == '?' || c == '@'; }
static bool ident_char(int c) {
  return isalnum(c) || c == '_' || c == '.' || c == '?' || c == '@' || c == '$' || c == '#' || c == '~';
}

int64_t program_label_value(const program *p, int k) {
  if (k < 0 || k >= p->nlabels || p->labels[k].item < 0) return -1;
  return (int64_t)p->org + p->it[p->labels[k].item].off;
}

bool program_label_is_equ(const program *p, int k) {
  const char *s = p->src[p->labels[k].line - 1];
  const char *c = strchr(s, ':');
  if (!c) return false;
  for (c++; isspace((unsigned char)*c); c++) {}
  return !strncasecmp(c, "equ", 3) && (isspace((unsigned char)c[3]) || !c[3]);
}

/* The label `name` as seen from source line `line`: a local one (.x)
 * belongs to the last non-local label defined before that line; A.x is
 * local .x of A. */
static int find_label(const program *p, const char *name, int line) {
  const char *dot = name[0] != '.' ? strchr(name, '.') : NULL;
  if (dot) {
    char owner[64];
    snprintf(owner, sizeof owner, "%.*s", (int)(dot - name), name);
    int o = find_label(p, owner, line);
    if (o < 0) return -1;
    for (int k = o + 1; k < p->nlabels && p->labels[k].local; k++)
      if (!strcmp(p->labels[k].name, dot)) return program_label_is_equ(p, k) ? -1 : k;
    return -1;
  }
  if (name[0] != '.') {
    for (int k = 0; k < p->nlabels; k++)
      if (!p->labels[k].local && !strcmp(p->labels[k].name, name)) return program_label_is_equ(p, k) ? -1 : k;
    return -1;
  }
  int owner = -1;
  for (int k = 0; k < p->nlabels; k++)
    if (!p->labels[k].local && p->labels[k].line <= line) owner = k;
  int from = owner < 0 ? 0 : owner + 1;
  for (int k = from; k < p->nlabels && (p->labels[k].local || k == owner); k++)
    if (!strcmp(p->labels[k].name, name)) return program_label_is_equ(p, k) ? -1 : k;
  return -1;
}

static bool word_is(const char *s, size_t n, const char *w) {
  return strlen(w) == n && !strncasecmp(s, w, n);
}

/* "label", "label+2", "bx+label-1" (registers only in memory): the label's
 * name and the numbers' sum.  False for anything else. */
static bool parse_terms(const char *s, const char *end, bool memory, char *name, size_t namen,
                        int32_t *off) {
  static const char *const regs[] = {"bx", "bp", "si", "di", NULL};
  name[0] = 0;
  *off = 0;
  bool first = true;
  while (s < end) {
    while (s < end && isspace((unsigned char)*s)) s++;
    if (s == end) break;
    int sign = 1;
    if (*s == '+' || *s == '-') {
      sign = *s == '-' ? -1 : 1;
      s++;
      while (s < end && isspace((unsigned char)*s)) s++;
    } else if (!first) {
      return false;
    }
    first = false;
    const char *t = s;
    if (s < end && isdigit((unsigned char)*s)) {
      while (s < end && isalnum((unsigned char)*s)) s++;
      char num[32];
      if ((size_t)(s - t) >= sizeof num) return false;
      memcpy(num, t, (size_t)(s - t));
      num[s - t] = 0;
      char *e;
      size_t L = strlen(num);
      long v;
      if (L > 1 && (num[L - 1] == 'h' || num[L - 1] == 'H')) {
        num[L - 1] = 0;
        v = strtol(num, &e, 16);
      } else {
        v = strtol(num, &e, 0);
      }
      if (*e) return false;
      *off += (int32_t)(sign * v);
    } else if (s < end && ident_start((unsigned char)*s)) {
      while (s < end && ident_char((unsigned char)*s)) s++;
      size_t n = (size_t)(s - t);
      bool reg = false;
      for (int r = 0; regs[r]; r++) reg |= word_is(t, n, regs[r]);
      if (reg) {
        if (!memory || sign < 0) return false;
      } else {
        if (name[0] || sign < 0 || n >= namen) return false;
        memcpy(name, t, n);
        name[n] = 0;
      }
    } else {
      return false;
    }
  }
  return name[0] != 0;
}

/* A source line's code after its label (if any) and its mnemonic. */
static const char *after_mnemonic(const char *code) {
  const char *s = code;
  while (isspace((unsigned char)*s)) s++;
  const char *w = s;
  while (ident_char((unsigned char)*s)) s++;
  const char *after = s;
  while (isspace((unsigned char)*after)) after++;
  if (*after == ':' && s > w) {            /* a label first: skip it */
    s = after + 1;
    while (isspace((unsigned char)*s)) s++;
    while (ident_char((unsigned char)*s)) s++;
  }
  return s;
}

/* One operand's text: size words, then a number-like expression or a
 * memory reference with an optional segment. */
static bool operand_label(const char *s, const char *end, char *name, size_t namen, int32_t *off) {
  static const char *const words[] = {"byte", "word", "dword", "near", "short", NULL};
  for (;;) {
    while (s < end && isspace((unsigned char)*s)) s++;
    const char *t = s;
    while (s < end && isalpha((unsigned char)*s)) s++;
    bool kw = false;
    for (int w = 0; words[w]; w++) kw |= word_is(t, (size_t)(s - t), words[w]);
    if (!kw || s == t) {
      s = t;
      break;
    }
  }
  while (end > s && isspace((unsigned char)end[-1])) end--;
  if (s < end && *s == '[') {
    if (end[-1] != ']') return false;
    s++;
    end--;
    const char *colon = memchr(s, ':', (size_t)(end - s));
    if (colon) s = colon + 1;
    return parse_terms(s, end, true, name, namen, off);
  }
  return parse_terms(s, end, false, name, namen, off);
}

/* Resolve every relocated operand of item i; true when all are labels. */
static bool resolve_item(program *p, int i) {
  prog_item *it = &p->it[i];
  if (it->level != 0 || it->line < 1 || it->line > p->nsrc || !it->decoded) return false;
  char code[512];
  const char *line = p->src[it->line - 1];
  size_t n = (size_t)(nasm_comment(line) - line);
  if (n >= sizeof code) return false;
  memcpy(code, line, n);
  code[n] = 0;
  const char *s = after_mnemonic(code);
  /* operands, split at top-level commas */
  const char *start[4], *stop[4];
  int nt = 0, depth = 0;
  start[0] = s;
  for (const char *c = s;; c++) {
    if (*c == '[' || *c == '(') depth++;
    else if (*c == ']' || *c == ')') depth--;
    else if (*c == '\'' || *c == '"' || *c == '`') return false;
    if (*c == 0 || (*c == ',' && depth == 0)) {
      if (nt == 3) return false;
      stop[nt++] = c;
      if (!*c) break;
      start[nt] = c + 1;
    }
  }
  if (nt != it->in.nops) return false;
  int resolved = 0;
  for (int o = 0; o < it->in.nops; o++) {
    const operand *op = &it->in.o[o];
    it->sym_label[o] = 0;
    bool word_imm = op->kind == K_IMM && op->size == 2;
    bool addr16 = op->kind == K_MEM && !op->addr32;
    if (!word_imm && !addr16) continue;
    char name[64];
    int32_t off;
    if (!operand_label(start[o], stop[o], name, sizeof name, &off)) continue;
    int k = find_label(p, name, it->line);
    int64_t v = program_label_value(p, k);
    if (v < 0 || (uint16_t)(v + off) != (uint16_t)op->disp) continue;
    it->sym_label[o] = k + 1;
    it->sym_off[o] = off;
    resolved++;
  }
  if (resolved != it->nrval) {
    memset(it->sym_label, 0, sizeof it->sym_label);
    return false;
  }
  return true;
}

/* Does the operand text of source line `line` (after its label and
 * mnemonic) name a position: a label, `$` or `$$`?  nasm relocates only a
 * label plus a constant; a difference (`msg-start`, `$-$$`) or a product
 * is assembled as a plain number that still changes when code shrinks. */
static bool names_position(const program *p, const char *code, int line) {
  const char *s = after_mnemonic(code);
  char q = 0;
  for (; *s; s++) {
    if (q) {
      if (*s == q) q = 0;
      continue;
    }
    if (*s == '\'' || *s == '"' || *s == '`') {
      q = *s;
    } else if (*s == '$' && !isalnum((unsigned char)s[1]) && s[1] != '_') {
      return true;
    } else if (isdigit((unsigned char)*s)) {
      while (isalnum((unsigned char)s[1])) s++;
    } else if (ident_start((unsigned char)*s) || *s == '$') {
      const char *t = s;
      if (*s == '$') t++;    /* $name: the name, not an operator */
      while (ident_char((unsigned char)s[1])) s++;
      char name[64];
      size_t n = (size_t)(s + 1 - t);
      if (n == 0 || n >= sizeof name) continue;
      memcpy(name, t, n);
      name[n] = 0;
      if (find_label(p, name, line) >= 0) return true;
    }
  }
  return false;
}

void listing_label_operands(program *p) {
  /* a position nasm does not relocate: out of windows, and no fact from it */
  for (int i = 0; i < p->n; i++) {
    prog_item *it = &p->it[i];
    if (it->reloc || !it->decoded || it->level != 0 || it->line < 1 || it->line > p->nsrc) continue;
    if (it->why == EX_CONTROL) continue;
    const char *line = p->src[it->line - 1];
    char code[512];
    size_t n = (size_t)(nasm_comment(line) - line);
    if (n >= sizeof code) n = sizeof code - 1;
    memcpy(code, line, n);
    code[n] = 0;
    if (!names_position(p, code, it->line)) continue;
    it->reloc = true;
    if (it->why == EX_NONE) it->why = EX_ADDRESS;
  }
  for (int i = 0; i < p->n; i++)
    if (p->it[i].why == EX_ADDRESS && p->it[i].nrval > 0 && resolve_item(p, i))
      p->it[i].why = EX_NONE;
}

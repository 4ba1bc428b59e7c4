/* The new instructions in the author's words (see edit_text.h). */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "splice/edit_text.h"

static const char *const prefixes[] = {"rep", "repe", "repz", "repne", "repnz", "lock",
                                       "es", "cs", "ss", "ds", "fs", "gs", "o16", "o32",
                                       "a16", "a32", NULL};

static bool is_prefix(const char *w, size_t n) {
  for (int i = 0; prefixes[i]; i++)
    if (strlen(prefixes[i]) == n && !strncasecmp(w, prefixes[i], n)) return true;
  return false;
}

size_t text_label_prefix(const char *line) {
  const char *s = line;
  while (*s == ' ' || *s == '\t') s++;
  const char *e = s;
  while (isalnum((unsigned char)*e) || strchr("_.?@$#~", *e)) e++;
  if (e == s) return 0;
  const char *c = e;
  while (*c == ' ' || *c == '\t') c++;
  return *c == ':' ? (size_t)(c + 1 - line) : 0;
}

static void trim(char *s) {
  size_t k = strlen(s);
  while (k && isspace((unsigned char)s[k - 1])) s[--k] = 0;
  size_t b = 0;
  while (isspace((unsigned char)s[b])) b++;
  memmove(s, s + b, strlen(s + b) + 1);
}

bool text_split(const char *code, text_insn *t) {
  memset(t, 0, sizeof *t);
  const char *s = code;
  while (*s == ' ' || *s == '\t') s++;
  /* mnemonic, with the prefixes written before it */
  const char *m = s;
  for (;;) {
    const char *e = s;
    while (*e && !isspace((unsigned char)*e)) e++;
    bool pre = is_prefix(s, (size_t)(e - s));
    s = e;
    if (!pre) break;
    while (*s == ' ' || *s == '\t') s++;
    if (!*s) break;
  }
  snprintf(t->mnem, sizeof t->mnem, "%.*s", (int)(s - m), m);
  const char *g = s;
  while (*s == ' ' || *s == '\t') s++;
  snprintf(t->gap, sizeof t->gap, "%.*s", (int)(s - g), g);
  snprintf(t->sep, sizeof t->sep, ", ");
  /* operands at top level: commas inside brackets or quotes do not split */
  int depth = 0;
  char quote = 0;
  const char *start = s;
  for (const char *c = s;; c++) {
    if (quote) {
      if (*c == quote) quote = 0;
      else if (!*c) return false;
      continue;
    }
    if (*c == '\'' || *c == '"' || *c == '`') quote = *c;
    else if (*c == '[' || *c == '(') depth++;
    else if (*c == ']' || *c == ')') depth--;
    if ((*c == ',' && depth == 0) || !*c) {
      if (t->nops == 3) return false;
      snprintf(t->op[t->nops], sizeof t->op[0], "%.*s", (int)(c - start), start);
      trim(t->op[t->nops]);
      if (t->op[t->nops][0]) t->nops++;
      if (*c == ',') {
        const char *n = c + 1, *e = n;
        while (*e == ' ' || *e == '\t') e++;
        snprintf(t->sep, sizeof t->sep, ",%.*s", (int)(e - n) < 8 ? (int)(e - n) : 7, n);
        start = c + 1;
      }
      if (!*c) break;
    }
  }
  return true;
}

/* Same operand, whatever size the access has (the keyword is handled
 * apart: see size_keyword). */
static bool same_operand(const operand *a, const operand *b, bool ignore_mem_size) {
  if (a->kind != b->kind) return false;
  switch (a->kind) {
  case K_REG: return a->size == b->size && a->reg == b->reg;
  case K_SREG: return a->reg == b->reg;
  case K_IMM: return a->disp == b->disp && a->sym == b->sym;
  case K_MEM:
    return (ignore_mem_size || a->size == b->size) && a->seg == b->seg && a->sym == b->sym &&
           a->seg_explicit == b->seg_explicit && a->addr32 == b->addr32 && a->base == b->base &&
           a->index == b->index && a->scale == b->scale && a->disp == b->disp;
  default: return false;
  }
}

static bool same_insn(const insn *a, const insn *b) {
  if (a->op != b->op || a->size != b->size || a->cc != b->cc || a->nops != b->nops ||
      a->prefix != b->prefix)
    return false;
  for (int i = 0; i < a->nops; i++)
    if (!same_operand(&a->o[i], &b->o[i], false)) return false;
  return true;
}

static bool has_size_keyword(const char *op, size_t *len) {
  static const char *const kw[] = {"byte", "word", "dword", "qword", "short", "near", "strict", NULL};
  for (int i = 0; kw[i]; i++) {
    size_t l = strlen(kw[i]);
    if (!strncasecmp(op, kw[i], l) && isspace((unsigned char)op[l])) {
      if (len) *len = l;
      return true;
    }
  }
  return false;
}

/* A number as written, not a name: then the printed form is as good. */
static bool plain_number(const char *s) {
  size_t k = 0;
  has_size_keyword(s, &k);
  s += k;
  while (isspace((unsigned char)*s)) s++;
  if (*s == '-' || *s == '+') s++;
  if (!isdigit((unsigned char)*s)) return false;
  for (; *s; s++)
    if (!isalnum((unsigned char)*s)) return false;
  return true;
}

/* Item i's relocated operands are all labels the listing resolved. */
static bool labels_resolved(const prog_item *it) {
  if (!it->reloc) return true;
  int n = 0;
  for (int o = 0; o < 3; o++) n += it->sym_label[o] != 0;
  return n > 0 && n == it->nrval;
}

/* Item i's instruction in the window's terms: a label operand becomes the
 * edit's symbolic constant (k+1 and the offset), or 0xff (none of the
 * edit's) so that it equals no new operand. */
static insn item_insn(const program *p, const splice_edit *e, int i) {
  insn in = p->it[i].in;
  for (int o = 0; o < in.nops; o++) {
    int lab = p->it[i].sym_label[o] - 1;
    if (lab < 0) continue;
    in.o[o].sym = 0xff;
    for (int k = 0; k < e->nsym; k++)
      if (e->sym_label[k] == lab) {
        in.o[o].sym = (uint8_t)(k + 1);
        in.o[o].disp = p->it[i].sym_off[o];
      }
  }
  return in;
}

/* The source text of one operand of item i, when its line reads as the
 * decoded instruction (same number of operands). */
static bool item_operand_text(const program *p, int i, int o, char *out, size_t n) {
  const prog_item *it = &p->it[i];
  if (!it->decoded || it->level != 0 || !labels_resolved(it)) return false;
  const char *line = p->src[it->line - 1];
  size_t lp = text_label_prefix(line);
  char code[512];
  snprintf(code, sizeof code, "%.*s", (int)(nasm_comment(line) - line - (long)lp), line + lp);
  text_insn t;
  if (!text_split(code, &t) || t.nops != it->in.nops || o >= t.nops) return false;
  snprintf(out, n, "%s", t.op[o]);
  return true;
}

/* Source text for operand `want` (access size `size` bytes, printed as
 * `printed`): first from the window's own lines, then (for a constant or
 * an absolute address written as a name) from any line of the program
 * that is not relocated, so a label's address is never taken for a
 * number that only equals it; a constant's name only where the program
 * writes it into the same destination. */
static bool operand_source(const program *p, const splice_edit *e, const insn *in, int which,
                           char *out, size_t n) {
  const operand *want = &in->o[which];
  for (int pass = 0; pass < 2; pass++) {
    int from = pass == 0 ? e->a : 0, to = pass == 0 ? e->b : p->n - 1;
    if (pass == 1 && (want->sym || !(want->kind == K_IMM ||
                                     (want->kind == K_MEM && want->base < 0 && want->index < 0))))
      break;
    for (int i = from; i <= to; i++) {
      const prog_item *it = &p->it[i];
      if (!it->decoded) continue;
      insn in_w = item_insn(p, e, i);
      for (int o = 0; o < it->in.nops; o++) {
        if (!same_operand(&in_w.o[o], want, true)) continue;
        if (pass == 1 && it->reloc) continue;
        char text[128];
        if (!item_operand_text(p, i, o, text, sizeof text)) continue;
        if (pass == 1 && plain_number(text)) continue;
        /* a name for a constant only in the role the program gives it:
         * the same destination */
        if (pass == 1 && want->kind == K_IMM &&
            (which == 0 || o == 0 || !same_operand(&it->in.o[0], &in->o[0], false)))
          continue;
        snprintf(out, n, "%s", text);
        return true;
      }
    }
  }
  return false;
}

/* A window that turns a constant into an absolute address (`mov esi, BLOB`
 * -> `lea esi, [BLOB]`): the address is written with the constant's own
 * text from the window's lines, which the proof equates with it. */
static bool address_from_constant(const program *p, const splice_edit *e, const operand *want,
                                  char *out, size_t n) {
  if (want->kind != K_MEM || want->base >= 0 || want->index >= 0 || want->sym || want->addr32)
    return false;
  for (int i = e->a; i <= e->b; i++) {
    const prog_item *it = &p->it[i];
    if (!it->decoded || it->reloc) continue;
    for (int o = 0; o < it->in.nops; o++) {
      const operand *c = &it->in.o[o];
      char text[128];
      if (c->kind != K_IMM || c->sym || (uint32_t)c->disp != (uint32_t)(uint16_t)want->disp ||
          !item_operand_text(p, i, o, text, sizeof text) || plain_number(text))
        continue;
      snprintf(out, n, "%s", text);
      return true;
    }
  }
  return false;
}

/* The printed memory operand `op` (`[0x1400]`, `word [es:0x1400]`) with the
 * address between the brackets written as `name`. */
static void name_address(char *op, size_t n, const char *name) {
  char *lb = strchr(op, '['), *rb = lb ? strchr(lb, ']') : NULL;
  if (!rb) return;
  char *addr = lb + 1, *colon = memchr(addr, ':', (size_t)(rb - addr));
  if (colon) addr = colon + 1;
  char out[200];
  snprintf(out, sizeof out, "%.*s%s%s", (int)(addr - op), op, name, rb);
  snprintf(op, n, "%s", out);
}

static void with_case(char *s, bool upper) {
  if (!upper) return;
  for (; *s; s++) *s = (char)toupper((unsigned char)*s);
}

/* A window's closing branch or jmp/call goes where the old one went: the
 * old line's target text (the author's label), after the new mnemonic; `near` only
 * where the new form is near (nasm picks the short form otherwise, and a
 * short one that cannot reach fails the byte check). */
static bool render_tail(const program *p, const splice_edit *e, int k, const text_insn *style,
                        bool upper, char *out, size_t n) {
  const insn *in = &e->code[k];
  const prog_item *old = &p->it[e->b];
  if (k != e->n - 1 || !snippet_closer_form(in) || in->o[0].kind != K_REL || !old->decoded ||
      old->level != 0 || !snippet_closer_form(&old->in) || old->in.o[0].kind != K_REL)
    return false;
  const char *line = p->src[old->line - 1];
  size_t lp = text_label_prefix(line);
  char code[512];
  snprintf(code, sizeof code, "%.*s", (int)(nasm_comment(line) - line - (long)lp), line + lp);
  trim(code);
  text_insn t;
  if (!text_split(code, &t) || t.nops != 1) return false;
  const char *target = t.op[0];
  static const char *const kw[2] = {"short", "near"};
  for (int i = 0; i < 2; i++) {
    size_t kl = strlen(kw[i]);
    if (!strncasecmp(target, kw[i], kl) && isspace((unsigned char)target[kl])) {
      target += kl;
      while (isspace((unsigned char)*target)) target++;
    }
  }
  char mnem[160];
  isa_print(in, mnem, sizeof mnem);
  mnem[strcspn(mnem, " ")] = 0;
  with_case(mnem, upper);
  bool near = in->o[0].size == 2 && in->op != OP_CALL;   /* a call is always near */
  snprintf(out, n, "%s%s%s%s", mnem, style->gap[0] ? style->gap : " ",
           near ? (upper ? "NEAR " : "near ") : "", target);
  return true;
}

/* The printer writes symbolic constant k as `symk` (`sym0+0x1`,
 * `[bx+sym0-0x2]`): put the label's name there, as the source spells it. */
static void label_name(char *op, size_t n, const splice_edit *e, int k, bool upper) {
  char token[16];
  snprintf(token, sizeof token, upper ? "SYM%d" : "sym%d", k);
  char *at = strstr(op, token);
  if (!at || k >= e->nsym) return;
  char out[200];
  snprintf(out, sizeof out, "%.*s%s%s", (int)(at - op), op, e->sym_name[k], at + strlen(token));
  /* hex digits printed in upper case stay valid; 0X is not nasm's */
  for (char *x = strstr(out, "0X"); x; x = strstr(x, "0X")) x[1] = 'x';
  /* an offset below 10 reads as the author writes it: msg+1 */
  char *d = out + (at - op) + strlen(e->sym_name[k]);
  if ((d[0] == '+' || d[0] == '-') && d[1] == '0' && d[2] == 'x' && isdigit((unsigned char)d[3]) &&
      !isxdigit((unsigned char)d[4]))
    memmove(d + 1, d + 3, strlen(d + 3) + 1);
  snprintf(op, n, "%s", out);
}

void text_render(const program *p, const splice_edit *e, int k, const text_insn *style,
                 bool upper, char *out, size_t n) {
  const insn *in = &e->code[k];
  /* an instruction the window already had: its line's text as written */
  for (int i = e->a; i <= e->b; i++) {
    const prog_item *it = &p->it[i];
    insn in_w = item_insn(p, e, i);
    if (!it->decoded || it->level != 0 || !labels_resolved(it) || !same_insn(&in_w, in)) continue;
    const char *line = p->src[it->line - 1];
    size_t lp = text_label_prefix(line);
    char code[512];
    snprintf(code, sizeof code, "%.*s", (int)(nasm_comment(line) - line - (long)lp), line + lp);
    trim(code);
    snprintf(out, n, "%s", code);
    return;
  }
  if (render_tail(p, e, k, style, upper, out, n)) return;
  char printed[160];
  isa_print(in, printed, sizeof printed);
  text_insn pt;
  if (!text_split(printed, &pt) || pt.nops != in->nops) {
    snprintf(out, n, "%s", printed);
    return;
  }
  size_t w = 0;
  char mnem[32];
  snprintf(mnem, sizeof mnem, "%s", pt.mnem);
  with_case(mnem, upper);
  w += (size_t)snprintf(out + w, n - w, "%s", mnem);
  for (int o = 0; o < pt.nops && w < n; o++) {
    char src[128], op[200];
    if (operand_source(p, e, in, o, src, sizeof src)) {
      size_t kl = 0;
      /* the printed keyword where the author had none and the form needs it */
      if (has_size_keyword(pt.op[o], &kl) && !has_size_keyword(src, NULL))
        snprintf(op, sizeof op, "%.*s %s", (int)kl, pt.op[o], src);
      else
        snprintf(op, sizeof op, "%s", src);
    } else {
      snprintf(op, sizeof op, "%s", pt.op[o]);
      with_case(op, upper);
      if (in->o[o].sym) label_name(op, sizeof op, e, in->o[o].sym - 1, upper);
      else if (address_from_constant(p, e, &in->o[o], src, sizeof src)) name_address(op, sizeof op, src);
    }
    w += (size_t)snprintf(out + w, n - w, "%s%s", o ? style->sep : (style->gap[0] ? style->gap : " "), op);
  }
}

int text_match(const program *p, const splice_edit *e, int *match) {
  int nold = e->b - e->a + 1;
  bool taken[SNIPPET_MAX_INSNS + 1] = {false};
  for (int k = 0; k < e->n; k++) match[k] = -1;
  /* 1: the same instruction */
  for (int k = 0; k < e->n; k++)
    for (int j = 0; j < nold && j <= SNIPPET_MAX_INSNS; j++) {
      insn old = item_insn(p, e, e->a + j);
      if (!taken[j] && p->it[e->a + j].decoded && same_insn(&old, &e->code[k])) {
        match[k] = j;
        taken[j] = true;
        break;
      }
    }
  /* 2: the one old instruction that had a constant or memory operand the
   * new one keeps */
  for (int k = 0; k < e->n; k++) {
    if (match[k] >= 0) continue;
    int found = -1, count = 0;
    for (int j = 0; j < nold && j <= SNIPPET_MAX_INSNS; j++) {
      if (taken[j] || !p->it[e->a + j].decoded) continue;
      insn old_w = item_insn(p, e, e->a + j);
      const insn *old = &old_w;
      bool shares = false;
      for (int a = 0; a < e->code[k].nops; a++)
        for (int b = 0; b < old->nops; b++)
          if ((e->code[k].o[a].kind == K_IMM || e->code[k].o[a].kind == K_MEM) &&
              same_operand(&e->code[k].o[a], &old->o[b], true))
            shares = true;
      if (shares) {
        found = j;
        count++;
      }
    }
    if (count == 1) {
      match[k] = found;
      taken[found] = true;
    }
  }
  /* 3: the one old instruction with the same destination */
  for (int k = 0; k < e->n; k++) {
    if (match[k] >= 0 || e->code[k].nops == 0) continue;
    int found = -1, count = 0;
    for (int j = 0; j < nold && j <= SNIPPET_MAX_INSNS; j++) {
      const prog_item *it = &p->it[e->a + j];
      insn old_w = item_insn(p, e, e->a + j);
      if (!taken[j] && it->decoded && it->in.nops > 0 &&
          same_operand(&old_w.o[0], &e->code[k].o[0], false)) {
        found = j;
        count++;
      }
    }
    if (count == 1) {
      match[k] = found;
      taken[found] = true;
    }
  }
  /* 4: as many new as old: the same place */
  if (e->n == nold)
    for (int k = 0; k < e->n; k++)
      if (match[k] < 0 && !taken[k]) {
        match[k] = k;
        taken[k] = true;
      }
  int unmatched = 0;
  for (int j = 0; j < nold && j <= SNIPPET_MAX_INSNS; j++) unmatched += !taken[j];
  return unmatched;
}

void text_trim_unchanged(const program *p, splice_edit *e) {
  while (e->n > 1 && e->a < e->b) {
    insn old = item_insn(p, e, e->a);
    if (!p->it[e->a].decoded || !same_insn(&old, &e->code[0])) break;
    memmove(e->code, e->code + 1, sizeof e->code[0] * (size_t)(e->n - 1));
    e->n--;
    e->a++;
  }
  /* (a closing branch is placed for the new length: it stays in the edit) */
  while (e->n > 1 && e->a < e->b && !snippet_tail_form(&e->code[e->n - 1])) {
    insn old = item_insn(p, e, e->b);
    if (!p->it[e->b].decoded || !same_insn(&old, &e->code[e->n - 1])) break;
    e->n--;
    e->b--;
  }
}

bool text_style(const program *p, const splice_edit *e, text_insn *style) {
  const char *line = p->src[p->it[e->a].line - 1];
  size_t lp = text_label_prefix(line);
  char code[512];
  snprintf(code, sizeof code, "%.*s", (int)(nasm_comment(line) - line - (long)lp), line + lp);
  if (!text_split(code, style)) text_split("nop", style);
  bool upper = false, lower = false;
  for (const char *c = style->mnem; *c; c++) {
    upper = upper || isupper((unsigned char)*c);
    lower = lower || islower((unsigned char)*c);
  }
  return upper && !lower;
}

void text_new_lines(const program *p, const splice_edit *e, char *out, size_t n) {
  text_insn style;
  bool upper = text_style(p, e, &style);
  size_t k = 0;
  out[0] = 0;
  for (int i = 0; i < e->n && k + 1 < n; i++) {
    char t[400];
    text_render(p, e, i, &style, upper, t, sizeof t);
    k += (size_t)snprintf(out + k, n - k, "%s%s", i ? "; " : "", t);
  }
}

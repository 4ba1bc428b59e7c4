/* Classifying listing items from their source text: data or code, the
 * `; superopt: keep` annotation, labels, decoding, and the reasons an item
 * cannot be part of a window.
 *
 * Annotation: a line whose only content is `; superopt: keep` starts a kept
 * region that ends at a line `; superopt: end` (or the end of the file); a
 * `; superopt: keep` comment after code keeps that one line. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "program/listing.h"

static const char *const data_words[] = {
  "db", "dw", "dd", "dq", "dt", "do", "dy", "dz", "resb", "resw", "resd", "resq",
  "rest", "reso", "resy", "resz", "times", "incbin", "align", "alignb", "istruc",
  "iend", "at", NULL,
};

static bool is_ident_start(int c) { return isalpha(c) || c == '_' || c == '.' || c == '?' || c == '@' || c == '%' || c == '$'; }
static bool is_ident(int c) { return isalnum(c) || c == '_' || c == '.' || c == '?' || c == '@' || c == '$' || c == '#' || c == '~' || c == '%'; }

const char *nasm_comment(const char *s) {
  char q = 0;
  for (; *s; s++) {
    if (q) {
      if (*s == q) q = 0;
    } else if (*s == '"' || *s == '\'' || *s == '`') {
      q = *s;
    } else if (*s == ';') {
      break;
    }
  }
  return s;
}

/* Copy the code part of a source line; *comment is its comment or NULL. */
static void strip_comment(const char *s, char *out, size_t n, const char **comment) {
  const char *c = nasm_comment(s);
  size_t k = (size_t)(c - s) < n ? (size_t)(c - s) : n - 1;
  memcpy(out, s, k);
  out[k] = 0;
  *comment = *c ? c : NULL;
}

static bool is_data_word(const char *w) {
  for (int i = 0; data_words[i]; i++)
    if (!strcasecmp(w, data_words[i])) return true;
  return false;
}

/* Split "label: mnemonic rest" into label (may be empty) and the first word
 * after it.  Returns a pointer to the rest after the first word. */
static const char *split_line(const char *code, char *label, size_t ln, char *word, size_t wn) {
  const char *s = code;
  label[0] = word[0] = 0;
  while (isspace((unsigned char)*s)) s++;
  const char *w0 = s;
  if (is_ident_start((unsigned char)*s)) {
    const char *e = s;
    while (is_ident((unsigned char)*e)) e++;
    const char *after = e;
    while (*after == ' ' || *after == '\t') after++;
    if (*after == ':') {
      snprintf(label, ln, "%.*s", (int)(e - s), s);
      s = after + 1;
      while (isspace((unsigned char)*s)) s++;
    } else {
      /* "msg db ..." : a label without colon before a data word */
      char second[32] = {0};
      const char *f = after;
      size_t k = 0;
      while (is_ident((unsigned char)*f) && k + 1 < sizeof second) second[k++] = *f++;
      if (k && (is_data_word(second) || !strcasecmp(second, "equ"))) {
        if (strcasecmp(second, "equ")) snprintf(label, ln, "%.*s", (int)(e - s), s);
        s = after;
      }
    }
  }
  (void)w0;
  size_t k = 0;
  while (is_ident((unsigned char)*s) && k + 1 < wn) word[k++] = (char)tolower((unsigned char)*s++);
  word[k] = 0;
  return s;
}

static uint32_t parse_number(const char *s) {
  while (isspace((unsigned char)*s)) s++;
  char *end;
  unsigned long v = strtoul(s, &end, 0);
  if (*end == 'h' || *end == 'H') v = strtoul(s, NULL, 16);
  return (uint32_t)v;
}

/* The org line as written: only a fallback, since it may name an equ or
 * sit in an %if branch nasm did not take. */
static uint32_t org_line(const program *p) {
  for (int i = 0; i < p->nsrc; i++) {
    char code[512], label[64], word[32];
    const char *c;
    strip_comment(p->src[i], code, sizeof code, &c);
    char *s = code;
    while (isspace((unsigned char)*s)) s++;
    if (*s == '[') s++;
    const char *rest = split_line(s, label, sizeof label, word, sizeof word);
    if (!strcmp(word, "org")) return parse_number(rest);
  }
  return 0;
}

/* The origin nasm assembled at, from a relocated operand: its bytes hold
 * the address, the listing its offset in the section.  The first decoded
 * item with one relocated value and one address-sized constant operand
 * decides; without one, the org line. */
static uint32_t nasm_origin(const program *p) {
  for (int i = 0; i < p->n; i++) {
    const prog_item *it = &p->it[i];
    if (!it->decoded || !it->reloc || it->nrval != 1) continue;
    int found = 0;
    uint32_t v = 0;
    for (int o = 0; o < it->in.nops; o++) {
      const operand *op = &it->in.o[o];
      if ((op->kind == K_IMM && op->size >= 2) || (op->kind == K_MEM && op->base < 0 && op->index < 0)) {
        v = (uint32_t)op->disp;
        found++;
      }
    }
    if (found == 1) return (v - it->rval[0]) & 0xffff;
  }
  return org_line(p);
}

/* keep[i] for source line i+1 */
static bool *annotation_map(const program *p) {
  bool *keep = calloc((size_t)p->nsrc + 1, 1);
  bool region = false;
  for (int i = 0; i < p->nsrc; i++) {
    char code[512];
    const char *comment;
    strip_comment(p->src[i], code, sizeof code, &comment);
    bool has_code = false;
    for (char *s = code; *s; s++)
      if (!isspace((unsigned char)*s)) has_code = true;
    bool is_keep = comment && strstr(comment, "superopt: keep");
    bool is_end = comment && strstr(comment, "superopt: end");
    if (is_keep && !has_code) region = true;
    keep[i] = region || is_keep;
    if (is_end) region = false;
  }
  return keep;
}

static void add_label(program *p, const char *name, int line) {
  p->labels = realloc(p->labels, sizeof *p->labels * (size_t)(p->nlabels + 1));
  prog_label *l = &p->labels[p->nlabels++];
  snprintf(l->name, sizeof l->name, "%s", name);
  l->line = line;
  l->local = name[0] == '.' || name[0] == '%';
  l->item = -1;
  for (int i = 0; i < p->n; i++)
    if (p->it[i].line >= line) {
      l->item = i;
      break;
    }
}

/* Mark code read as data: from the item addressed until the next label. */
static void mark_read_as_data(program *p, uint32_t target) {
  int t = program_item_containing(p, target);
  if (t < 0 || !p->it[t].is_code) return;
  for (int k = t; k < p->n && p->it[k].is_code; k++) {
    if (k > t && p->it[k].labeled) break;
    if (p->it[k].why != EX_KEEP) p->it[k].why = EX_CODE_AS_DATA;
  }
}

void listing_classify(program *p) {
  bool *keep = annotation_map(p);
  for (int i = 0; i < p->nsrc; i++) {
    char code[512], label[64], word[32];
    const char *c;
    strip_comment(p->src[i], code, sizeof code, &c);
    split_line(code, label, sizeof label, word, sizeof word);
    if (label[0]) add_label(p, label, i + 1);
  }
  for (int k = 0; k < p->nlabels; k++)
    if (p->labels[k].item >= 0 && p->labels[k].line <= p->it[p->labels[k].item].line)
      p->it[p->labels[k].item].labeled = true;

  for (int i = 0; i < p->n; i++) {
    prog_item *it = &p->it[i];
    const char *text = it->level == 0 && it->line >= 1 && it->line <= p->nsrc
                           ? p->src[it->line - 1] : it->text;
    char code[512], label[64], word[32];
    const char *c;
    strip_comment(text, code, sizeof code, &c);
    const char *rest = split_line(code, label, sizeof label, word, sizeof word);
    it->is_code = word[0] && !is_data_word(word);
    if (!strcmp(word, "times") && strchr(rest, '$')) {
      it->padding = true;
      p->padding_bytes += it->len;
    }
    if (!it->is_code) {
      it->why = EX_DATA;
    } else {
      char e[96] = "";
      int r = isa_decode(p->image + it->off, (size_t)it->len, &it->in, e, sizeof e);
      if (r == it->len) {
        it->decoded = true;
      } else {
        it->why = EX_UNSUPPORTED;
        if (r > 0) snprintf(it->err, sizeof it->err, "decodes as %d of its %d bytes", r, it->len);
        else snprintf(it->err, sizeof it->err, "%s", e[0] ? e : "not a modelled form");
      }
    }
    if (it->why == EX_NONE && it->decoded) {
      isa_effects ef;
      isa_effects_of(&it->in, &ef);
      if (ef.branch) it->why = EX_CONTROL;
      else if (!ef.searchable) it->why = EX_NOT_SEARCHABLE;
      else if (it->reloc) it->why = EX_ADDRESS;
      else if (it->level > 0) it->why = EX_MACRO;
    } else if (it->why == EX_NONE && it->level > 0) {
      it->why = EX_MACRO;
    }
    if (it->line >= 1 && it->line <= p->nsrc && keep[it->line - 1]) it->why = EX_KEEP;
  }
  free(keep);
  p->org = nasm_origin(p);
  listing_label_operands(p);

  /* addresses used as values: taken (a possible indirect target) or, in a
   * memory operand, code read as data */
  for (int i = 0; i < p->n; i++) {
    prog_item *it = &p->it[i];
    for (int r = 0; r < it->nrval; r++) {
      int t = program_item_containing(p, it->rval[r]);
      if (t >= 0) p->it[t].addr_taken = true;
    }
    if (!it->decoded) continue;
    for (int o = 0; o < it->in.nops; o++) {
      const operand *op = &it->in.o[o];
      if (op->kind != K_MEM) continue;
      /* [bx+4] is not an address; [label+bx] (relocated) and [0x7c10] are */
      if (!it->reloc && (op->base >= 0 || op->index >= 0)) continue;
      uint32_t d = (uint32_t)op->disp & 0xffff;
      if (d >= p->org && d < p->org + p->size) mark_read_as_data(p, d - p->org);
    }
  }
}

/* Source rewriting (see edit.h). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "splice/edit.h"
#include "splice/edit_text.h"
#include "sys/run.h"

typedef struct {
  char *s;
  size_t n, cap;
} sbuf;

static void put(sbuf *b, const char *s) {
  size_t k = strlen(s);
  if (b->n + k + 1 > b->cap) {
    b->cap = (b->n + k + 1) * 2;
    b->s = realloc(b->s, b->cap);
  }
  memcpy(b->s + b->n, s, k + 1);
  b->n += k;
}

/* Column (tabs to 8) where text[0..n) ends. */
static int column_of(const char *text, size_t n) {
  int col = 0;
  for (size_t i = 0; i < n && text[i]; i++) col = text[i] == '\t' ? (col / 8 + 1) * 8 : col + 1;
  return col;
}

/* A new line: code, then the author's comment at the column it had (or two
 * spaces after the code when that is too far left), then the tag. */
static void code_line(sbuf *b, const char *code, const char *comment, int comment_col,
                      const char *tag, const char *eol) {
  char tmp[1200];
  size_t k = (size_t)snprintf(tmp, sizeof tmp, "%s", code);
  if (*comment || tag) {
    int col = column_of(tmp, k), want = *comment ? comment_col : 0;
    int pad = want > col + 1 ? want - col : 2;
    k += (size_t)snprintf(tmp + k, sizeof tmp - k, "%*s", pad, "");
  }
  if (*comment) k += (size_t)snprintf(tmp + k, sizeof tmp - k, "%s%s", comment, tag ? " " : "");
  if (tag && k < sizeof tmp) snprintf(tmp + k, sizeof tmp - k, "%s", tag);
  put(b, tmp);
  put(b, eol);
}

/* Is source line i blank or only a comment? */
static bool comment_only(const program *p, int i) {
  const char *s = p->src[i - 1];
  while (isspace((unsigned char)*s)) s++;
  return !*s || *s == ';';
}

/* Which old line (0-based in the window) each new instruction goes to:
 * the one it stands for, an unmatched one with the next that stands for
 * one (or the last), so that full-line comments between the window's lines
 * stay between the instructions they were between.  All go to the first
 * line when the matches are out of order or something other than a comment
 * lies between the window's lines. */
static void place_new(const program *p, const splice_edit *e, const int *match, int *group) {
  bool spread = e->n > 0;
  for (int i = e->a; i < e->b && spread; i++)
    for (int l = p->it[i].line + 1; l < p->it[i + 1].line; l++) spread = spread && comment_only(p, l);
  int last = 0;
  for (int k = 0; k < e->n && spread; k++)
    if (match[k] >= 0) {
      if (match[k] < last) spread = false;
      last = match[k];
    }
  for (int k = e->n - 1, next = last; k >= 0; k--) {
    if (spread && match[k] >= 0) next = match[k];
    group[k] = spread ? next : 0;
  }
  if (e->n > 0) group[0] = 0;   /* the label and the proof's tag lead */
  for (int k = 1; k < e->n; k++)
    if (group[k] < group[k - 1]) group[k] = group[k - 1];
}

/* Old line j of the window (0-based) as its share of the new instructions:
 * line 0 keeps its label and carries the proof's tag; each new instruction
 * keeps the comment of the old one it stands for (edit_text.h), and a
 * comment no new instruction takes stays, on a line of its own, at its
 * place. */
static int emit_edit(sbuf *b, const program *p, splice_edit *e, int j0, const char *line,
                     const char *eol) {
  size_t lp = j0 == 0 ? text_label_prefix(line) : 0;
  char indent[64];
  if (lp) {   /* indent like the window's next line (after the label) */
    const char *next = e->b > e->a ? p->src[p->it[e->a + 1].line - 1] : "        ";
    size_t w = 0;
    while ((next[w] == ' ' || next[w] == '\t') && w + 1 < sizeof indent) w++;
    snprintf(indent, sizeof indent, "%.*s", (int)(w ? w : 8), w ? next : "        ");
  } else {
    size_t w = 0;
    while ((line[w] == ' ' || line[w] == '\t') && w + 1 < sizeof indent) w++;
    snprintf(indent, sizeof indent, "%.*s", (int)w, line);
  }
  text_insn style;
  bool upper = text_style(p, e, &style);
  int match[SNIPPET_MAX_INSNS];
  text_match(p, e, match);
  bool taken[SNIPPET_MAX_INSNS + 1] = {false};
  for (int k = 0; k < e->n; k++)
    if (match[k] >= 0) taken[match[k]] = true;
  int group[SNIPPET_MAX_INSNS];
  place_new(p, e, match, group);
  bool spread = false;
  for (int k = 0; k < e->n; k++) spread = spread || group[k] > 0;
  int lines = 0;
  for (int j = 0; j <= e->b - e->a && j <= SNIPPET_MAX_INSNS; j++) {
    if (spread ? j != j0 : j0 != 0) continue;
    const char *c = nasm_comment(p->src[p->it[e->a + j].line - 1]);
    if (taken[j] || !*c) continue;
    put(b, indent);
    put(b, c);
    put(b, eol);
    lines++;
  }
  char tag[128];
  snprintf(tag, sizeof tag, "; superopt: %s%s", e->tag, e->n ? "" : " (sequence removed)");
  for (int k = 0; k < e->n || (k == 0 && e->n == 0 && j0 == 0); k++) {
    if (e->n && group[k] != j0) continue;
    char text[400] = "", code[600];
    if (e->n) text_render(p, e, k, &style, upper, text, sizeof text);
    if (k == 0 && lp) {
      /* after a label, keep the spacing the line had */
      size_t g = 0;
      while (line[lp + g] == ' ' || line[lp + g] == '\t') g++;
      snprintf(code, sizeof code, "%.*s%.*s%s", (int)lp, line, (int)(g ? g : 1), g ? line + lp : " ", text);
    } else {
      snprintf(code, sizeof code, "%s%s", indent, text);
    }
    const char *c = "";
    int col = 0;
    if (e->n && match[k] >= 0) {
      const char *old = p->src[p->it[e->a + match[k]].line - 1];
      c = nasm_comment(old);
      col = column_of(old, (size_t)(c - old));
    }
    code_line(b, code, c, col, k == 0 ? tag : NULL, eol);
    lines++;
  }
  return lines;
}

/* Each source line's own ending as the file has it ("\r\n", "\n", or ""
 * for a last line without one): the listing reader drops them, and a patch
 * must not touch the lines it does not change. */
static const char **line_endings(const program *p) {
  const char **end = malloc(sizeof *end * ((size_t)p->nsrc + 1));
  for (int i = 0; i < p->nsrc; i++) end[i] = "\n";
  size_t n = 0;
  char *raw = read_whole_file(p->path, &n);
  if (!raw) return end;
  int line = 0;
  for (size_t k = 0; k < n && line < p->nsrc; k++)
    if (raw[k] == '\n') end[line++] = k > 0 && raw[k - 1] == '\r' ? "\r\n" : "\n";
  if (line < p->nsrc && n > 0 && raw[n - 1] != '\n') end[p->nsrc - 1] = "";
  free(raw);
  return end;
}

char *splice_apply(const program *p, splice_edit *const *edits, int nedits, size_t *len) {
  return splice_apply_fill(p, edits, nedits, 0, NULL, len);
}

char *splice_apply_fill(const program *p, splice_edit *const *edits, int nedits,
                        int fill_before_line, const char *fill_text, size_t *len) {
  /* role of each source line: 0 keep, k+1 a line of edit k (which one of
     the window's lines: at[]) */
  int *role = calloc((size_t)p->nsrc + 1, sizeof *role);
  int *at = calloc((size_t)p->nsrc + 1, sizeof *at);
  for (int k = 0; k < nedits; k++) {
    const splice_edit *e = edits[k];
    for (int i = e->a; i <= e->b; i++) {
      role[p->it[i].line - 1] = k + 1;
      at[p->it[i].line - 1] = i - e->a;
    }
  }
  sbuf b = {0};
  int out_line = 0;
  const char **end = line_endings(p);
  for (int i = 0; i < p->nsrc; i++) {
    const char *line = p->src[i];
    const char *eol = end[i][0] ? end[i] : "\n";
    if (nedits > 0 && fill_text && i + 1 == fill_before_line) {
      put(&b, fill_text);
      put(&b, eol);
      out_line++;
    }
    if (role[i] == 0) {
      put(&b, line);
      put(&b, end[i]);
      out_line++;
      continue;
    }
    splice_edit *e = edits[role[i] - 1];
    if (at[i] == 0) e->new_first_line = out_line + 1;
    int n = emit_edit(&b, p, e, at[i], line, eol);
    out_line += n;
    /* through the last new line; comment lines between belong to the span */
    if (n > 0 || at[i] == 0) e->new_nlines = out_line - e->new_first_line + 1;
  }
  free(role);
  free(at);
  free(end);
  if (!b.s) put(&b, "");
  *len = b.n;
  return b.s;
}

bool splice_bytes_match(const program *after, const splice_edit *e, char *why, size_t whyn) {
  uint16_t vals[ISA_NSYM] = {0};
  for (int k = 0; k < e->nsym && k < ISA_NSYM; k++) {
    int64_t v = program_label_value(after, e->sym_label[k]);
    if (v < 0 || strcmp(after->labels[e->sym_label[k]].name, e->sym_name[k])) {
      snprintf(why, whyn, "label %d of the window has no address in the spliced program", e->sym_label[k]);
      return false;
    }
    vals[k] = (uint16_t)v;
  }
  insn bound[SNIPPET_MAX_INSNS];
  memcpy(bound, e->code, sizeof *bound * (size_t)e->n);
  isa_bind_syms(bound, e->n, vals);
  uint8_t got[SNIPPET_MAX_INSNS * ISA_MAX_LEN];
  int ng = 0;
  int64_t start = -1;   /* the new lines' address in the spliced image */
  for (int i = 0; i < after->n; i++) {
    const prog_item *it = &after->it[i];
    if (it->line < e->new_first_line || it->line >= e->new_first_line + e->new_nlines) continue;
    if (ng + it->len > (int)sizeof got) break;
    if (start < 0) start = (int64_t)after->org + it->off;
    memcpy(got + ng, after->image + it->off, (size_t)it->len);
    ng += it->len;
  }
  uint8_t want[SNIPPET_MAX_INSNS * ISA_MAX_LEN];
  int nw = 0;
  for (int k = 0; k < e->n; k++) {
    insn c = bound[k];
    int l = isa_encode(&c, want + nw);
    /* a closing jmp/call to a label (its symbolic constant, which the proof
       leaves free) reaches that label where the spliced image has it */
    const operand *rel = &e->code[k].o[0];
    if (l > 0 && rel->kind == K_REL && rel->sym && rel->sym <= e->nsym && start >= 0) {
      c = bound[k];
      c.o[0].disp = (int32_t)(vals[rel->sym - 1] - (start + nw + l));
      if (c.o[0].size == 1 && (c.o[0].disp < -128 || c.o[0].disp > 127)) l = -1;
      else if (isa_encode(&c, want + nw) != l) l = -1;
    }
    if (l < 0) {
      snprintf(why, whyn, "replacement instruction %d does not encode", k + 1);
      return false;
    }
    nw += l;
  }
  if (ng != nw || memcmp(got, want, (size_t)nw) != 0) {
    snprintf(why, whyn, "nasm assembled the new lines %d-%d to %d bytes, the proof is about %d",
             e->new_first_line, e->new_first_line + e->new_nlines - 1, ng, nw);
    return false;
  }
  return true;
}

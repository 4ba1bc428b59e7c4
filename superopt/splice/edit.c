/* Source rewriting (see edit.h). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "splice/edit.h"

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

/* Length of a leading "label:" (with the whitespace before it), 0 if none. */
static size_t label_prefix(const char *line) {
  const char *s = line;
  while (*s == ' ' || *s == '\t') s++;
  const char *e = s;
  while (isalnum((unsigned char)*e) || strchr("_.?@$#~", *e)) e++;
  if (e == s) return 0;
  const char *c = e;
  while (*c == ' ' || *c == '\t') c++;
  return *c == ':' ? (size_t)(c + 1 - line) : 0;
}


/* Comments of the replaced lines survive: line k's comment goes to new
 * line k when the counts match; otherwise the only one goes to the first. */
static const char *kept_comment(const program *p, const splice_edit *e, int k) {
  int nold = e->b - e->a + 1, with = 0, last = -1;
  for (int i = 0; i < nold; i++)
    if (*nasm_comment(p->src[p->it[e->a + i].line - 1])) {
      with++;
      last = i;
    }
  if (nold == e->n) return k < nold ? nasm_comment(p->src[p->it[e->a + k].line - 1]) : "";
  if (with == 1 && k == 0) return nasm_comment(p->src[p->it[e->a + last].line - 1]);
  return "";
}

char *splice_apply(const program *p, splice_edit *const *edits, int nedits, size_t *len) {
  return splice_apply_fill(p, edits, nedits, 0, NULL, len);
}

char *splice_apply_fill(const program *p, splice_edit *const *edits, int nedits,
                        int fill_before_line, const char *fill_text, size_t *len) {
  /* role of each source line: 0 keep, -1 delete, k+1 first line of edit k */
  int *role = calloc((size_t)p->nsrc + 1, sizeof *role);
  for (int k = 0; k < nedits; k++) {
    const splice_edit *e = edits[k];
    for (int i = e->a; i <= e->b; i++) role[p->it[i].line - 1] = -1;
    role[p->it[e->a].line - 1] = k + 1;
  }
  sbuf b = {0};
  int out_line = 0;
  for (int i = 0; i < p->nsrc; i++) {
    const char *line = p->src[i];
    if (nedits > 0 && fill_text && i + 1 == fill_before_line) {
      put(&b, fill_text);
      put(&b, "\n");
      out_line++;
    }
    if (role[i] == 0) {
      put(&b, line);
      put(&b, "\n");
      out_line++;
      continue;
    }
    if (role[i] < 0) continue;
    splice_edit *e = edits[role[i] - 1];
    size_t lp = label_prefix(line);
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
    e->new_first_line = out_line + 1;
    e->new_nlines = e->n ? e->n : 1;
    char tmp[600];
    for (int k = 0; k < e->n || (k == 0 && e->n == 0); k++) {
      char text[160] = "";
      if (e->n) isa_print(&e->code[k], text, sizeof text);
      if (k == 0) {
        /* after a label, keep the spacing the line had */
        char gap[64] = " ";
        if (lp) {
          size_t g = 0;
          while ((line[lp + g] == ' ' || line[lp + g] == '\t') && g + 1 < sizeof gap) g++;
          if (g) snprintf(gap, sizeof gap, "%.*s", (int)g, line + lp);
        }
        const char *c = kept_comment(p, e, 0);
        snprintf(tmp, sizeof tmp, "%.*s%s%s%s; superopt: %s%s%s%s\n", (int)lp, line,
                 lp ? gap : indent, text, e->n ? "  " : "", e->tag,
                 e->n ? "" : " (sequence removed)", *c ? " " : "", c);
      } else {
        const char *c = kept_comment(p, e, k);
        snprintf(tmp, sizeof tmp, "%s%s%s%s\n", indent, text, *c ? "  " : "", c);
      }
      put(&b, tmp);
      out_line++;
    }
  }
  free(role);
  if (!b.s) put(&b, "");
  *len = b.n;
  return b.s;
}

bool splice_bytes_match(const program *after, const splice_edit *e, char *why, size_t whyn) {
  uint8_t want[SNIPPET_MAX_INSNS * ISA_MAX_LEN];
  int nw = 0;
  for (int k = 0; k < e->n; k++) {
    insn c = e->code[k];
    int l = isa_encode(&c, want + nw);
    if (l < 0) {
      snprintf(why, whyn, "replacement instruction %d does not encode", k + 1);
      return false;
    }
    nw += l;
  }
  uint8_t got[SNIPPET_MAX_INSNS * ISA_MAX_LEN];
  int ng = 0;
  for (int i = 0; i < after->n; i++) {
    const prog_item *it = &after->it[i];
    if (it->line < e->new_first_line || it->line >= e->new_first_line + e->new_nlines) continue;
    if (ng + it->len > (int)sizeof got) break;
    memcpy(got + ng, after->image + it->off, (size_t)it->len);
    ng += it->len;
  }
  if (ng != nw || memcmp(got, want, (size_t)nw) != 0) {
    snprintf(why, whyn, "nasm assembled the new lines %d-%d to %d bytes, the proof is about %d",
             e->new_first_line, e->new_first_line + e->new_nlines - 1, ng, nw);
    return false;
  }
  return true;
}

/* Cutting a program into windows (see window.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "program/window.h"

/* Labels whose addresses items a..b hold, each once: at most max of them,
 * or -1 when there are more. */
static int window_labels(const program *p, int a, int b, int *out, int max) {
  int n = 0;
  for (int i = a; i <= b; i++)
    for (int o = 0; o < 3; o++) {
      int k = p->it[i].sym_label[o] - 1;
      if (k < 0) continue;
      int j = 0;
      while (j < n && out[j] != k) j++;
      if (j < n) continue;
      if (n == max) return -1;
      out[n++] = k;
    }
  return n;
}

int window_list(const program *p, const cfg *g, int max_len, window **out, window_stats *st) {
  memset(st, 0, sizeof *st);
  if (max_len > SNIPPET_MAX_INSNS) max_len = SNIPPET_MAX_INSNS;
  int cap = 256, n = 0;
  window *w = malloc(sizeof *w * (size_t)cap);
  for (int i = 0; i < p->n; i++) {
    const prog_item *it = &p->it[i];
    st->items[it->why]++;
    st->bytes[it->why] += it->len;
    if (it->is_code) st->code_bytes += it->len;
    else st->data_bytes += it->len;
  }
  bool *covered = calloc((size_t)p->n + 1, 1);
  int i = 0;
  while (i < p->n) {
    if (p->it[i].why != EX_NONE) {
      i++;
      continue;
    }
    int j = i;   /* run i..j-1 */
    while (j < p->n && p->it[j].why == EX_NONE &&
           (j == i || (!g->node[j].leader && !p->it[j].labeled)))
      j++;
    for (int a = i; a < j; a++)
      for (int b = a; b < j && b - a + 1 <= max_len; b++) {
        int labels[ISA_NSYM];
        if (window_labels(p, a, b, labels, ISA_NSYM) < 0) continue;
        if (n == cap) {
          cap *= 2;
          w = realloc(w, sizeof *w * (size_t)cap);
        }
        w[n].a = a;
        w[n].b = b;
        w[n].bytes = (int)(p->it[b].off + (uint32_t)p->it[b].len - p->it[a].off);
        covered[a] = covered[b] = true;
        n++;
      }
    i = j;
  }
  for (int k = 0; k < p->n; k++)
    if (covered[k]) st->searched_bytes += p->it[k].len;
  free(covered);
  *out = w;
  return n;
}

void window_snippet(const program *p, const liveness *lv, const window *w, snippet *s) {
  memset(s, 0, sizeof *s);
  snprintf(s->path, sizeof s->path, "%.*s", (int)sizeof s->path - 1, p->path);
  for (int i = w->a; i <= w->b && s->n < SNIPPET_MAX_INSNS; i++) {
    s->code[s->n] = p->it[i].in;
    s->line[s->n] = p->it[i].line;
    s->bytes += p->it[i].len;
    s->n++;
  }
  /* a label's address is a symbolic constant: the proof is for every
     address it may get when code before it shrinks */
  s->nsym = window_labels(p, w->a, w->b, s->sym_label, ISA_NSYM);
  if (s->nsym < 0) s->nsym = 0;
  for (int k = 0; k < s->nsym; k++) {
    s->sym_value[k] = (uint16_t)program_label_value(p, s->sym_label[k]);
    snprintf(s->sym_name[k], sizeof s->sym_name[k], "%s", p->labels[s->sym_label[k]].name);
  }
  for (int i = w->a; i <= w->b; i++)
    for (int o = 0; o < 3; o++) {
      int lab = p->it[i].sym_label[o] - 1;
      if (lab < 0) continue;
      int k = 0;
      while (k < s->nsym && s->sym_label[k] != lab) k++;
      operand *op = &s->code[i - w->a].o[o];
      op->sym = (uint8_t)(k + 1);
      op->disp = p->it[i].sym_off[o];
    }
  s->live_out = lv->live_out[w->b];
  s->nassume = liveness_assumptions(p, lv, w->a, w->b, s->assume, SNIPPET_MAX_ASSUME);
}

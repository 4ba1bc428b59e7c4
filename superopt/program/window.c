/* Cutting a program into windows (see window.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "program/window.h"

/* Item i is a conditional branch a window may end in: its target item, or
 * -1.  (Left out of windows as a control transfer otherwise; a branch that
 * may go anywhere, an operand nasm relocated or a kept line stays out.) */
static int closing_target(const program *p, const cfg *g, int i) {
  if (i < 0 || i >= p->n) return -1;
  const prog_item *it = &p->it[i];
  if (it->why != EX_CONTROL || !it->decoded || it->reloc || !snippet_tail_form(&it->in)) return -1;
  const cfg_node *nd = &g->node[i];
  if (nd->unknown_succ || nd->nsucc != 2 || i + 1 >= p->n) return -1;
  for (int k = 0; k < 2; k++)
    if (nd->succ[k] != i + 1) return nd->succ[k];
  return -1;   /* a branch to the next item */
}

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
    if (p->it[i].why != EX_NONE && closing_target(p, g, i) < 0) {
      i++;
      continue;
    }
    int j = i;   /* run i..j-1 */
    while (j < p->n && p->it[j].why == EX_NONE &&
           (j == i || (!g->node[j].leader && !p->it[j].labeled)))
      j++;
    /* the block's closing branch ends the run's last windows */
    if (j < p->n && closing_target(p, g, j) >= 0 &&
        (j == i || (!g->node[j].leader && !p->it[j].labeled)))
      j++;
    int t = closing_target(p, g, j - 1);
    for (int a = i; a < j; a++)
      for (int b = a; b < j && b - a + 1 <= max_len; b++) {
        bool tail = b == j - 1 && t >= 0;
        if (tail && t > a && t <= b) continue;   /* the branch goes inside the window */
        if (tail && a == b && p->it[b].len <= 2) continue;   /* no closing branch is shorter */
        int labels[ISA_NSYM];
        if (window_labels(p, a, b, labels, ISA_NSYM) < 0) continue;
        if (n == cap) {
          cap *= 2;
          w = realloc(w, sizeof *w * (size_t)cap);
        }
        w[n].a = a;
        w[n].b = b;
        w[n].bytes = (int)(p->it[b].off + (uint32_t)p->it[b].len - p->it[a].off);
        w[n].tail = tail;
        w[n].target = tail ? t : 0;
        covered[a] = covered[b] = true;
        n++;
      }
    i = j;
  }
  for (int k = 0; k < p->n; k++) {
    if (!covered[k]) continue;
    st->searched_bytes += p->it[k].len;
    if (p->it[k].why == EX_CONTROL) {
      st->items[EX_CONTROL]--;
      st->bytes[EX_CONTROL] -= p->it[k].len;
      st->tail_items++;
      st->tail_bytes += p->it[k].len;
    }
  }
  free(covered);
  *out = w;
  return n;
}

/* A window that ends in a conditional branch: the live sets of its two
 * successors, where the target is from the window's start, and the
 * target's label as the source names it. */
static void window_tail(const program *p, const liveness *lv, const window *w, snippet *s) {
  s->has_tail = true;
  s->live_fall = lv->live_in[w->b + 1];
  s->live_taken = lv->live_in[w->target];
  s->live_out = s->live_fall | s->live_taken | LOC_BR;
  s->tail_target = (int32_t)p->it[w->target].off - (int32_t)p->it[w->a].off;
  s->tail_label[0] = 0;
  for (int k = 0; k < p->nlabels; k++)
    if (p->labels[k].item == w->target) {
      snprintf(s->tail_label, sizeof s->tail_label, "%s", p->labels[k].name);
      if (!p->labels[k].local) break;   /* a global name reads better */
    }
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
  s->live_fall = s->live_out;
  s->live_taken = LOC_ALL;
  s->nassume = liveness_assumptions(p, lv, w->a, w->b, s->assume, SNIPPET_MAX_ASSUME);
  if (w->tail) window_tail(p, lv, w, s);
}

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

/* The label the source names item t by: a global one where there is one. */
static int label_of_item(const program *p, int t) {
  int found = -1;
  for (int k = 0; k < p->nlabels; k++)
    if (p->labels[k].item == t) {
      if (found < 0 || (p->labels[found].local && !p->labels[k].local)) found = k;
    }
  return found;
}

/* Item i is a near jmp, call or ret a window may end in: true, with *target
 * the item a displacement goes to (one with a label) or -1 where the target
 * is read (a register, memory, the stack).  Where it goes next is what the
 * CFG says (its live-in is the window's live-out; unknown: all live). */
static bool closing_transfer(const program *p, const cfg *g, int i, int *target) {
  *target = -1;
  if (i < 0 || i >= p->n) return false;
  const prog_item *it = &p->it[i];
  if (it->why != EX_CONTROL || !it->decoded || it->reloc || !snippet_transfer_form(&it->in))
    return false;
  if (it->in.o[0].kind != K_REL) return true;
  /* the item the displacement reaches must be one the CFG knows as a
     successor */
  int t = cfg_rel_target(p, i);
  const cfg_node *nd = &g->node[i];
  bool succ = false;
  for (int k = 0; k < nd->nsucc; k++) succ = succ || nd->succ[k] == t;
  if (t < 0 || !succ || label_of_item(p, t) < 0) return false;
  *target = t;
  return true;
}

/* What may close a window: a conditional branch or a near transfer. */
static bool closer_at(const program *p, const cfg *g, int i) {
  int t;
  return closing_target(p, g, i) >= 0 || closing_transfer(p, g, i, &t);
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

/* The slot among a window's labels (n of them) of a label at item t, or -1. */
static int window_target_slot(const program *p, const int *labels, int n, int t) {
  for (int k = 0; k < n; k++)
    if (p->labels[labels[k]].item == t) return k;
  return -1;
}

/* Why a control transfer closes no window (window.h, CTL_*). */
static int control_reason(const program *p, const cfg *g, int i) {
  const insn *in = &p->it[i].in;
  if (!p->it[i].decoded) return CTL_OTHER;
  if (in->op == OP_INT || in->op == OP_INT3 || in->op == OP_INTO) return CTL_INT;
  if ((in->op == OP_JMP || in->op == OP_CALL || in->op == OP_RET) && in->cc != ISA_NEAR)
    return CTL_FAR;
  if (in->op == OP_HLT) return CTL_HLT;
  if (closer_at(p, g, i) && p->it[i].len <= 2) return CTL_ALONE;
  return CTL_OTHER;
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
    if (p->it[i].why != EX_NONE && !closer_at(p, g, i)) {
      i++;
      continue;
    }
    int j = i;   /* run i..j-1 */
    while (j < p->n && p->it[j].why == EX_NONE &&
           (j == i || (!g->node[j].leader && !p->it[j].labeled)))
      j++;
    /* the block's closing branch or transfer ends the run's last windows */
    if (j < p->n && closer_at(p, g, j) && (j == i || (!g->node[j].leader && !p->it[j].labeled)))
      j++;
    int t = closing_target(p, g, j - 1), tt = -1;
    bool transfer = t < 0 && closing_transfer(p, g, j - 1, &tt);
    if (transfer) t = tt;
    for (int a = i; a < j; a++)
      for (int b = a; b < j && b - a + 1 <= max_len; b++) {
        bool tail = b == j - 1 && (t >= 0 || transfer);
        if (tail && t > a && t <= b) continue;   /* the branch goes inside the window */
        if (tail && a == b && p->it[b].len <= 2) continue;   /* no closing form is shorter */
        int labels[ISA_NSYM + 1];
        int nl = window_labels(p, a, b, labels, ISA_NSYM);
        if (nl < 0) continue;
        if (tail && transfer && t >= 0 && window_target_slot(p, labels, nl, t) < 0 && nl == ISA_NSYM)
          continue;   /* no symbolic constant left for the target */
        if (n == cap) {
          cap *= 2;
          w = realloc(w, sizeof *w * (size_t)cap);
        }
        w[n].a = a;
        w[n].b = b;
        w[n].bytes = (int)(p->it[b].off + (uint32_t)p->it[b].len - p->it[a].off);
        w[n].tail = tail;
        w[n].transfer = tail && transfer;
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
      int t;
      if (closing_transfer(p, g, k, &t)) {
        st->transfer_items++;
        st->transfer_bytes += p->it[k].len;
      } else {
        st->tail_items++;
        st->tail_bytes += p->it[k].len;
      }
    }
  }
  for (int k = 0; k < p->n; k++)
    if (!covered[k] && p->it[k].why == EX_CONTROL) {
      int why = control_reason(p, g, k);
      st->ctl_items[why]++;
      st->ctl_bytes[why] += p->it[k].len;
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
  int k = label_of_item(p, w->target);
  if (k >= 0) snprintf(s->tail_label, sizeof s->tail_label, "%s", p->labels[k].name);
}

/* A window that ends in a near jmp, call or ret: the live set where it goes
 * (liveness joins the successors the CFG gives it, or everything where they
 * are unknown), and for a displacement the target's label, a symbolic
 * constant of the window (the same slot as an operand naming that label). */
static void window_transfer(const program *p, const liveness *lv, const window *w, snippet *s) {
  s->has_tail = true;
  s->tail_transfer = true;
  s->live_taken = lv->live_out[w->b];
  s->live_fall = 0;
  s->live_out = s->live_taken | LOC_BR | LOC_IP;
  s->tail_label[0] = 0;
  if (w->target < 0) return;
  int k = window_target_slot(p, s->sym_label, s->nsym, w->target);
  if (k < 0) {
    k = s->nsym++;
    s->sym_label[k] = label_of_item(p, w->target);
    s->sym_value[k] = (uint16_t)program_label_value(p, s->sym_label[k]);
    snprintf(s->sym_name[k], sizeof s->sym_name[k], "%s", p->labels[s->sym_label[k]].name);
  }
  snprintf(s->tail_label, sizeof s->tail_label, "%s", s->sym_name[k]);
  s->code[s->n - 1].o[0].sym = (uint8_t)(k + 1);
  s->tail_target = (int32_t)p->it[w->target].off - (int32_t)p->it[w->a].off;
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
  s->next_ip = (uint16_t)(p->org + p->it[w->b].off + p->it[w->b].len);
  if (w->transfer) window_transfer(p, lv, w, s);
  else if (w->tail) window_tail(p, lv, w, s);
}

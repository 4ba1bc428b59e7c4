/* Memory bytes a counterexample depends on (see cex_memory.h). */
#include "prove/cex_memory.h"

#include <stdlib.h>

typedef struct {
  unsigned *id;          /* visited AST ids + 1, 0 = empty */
  size_t mask, n;
  uint32_t addr[4 * ISA_MEMINIT];
  int naddr;
  bool overflow;
} walk;

static bool visit_once(walk *w, unsigned id) {
  if (2 * (w->n + 1) > w->mask) {
    size_t cap = 2 * (w->mask + 1);
    unsigned *old = w->id;
    size_t oldcap = w->mask + 1;
    w->id = calloc(cap, sizeof *w->id);
    if (!w->id) {
      w->id = old;
      w->overflow = true;
      return false;
    }
    w->mask = cap - 1;
    for (size_t i = 0; i < oldcap; i++)
      if (old[i]) {
        size_t h = (old[i] * 2654435761u) & w->mask;
        while (w->id[h]) h = (h + 1) & w->mask;
        w->id[h] = old[i];
      }
    free(old);
  }
  size_t h = ((id + 1) * 2654435761u) & w->mask;
  for (; w->id[h]; h = (h + 1) & w->mask)
    if (w->id[h] == id + 1) return false;
  w->id[h] = id + 1;
  w->n++;
  return true;
}

static void note_addr(walk *w, uint32_t a) {
  for (int i = 0; i < w->naddr; i++)
    if (w->addr[i] == a) return;
  if (w->naddr < (int)(sizeof w->addr / sizeof *w->addr)) w->addr[w->naddr++] = a;
  else w->overflow = true;
}

static void collect(Z3_context c, Z3_ast t, walk *w) {
  /* an explicit stack: terms nest deeply (store chains, carry chains) */
  size_t cap = 256, sp = 0;
  Z3_ast *stack = malloc(cap * sizeof *stack);
  if (!stack) {
    w->overflow = true;
    return;
  }
  stack[sp++] = t;
  while (sp) {
    Z3_ast x = stack[--sp];
    if (Z3_get_ast_kind(c, x) != Z3_APP_AST || !visit_once(w, Z3_get_ast_id(c, x))) continue;
    Z3_app app = Z3_to_app(c, x);
    unsigned na = Z3_get_app_num_args(c, app);
    if (Z3_get_decl_kind(c, Z3_get_app_decl(c, app)) == Z3_OP_SELECT && na == 2) {
      uint64_t a;
      if (Z3_get_numeral_uint64(c, Z3_get_app_arg(c, app, 1), &a)) note_addr(w, (uint32_t)a);
    }
    for (unsigned i = 0; i < na; i++) {
      if (sp == cap) {
        Z3_ast *bigger = realloc(stack, 2 * cap * sizeof *stack);
        if (!bigger) {
          w->overflow = true;
          free(stack);
          return;
        }
        stack = bigger;
        cap *= 2;
      }
      stack[sp++] = Z3_get_app_arg(c, app, i);
    }
  }
  free(stack);
}

bool cex_fix_memory(Z3_context c, Z3_model m, const isa_z3_state *init, Z3_ast query,
                    isa_state *cex) {
  Z3_ast from[8 + 6 + FL_COUNT], to[8 + 6 + FL_COUNT];
  unsigned n = 0;
  for (int i = 0; i < 8; i++) from[n++] = init->r[i];
  for (int i = 0; i < 6; i++) from[n++] = init->s[i];
  for (int f = 0; f < FL_COUNT; f++) from[n++] = init->flag[f];
  for (unsigned i = 0; i < n; i++)
    if (!Z3_model_eval(c, m, from[i], true, &to[i])) return false;
  Z3_ast concrete = Z3_simplify(c, Z3_substitute(c, query, n, from, to));
  walk w = {.id = calloc(1024, sizeof(unsigned)), .mask = 1023};
  if (!w.id) return false;
  collect(c, concrete, &w);
  free(w.id);
  bool ok = !w.overflow;
  for (int i = 0; i < w.naddr; i++) {
    bool have = false;
    for (uint32_t j = 0; j < cex->ninit && !have; j++) have = cex->iaddr[j] == w.addr[i];
    if (have) continue;
    Z3_ast v;
    uint64_t byte;
    Z3_ast sel = Z3_mk_select(c, init->mem, Z3_mk_unsigned_int64(c, w.addr[i], Z3_mk_bv_sort(c, 32)));
    if (!Z3_model_eval(c, m, sel, true, &v) || !Z3_get_numeral_uint64(c, v, &byte) ||
        !isa_mem_set_initial(cex, w.addr[i], (uint8_t)byte))
      ok = false;
  }
  return ok;
}

/* Rets matched with the calls of their own function (cfg_returns.h), on
 * small programs worked out by hand in the comments. */
#include <criterion/criterion.h>
#include "program/cfg_returns.h"
#include "program_text.h"

typedef struct {
  program p;
  cfg g;
  liveness lv;
} retctx;

static void load(retctx *c, const char *body) {
  char src[1024], err[256];
  snprintf(src, sizeof src, "bits 16\norg 0x7c00\n%s", body);
  cr_assert(read_text(src, &c->p, err, sizeof err), "%s", err);
  cfg_build(&c->p, &c->g);
  liveness_compute(&c->p, &c->g, &c->lv);
}

static void unload(retctx *c) {
  liveness_free(&c->lv);
  cfg_free(&c->g);
  program_free(&c->p);
}

/* The item of the ret on source line `line`, and its successors as a
 * bit set of items. */
static unsigned succ_bits(const retctx *c, int line, bool *matched) {
  int i = item_on_line(&c->p, line);
  cr_assert_geq(i, 0, "line %d", line);
  const cfg_node *nd = &c->g.node[i];
  unsigned bits = 0;
  for (int k = 0; k < nd->nsucc; k++) bits |= 1u << nd->succ[k];
  *matched = nd->ret_matched;
  return bits;
}

/* Two functions called from different places (lines of the body start
 * at 3):
 *   i0 start: call f
 *   i1 mov ax, bx       site of f: bx live
 *   i2 jmp $
 *   i3 other: call g
 *   i4 mov cx, dx       site of g: dx live
 *   i5 jmp $
 *   i6 f: ret           -> i1 only: bx live there, dx not
 *   i7 g: ret           -> i4 only: dx, not bx
 * (the general rule sends both to i1 and i4: bx and dx live at both) */
Test(returns, each_ret_goes_back_to_its_own_calls) {
  retctx c;
  load(&c,
       "start: call f\n"      /* 3 */
       "  mov ax, bx\n"       /* 4 */
       "  jmp $\n"            /* 5 */
       "other: call g\n"      /* 6 */
       "  mov cx, dx\n"       /* 7 */
       "  jmp $\n"            /* 8 */
       "f: ret\n"             /* 9 */
       "g: ret\n");           /* 10 */
  bool m;
  cr_expect_eq(succ_bits(&c, 9, &m), 1u << 1);
  cr_expect(m);
  cr_expect_eq(succ_bits(&c, 10, &m), 1u << 4);
  cr_expect(m);
  cr_expect_eq(c.g.nret_matched, 2);
  locset f = c.lv.live_in[item_on_line(&c.p, 9)], g = c.lv.live_in[item_on_line(&c.p, 10)];
  cr_expect(f & LOC_R16(R_BX));
  cr_expect(!(f & LOC_R16(R_DX)), "dx is live only after g's call");
  cr_expect(g & LOC_R16(R_DX));
  cr_expect(!(g & LOC_R16(R_BX)), "bx is live only after f's call");
  unload(&c);
}

/* What keeps a ret under the general rule (every return site): the
 * function leaves a word on the stack, pops its return address, moves sp
 * itself, is entered from an address used as a value, or calls a function
 * that does one of these. */
Test(returns, unbalanced_functions_keep_every_return_site) {
  static const char *const bodies[] = {
    "  push ax\n  ret\n",                  /* returns to the pushed ax */
    "  pop ax\n  push bx\n  ret\n",         /* returns to bx at depth 0 */
    "  add sp, 2\n  ret\n",                 /* sp moved by arithmetic */
    "  call h\n  ret\nh: pop ax\n  ret\n",  /* calls a function that pops */
  };
  for (size_t k = 0; k < sizeof bodies / sizeof bodies[0]; k++) {
    char prog[512];
    snprintf(prog, sizeof prog,
             "start: call f\n"     /* 3 */
             "  mov ax, bx\n"      /* 4 */
             "  call g\n"          /* 5 */
             "  mov cx, dx\n"      /* 6 */
             "  jmp $\n"           /* 7 */
             "g: ret\n"            /* 8 */
             "f: nop\n"            /* 9 */
             "%s", bodies[k]);
    retctx c;
    load(&c, prog);
    /* f's last ret is the body's: its line is the one before h (or the last) */
    int fret = -1;
    for (int i = item_on_line(&c.p, 9); i < c.p.n; i++)
      if (c.p.it[i].in.op == OP_RET) {
        fret = i;
        break;
      }
    cr_assert_geq(fret, 0);
    const cfg_node *nd = &c.g.node[fret];
    cr_expect(!nd->ret_matched, "body %zu: %s", k, bodies[k]);
    bool to1 = false, to3 = false;
    for (int s = 0; s < nd->nsucc; s++) {
      to1 = to1 || nd->succ[s] == 1;
      to3 = to3 || nd->succ[s] == 3;
    }
    cr_expect(to1 && to3, "body %zu goes to every return site", k);
    bool m;
    cr_expect_eq(succ_bits(&c, 8, &m), 1u << 3, "g stays matched (body %zu)", k);
    cr_expect(m);
    unload(&c);
  }
}

/* A function whose address is taken may run without a call (a table, a
 * pushed address): its ret keeps the general rule. */
Test(returns, address_taken_function_keeps_every_return_site) {
  retctx c;
  load(&c,
       "start: call f\n"      /* 3 */
       "  mov ax, bx\n"       /* 4 */
       "  mov si, f\n"        /* 5 */
       "  call g\n"           /* 6 */
       "  jmp $\n"            /* 7 */
       "f: ret\n"             /* 8 */
       "g: ret\n");           /* 9 */
  bool m;
  unsigned f = succ_bits(&c, 8, &m);
  cr_expect(!m);
  cr_expect(f & (1u << 4), "after call g too");
  cr_expect_eq(succ_bits(&c, 9, &m), 1u << 4);
  cr_expect(m);
  unload(&c);
}

/* Nested calls: g returns into f, f into the program; a push and pop
 * around the inner call keep f balanced.
 *   i0 start: call f
 *   i1 jmp $
 *   i2 f: push cx
 *   i3 call g            site of g: i4
 *   i4 pop cx
 *   i5 ret               -> i1
 *   i6 g: ret            -> i4 */
Test(returns, nested_calls_match_level_by_level) {
  retctx c;
  load(&c,
       "start: call f\n"      /* 3 */
       "  jmp $\n"            /* 4 */
       "f: push cx\n"         /* 5 */
       "  call g\n"           /* 6 */
       "  pop cx\n"           /* 7 */
       "  ret\n"              /* 8 */
       "g: ret\n");           /* 9 */
  bool m;
  cr_expect_eq(succ_bits(&c, 8, &m), 1u << 1);
  cr_expect(m);
  cr_expect_eq(succ_bits(&c, 9, &m), 1u << 4);
  cr_expect(m);
  unload(&c);
}

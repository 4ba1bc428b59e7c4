/* Successors of indirect jumps and calls (cfg.h's rules) and the liveness
 * they give, on small programs worked out by hand in the comments. */
#include <criterion/criterion.h>
#include "indirect_table.h"
#include "program_text.h"

typedef struct {
  program p;
  cfg g;
  liveness lv;
} indctx;

static void load_with(indctx *c, const char *src, bool indirect_targets) {
  char err[256];
  cr_assert(read_text(src, &c->p, err, sizeof err), "%s", err);
  cfg_build_with(&c->p, indirect_targets, &c->g);
  liveness_compute(&c->p, &c->g, &c->lv);
}

static void unload(indctx *c) {
  liveness_free(&c->lv);
  cfg_free(&c->g);
  program_free(&c->p);
}

static bool has_succ(const cfg_node *nd, int s) {
  for (int k = 0; k < nd->nsucc; k++)
    if (nd->succ[k] == s) return true;
  return false;
}

/* (memory is always live: devices read it) */
static void expect_live(locset got, locset want, const char *what) {
  want |= LOC_MEM;
  char g[256], w[256];
  isa_loc_print(got, g, sizeof g);
  isa_loc_print(want, w, sizeof w);
  cr_expect_eq(got, want, "%s: got '%s', want '%s'", what, g, w);
}

/*   i0 start: mov bx, target
 *   i1 mov ax, 1
 *   i2 jmp bx            -> i5 exactly (bx loaded by i0, not written since)
 *   i3 other: mov cx, 2  (never reached)
 *   i4 jmp other
 *   i5 target: mov dx, ax   live-in {ax}
 *   i6 jmp $                live-in {}
 * Live after the jmp is the target's live-in: ax, nothing else. */
Test(indirect, register_loaded_with_label_is_exact) {
  indctx c;
  load_with(&c,
            "bits 16\n"
            "org 0x7c00\n"
            "start: mov bx, target\n"
            "  mov ax, 1\n"
            "  jmp bx\n"
            "other: mov cx, 2\n"
            "  jmp other\n"
            "target: mov dx, ax\n"
            "  jmp $\n",
            true);
  cr_assert_eq(c.p.n, 7);
  const cfg_node *nd = &c.g.node[2];
  cr_expect_eq(nd->indirect, CFG_IND_LOADED);
  cr_expect(!nd->unknown_succ);
  cr_expect(nd->nsucc == 1 && nd->succ[0] == 5, "jmp bx goes to target only");
  cr_expect_eq(nd->loaded_by, 0);
  expect_live(c.lv.live_out[2], LOC_R16(R_AX), "live after jmp bx");
  char text[256];
  cfg_indirect_text(&c.p, &c.g, 2, text, sizeof text);
  cr_expect_str_eq(text, "-> target (line 8; bx loaded on line 3)");
  cfg_indirect_text(&c.p, &c.g, 1, text, sizeof text);
  cr_expect_str_eq(text, "", "mov ax, 1 is no indirect transfer");
  unload(&c);
}

/* call si with si loaded: the callee is the successor, and its ret goes
 * back to the item after the call (a return site like any call's); the
 * same for call word [tab] through a table.
 *   i0 mov si, f
 *   i1 call si      -> i3
 *   i2 jmp $        return site
 *   i3 f: ret       -> i2 */
Test(indirect, call_through_loaded_register_returns_after_it) {
  indctx c;
  load_with(&c,
            "bits 16\n"
            "  mov si, f\n"
            "  call si\n"
            "  jmp $\n"
            "f: ret\n",
            true);
  cr_assert_eq(c.p.n, 4);
  cr_expect_eq(c.g.node[1].indirect, CFG_IND_LOADED);
  cr_expect(c.g.node[1].nsucc == 1 && c.g.node[1].succ[0] == 3);
  cr_expect(has_succ(&c.g.node[3], 2), "ret returns after the indirect call");
  cr_expect(c.g.node[2].leader, "the return site starts a block");
  unload(&c);
  /* the same through memory: call word [tab] -> f (taken), ret -> i1 */
  load_with(&c, "bits 16\n  call word [tab]\n  jmp $\nf: ret\ntab: dw f\n", true);
  cr_assert_eq(c.p.n, 4);
  cr_expect_eq(c.g.node[0].indirect, CFG_IND_TAKEN);
  cr_expect(c.g.node[0].nsucc == 1 && c.g.node[0].succ[0] == 2);
  cr_expect(has_succ(&c.g.node[2], 1), "ret returns after the call through memory");
  unload(&c);
}

/* A register written between the load and the jump, a label between them
 * (another way in), or a constant that is no code item's address: the
 * register's value is not known, the transfer goes anywhere. */
Test(indirect, register_not_known_falls_back_to_anywhere) {
  static const char *const progs[] = {
    "bits 16\n  mov bx, a\n  inc bx\n  jmp bx\na: nop\n  jmp $\n",
    "bits 16\n  mov bx, a\nb: jmp bx\na: nop\n  jmp b\n",
    "bits 16\n  mov bx, 0x1234\n  jmp bx\na: nop\n  jmp a\n",
    "bits 16\n  mov bx, tab\n  jmp bx\na: nop\n  jmp a\ntab: dw a\n",
  };
  static const int loaded_by[] = {-1, -1, 0, 0};
  for (int k = 0; k < 4; k++) {
    indctx c;
    load_with(&c, progs[k], true);
    int j = item_on_line(&c.p, k == 0 ? 4 : 3);   /* the jmp bx */
    cr_assert(j >= 0);
    const cfg_node *nd = &c.g.node[j];
    cr_expect_eq(nd->indirect, CFG_IND_ANYWHERE, "program %d", k);
    cr_expect(nd->unknown_succ && nd->nsucc == 0, "program %d", k);
    cr_expect_eq(nd->loaded_by, loaded_by[k], "program %d", k);
    cr_expect_eq(c.lv.live_out[j], LOC_ALL, "program %d: everything live after it", k);
    unload(&c);
  }
}

/* indirect_table_prog: jmp word [bx] through a table of a and b (items
 * worked out in indirect_table.h). */
Test(indirect, table_of_labels_gives_those_labels) {
  indctx c;
  load_with(&c, indirect_table_prog, true);
  cr_assert_eq(c.p.n, 9);
  const cfg_node *nd = &c.g.node[1];
  cr_expect_eq(nd->indirect, CFG_IND_TAKEN);
  cr_expect(!nd->unknown_succ);
  cr_expect_eq(nd->nsucc, 2);
  cr_expect(has_succ(nd, 2) && has_succ(nd, 4), "a and b");
  cr_expect_eq(c.g.ntaken, 2, "tab is data, not a code target");
  expect_live(c.lv.live_out[1], LOC_R16(R_CX) | LOC_R16(R_DX), "live after jmp word [bx]");
  expect_live(c.lv.live_in[1], LOC_R16(R_BX) | LOC_R16(R_CX) | LOC_R16(R_DX) | LOC_SEG(S_DS) | LOC_MEM,
              "live before it: the address, the table, the targets' inputs");
  char text[256];
  cfg_indirect_text(&c.p, &c.g, 1, text, sizeof text);
  cr_expect_str_eq(text, "-> 2 address-taken code labels (assumed): a b");
  unload(&c);
}

/* The report names a target by its label, not by an equ defined just
 * before it (nasm's equ names a number, not a position). */
Test(indirect, targets_named_by_their_label_not_an_equ) {
  indctx c;
  load_with(&c, "bits 16\n  jmp word [tab]\nk: equ 5\nhere: mov ax, k\n  jmp $\ntab: dw here\n", true);
  char text[256];
  cfg_indirect_text(&c.p, &c.g, 0, text, sizeof text);
  cr_expect_str_eq(text, "-> 1 address-taken code label (assumed): here");
  unload(&c);
}

Test(indirect, option_off_restores_anywhere) {
  indctx c;
  load_with(&c, indirect_table_prog, false);
  const cfg_node *nd = &c.g.node[1];
  cr_expect_eq(nd->indirect, CFG_IND_ANYWHERE);
  cr_expect(nd->unknown_succ && nd->nsucc == 0);
  cr_expect_eq(c.lv.live_out[1], LOC_ALL);
  char text[256];
  cfg_indirect_text(&c.p, &c.g, 1, text, sizeof text);
  cr_expect_str_eq(text, "-> anywhere (the address-taken assumption is off)");
  unload(&c);
}

/* An address inside an instruction (a+1, the immediate of mov ax, 5) is
 * somewhere a transfer could land with no item to go to: the assumption
 * is dropped.  With no code label taken at all, the same. */
Test(indirect, no_usable_table_falls_back_to_anywhere) {
  indctx c;
  load_with(&c, "bits 16\n  jmp word [tab]\na: mov ax, 5\n  jmp $\ntab: dw a+1\n", true);
  cr_expect_eq(c.g.node[0].indirect, CFG_IND_ANYWHERE);
  cr_expect(c.g.node[0].unknown_succ);
  cr_expect_eq(c.g.taken_inside, 3, "the dw holds it");
  unload(&c);
  load_with(&c, "bits 16\n  jmp word [tab]\na: mov ax, 5\n  jmp $\ntab: dw 0x1234\n", true);
  cr_expect_eq(c.g.node[0].indirect, CFG_IND_ANYWHERE);
  cr_expect_eq(c.g.ntaken, 0);
  char text[256];
  cfg_indirect_text(&c.p, &c.g, 0, text, sizeof text);
  cr_expect_str_eq(text, "-> anywhere (no code label's address is taken)");
  unload(&c);
}

/* Everything is live only in what reaches the unknown transfer:
 *   i0 start: mov cx, 5
 *   i1 test ax, ax
 *   i2 jz other
 *   i3 jmp bx          anywhere: everything live before it
 *   i4 other: mov dx, 1    live-in {} : does not reach i3
 *   i5 mov ax, 2           live-in {}
 *   i6 jmp $               live-in {} */
Test(indirect, unknown_successor_only_for_what_reaches_it) {
  indctx c;
  load_with(&c,
            "bits 16\n"
            "start: mov cx, 5\n"
            "  test ax, ax\n"
            "  jz other\n"
            "  jmp bx\n"
            "other: mov dx, 1\n"
            "  mov ax, 2\n"
            "  jmp $\n",
            true);
  cr_assert_eq(c.p.n, 7);
  cr_expect(c.g.node[3].unknown_succ);
  cr_expect_eq(c.lv.live_out[3], LOC_ALL);
  for (int i = 4; i < 7; i++) expect_live(c.lv.live_in[i], 0, "after other");
  cr_expect_eq(c.lv.live_in[2] & LOC_R16(R_CX), LOC_R16(R_CX), "cx live on the way to jmp bx");
  cr_expect_eq(c.lv.live_in[0] & LOC_R16(R_CX), 0, "killed by mov cx, 5");
  unload(&c);
}

/*   i0 start: mov ax, back
 *   i1 push ax
 *   i2 ret             -> i3 (`back` is pushed; a ret of the program's own
 *                         start keeps the general rule: every return site
 *                         and every address-taken code item)
 *   i3 back: mov dx, cx   live-in {cx}
 *   i4 call f          return site i5
 *   i5 jmp $
 *   i6 f: ret          -> i5 only: f runs only from its call and leaves the
 *                         stack as it found it (cfg_returns.h)
 * `push ax; ret` returns to `back`: cx is live at the first ret. */
Test(indirect, ret_may_return_to_a_pushed_label) {
  indctx c;
  load_with(&c,
            "bits 16\n"
            "org 0x7c00\n"
            "start: mov ax, back\n"
            "  push ax\n"
            "  ret\n"
            "back: mov dx, cx\n"
            "  call f\n"
            "  jmp $\n"
            "f: ret\n",
            false);
  cr_assert_eq(c.p.n, 7);
  const cfg_node *r = &c.g.node[2];
  cr_expect(has_succ(r, 3), "the pushed label");
  cr_expect(has_succ(r, 5), "a return site");
  cr_expect(!r->ret_matched);
  cr_expect(!r->unknown_succ);
  expect_live(c.lv.live_in[2] & (LOC_ALLREGS | LOC_MEM), LOC_R16(R_CX) | LOC_R16(R_SP), "live at the ret");
  const cfg_node *f = &c.g.node[6];
  cr_expect(f->ret_matched);
  cr_expect_eq(f->nsucc, 1);
  cr_expect(has_succ(f, 5));
  unload(&c);
}

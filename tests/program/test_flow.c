/* CFG, liveness, facts and windows on small programs, answers derived by
 * hand in the comments. */
#include <criterion/criterion.h>
#include "program_text.h"

/*   i0 mov ax, 1      live-in {}            facts {}
 *   i1 mov bx, 2      live-in {ax}          facts {ax=1}
 *   i2 add ax, bx     live-in {ax bx}       facts {ax=1 bx=2}
 *   i3 jz done        live-in {ax zf}       facts {ax=3 bx=2}
 *   i4 mov cx, ax     live-in {ax}          facts {ax=3 bx=2}
 *   i5 done: hlt      live-in {}            facts {ax=3 bx=2} (cx only on one path)
 *   i6 jmp done       halt loop */
static const char *flow =
  "bits 16\n"
  "start: mov ax, 1\n"
  "  mov bx, 2\n"
  "  add ax, bx\n"
  "  jz done\n"
  "  mov cx, ax\n"
  "done: hlt\n"
  "  jmp done\n";

typedef struct {
  program p;
  cfg g;
  liveness lv;
} flowctx;

static void load(flowctx *c, const char *src) {
  char err[256];
  cr_assert(read_text(src, &c->p, err, sizeof err), "%s", err);
  cfg_build(&c->p, &c->g);
  liveness_compute(&c->p, &c->g, &c->lv);
}

static void unload(flowctx *c) {
  liveness_free(&c->lv);
  cfg_free(&c->g);
  program_free(&c->p);
}

Test(flow, cfg_edges_and_blocks) {
  flowctx c;
  load(&c, flow);
  cr_assert_eq(c.p.n, 7);
  cr_expect_eq(c.g.node[3].nsucc, 2, "jz: target and fall-through");
  bool to5 = false, to4 = false;
  for (int k = 0; k < c.g.node[3].nsucc; k++) {
    to5 |= c.g.node[3].succ[k] == 5;
    to4 |= c.g.node[3].succ[k] == 4;
  }
  cr_expect(to5 && to4);
  cr_expect(c.g.node[6].nsucc == 1 && c.g.node[6].succ[0] == 5, "halt loop jumps back to hlt");
  cr_expect(!c.g.node[6].unknown_succ);
  /* blocks: i0-i3, i4, i5-i6 */
  cr_expect(c.g.node[0].block == c.g.node[3].block);
  cr_expect(c.g.node[4].leader && c.g.node[5].leader && !c.g.node[6].leader);
  cr_expect_eq(c.g.nblocks, 3);
  unload(&c);
}

Test(flow, liveness_by_hand) {
  flowctx c;
  load(&c, flow);
  locset want[7] = {0, LOC_R16(R_AX), LOC_R16(R_AX) | LOC_R16(R_BX), LOC_R16(R_AX) | LOC_ZF,
                    LOC_R16(R_AX), 0, 0};
  for (int i = 0; i < 7; i++) {
    want[i] |= LOC_MEM;   /* memory is always live: devices read it */
    char got[256], exp[256];
    isa_loc_print(c.lv.live_in[i], got, sizeof got);
    isa_loc_print(want[i], exp, sizeof exp);
    cr_expect_eq(c.lv.live_in[i], want[i], "live-in of i%d: got '%s', want '%s'", i, got, exp);
  }
  cr_expect_eq(c.lv.live_out[2], LOC_R16(R_AX) | LOC_ZF | LOC_MEM, "the jz's flag is an output of i2");
  unload(&c);
}

Test(flow, facts_by_hand) {
  flowctx c;
  load(&c, flow);
  const prog_facts *f3 = &c.lv.facts[3], *f5 = &c.lv.facts[5];
  cr_expect((f3->known & LOC_R16(R_AX)) == LOC_R16(R_AX) && (f3->r[R_AX] & 0xffff) == 3);
  cr_expect((f3->known & LOC_R16(R_BX)) == LOC_R16(R_BX) && (f3->r[R_BX] & 0xffff) == 2);
  cr_expect((f5->known & LOC_R16(R_AX)) == LOC_R16(R_AX) && (f5->r[R_AX] & 0xffff) == 3);
  cr_expect((f5->known & LOC_R16(R_CX)) == 0, "cx is set on one path only");
  cr_expect((f5->known & LOC_DF) && f5->df == 0, "no std: DF=0 everywhere");
  /* window i4 (mov cx, ax) reads ax: it may assume ax=3 */
  assumption as[SNIPPET_MAX_ASSUME];
  int n = liveness_assumptions(&c.p, &c.lv, 4, 4, as, SNIPPET_MAX_ASSUME);
  bool ax3 = false;
  for (int k = 0; k < n; k++)
    if (as[k].loc == LOC_R16(R_AX) && as[k].kind == ASSUME_EQ && as[k].value == 3) ax3 = true;
  cr_expect(ax3, "assumption ax=3 on mov cx, ax");
  unload(&c);
}

/* A loop: the fact from before it survives only if the body keeps it. */
Test(flow, facts_meet_over_loop) {
  flowctx c;
  load(&c,
       "bits 16\n"
       "  mov dx, 0x3fd\n"     /* i0 */
       "  mov cx, 5\n"         /* i1 */
       "top: in al, dx\n"      /* i2: dx=0x3fd on both paths; cx differs */
       "  dec cx\n"            /* i3 */
       "  jnz top\n"           /* i4 */
       "  hlt\n");             /* i5 */
  const prog_facts *f = &c.lv.facts[2];
  cr_expect((f->known & LOC_R16(R_DX)) == LOC_R16(R_DX) && (f->r[R_DX] & 0xffff) == 0x3fd);
  cr_expect((f->known & LOC_R16(R_CX)) == 0, "cx changes around the loop");
  unload(&c);
}

/* Kill sets: a shift by cl may leave the flags; int reads registers but
 * not the status flags; std makes DF unknown after it. */
Test(flow, conservative_kills) {
  flowctx c;
  load(&c,
       "bits 16\n"
       "  add ax, 1\n"         /* i0: flags live after it (shl by cl may keep them) */
       "  shl bx, cl\n"        /* i1 */
       "  jc out\n"            /* i2 */
       "  mov ah, 0x0e\n"      /* i3 */
       "  int 0x10\n"          /* i4 */
       "  std\n"               /* i5 */
       "out: hlt\n"           /* i6 */
       "  jmp out\n");         /* i7: the halt loop */
  cr_expect(c.lv.live_out[0] & LOC_CF, "cf flows through shl bx, cl");
  cr_expect((c.lv.live_in[4] & LOC_R16(R_BX)) == LOC_R16(R_BX), "int reads bx");
  cr_expect((c.lv.live_in[4] & (LOC_CF | LOC_ZF)) == 0, "int does not read status flags");
  cr_expect(c.lv.facts[0].known & LOC_DF, "DF=0 at the entry");
  cr_expect((c.lv.facts[6].known & LOC_DF) == 0, "after std on one path, DF is not known");
  unload(&c);
}

Test(flow, windows_stay_inside_blocks) {
  flowctx c;
  load(&c, flow);
  window *w;
  window_stats st;
  int n = window_list(&c.p, &c.g, 3, &w, &st);
  /* searchable runs: i0-i3 (the jz closes the run: 3+3+2 windows of at
     most 3 instructions, the 2 ending at i3 with a tail; the short jz alone
     cannot get shorter) and i4 (1) */
  cr_expect_eq(n, 9);
  int tails = 0;
  for (int k = 0; k < n; k++) {
    cr_expect(w[k].b - w[k].a < 3);
    cr_expect(c.g.node[w[k].a].block == c.g.node[w[k].b].block);
    cr_expect(w[k].a != 5 && w[k].b != 5, "no hlt in a window");
    cr_expect(w[k].tail == (w[k].b == 3), "the jz only as a window's last");
    if (w[k].tail) {
      cr_expect_eq(w[k].target, 5);
      tails++;
    }
  }
  cr_expect_eq(tails, 2);
  cr_expect_eq(st.code_bytes, 3 + 3 + 2 + 2 + 2 + 1 + 2);
  cr_expect_eq(st.searched_bytes, 3 + 3 + 2 + 2 + 2);
  cr_expect_eq(st.tail_items, 1);
  cr_expect_eq(st.tail_bytes, 2);
  snippet s;
  window one = {.a = 4, .b = 4, .bytes = 2};
  window_snippet(&c.p, &c.lv, &one, &s);
  cr_expect_eq(s.n, 1);
  cr_expect_eq(s.live_out, LOC_MEM, "nothing is read after mov cx, ax (memory always is)");
  free(w);
  unload(&c);
}

/* The window i1-i3 of `flow` ends in jz done: the fall-through i4 reads
 * ax, the target i5 nothing; done sits 9 bytes after the window's start
 * (7 bytes long). */
Test(flow, window_closing_branch_snippet) {
  flowctx c;
  load(&c, flow);
  window tailw = {.a = 1, .b = 3, .bytes = 7, .tail = true, .target = 5};
  snippet s;
  window_snippet(&c.p, &c.lv, &tailw, &s);
  cr_expect(s.has_tail);
  cr_expect_eq(s.n, 3);
  cr_expect_eq(s.live_fall, LOC_R16(R_AX) | LOC_MEM);
  cr_expect_eq(s.live_taken, LOC_MEM);
  cr_expect_eq(s.live_out, LOC_R16(R_AX) | LOC_MEM | LOC_BR);
  cr_expect_eq(s.tail_target, 9);
  cr_expect_str_eq(s.tail_label, "done");
  unload(&c);
}

/*   top: dec cx; jnz top  -- the target is the window's first line;
 *   a branch into the window's middle is not a tail. */
Test(flow, branch_into_the_window_is_not_a_tail) {
  flowctx c;
  load(&c, "bits 16\nstart: mov ax, 1\ntop: add ax, bx\n  dec cx\n  jnz top\n  hlt\n");
  window *w;
  window_stats st;
  int n = window_list(&c.p, &c.g, 6, &w, &st);
  int tails = 0;
  for (int k = 0; k < n; k++)
    if (w[k].tail) {
      tails++;
      cr_expect(w[k].target <= w[k].a, "jnz top may close only windows from top on");
      cr_expect(w[k].a >= 1);
    }
  cr_expect_eq(tails, 2, "top-jnz, dec-jnz (a short jnz alone cannot shrink)");
  free(w);
  unload(&c);
}

/*   i0 start: mov ax, 1
 *   i1 mov bx, func     (func as a symbolic constant)
 *   i2 call func        closes windows from i0, i1 (3 bytes: not alone-short)
 *   i3 mov [0x500], ax  the return site
 *   i4 jmp start        2 bytes, its window i3-i4
 *   i5 func: add ax, bx
 *   i6 ret              closes i5-i6; alone after no label, so only with i5
 * live where func is entered: ax bx (add), sp ss mem (ret), then the return
 * site's: ax ds mem. */
static const char *calls =
  "bits 16\n"
  "org 0x7c00\n"
  "start: mov ax, 1\n"
  "  mov bx, func\n"
  "  call func\n"
  "  mov [0x500], ax\n"
  "  jmp start\n"
  "func: add ax, bx\n"
  "  ret\n";

Test(flow, windows_closed_by_a_transfer) {
  flowctx c;
  load(&c, calls);
  window *w;
  window_stats st;
  int n = window_list(&c.p, &c.g, 6, &w, &st);
  int closed = 0;
  for (int k = 0; k < n; k++) {
    if (!w[k].transfer) continue;
    closed++;
    cr_expect(w[k].tail);
    cr_expect(w[k].b == 2 || w[k].b == 4 || w[k].b == 6, "only a transfer closes (b=%d)", w[k].b);
    cr_expect_eq(w[k].target, w[k].b == 2 ? 5 : w[k].b == 4 ? 0 : -1);
  }
  /* call: i0-i2 i1-i2 i2; jmp: i3-i4; ret: i5-i6 */
  cr_expect_eq(closed, 5);
  cr_expect_eq(st.transfer_items, 3);
  cr_expect_eq(st.transfer_bytes, 3 + 2 + 1);
  cr_expect_eq(st.items[EX_CONTROL], 0);
  cr_expect_eq(st.searched_bytes, st.code_bytes);

  window cw = {.a = 1, .b = 2, .tail = true, .transfer = true, .target = 5};
  snippet s;
  window_snippet(&c.p, &c.lv, &cw, &s);
  cr_expect(s.has_tail && s.tail_transfer);
  cr_assert_eq(s.nsym, 1, "func once: the operand and the call's target share the slot");
  cr_expect_eq(s.code[0].o[1].sym, 1);
  cr_expect_eq(s.code[1].o[0].sym, 1);
  cr_expect_str_eq(s.tail_label, "func");
  cr_expect_eq(s.next_ip, 0x7c00 + 3 + 3 + 3, "the return address: after the call");
  cr_expect(s.live_out & LOC_R16(R_AX) && s.live_out & LOC_R16(R_BX), "func reads ax, bx");
  cr_expect(s.live_out & LOC_MEM && s.live_out & LOC_R16(R_SP));
  cr_expect(s.live_out & LOC_BR && s.live_out & LOC_IP);
  char text[128];
  snippet_seq_text(&s, s.code, s.n, text, sizeof text);
  cr_expect_str_eq(text, "mov bx, sym0; call func");

  window rw = {.a = 5, .b = 6, .tail = true, .transfer = true, .target = -1};
  window_snippet(&c.p, &c.lv, &rw, &s);
  cr_expect(s.tail_transfer && !s.tail_label[0] && s.nsym == 0);
  cr_expect(s.live_out & LOC_R16(R_AX), "the return site stores ax");
  /* func's address is taken (mov bx, func): a ret may go there too (a
     pushed address), and func reads bx */
  cr_expect(s.live_out & LOC_R16(R_BX), "a ret may return to func, which reads bx");
  free(w);
  unload(&c);
}

/* int, far transfers and lone short closers are left out, each for its
 * reason */
Test(flow, control_left_out_by_reason) {
  flowctx c;
  load(&c, "bits 16\nstart: int 0x10\n  jmp 0:start\nagain: jmp short again\nnext: ret\n");
  window *w;
  window_stats st;
  window_list(&c.p, &c.g, 6, &w, &st);
  cr_expect_eq(st.ctl_items[CTL_INT], 1);
  cr_expect_eq(st.ctl_bytes[CTL_INT], 2);
  cr_expect_eq(st.ctl_items[CTL_FAR], 1);
  cr_expect_eq(st.ctl_items[CTL_ALONE], 2, "jmp short and ret, each alone after a label");
  cr_expect_eq(st.ctl_bytes[CTL_ALONE], 3);
  cr_expect_eq(st.items[EX_CONTROL], 4);
  free(w);
  unload(&c);
}

/* A store nothing in the program reads back is still live: the text
 * screen is memory a device reads (a loop that writes it and polls the
 * keyboard, never ending, never loading from memory). */
Test(flow, store_to_screen_stays_live) {
  flowctx c;
  load(&c,
       "bits 16\n"
       "start: mov ax, 0xb800\n"
       "  mov es, ax\n"
       "again: mov [es:0], al\n"
       "  in al, 0x60\n"
       "  jmp again\n");
  int store = item_on_line(&c.p, 4);
  cr_assert_geq(store, 0);
  cr_expect(c.lv.live_out[store] & LOC_MEM, "the store's bytes are seen on the screen");
  window one = {.a = store, .b = store, .bytes = c.p.it[store].len};
  snippet s;
  window_snippet(&c.p, &c.lv, &one, &s);
  cr_expect(s.live_out & LOC_MEM, "a window may not drop the store");
  unload(&c);
}

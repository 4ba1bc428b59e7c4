/* snippet_read: nasm's bytes decoded back, directives parsed, and errors
 * that name file, line and token. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "program/snippet.h"

static char tmp_path[64];

static const char *write_snippet(const char *text) {
  snprintf(tmp_path, sizeof tmp_path, "/tmp/test_snippetXXXXXX.asm");
  int fd = mkstemps(tmp_path, 4);
  cr_assert(fd >= 0);
  cr_assert(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
  close(fd);
  return tmp_path;
}

static void cleanup(void) { unlink(tmp_path); }

TestSuite(snippet, .fini = cleanup);

Test(snippet, reads_code_and_directives) {
  const char *p = write_snippet("; live-out: ax dx cf\n; assume: df=0 ax<0x8000\n"
                                "mov dx, 0\n\nxor ax, bx ; a comment: not a directive\n");
  snippet s;
  char err[256];
  cr_assert(snippet_read(p, &s, err, sizeof err), "%s", err);
  cr_expect_eq(s.n, 2);
  cr_expect_eq(s.bytes, 5);
  cr_expect_eq(s.line[0], 3);
  cr_expect_eq(s.line[1], 5);
  cr_expect_eq(s.code[0].op, OP_MOV);
  cr_expect_eq(s.code[1].op, OP_XOR);
  cr_expect_eq(s.live_out, LOC_R16(R_AX) | LOC_R16(R_DX) | LOC_CF);
  cr_expect_eq(s.nassume, 2);
  cr_expect_eq(s.assume[0].kind, ASSUME_EQ);
  cr_expect_eq(s.assume[0].loc, LOC_DF);
  cr_expect_eq(s.assume[0].value, 0u);
  cr_expect_eq(s.assume[1].kind, ASSUME_LT);
  cr_expect_eq(s.assume[1].value, 0x8000u);
}

Test(snippet, everything_live_without_directive) {
  const char *p = write_snippet("bits 16\ncwd\n");
  snippet s;
  char err[256];
  cr_assert(snippet_read(p, &s, err, sizeof err), "%s", err);
  cr_expect_eq(s.live_out, LOC_ALL);
  cr_expect_eq(s.n, 1);
  cr_expect_eq(s.bytes, 1);
}

static void expect_error(const char *text, const char *needle) {
  const char *p = write_snippet(text);
  snippet s;
  char err[256] = "";
  cr_assert_not(snippet_read(p, &s, err, sizeof err), "accepted: %s", text);
  cr_expect(strstr(err, p) != NULL, "error does not name the file: %s", err);
  cr_expect(strstr(err, needle) != NULL, "error lacks '%s': %s", needle, err);
}

Test(snippet, unknown_register_in_live_out) { expect_error("; live-out: ax qx\nnop\n", ":1: live-out: unknown register or flag 'qx'"); }
Test(snippet, unknown_flag_in_assume) { expect_error("nop\n; assume: xf=1\n", ":2: assume: unknown register or flag 'xf'"); }
Test(snippet, bad_assume_value) { expect_error("; assume: ax=zz\nnop\n", "bad value 'zz'"); }
Test(snippet, unknown_directive) { expect_error("; liveout: ax\nnop\n", ":1: unknown directive 'liveout:'"); }
Test(snippet, unknown_instruction_from_nasm) { expect_error("nop\nfrobnicate ax\n", ":2:"); }
/* a transfer may only close a snippet, and only a near one */
Test(snippet, branch_is_not_straight_line) { expect_error("jmp short $\nnop\n", ":1: 'jmp'"); }
Test(snippet, far_transfer_does_not_close) { expect_error("nop\nretf\n", ":2: 'retf'"); }
Test(snippet, transfer_into_the_snippet) {
  expect_error("nop\nhere:\nnop\njmp here\n", ":4: the branch goes inside the snippet");
}

Test(snippet, assumptions_hold) {
  const char *p = write_snippet("; assume: al<0x80 df=0\ncbw\n");
  snippet s;
  char err[256];
  cr_assert(snippet_read(p, &s, err, sizeof err), "%s", err);
  isa_state st;
  memset(&st, 0, sizeof st);
  st.r[R_AX] = 0x1234007f;
  cr_expect(snippet_assumptions_hold(&s, &st));
  st.r[R_AX] = 0x80;
  cr_expect_not(snippet_assumptions_hold(&s, &st));
  st.r[R_AX] = 0x7f;
  st.flags = F_DF;
  cr_expect_not(snippet_assumptions_hold(&s, &st));
}

Test(snippet, lone_word_is_an_unknown_instruction) {
  expect_error("nop\nfrobnicate\n", ":2: unknown instruction 'frobnicate'");
}

Test(snippet, impossible_assumption) { expect_error("; assume: al=0x100\nnop\n", ":1: assume: value cannot hold for a 8-bit location"); }
Test(snippet, empty_bound) { expect_error("; assume: ax<0\nnop\n", ":1: assume: bound cannot hold"); }

Test(snippet, thirty_two_bit_mode_refused) { expect_error("bits 32\nnop\n", ":1: only 16-bit code"); }

/* A memory fact names its byte in the window's registers at entry: it holds
 * on a state whose byte at ds:bx+3 is the value, and a test state made to
 * satisfy it has that byte. */
Test(snippet, memory_fact_read_and_checked) {
  const char *p = write_snippet("; assume: byte [bx+3]=0x5a word [es:di-2]=0x1234\nnop\n");
  snippet s;
  char err[256];
  cr_assert(snippet_read(p, &s, err, sizeof err), "%s", err);
  cr_assert_eq(s.nassume, 2);
  cr_expect_eq(s.assume[0].kind, ASSUME_MEM);
  cr_expect_eq(s.assume_mem[0].size, 1);
  cr_expect_eq(s.assume_mem[0].base, R_BX);
  cr_expect_eq(s.assume_mem[0].disp, 3);
  cr_expect_eq(s.assume_mem[1].seg, S_ES);
  cr_expect_eq(s.assume_mem[1].disp, 0xfffe);
  isa_state st;
  memset(&st, 0, sizeof st);
  st.s[S_DS] = 0x100;
  st.s[S_ES] = 0x200;
  st.r[R_BX] = 0x10;
  st.r[R_DI] = 0x20;
  cr_expect_not(snippet_assumptions_hold(&s, &st));
  cr_assert(isa_mem_set_initial(&st, 0x1000 + 0x13, 0x5a));
  cr_expect_not(snippet_assumptions_hold(&s, &st));   /* the word is still unknown */
  cr_assert(isa_mem_set_initial(&st, 0x2000 + 0x1e, 0x34));
  cr_assert(isa_mem_set_initial(&st, 0x2000 + 0x1f, 0x12));
  cr_expect(snippet_assumptions_hold(&s, &st));
  cr_assert(isa_mem_set_initial(&st, 0x1000 + 0x13, 0x5b));
  cr_expect_not(snippet_assumptions_hold(&s, &st));
}

Test(snippet, bad_memory_fact) { expect_error("; assume: byte [bx+]=0\nnop\n", ":1: assume: expected byte [address]=value, got '[bx+]=0'"); }
Test(snippet, memory_fact_value_too_wide) { expect_error("; assume: byte [bx]=0x100\nnop\n", ":1: assume: expected byte"); }
Test(snippet, memory_fact_impossible_mode) { expect_error("; assume: word [bx+bp]=1\nnop\n", ":1: assume: expected word"); }

/* a snippet may end in one conditional branch to a target outside it */
Test(snippet, closing_branch_target_and_live_sets) {
  const char *p = write_snippet("; live-out: ax\n; live-taken: cx zf\ntop:\nadd ax, bx\n"
                                "dec cx\njnz short top ; back\n");
  snippet s;
  char err[256];
  cr_assert(snippet_read(p, &s, err, sizeof err), "%s", err);
  cr_expect(s.has_tail);
  cr_expect_eq(s.n, 3);
  cr_expect_eq(s.code[2].op, OP_JCC);
  cr_expect_eq(s.tail_target, 0);
  cr_expect_str_eq(s.tail_label, "top");
  cr_expect_eq(s.live_fall, LOC_R16(R_AX));
  cr_expect_eq(s.live_taken, LOC_R16(R_CX) | LOC_ZF);
  cr_expect_eq(s.live_out, LOC_R16(R_AX) | LOC_R16(R_CX) | LOC_ZF | LOC_BR);
  /* a candidate of 2 bytes ending in loop points back 2 bytes */
  insn c[1] = {s.code[2]};
  c[0].op = OP_LOOP;
  c[0].cc = 0;
  cr_assert(snippet_place_tail(&s, c, 1));
  cr_expect_eq(c[0].o[0].disp, -2);
  char text[128];
  snippet_seq_text(&s, c, 1, text, sizeof text);
  cr_expect_str_eq(text, "loop top");
}

Test(snippet, forward_target_moves_with_the_code_after) {
  const char *p = write_snippet("; live-out: cx\ncmp cx, 0\nje done\nnop\ndone:\n");
  snippet s;
  char err[256];
  /* the branch is not last: refused */
  cr_assert(!snippet_read(p, &s, err, sizeof err));
  cr_expect(strstr(err, ":3: 'je' ends a basic block"), "%s", err);
  p = write_snippet("; live-out: cx\ncmp cx, 0\nje done\ntimes 200 nop\ndone:\n");
  cr_assert(!snippet_read(p, &s, err, sizeof err));
  p = write_snippet("; live-out: cx\ncmp cx, 0\nje done\ndone:\n");
  cr_assert(snippet_read(p, &s, err, sizeof err), "%s", err);
  cr_expect(s.has_tail);
  cr_expect_eq(s.tail_target, 5);
  cr_expect_eq(s.live_taken, LOC_ALL, "without live-taken everything is live at the target");
  insn c[1] = {s.code[1]};
  cr_assert(snippet_place_tail(&s, c, 1));
  cr_expect_eq(c[0].o[0].disp, 0, "right after the shorter window");
}

Test(snippet, short_branch_out_of_reach_is_refused) {
  /* 43 x 3 bytes, then a near je back to the start (a short one cannot reach) */
  const char *p = write_snippet("; live-out: ax\ntop:\ntimes 43 add ax, 0x1234\nje top\n");
  snippet s;
  char err[256];
  cr_assert(snippet_read(p, &s, err, sizeof err), "%s", err);
  cr_expect_eq(s.n, 44);
  cr_expect_eq(s.code[43].o[0].size, 2, "nasm made it near");
  insn c[44];
  memcpy(c, s.code, sizeof c);
  cr_expect(snippet_place_tail(&s, c, 44));
  cr_expect_eq(c[43].o[0].disp, -133);
  c[43].o[0].size = 1;                 /* the short form: -131 is out of reach */
  c[43].o[0].disp = 0;
  cr_expect(!snippet_place_tail(&s, c, 44));
}

Test(snippet, branch_target_inside_is_refused) {
  expect_error("nop\ntop:\nnop\njcxz top\n", ":4: the branch goes inside the snippet");
}
Test(snippet, live_taken_needs_a_closing_branch) {
  expect_error("; live-taken: ax\nnop\n", ":1: live-taken: the snippet does not end in a branch to a label");
}

/* a snippet may end in a near call, jmp or ret: live-out is what is live
 * where it goes; a displacement's target label is a symbolic constant of
 * the snippet (on the closing operand), printed by its name */
Test(snippet, closing_call_names_its_label) {
  const char *p = write_snippet("; live-out: ax sp mem\nmov bx, 3\ncall func\nfunc:\n");
  snippet s;
  char err[256];
  cr_assert(snippet_read(p, &s, err, sizeof err), "%s", err);
  cr_expect(s.has_tail && s.tail_transfer);
  cr_expect_eq(s.code[1].op, OP_CALL);
  cr_expect_str_eq(s.tail_label, "func");
  cr_assert_eq(s.nsym, 1);
  cr_expect_eq(s.code[1].o[0].sym, 1);
  cr_expect_eq(s.sym_value[0], 6, "the label's offset");
  cr_expect_eq(s.next_ip, 6);
  cr_expect_eq(s.live_out, LOC_R16(R_AX) | LOC_R16(R_SP) | LOC_MEM | LOC_BR | LOC_IP);
  /* a 2-byte jmp in its place points at the label after the shorter window */
  insn c[1] = {s.code[1]};
  c[0].op = OP_JMP;
  c[0].o[0].size = 1;
  cr_assert(snippet_place_tail(&s, c, 1));
  cr_expect_eq(c[0].o[0].disp, 0);
  char text[128];
  snippet_seq_text(&s, s.code, s.n, text, sizeof text);
  cr_expect_str_eq(text, "mov bx, 0x3; call func");
}

Test(snippet, closing_ret_and_jmp_through_a_register) {
  const char *p = write_snippet("; live-out: ax\nxor ax, ax\nret\n");
  snippet s;
  char err[256];
  cr_assert(snippet_read(p, &s, err, sizeof err), "%s", err);
  cr_expect(s.has_tail && s.tail_transfer && !s.tail_label[0]);
  cr_expect_eq(s.nsym, 0);
  cr_expect_eq(s.live_out, LOC_R16(R_AX) | LOC_BR | LOC_IP);
  p = write_snippet("; live-out: ax\n; live-taken: cx\njmp bx\n");
  cr_assert(snippet_read(p, &s, err, sizeof err), "%s", err);
  cr_expect(s.tail_transfer);
  cr_expect_eq(s.live_out, LOC_R16(R_AX) | LOC_R16(R_CX) | LOC_BR | LOC_IP);
  insn c[1] = {s.code[0]};
  cr_assert(snippet_place_tail(&s, c, 1), "nothing to place");
}

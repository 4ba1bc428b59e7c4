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
Test(snippet, branch_is_not_straight_line) { expect_error("nop\njmp short $\n", ":2: 'jmp'"); }

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

/* A program with a table of code labels, for the CFG test and the shrink
 * report test (-Itests/program):
 *   i0 start: mov bx, tab
 *   i1 jmp word [bx]   -> a, b (the code labels tab names; c is not taken)
 *   i2 a: mov ax, cx   live-in {cx}
 *   i3 jmp $
 *   i4 b: mov ax, dx   live-in {dx}
 *   i5 jmp $
 *   i6 c: mov ax, si   (not a target: si stays dead)
 *   i7 jmp c
 *   i8 tab: dw a, b
 * Live after the jmp (line 3): the union of a's and b's live-ins, cx dx. */
#ifndef TESTS_PROGRAM_INDIRECT_TABLE_H
#define TESTS_PROGRAM_INDIRECT_TABLE_H

static const char *const indirect_table_prog =
  "bits 16\n"
  "start: mov bx, tab\n"
  "  jmp word [bx]\n"
  "a: mov ax, cx\n"
  "  jmp $\n"
  "b: mov ax, dx\n"
  "  jmp $\n"
  "c: mov ax, si\n"
  "  jmp c\n"
  "tab: dw a, b\n";

#endif

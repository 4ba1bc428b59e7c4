/* Program reader: offsets, lengths, lines, and the reason each item is
 * (not) searchable, on programs whose listings are worked out by hand. */
#include <criterion/criterion.h>
#include "program_text.h"

static const char *basic =
  "bits 16\n"                          /* 1 */
  "org 0x100\n"                        /* 2 */
  "start:  mov ax, 1\n"                /* 3: b8 01 00 */
  "        xor bx, bx\n"               /* 4: 31 db */
  "        jmp start\n"                /* 5: eb f9 */
  "msg:    db \"hi\", 0\n"             /* 6: 68 69 00 */
  "        times 4 db 0\n";            /* 7 */

Test(listing, offsets_lengths_lines) {
  program p;
  char err[256];
  cr_assert(read_text(basic, &p, err, sizeof err), "%s", err);
  cr_assert_eq(p.org, 0x100);
  cr_assert_eq(p.size, 3 + 2 + 2 + 3 + 4);
  cr_assert_eq(p.n, 5);
  uint32_t off[5] = {0, 3, 5, 7, 10};
  int len[5] = {3, 2, 2, 3, 4}, line[5] = {3, 4, 5, 6, 7};
  for (int i = 0; i < 5; i++) {
    cr_expect_eq(p.it[i].off, off[i], "item %d offset", i);
    cr_expect_eq(p.it[i].len, len[i], "item %d length", i);
    cr_expect_eq(p.it[i].line, line[i], "item %d line", i);
  }
  cr_expect_eq(p.it[0].why, EX_NONE);
  cr_expect(p.it[0].decoded && p.it[0].in.op == OP_MOV);
  cr_expect_eq(p.it[1].why, EX_NONE);
  cr_expect_eq(p.it[2].why, EX_CONTROL);
  cr_expect_eq(p.it[3].why, EX_DATA);
  cr_expect_eq(p.it[4].why, EX_DATA);
  cr_expect(p.it[0].labeled && !p.it[1].labeled && p.it[3].labeled);
  cr_expect_str_eq(program_owner_label(&p, 2), "start");
  cr_expect_str_eq(program_owner_label(&p, 4), "msg");
  cr_expect_eq(program_bytes(&p), p.size, "no $-dependent padding here");
  program_free(&p);
}

Test(listing, annotation_regions) {
  const char *src =
    "bits 16\n"                            /* 1 */
    "  mov ax, 1\n"                        /* 2 searchable */
    "; superopt: keep\n"                   /* 3 region starts */
    "  mov bx, 2\n"                        /* 4 kept */
    "  mov cx, 3\n"                        /* 5 kept */
    "; superopt: end\n"                    /* 6 */
    "  mov dx, 4\n"                        /* 7 searchable */
    "  mov si, 5   ; superopt: keep\n"     /* 8 this line only */
    "  mov di, 6\n";                       /* 9 searchable */
  program p;
  char err[256];
  cr_assert(read_text(src, &p, err, sizeof err), "%s", err);
  int want[] = {2, EX_NONE, 4, EX_KEEP, 5, EX_KEEP, 7, EX_NONE, 8, EX_KEEP, 9, EX_NONE};
  for (int k = 0; k < 12; k += 2) {
    int i = item_on_line(&p, want[k]);
    cr_assert_geq(i, 0);
    cr_expect_eq(p.it[i].why, (exclusion)want[k + 1], "line %d: %s", want[k],
                 exclusion_name(p.it[i].why));
  }
  program_free(&p);
}

Test(listing, addresses_macros_unsupported_padding) {
  const char *src =
    "bits 16\n"                              /* 1 */
    "org 0x7c00\n"                           /* 2 */
    "%macro ZERO 1\n"                        /* 3 */
    "  xor %1, %1\n"                         /* 4 */
    "%endmacro\n"                            /* 5 */
    "start: mov si, msg\n"                   /* 6 relocated: a label, searched */
    "  ZERO ax\n"                            /* 7 macro */
    "  fsqrt\n"                              /* 8 not modelled (x87) */
    "patched: mov al, 1\n"                   /* 9 read as data below */
    "  inc al\n"                             /* 10 same run until the next label */
    "after: mov [patched+1], bl\n"           /* 11 relocated: a label plus 1 */
    "  mov cx, 2\n"                          /* 12 */
    "msg: db 1\n"                            /* 13 */
    "  times 510-($-$$) db 0\n"              /* 14 padding */
    "  dw 0xaa55\n";                         /* 15 */
  program p;
  char err[256];
  cr_assert(read_text(src, &p, err, sizeof err), "%s", err);
  struct { int line; exclusion why; } want[] = {
    {6, EX_NONE}, {7, EX_MACRO}, {8, EX_UNSUPPORTED}, {9, EX_CODE_AS_DATA},
    {10, EX_CODE_AS_DATA}, {11, EX_NONE}, {12, EX_NONE}, {13, EX_DATA}, {14, EX_DATA},
  };
  for (size_t k = 0; k < sizeof want / sizeof *want; k++) {
    int i = item_on_line(&p, want[k].line);
    cr_assert_geq(i, 0, "line %d has an item", want[k].line);
    cr_expect_eq(p.it[i].why, want[k].why, "line %d: got %s", want[k].line,
                 exclusion_name(p.it[i].why));
  }
  int u = item_on_line(&p, 8);
  cr_expect(p.it[u].err[0] != 0, "the unsupported item says why");
  int m = item_on_line(&p, 13);
  cr_expect(p.it[m].addr_taken, "msg's address is used as a value");
  cr_expect_eq(p.size, 512);
  /* 3+2+2+2+2+4+3+1 = 19 bytes before the padding, 2 after */
  cr_expect_eq(program_bytes(&p), 21);
  program_free(&p);
}

Test(listing, bad_source_names_file_and_line) {
  program p;
  char err[256] = "";
  bool missing = true;
  const char *path = temp_asm("bits 16\n  mov ax, 1\n  frobnicate ax\n");
  cr_assert(path);
  cr_expect(!program_read(path, &p, err, sizeof err, &missing));
  cr_expect(!missing);
  char want[96];
  snprintf(want, sizeof want, "%s:3:", path);
  cr_expect(strstr(err, want) != NULL, "error '%s' names %s", err, want);
  unlink(path);
}

/* The origin is the one nasm used, not the org line's text: an equ name, or
 * an org inside an %if branch nasm did not take. */
Test(listing, origin_nasm_used) {
  const char *named =
    "bits 16\n"
    "base equ 0x7c00\n"
    "org base\n"
    "  mov si, msg\n"
    "  ret\n"
    "msg: db 1\n";
  const char *branch =
    "bits 16\n"
    "%ifdef COM\n"
    "org 0x100\n"
    "%else\n"
    "org 0x7e00\n"
    "%endif\n"
    "  mov ax, [var]\n"
    "  ret\n"
    "var: dw 1\n";
  program p;
  char err[256];
  cr_assert(read_text(named, &p, err, sizeof err), "%s", err);
  cr_expect_eq(p.org, 0x7c00, "org from an equ: got 0x%x", p.org);
  program_free(&p);
  cr_assert(read_text(branch, &p, err, sizeof err), "%s", err);
  cr_expect_eq(p.org, 0x7e00, "org in the %%else branch: got 0x%x", p.org);
  program_free(&p);
}

/* A relocated operand that is a label plus a constant names that label
 * (checked against the bytes); an expression, a local label of another
 * owner or a 32-bit address stays an address operand. */
Test(listing, label_operands) {
  const char *src =
    "bits 16\n"                              /* 1 */
    "org 0x7c00\n"                           /* 2 */
    "start: mov si, msg\n"                   /* 3 msg+0 */
    "  mov al, [bx+msg+2]\n"                 /* 4 msg+2 beside bx */
    "  cmp di, word end-1\n"                 /* 5 end-1 */
    "  mov word [msg], start\n"              /* 6 two labels */
    "  mov si, msg*2\n"                      /* 7 an expression */
    "  mov si, (msg-start)/2\n"              /* 8 not a label plus a constant */
    ".l: mov si, .l\n"                       /* 9 a local label */
    "  mov eax, msg\n"                       /* 10 a 32-bit immediate */
    "  ret\n"                                /* 11 */
    "msg: db 1, 2, 3\n"                      /* 12 */
    "end: db 0\n"                            /* 13 */
    "k: equ 5\n"                             /* 14 a constant, not a position */
    "  mov cx, k\n"                          /* 15 */
    "  mov si, start.l\n"                    /* 16 .l of start */
    "  mov cx, end-msg\n";                   /* 17 a difference: not relocated */
  program p;
  char err[256];
  cr_assert(read_text(src, &p, err, sizeof err), "%s", err);
  int lmsg = -1, lstart = -1, lend = -1, ll = -1;
  for (int k = 0; k < p.nlabels; k++) {
    if (!strcmp(p.labels[k].name, "msg")) lmsg = k;
    if (!strcmp(p.labels[k].name, "start")) lstart = k;
    if (!strcmp(p.labels[k].name, "end")) lend = k;
    if (!strcmp(p.labels[k].name, ".l")) ll = k;
  }
  cr_assert(lmsg >= 0 && lstart >= 0 && lend >= 0 && ll >= 0);
  struct { int line; exclusion why; int op, label; int32_t off; } want[] = {
    {3, EX_NONE, 1, lmsg, 0}, {4, EX_NONE, 1, lmsg, 2}, {5, EX_NONE, 1, lend, -1},
    {6, EX_NONE, 0, lmsg, 0}, {6, EX_NONE, 1, lstart, 0}, {7, EX_ADDRESS, 1, -1, 0},
    {8, EX_ADDRESS, 1, -1, 0}, {9, EX_NONE, 1, ll, 0}, {10, EX_ADDRESS, 1, -1, 0},
    {15, EX_NONE, 1, -1, 0}, {16, EX_NONE, 1, ll, 0}, {17, EX_ADDRESS, 1, -1, 0},
  };
  for (size_t k = 0; k < sizeof want / sizeof *want; k++) {
    int i = item_on_line(&p, want[k].line);
    cr_assert_geq(i, 0, "line %d has an item", want[k].line);
    cr_expect_eq(p.it[i].why, want[k].why, "line %d: got %s", want[k].line, exclusion_name(p.it[i].why));
    cr_expect_eq(p.it[i].sym_label[want[k].op] - 1, want[k].label, "line %d operand %d: label %d",
                 want[k].line, want[k].op, p.it[i].sym_label[want[k].op] - 1);
    if (want[k].label >= 0)
      cr_expect_eq(p.it[i].sym_off[want[k].op], want[k].off, "line %d: offset %d", want[k].line,
                   p.it[i].sym_off[want[k].op]);
  }
  cr_expect_eq(program_label_value(&p, lmsg), 0x7c00 + p.it[item_on_line(&p, 12)].off);
  cr_expect(!p.it[item_on_line(&p, 15)].reloc, "an equ name is a number");
  cr_expect(p.it[item_on_line(&p, 17)].reloc, "a difference of labels moves: no fact from it");
  program_free(&p);
}

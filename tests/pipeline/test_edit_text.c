/* Rewritten lines in the author's words: names, expressions, spacing,
 * case and comments survive; what nasm makes of them is the proven code. */
#include <criterion/criterion.h>
#include "helpers.h"
#include "splice/edit.h"
#include "splice/edit_text.h"

static const char *program_text =
  "bits 16\n"                                   /* 1 */
  "cpu 386\n"                                   /* 2 */
  "TOIN    equ 0x1002\n"                        /* 3 */
  "rnd     equ 8\n"                             /* 4 */
  "COM1    equ 0x3f8\n"                         /* 5 */
  "start:  mov word [TOIN],0       ; reset >in\n" /* 6 */
  "        mov al,[bp+rnd]         ; a random byte\n" /* 7 */
  "        mov ah,0                ; as a word\n" /* 8 */
  "        MOV DX,COM1\n"                       /* 9 */
  "        MOV CX,0\n"                          /* 10 */
  "        MOV BX,0                ; no page\n" /* 11 */
  "        int 0x10\n";                         /* 12 */

static void set_code(splice_edit *e, const uint8_t *code, size_t n) {
  e->n = 0;
  for (size_t off = 0; off < n;) {
    int l = isa_decode(code + off, n - off, &e->code[e->n], NULL, 0);
    cr_assert_gt(l, 0);
    off += (size_t)l;
    e->n++;
  }
}

/* The operand texts of a line, for comparing before and after. */
static void operands_of(const char *line, text_insn *t) {
  size_t lp = text_label_prefix(line);
  char code[256];
  snprintf(code, sizeof code, "%.*s", (int)(nasm_comment(line) - line - (long)lp), line + lp);
  cr_assert(text_split(code, t), "%s", line);
}

static const char *line_of(const char *text, int n, char *out, size_t on) {
  for (int i = 1; i < n && text; i++) {
    text = strchr(text, '\n');
    if (text) text++;
  }
  cr_assert(text);
  const char *e = strchr(text, '\n');
  snprintf(out, on, "%.*s", (int)(e ? e - text : (long)strlen(text)), text);
  return out;
}

Test(edit_text, names_spacing_case_and_comments_survive) {
  program p;
  char err[256];
  cr_assert(read_text(program_text, &p, err, sizeof err), "%s", err);
  /* three windows, as proven shrinks would give them */
  splice_edit a, b, c;
  memset(&a, 0, sizeof a);
  memset(&b, 0, sizeof b);
  memset(&c, 0, sizeof c);
  a.a = a.b = item_on_line(&p, 6);                      /* and word [0x1002], 0 */
  set_code(&a, (const uint8_t[]){0x83, 0x26, 0x02, 0x10, 0x00}, 5);
  b.a = item_on_line(&p, 7);                            /* movzx ax, byte [bp+0x8] */
  b.b = item_on_line(&p, 8);
  set_code(&b, (const uint8_t[]){0x0f, 0xb6, 0x46, 0x08}, 4);
  c.a = item_on_line(&p, 9);                            /* mov dx, 0x3f8; xor cx, cx; xor bx, bx */
  c.b = item_on_line(&p, 11);
  set_code(&c, (const uint8_t[]){0xba, 0xf8, 0x03, 0x31, 0xc9, 0x31, 0xdb}, 7);
  snprintf(a.tag, sizeof a.tag, "aaaa");
  snprintf(b.tag, sizeof b.tag, "bbbb");
  snprintf(c.tag, sizeof c.tag, "cccc");
  splice_edit *list[3] = {&a, &b, &c};
  size_t len;
  char *out = splice_apply(&p, list, 3, &len);
  char l[256];
  /* the label, the name and the author's "0" and "," survive */
  cr_expect_str_eq(line_of(out, 6, l, sizeof l), "start:  and word [TOIN],0       ; reset >in ; superopt: aaaa");
  /* [bp+rnd] survives; the comment of the removed `mov ah,0` keeps its own line */
  cr_expect_str_eq(line_of(out, 7, l, sizeof l), "        ; as a word");
  cr_expect_str_eq(line_of(out, 8, l, sizeof l), "        movzx ax,byte [bp+rnd]  ; a random byte ; superopt: bbbb");
  /* an unchanged instruction keeps its text; upper case for the new ones */
  cr_expect_str_eq(line_of(out, 9, l, sizeof l), "        MOV DX,COM1  ; superopt: cccc");
  cr_expect_str_eq(line_of(out, 10, l, sizeof l), "        XOR CX,CX");
  cr_expect_str_eq(line_of(out, 11, l, sizeof l), "        XOR BX,BX               ; no page");
  /* every unchanged operand has its old text: [TOIN] [bp+rnd] COM1 */
  text_insn before, after;
  operands_of(p.src[5], &before);
  operands_of(line_of(out, 6, l, sizeof l), &after);
  cr_expect_str_eq(after.op[0], "word [TOIN]");
  cr_expect_str_eq(after.op[1], before.op[1]);
  operands_of(p.src[6], &before);
  operands_of(line_of(out, 8, l, sizeof l), &after);
  cr_expect(strstr(after.op[1], before.op[1]) != NULL, "%s keeps %s", after.op[1], before.op[1]);
  /* and nasm makes the proven bytes of them */
  const char *path = temp_asm(out);
  program q;
  bool missing;
  cr_assert(program_read(path, &q, err, sizeof err, &missing), "%s", err);
  char why[256];
  for (int k = 0; k < 3; k++) cr_expect(splice_bytes_match(&q, list[k], why, sizeof why), "%s", why);
  unlink(path);
  program_free(&q);
  free(out);
  program_free(&p);
}

/* A constant the new code introduces is printed by the name the program
 * gives it in the same role (the same destination), never by a label's
 * name that only has the same value. */
Test(edit_text, constant_by_its_name_in_that_role_only) {
  const char *src =
    "bits 16\norg 0x7c00\n"
    "PORT    equ 0x60\n"
    "        mov dx, PORT\n"              /* 4: names 0x60 as dx's value */
    "        mov cx, 2\n"                 /* 5 */
    "        mov cx, 0x60\n"              /* 6: the window */
    "        mov ax, msg\n"               /* 7: a label, relocated */
    "        mov dx, 3\n"                 /* 8: the window */
    "msg:    db 0\n";
  program p;
  char err[256];
  cr_assert(read_text(src, &p, err, sizeof err), "%s", err);
  splice_edit e, f;
  memset(&e, 0, sizeof e);
  memset(&f, 0, sizeof f);
  e.a = e.b = item_on_line(&p, 6);   /* cx gets 0x60: PORT is dx's name for it, not cx's */
  set_code(&e, (const uint8_t[]){0xb9, 0x60, 0x00}, 3);
  f.a = f.b = item_on_line(&p, 8);   /* dx gets 0x60 (as if proven): that is PORT */
  set_code(&f, (const uint8_t[]){0xba, 0x60, 0x00}, 3);
  splice_edit *one[1] = {&e};
  size_t len;
  char *out = splice_apply(&p, one, 1, &len);
  char l[256];
  cr_expect_str_eq(line_of(out, 6, l, sizeof l), "        mov cx, 0x60  ; superopt: ");
  free(out);
  one[0] = &f;
  out = splice_apply(&p, one, 1, &len);
  cr_expect_str_eq(line_of(out, 8, l, sizeof l), "        mov dx, PORT  ; superopt: ");
  free(out);
  /* msg's address is 0x7c0c: a new `mov ax, 0x7c0c` stays a number */
  uint32_t msg = p.org + p.it[item_on_line(&p, 9)].off;
  uint8_t code[3] = {0xb8, (uint8_t)msg, (uint8_t)(msg >> 8)};
  f.a = f.b = item_on_line(&p, 5);
  set_code(&f, code, 3);
  out = splice_apply(&p, one, 1, &len);
  char want[64];
  snprintf(want, sizeof want, "        mov ax, 0x%x  ; superopt: ", msg);
  cr_expect_str_eq(line_of(out, 5, l, sizeof l), want);
  free(out);
  program_free(&p);
}

/* Line endings as the file has them, CRLF and LF mixed, and no newline
 * at the end: a splice changes only its own lines. */
Test(edit_text, line_endings_kept) {
  const char *src = "bits 16\r\n        mov ax, 0\r\n        mov dx, 0\n        int 0x10";
  const char *path = temp_asm(src);
  program p;
  char err[256];
  bool missing;
  cr_assert(program_read(path, &p, err, sizeof err, &missing), "%s", err);
  size_t len;
  char *same = splice_apply(&p, NULL, 0, &len);
  cr_expect_str_eq(same, src, "no edit, the very text");
  free(same);
  splice_edit e;
  memset(&e, 0, sizeof e);
  e.a = e.b = item_on_line(&p, 3);
  set_code(&e, (const uint8_t[]){0x31, 0xd2}, 2);
  snprintf(e.tag, sizeof e.tag, "t");
  splice_edit *one[1] = {&e};
  char *out = splice_apply(&p, one, 1, &len);
  cr_expect_str_eq(out, "bits 16\r\n        mov ax, 0\r\n        xor dx, dx  ; superopt: t\n        int 0x10");
  free(out);
  unlink(path);
  program_free(&p);
}

/* A full-line comment between a window's lines stays between the
 * instructions it was between: each new instruction goes to the line of
 * the old one it stands for (cwd: mov dx, 0, the same destination). */
Test(edit_text, full_line_comments_keep_their_place) {
  const char *src =
    "bits 16\n"                                       /* 1 */
    "start:  mov ax, 1        ; one\n"                /* 2 */
    "        ; now the second part\n"                 /* 3 */
    "        mov bx, ax\n"                            /* 4 */
    "        mov dx, 0        ; gone\n"               /* 5 */
    "        ; and the count\n"                       /* 6 */
    "        mov cx, 0        ; zero\n"               /* 7 */
    "        int 0x10\n";                             /* 8 */
  program p;
  char err[256];
  cr_assert(read_text(src, &p, err, sizeof err), "%s", err);
  splice_edit e;
  memset(&e, 0, sizeof e);
  e.a = item_on_line(&p, 2);
  e.b = item_on_line(&p, 7);
  /* mov ax, 1; mov bx, ax; cwd; xor cx, cx */
  set_code(&e, (const uint8_t[]){0xb8, 0x01, 0x00, 0x89, 0xc3, 0x99, 0x31, 0xc9}, 8);
  snprintf(e.tag, sizeof e.tag, "t");
  splice_edit *one[1] = {&e};
  size_t len;
  char *out = splice_apply(&p, one, 1, &len);
  cr_expect_str_eq(out,
                   "bits 16\n"
                   "start:  mov ax, 1        ; one ; superopt: t\n"
                   "        ; now the second part\n"
                   "        mov bx, ax\n"
                   "        cwd              ; gone\n"      /* cwd stands for mov dx, 0 */
                   "        ; and the count\n"
                   "        xor cx, cx       ; zero\n"      /* the comment at its column */
                   "        int 0x10\n");
  const char *path = temp_asm(out);
  program q;
  bool missing;
  cr_assert(program_read(path, &q, err, sizeof err, &missing), "%s", err);
  char why[256];
  cr_expect(splice_bytes_match(&q, &e, why, sizeof why), "%s", why);
  unlink(path);
  program_free(&q);
  free(out);
  program_free(&p);
}

/* A constant that becomes an absolute address keeps the author's name for
 * it (`mov esi, BLOB` -> `lea esi, [BLOB]`), and an instruction the
 * replacement keeps at the window's start stays out of the edit: its line,
 * and the proof's tag goes to the first line that changes. */
Test(edit_text, constant_as_address_and_unchanged_start) {
  const char *src =
    "bits 16\ncpu 386\n"                              /* 1, 2 */
    "BLOB    equ 0x1400\n"                            /* 3 */
    "start:  push si          ; keep\n"               /* 4 */
    "        mov esi, BLOB    ; weights\n"            /* 5 */
    "        int 0x10\n";                             /* 6 */
  program p;
  char err[256];
  cr_assert(read_text(src, &p, err, sizeof err), "%s", err);
  splice_edit e;
  memset(&e, 0, sizeof e);
  e.a = e.win_a = item_on_line(&p, 4);
  e.b = e.win_b = item_on_line(&p, 5);
  /* push si; lea esi, [0x1400] */
  set_code(&e, (const uint8_t[]){0x56, 0x66, 0x8d, 0x36, 0x00, 0x14}, 6);
  snprintf(e.tag, sizeof e.tag, "t");
  text_trim_unchanged(&p, &e);
  cr_expect_eq(e.a, item_on_line(&p, 5));
  cr_expect_eq(e.n, 1);
  cr_expect_eq(e.win_a, item_on_line(&p, 4), "the proven window is kept");
  splice_edit *one[1] = {&e};
  size_t len;
  char *out = splice_apply(&p, one, 1, &len);
  char l[256];
  cr_expect_str_eq(line_of(out, 4, l, sizeof l), "start:  push si          ; keep");
  cr_expect_str_eq(line_of(out, 5, l, sizeof l), "        lea esi, [BLOB]  ; weights ; superopt: t");
  const char *path = temp_asm(out);
  program q;
  bool missing;
  cr_assert(program_read(path, &q, err, sizeof err, &missing), "%s", err);
  char why[256];
  cr_expect(splice_bytes_match(&q, &e, why, sizeof why), "%s", why);
  unlink(path);
  program_free(&q);
  free(out);
  program_free(&p);
}

/* Rewriting source lines: a proven shorter sequence replaces the lines of
 * its window, written in the author's words (edit_text.h).  The first line
 * keeps its label and carries `; superopt: <proof hash>` naming the proof;
 * the old text is not kept (the patch shows it). */
#ifndef SUPEROPT_SPLICE_EDIT_H
#define SUPEROPT_SPLICE_EDIT_H

#include "program/listing.h"
#include "program/snippet.h"

typedef struct {
  int a, b;                       /* items the edit rewrites in the original program */
  int win_a, win_b;               /* the proven window's items (a..b lies inside) */
  insn code[SNIPPET_MAX_INSNS];   /* the replacement */
  int n;
  /* its symbolic constants: operand sym k+1 is the address of the
     program's label sym_label[k] (an index in program.labels) */
  int nsym;
  int sym_label[ISA_NSYM];
  char sym_name[ISA_NSYM][64];    /* that label's name, as the source writes it */
  int saved;                      /* bytes */
  char key[33];                   /* search key */
  char tag[64];                   /* proof hash (the proof file's name stem) */
  char proof[512];                /* proof file path */
  char block[64];
  char old_text[512], new_text[512];
  /* filled by splice_apply: where the new lines landed */
  int new_first_line, new_nlines;
} splice_edit;

/* The source with the edits applied (they must not overlap).  Returns a
 * malloc'd text; sets new_first_line/new_nlines of each edit. */
char *splice_apply(const program *p, splice_edit *const *edits, int nedits, size_t *len);
/* The same, and (when there is at least one edit) fill_text as a line of
 * its own before source line fill_before_line: the fill a program without
 * one needs to keep its fixed-position bytes in place (splice/layout.h). */
char *splice_apply_fill(const program *p, splice_edit *const *edits, int nedits,
                        int fill_before_line, const char *fill_text, size_t *len);

/* Do the bytes nasm produced for the edit's lines (items of the new
 * listing on those lines) equal the replacement's encoding, with each
 * label operand at the address the label has in `after` (the label
 * moves when code before it shrinks; the proof holds for every address)? */
bool splice_bytes_match(const program *after, const splice_edit *e, char *why, size_t whyn);

#endif

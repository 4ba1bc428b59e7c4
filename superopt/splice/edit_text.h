/* The new instructions of a splice in the author's words: an instruction
 * the window already had keeps its line's text; an operand the window (or,
 * for a constant or an absolute address written as a name, the rest of the
 * program) already wrote keeps that text (labels, equ names, expressions
 * such as [bp+rnd]); the rest is printed, in the author's case and with
 * the author's spacing after the mnemonic and the commas.  nasm checks the
 * result: a splice whose lines do not assemble to the proven bytes is
 * rejected (splice_bytes_match). */
#ifndef SUPEROPT_SPLICE_EDIT_TEXT_H
#define SUPEROPT_SPLICE_EDIT_TEXT_H

#include "splice/edit.h"

typedef struct {
  char mnem[32];      /* with prefixes written before it ("rep movsb") */
  char gap[16];       /* whitespace after the mnemonic */
  char sep[8];        /* the comma and what follows it */
  char op[3][128];
  int nops;
} text_insn;

/* Length of a leading "label:" (with the whitespace before it), 0 if none. */
size_t text_label_prefix(const char *line);

/* An instruction's text (no label, no comment) split at its top-level
 * commas.  False when it does not read as one instruction. */
bool text_split(const char *code, text_insn *t);

/* New instruction k of e as the author would write it; style gives the
 * spacing, upper the mnemonic case. */
void text_render(const program *p, const splice_edit *e, int k, const text_insn *style,
                 bool upper, char *out, size_t n);

/* The author's spacing, from the window's first line; true when its
 * mnemonic is in upper case. */
bool text_style(const program *p, const splice_edit *e, text_insn *style);

/* All new instructions of e as text_render writes them, joined by "; ". */
void text_new_lines(const program *p, const splice_edit *e, char *out, size_t n);

/* Which old instruction (0-based in the window) each new one stands for,
 * -1 for none: the same instruction, else the one old instruction whose
 * constant or memory operand it keeps, else the one with the same
 * destination, else (as many new as old) the same place.  Returns how many old ones no new one stands for. */
int text_match(const program *p, const splice_edit *e, int *match);

/* Narrow e to the lines it changes: leading and trailing instructions the
 * replacement keeps exactly (and in place) leave the edit, so their lines,
 * comments and the proof's tag stay where a reader expects them. */
void text_trim_unchanged(const program *p, splice_edit *e);

#endif

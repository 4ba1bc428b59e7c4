/* A rewrite (a snippet and a candidate for it) as bytes and text, and the
 * hash that names it: proof files and kept counterexamples are filed under
 * it, so it covers the original and candidate bytes, the live-out set, the
 * assumptions and the semantics version. */
#ifndef SUPEROPT_PROGRAM_REWRITE_H
#define SUPEROPT_PROGRAM_REWRITE_H

#include "program/snippet.h"

/* Bytes of a sequence as hex ("31c0 99"), and its text ("xor ax, ax; cwd"). */
int seq_hex(const insn *seq, int n, char *buf, size_t bufn);
int seq_text(const insn *seq, int n, char *buf, size_t bufn);
int seq_bytes(const insn *seq, int n);

/* The original's bytes as hex: as assembled when known, else the encoder's. */
int snippet_original_hex(const snippet *s, char *buf, size_t bufn);
/* The assumptions as text ("ax<0x8000 byte [bx+0x3]=0x0"), empty for none. */
int snippet_assume_text(const snippet *s, char *buf, size_t bufn);

/* A window's label addresses (symbolic constants) bound to their values in
 * the image the window came from: the header's bytes and text show those,
 * the query's variables stand for every value.  Returns s, or tmp with the
 * values bound; *cand likewise (into cbuf). */
const snippet *rewrite_bound(const snippet *s, snippet *tmp, const insn **cand, int n,
                             insn *cbuf);
/* "sym0=msg(0x7c1a) ...", empty without label addresses. */
int snippet_sym_text(const snippet *s, char *buf, size_t bufn);

/* 32 hex digits (XXH3-128) and its NUL; cand NULL, n 0: the snippet alone. */
void rewrite_hash(const snippet *s, const insn *cand, int n, char out[33]);

#endif

/* The annotations of a benchmark snippet: `; best-bytes: N` and `; best:
 * TEXT` for the shortest form known, `; trap: TEXT` for a tempting wrong
 * rewrite the tool must never return. */
#ifndef TESTS_SEARCH_CORPUS_NOTE_H
#define TESTS_SEARCH_CORPUS_NOTE_H

#include <stdbool.h>

typedef struct {
  int best_bytes;        /* -1 when the snippet is a trap */
  char best[256];
  char trap[256];        /* empty unless a trap */
} corpus_note;

bool corpus_note_read(const char *path, corpus_note *out);

/* The same text modulo spacing and case ("xor ax,ax" == "XOR ax, ax"). */
bool corpus_same_text(const char *a, const char *b);

#endif

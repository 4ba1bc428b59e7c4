/* Programs and snippets written as text to a temporary file and read back,
 * for the tests of every layer above program/ (-Itests/program). */
#ifndef TESTS_PROGRAM_PROGRAM_TEXT_H
#define TESTS_PROGRAM_PROGRAM_TEXT_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "program/liveness.h"
#include "program/snippet.h"
#include "program/window.h"

/* Write text to a fresh temporary .asm file; returns its path (static). */
static inline const char *temp_asm(const char *text) {
  static char path[64];
  snprintf(path, sizeof path, "/tmp/pipeline-testXXXXXX.asm");
  int fd = mkstemps(path, 4);
  if (fd < 0) return NULL;
  size_t n = strlen(text);
  if (write(fd, text, n) != (ssize_t)n) n = 0;
  close(fd);
  return path;
}

/* Read a program given as text; aborts the test on failure. */
static inline bool read_text(const char *text, program *p, char *err, size_t errn) {
  const char *path = temp_asm(text);
  bool missing;
  bool ok = path && program_read(path, p, err, errn, &missing);
  if (path) unlink(path);
  return ok;
}

/* Index of the item made by source line `line`, -1 if none. */
static inline int item_on_line(const program *p, int line) {
  for (int i = 0; i < p->n; i++)
    if (p->it[i].line == line) return i;
  return -1;
}

/* A snippet given as text; NULL (err says why) when it does not read. */
static inline snippet *snippet_from_text(const char *text, char *err, size_t errn) {
  const char *path = temp_asm(text);
  snippet *s = calloc(1, sizeof *s);
  bool ok = path && s && snippet_read(path, s, err, errn);
  if (path) unlink(path);
  if (!ok) {
    free(s);
    return NULL;
  }
  return s;
}

#endif

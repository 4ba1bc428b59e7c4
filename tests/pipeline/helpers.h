/* Shared helpers of the pipeline tests: a program written to a temporary
 * file and read back, and running the superopt binary. */
#ifndef TESTS_PIPELINE_HELPERS_H
#define TESTS_PIPELINE_HELPERS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "program/liveness.h"
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

/* The superopt binary under test. */
static inline const char *superopt_bin(void) {
  const char *s = getenv("SUPEROPT");
  return s ? s : "build/superopt";
}

/* Run a shell command, capturing stdout+stderr into out; returns exit status. */
static inline int sh(const char *cmd, char *out, size_t n) {
  FILE *f = popen(cmd, "r");
  if (!f) return -1;
  size_t k = 0;
  if (out && n) {
    size_t r;
    while (k + 1 < n && (r = fread(out + k, 1, n - 1 - k, f)) > 0) k += r;
    out[k] = 0;
  }
  char sink[4096];
  while (fread(sink, 1, sizeof sink, f) > 0) {}
  int st = pclose(f);
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

#endif

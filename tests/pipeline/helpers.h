/* Shared helpers of the pipeline tests: running the superopt binary (and
 * tests/program's programs written as text). */
#ifndef TESTS_PIPELINE_HELPERS_H
#define TESTS_PIPELINE_HELPERS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include "program_text.h"

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

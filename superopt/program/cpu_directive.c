/* The CPU level a NASM source asks for with its `cpu` directive. */
#include "program/cpu_directive.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

bool nasm_cpu_directive(const char *line, int *cpu) {
  const char *p = line;
  while (isspace((unsigned char)*p)) p++;
  bool bracket = *p == '[';
  if (bracket) p++;
  while (isspace((unsigned char)*p)) p++;
  if (strncasecmp(p, "cpu", 3) || !isspace((unsigned char)p[3])) return false;
  p += 3;
  while (isspace((unsigned char)*p)) p++;
  char word[16];
  size_t n = 0;
  while (p[n] && !isspace((unsigned char)p[n]) && p[n] != ']' && p[n] != ';' && n + 1 < sizeof word) {
    word[n] = p[n];
    n++;
  }
  word[n] = 0;
  return isa_cpu_parse(word, cpu);
}

int program_cpu_level(char *const *src, int nsrc, int *line) {
  int level = -1;
  for (int i = 0; i < nsrc; i++) {
    int c;
    if (src[i] && nasm_cpu_directive(src[i], &c) && (level < 0 || c < level)) {
      level = c;
      if (line) *line = i + 1;
    }
  }
  return level;
}

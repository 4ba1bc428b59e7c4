#include "corpus_note.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void copy_value(const char *line, const char *key, char *out, size_t n) {
  const char *p = line + strlen(key);
  while (isspace((unsigned char)*p)) p++;
  snprintf(out, n, "%s", p);
  out[strcspn(out, "\r\n")] = 0;
}

bool corpus_note_read(const char *path, corpus_note *out) {
  memset(out, 0, sizeof *out);
  out->best_bytes = -1;
  FILE *f = fopen(path, "r");
  if (!f) return false;
  char line[512], num[32];
  while (fgets(line, sizeof line, f)) {
    if (!strncmp(line, "; best-bytes:", 13)) {
      copy_value(line, "; best-bytes:", num, sizeof num);
      out->best_bytes = atoi(num);
    } else if (!strncmp(line, "; best:", 7)) {
      copy_value(line, "; best:", out->best, sizeof out->best);
    } else if (!strncmp(line, "; trap:", 7)) {
      copy_value(line, "; trap:", out->trap, sizeof out->trap);
    }
  }
  fclose(f);
  return out->best_bytes >= 0 || out->trap[0];
}

/* lower-case, drop spaces, drop "0x0"-style hex prefixes' leading zeros */
static void canon(const char *s, char *out, size_t n) {
  size_t k = 0;
  for (; *s && k + 1 < n; s++)
    if (!isspace((unsigned char)*s)) out[k++] = (char)tolower((unsigned char)*s);
  out[k] = 0;
}

bool corpus_same_text(const char *a, const char *b) {
  char x[512], y[512];
  canon(a, x, sizeof x);
  canon(b, y, sizeof y);
  if (!strcmp(x, "(empty)")) x[0] = 0;
  if (!strcmp(y, "(empty)")) y[0] = 0;
  return !strcmp(x, y);
}

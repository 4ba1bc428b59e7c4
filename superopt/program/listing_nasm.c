/* Running nasm: flat binary plus listing, errors passed through verbatim
 * (nasm already names file:line). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "program/listing.h"
#include "sys/run.h"

int listing_assemble(const char *src, const char *incdir, const char *bin,
                     const char *lst, char *err, size_t errn) {
  char inc[1100];
  snprintf(inc, sizeof inc, "-I%s/", incdir && *incdir ? incdir : ".");
  const char *argv[12];
  int a = 0;
  argv[a++] = "nasm";
  argv[a++] = "-f";
  argv[a++] = "bin";
  argv[a++] = inc;
  if (lst) {
    argv[a++] = "-l";
    argv[a++] = lst;
  }
  argv[a++] = "-o";
  argv[a++] = bin;
  argv[a++] = src;
  argv[a] = NULL;
  char *out = NULL;
  int rc = run_output(argv, NULL, 0, true, &out, NULL);
  if (rc < 0 || rc == 127) {
    free(out);
    snprintf(err, errn, rc < 0 ? "cannot run nasm" : "nasm not found (install nasm)");
    return 3;
  }
  if (rc != 0) {
    /* first error line is the useful one */
    char *line = strstr(out, "error");
    char *start = out;
    if (line) {
      while (line > out && line[-1] != '\n') line--;
      start = line;
    }
    char *nl = strchr(start, '\n');
    if (nl) *nl = 0;
    snprintf(err, errn, "%s", *start ? start : "nasm failed");
    free(out);
    return 2;
  }
  free(out);
  return 0;
}

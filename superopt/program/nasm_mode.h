/* The code mode (16, 32 or 64 bits) nasm is in at each line of a source
 * file, as nasm itself reports it while assembling, not read from the text:
 * `bits 032`, `%define B 32` + `bits B`, `use32`, `[bits 32]`, a directive
 * from a macro or an include, or one after thousands of lines are all seen
 * as nasm sees them, and so is `%if` on an assembler symbol. */
#ifndef SUPEROPT_PROGRAM_NASM_MODE_H
#define SUPEROPT_PROGRAM_NASM_MODE_H

#include <stdbool.h>
#include <stddef.h>

typedef struct {
  int *bits;           /* bits[L]: the mode in effect at source line L of the
                          file (1-based; index 0 unused) */
  int nlines;
  int first_line;      /* first line of the file that switches to a mode other
                          than 16 (or where code from a macro/include does), 0
                          if none */
  int first_bits;      /* that mode */
  char first_text[96]; /* that line's source text */
} nasm_modes;

/* Assemble path with a mode probe before each line (incdir for %include,
 * NULL for the file's own directory).  On failure returns false with a one-line message in err and
 * *tool_missing set when nasm could not be run. */
bool nasm_modes_read(const char *path, const char *incdir, nasm_modes *m, char *err, size_t errn,
                     bool *tool_missing);
/* Run nasm with argv (argv[0] "nasm"), its stdout and stderr to errfile:
 * the exit status, 127 when nasm could not be started, -1 when it could
 * not be waited for. */
int nasm_run(const char *const argv[], const char *errfile);
/* The first line of a file (nasm's first message), "" if none. */
void nasm_first_line(const char *file, char *buf, size_t n);

/* The mode at line L (16 beyond the lines nasm reported). */
int nasm_mode_at(const nasm_modes *m, int line);
void nasm_modes_free(nasm_modes *m);

#endif

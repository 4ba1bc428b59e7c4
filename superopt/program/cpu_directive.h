/* NASM's `cpu` directive: the level a program's own source allows. */
#ifndef SUPEROPT_PROGRAM_CPU_DIRECTIVE_H
#define SUPEROPT_PROGRAM_CPU_DIRECTIVE_H

#include "isa/isa.h"

/* Is the line `cpu NAME` (or `[cpu NAME]`) with a level the model knows?
 * Then *cpu is that level (enum isa_cpu). */
bool nasm_cpu_directive(const char *line, int *cpu);

/* The lowest level any `cpu` line of the source names, or -1 when none
 * does (*line, when non-NULL, is then that line, 1-based). */
int program_cpu_level(char *const *src, int nsrc, int *line);

#endif

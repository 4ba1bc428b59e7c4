/* CPU names as nasm's `cpu` directive and the command line write them.  The
 * level of an instruction is a column of the form table (isa_forms.c). */
#include "isa/isa.h"

#include <string.h>

static const char *const cpu_names[] = {"8086", "186", "286", "386", "486", "686"};

const char *isa_cpu_name(int cpu) {
  return cpu >= CPU_8086 && cpu <= CPU_686 ? cpu_names[cpu] : "?";
}

/* "8086", "186", "80186", "286", "i386", "386", "486", "686", "p6" (nasm's
 * `cpu` names and the plain numbers), case-insensitively. */
bool isa_cpu_parse(const char *text, int *cpu) {
  char low[16];
  size_t n = 0;
  for (; text[n] && n + 1 < sizeof low; n++)
    low[n] = (char)(text[n] >= 'A' && text[n] <= 'Z' ? text[n] - 'A' + 'a' : text[n]);
  if (text[n]) return false;
  low[n] = 0;
  const char *p = low;
  if (!strncmp(p, "80", 2) && strlen(p) == 5) p += 2;     /* 80186, 80286, 80386 */
  else if (p[0] == 'i' && strlen(p) == 4) p += 1;         /* i386, i486, i686 */
  static const struct { const char *name; int cpu; } names[] = {
    {"8086", CPU_8086}, {"8088", CPU_8086}, {"186", CPU_186}, {"286", CPU_286},
    {"386", CPU_386}, {"486", CPU_486}, {"586", CPU_486}, {"pentium", CPU_486},
    {"686", CPU_686}, {"p6", CPU_686}, {"ppro", CPU_686}, {"pentiumpro", CPU_686},
  };
  for (size_t k = 0; k < sizeof names / sizeof *names; k++)
    if (!strcmp(p, names[k].name)) {
      *cpu = names[k].cpu;
      return true;
    }
  return false;
}

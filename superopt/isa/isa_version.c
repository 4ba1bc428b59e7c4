/* The semantics version: a hash of isa_sem.def, generated at build time,
 * marked with the planted bug when one is built in. */
#include "isa/isa.h"
#include "isa/isa_sem.h"
#include "isa_sem_version.h"

#define STR2(x) #x
#define STR(x) STR2(x)

const char *isa_sem_version(void) {
#if SEM_MUTATION
  return ISA_SEM_HASH "-m" STR(SEM_MUTATION);
#else
  return ISA_SEM_HASH;
#endif
}

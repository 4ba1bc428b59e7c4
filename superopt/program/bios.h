/* What a BIOS service reads, for liveness before an `int`: the registers
 * its interface names (Ralf Brown's Interrupt List) for the function in AH,
 * when the facts give AH there.  Everything else a service might do to the
 * machine is carried across the `int` (it kills nothing), so only the
 * inputs matter: a register no listed service reads may hold anything when
 * the BIOS runs.  This assumes a service's effect depends only on those
 * registers, the segment registers, the stack and memory. */
#ifndef SUPEROPT_PROGRAM_BIOS_H
#define SUPEROPT_PROGRAM_BIOS_H

#include "program/liveness.h"

/* The locations `int n` (in) reads given the facts on entry to it, or
 * false when the service is not in the table or AH is not known there. */
bool bios_reads(const insn *in, const prog_facts *f, locset *reads);

#endif

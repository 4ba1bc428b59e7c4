/* Pieces of `superopt audit`: one proof file, one patch series. */
#ifndef SUPEROPT_CLI_AUDIT_H
#define SUPEROPT_CLI_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "prove/proof_file.h"

/* A proof with label addresses (`; symbolic:`) must leave each one free:
 * an smt proof declares in_symK and never equates it with a number; an
 * enumeration does not cover them at all. */
bool audit_symbolic_free(const char *path, const proof_info *h, char *why, size_t whyn);

/* Capstone decodes hex bytes ("31c0 99") into the instructions text names
 * ("xor ax, ax; cwd"), up to spelling. */
bool audit_capstone_matches(const char *hex, const char *text, char *why, size_t whyn);

/* Re-run an exhaustion proof on Unicorn: every input (or, above limit
 * inputs, an evenly spaced sample of limit of them; *sampled says so). */
bool audit_exhaust_unicorn(const proof_info *h, unsigned long long limit, bool *sampled,
                           unsigned long long *ran, char *why, size_t whyn);

/* Replay the patch series in dir: each patch must apply to its recorded base
 * blob (found in the repository or made by an earlier patch) and yield its
 * recorded result blob.  Prints one line per patch; returns failures. */
int audit_patches(const char *dir, int *npatches);
/* The same with files outside the repository as possible bases. */
int audit_patches_on(const char *dir, const char *const *bases, int nbases, int *npatches);

#endif

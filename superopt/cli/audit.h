/* Pieces of `superopt audit`: one proof file, one patch series. */
#ifndef SUPEROPT_CLI_AUDIT_H
#define SUPEROPT_CLI_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
  char kind[16];                 /* smt | exhaustive */
  char obytes[1024], otext[2048];
  char cbytes[1024], ctext[2048];
  char live[256], assume[512], sem[128];
  char symbolic[512];            /* "sym0=msg(0x7c1a) ...": label addresses, free in the query */
  /* exhaustive */
  uint32_t base_r[8];
  uint16_t base_s[6];
  uint32_t base_flags;
  uint64_t mem_seed;
  char inputs[512];
  int bits;
  unsigned long long evaluated;
} proof_header_t;

/* Read the `; key: value` header of a proof file. */
bool audit_read_header(const char *path, proof_header_t *h, char *why, size_t whyn);

/* A proof with label addresses (`; symbolic:`) must leave each one free:
 * an smt proof declares in_symK and never equates it with a number; an
 * enumeration does not cover them at all. */
bool audit_symbolic_free(const char *path, const proof_header_t *h, char *why, size_t whyn);

/* Capstone decodes hex bytes ("31c0 99") into the instructions text names
 * ("xor ax, ax; cwd"), up to spelling. */
bool audit_capstone_matches(const char *hex, const char *text, char *why, size_t whyn);

/* Re-run an exhaustion proof on Unicorn: every input (or, above limit
 * inputs, an evenly spaced sample of limit of them; *sampled says so). */
bool audit_exhaust_unicorn(const proof_header_t *h, unsigned long long limit, bool *sampled,
                           unsigned long long *ran, char *why, size_t whyn);

/* Replay the patch series in dir: each patch must apply to its recorded base
 * blob (found in the repository or made by an earlier patch) and yield its
 * recorded result blob.  Prints one line per patch; returns failures. */
int audit_patches(const char *dir, int *npatches);
/* The same with files outside the repository as possible bases. */
int audit_patches_on(const char *dir, const char *const *bases, int nbases, int *npatches);

#endif

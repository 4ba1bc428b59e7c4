/* Git-format patches for accepted shrinks.  Made by git itself in a
 * scratch repository holding the file at its path relative to the
 * program's repository (its basename outside a repository), so the result
 * applies with `git am` and its `index` line names the exact base and
 * result blobs (the audit replays patches from those). */
#ifndef SUPEROPT_SPLICE_PATCH_H
#define SUPEROPT_SPLICE_PATCH_H

#include <stdbool.h>
#include <stddef.h>

/* The program's path as the patch names it. */
void patch_repo_path(const char *program_path, char *out, size_t n);

bool patch_write(const char *program_path, const char *base, size_t nbase,
                 const char *next, size_t nnext, const char *subject, const char *body,
                 const char *out_path, char *why, size_t whyn);

#endif

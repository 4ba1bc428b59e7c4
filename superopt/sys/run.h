/* Running outside tools (nasm, git, the solvers, the check command) and writing files
 * so that a kill at any moment leaves either the old or the new file. */
#ifndef SUPEROPT_SYS_RUN_H
#define SUPEROPT_SYS_RUN_H

#include <stdbool.h>
#include <stddef.h>

/* Run argv in cwd (NULL: here) with extra environment entries "K=V"
 * (NULL-terminated, may be NULL), stdout to out_path (NULL: /dev/null, "-":
 * inherit), stderr likewise to err_path (the same path: one file, in order).  The child runs in its own process
 * group, killed after timeout_s (0: no limit).  Returns the exit status,
 * 124 on timeout, 127 when the program is missing, -1 on internal error. */
int run_process(const char *const argv[], const char *cwd, const char *const env[],
                const char *out_path, const char *err_path, unsigned timeout_s);

/* The same with stdout (and with_stderr, stderr in the same stream; else
 * stderr to /dev/null) captured: *out is malloc'd, NUL-terminated, *n its
 * length (n may be NULL), even when the command fails (the caller frees
 * it).  Returns as run_process. */
int run_output(const char *const argv[], const char *cwd, unsigned timeout_s, bool with_stderr,
               char **out, size_t *n);

/* Write data to path via a temporary file in the same directory + rename. */
bool write_file_atomic(const char *path, const char *data, size_t n);

/* Read a whole file (NUL-terminated); NULL on failure. */
char *read_whole_file(const char *path, size_t *n);

/* mkdir -p */
bool make_dirs(const char *path);

#endif

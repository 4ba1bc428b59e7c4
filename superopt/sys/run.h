/* Running outside tools (nasm, git, the check command) and writing files
 * so that a kill at any moment leaves either the old or the new file. */
#ifndef SUPEROPT_SYS_RUN_H
#define SUPEROPT_SYS_RUN_H

#include <stdbool.h>
#include <stddef.h>

/* Run argv in cwd (NULL: here) with extra environment entries "K=V"
 * (NULL-terminated, may be NULL), stdout to out_path (NULL: /dev/null, "-":
 * inherit), stderr likewise to err_path.  The child runs in its own process
 * group, killed after timeout_s (0: no limit).  Returns the exit status,
 * 124 on timeout, 127 when the program is missing, -1 on internal error. */
int run_process(const char *const argv[], const char *cwd, const char *const env[],
                const char *out_path, const char *err_path, unsigned timeout_s);

/* Write data to path via a temporary file in the same directory + rename. */
bool write_file_atomic(const char *path, const char *data, size_t n);

/* Read a whole file (NUL-terminated); NULL on failure. */
char *read_whole_file(const char *path, size_t *n);

/* mkdir -p */
bool make_dirs(const char *path);

#endif

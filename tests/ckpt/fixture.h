/* Shared fixtures for the checkpoint tests: where the real model is, a
 * scratch directory, corrupt copies of the model files, and running a
 * command-line tool while capturing what it says. */
#ifndef TESTS_CKPT_FIXTURE_H
#define TESTS_CKPT_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

enum { PATH_MAX_LEN = 4096 };

/* $MODEL_DIR/name; fails the current test when MODEL_DIR is unset. */
void model_file(const char *name, char out[PATH_MAX_LEN]);
/* $VAR; fails the current test when it is unset. */
const char *required_env(const char *var);

/* A fresh directory under $TMPDIR (or /tmp), and its recursive removal. */
void scratch_make(char out[PATH_MAX_LEN]);
/* dir/name into out; fails the current test when it does not fit. */
void path_join(char out[PATH_MAX_LEN], const char *dir, const char *name);
void scratch_remove(const char *dir);
int scratch_entries(const char *dir);  /* files in it, "." and ".." aside */

unsigned char *file_read(const char *path, size_t *len);
void file_write(const char *path, const void *buf, size_t len);
int file_exists(const char *path);

/* Byte offset of element `index` of the named tensor in a stories260K-shaped
 * checkpoint file ("wq", "w2", ...). */
size_t tensor_offset(const char *name, size_t index);

/* One corrupt input: which of the two files is bad, and words of which the
 * one-line error must contain at least one ("a|b", case-insensitive). */
typedef struct {
  const char *name;
  int bad_is_tokenizer;
  const char *keywords;
} corrupt_case;

extern const corrupt_case CORRUPT_CASES[];
extern const size_t N_CORRUPT_CASES;

/* Writes case `c` into dir as a checkpoint and a tokenizer, from the real
 * files or a random checkpoint as the case says; returns their paths. */
void corrupt_make(const corrupt_case *c, const char *dir,
                  char ckpt_out[PATH_MAX_LEN], char tok_out[PATH_MAX_LEN]);

/* Runs argv (argv[0] is the program path); stdout and stderr are captured
 * (NUL-terminated, truncated to their buffers). Returns the exit status, or
 * -1 when the child died on a signal. */
int run_tool(char *const argv[], char *out, size_t outn, char *err, size_t errn);

/* Does s contain one of the '|'-separated words (case-insensitive)? */
int contains_any(const char *s, const char *words);

#endif

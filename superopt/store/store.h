/* The results store (SQLite, results/store.sqlite, not committed).
 *
 * `search` holds one row per finished search, keyed by a hash of the
 * window's bytes, its context (live-out, assumptions) and the semantics
 * version, so a changed semantics never reuses an old answer and a second
 * night skips every window already done.  `verdict` holds what happened
 * when a proven shrink was spliced into a given source (accepted with its
 * patch, or rejected with the reason), keyed by the search key and a hash
 * of the source it was spliced into.  Each write is its own transaction, so
 * a process killed at any moment loses at most the search in flight. */
#ifndef SUPEROPT_STORE_STORE_H
#define SUPEROPT_STORE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include "program/snippet.h"

typedef struct store store;

typedef struct {
  int status;            /* opt_status */
  int orig_bytes, best_bytes;
  char best_hex[192];    /* the shorter sequence's bytes */
  char best_text[512];
  char proof[512];
  int proof_kind;        /* proof_kind */
  char why[256];
  double time_s;         /* budget it was given */
  double seconds;        /* time it took */
  int searches;          /* how many times this key was searched */
} store_search;

store *store_open(const char *path, char *err, size_t errn);
void store_close(store *st);

/* 32 hex digits: XXH3-128 of bytes, live-out, assumptions, semantics version. */
void store_key(const snippet *s, const uint8_t *bytes, int nbytes, char out[33]);

bool store_get_search(store *st, const char *key, store_search *out);
/* Insert or replace; increments the row's `searches` counter. */
bool store_put_search(store *st, const char *key, const char *program, int line,
                      const char *block, const char *code_text, const store_search *r);

/* verdict is "accepted" or "rejected". */
bool store_get_verdict(store *st, const char *key, const char *source_hash,
                       char *verdict, size_t vn, char *reason, size_t rn);
/* The patch file an accepted verdict names ("" if none). */
bool store_get_patch(store *st, const char *key, const char *source_hash, char *patch, size_t pn);
bool store_put_verdict(store *st, const char *key, const char *source_hash,
                       const char *program, const char *verdict, const char *reason,
                       const char *patch, int saved);

/* Number of rows of a table ("search", "verdict"), -1 on error. */
long store_count(store *st, const char *table);

/* XXH3-128 of a byte string as 32 hex digits (source hashes). */
void store_hash_text(const char *text, size_t n, char out[33]);

#endif

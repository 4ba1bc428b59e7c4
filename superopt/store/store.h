/* The results store: SQLite (results/store.sqlite, not committed; the
 * default for one machine) or PostgreSQL (a postgresql:// URL, the shared
 * store of shards on many machines), the same schema on both.
 *
 * `search` holds one row per finished search, keyed by a hash of the
 * window's bytes, its context (live-out, assumptions) and the semantics
 * version, so a changed semantics never reuses an old answer and a second
 * night skips every window already done.  `verdict` holds what happened
 * when a proven shrink was spliced into a given source (accepted with its
 * patch, or rejected with the reason), keyed by the search key and a hash
 * of the source it was spliced into.  Each write is its own transaction, so
 * a process killed at any moment loses at most the search in flight; two
 * writers of one key leave one answer, the longer-searched one. */
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
  const char *proof_text;/* put: the proof file's text, so a machine without
                            the file can write it (NULL: none); get leaves it
                            NULL, store_get_proof reads it */
} store_search;

/* spec: "postgresql://..." or "postgres://..." (libpq URL), else an SQLite
 * file.  The tables are made when missing. */
store *store_open(const char *spec, char *err, size_t errn);
void store_close(store *st);
const char *store_backend_name(const store *st);   /* "sqlite", "postgresql" */

/* 32 hex digits: XXH3-128 of bytes, live-out, assumptions, semantics version. */
void store_key(const snippet *s, const uint8_t *bytes, int nbytes, char out[33]);

bool store_get_search(store *st, const char *key, store_search *out);
/* Every search row, in key order. */
typedef void (*store_search_fn)(void *ctx, const char *key, const store_search *r);
bool store_each_search(store *st, store_search_fn fn, void *ctx);
/* The stored proof text of key's answer (malloc'd), NULL when none. */
char *store_get_proof(store *st, const char *key);
/* Insert, or keep the longer-searched of the stored and this answer (the
 * stored one on equal time_s); always increments the row's `searches`. */
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

/* Fold every row of `from` into `into`: searches as store_put_search does
 * (the longer-searched answer, `searches` added up), verdicts only where
 * `into` has none for that splice and source.  Counts the rows read. */
bool store_merge(store *into, store *from, long *nsearch, long *nverdict);

/* Which of nshards shards owns a key (0..nshards-1): its first 32 bits mod
 * nshards, so the split depends on the windows only, never on timing. */
int store_shard_of(const char *key, int nshards);

/* Answers this handle wrote and the seconds the writes took. */
void store_write_stats(const store *st, long *writes, double *seconds);

/* Number of rows of a table ("search", "verdict"), -1 on error. */
long store_count(store *st, const char *table);

/* XXH3-128 of a byte string as 32 hex digits (source hashes). */
void store_hash_text(const char *text, size_t n, char out[33]);

#endif

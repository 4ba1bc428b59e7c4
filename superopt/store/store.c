/* SQLite results store (see store.h). */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xxhash.h>
#include "store/store.h"

struct store {
  sqlite3 *db;
};

static const char *schema =
  "PRAGMA journal_mode=WAL;"
  "PRAGMA synchronous=FULL;"
  "CREATE TABLE IF NOT EXISTS search("
  " key TEXT PRIMARY KEY, sem TEXT, program TEXT, line INTEGER, block TEXT, code TEXT,"
  " status INTEGER, orig_bytes INTEGER, best_bytes INTEGER, best_hex TEXT, best_text TEXT,"
  " proof TEXT, proof_kind INTEGER, why TEXT, time_s REAL, seconds REAL,"
  " searches INTEGER NOT NULL DEFAULT 0, at TEXT);"
  "CREATE TABLE IF NOT EXISTS verdict("
  " key TEXT, source_hash TEXT, program TEXT, verdict TEXT, reason TEXT, patch TEXT,"
  " saved INTEGER, at TEXT, PRIMARY KEY(key, source_hash));";

store *store_open(const char *path, char *err, size_t errn) {
  store *st = calloc(1, sizeof *st);
  if (sqlite3_open(path, &st->db) != SQLITE_OK) {
    snprintf(err, errn, "%s: %s", path, sqlite3_errmsg(st->db));
    sqlite3_close(st->db);
    free(st);
    return NULL;
  }
  sqlite3_busy_timeout(st->db, 10000);
  char *msg = NULL;
  if (sqlite3_exec(st->db, schema, NULL, NULL, &msg) != SQLITE_OK) {
    snprintf(err, errn, "%s: %s", path, msg ? msg : "schema");
    sqlite3_free(msg);
    sqlite3_close(st->db);
    free(st);
    return NULL;
  }
  return st;
}

void store_close(store *st) {
  if (!st) return;
  sqlite3_close(st->db);
  free(st);
}

static void hex128(XXH128_hash_t h, char out[33]) {
  snprintf(out, 33, "%016llx%016llx", (unsigned long long)h.high64, (unsigned long long)h.low64);
}

void store_key(const snippet *s, const uint8_t *bytes, int nbytes, char out[33]) {
  XXH3_state_t *x = XXH3_createState();
  XXH3_128bits_reset(x);
  XXH3_128bits_update(x, "superopt-window-v1", 18);
  uint32_t nb = (uint32_t)nbytes;
  XXH3_128bits_update(x, &nb, sizeof nb);
  XXH3_128bits_update(x, bytes, (size_t)nbytes);
  uint64_t live = s->live_out;
  XXH3_128bits_update(x, &live, sizeof live);
  uint32_t na = (uint32_t)s->nassume;
  XXH3_128bits_update(x, &na, sizeof na);
  for (int i = 0; i < s->nassume; i++) {
    uint64_t rec[3] = {s->assume[i].kind, s->assume[i].loc, s->assume[i].value};
    XXH3_128bits_update(x, rec, sizeof rec);
    if (s->assume[i].kind == ASSUME_MEM) {   /* which byte or word */
      const operand *m = &s->assume_mem[i];
      int32_t where[5] = {m->size, m->seg, m->base, m->index, m->disp};
      XXH3_128bits_update(x, where, sizeof where);
    }
  }
  /* an answer for one CPU level is not an answer for a lower one */
  uint32_t target[2] = {(uint32_t)snippet_cpu(s), s->no_undocumented};
  XXH3_128bits_update(x, target, sizeof target);
  const char *sem = isa_sem_version();
  XXH3_128bits_update(x, sem, strlen(sem));
  hex128(XXH3_128bits_digest(x), out);
  XXH3_freeState(x);
}

void store_hash_text(const char *text, size_t n, char out[33]) {
  hex128(XXH3_128bits(text, n), out);
}

static void now_iso(char *buf, size_t n) {
  time_t t = time(NULL);
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void copy_col(sqlite3_stmt *q, int col, char *dst, size_t n) {
  const unsigned char *t = sqlite3_column_text(q, col);
  snprintf(dst, n, "%s", t ? (const char *)t : "");
}

bool store_get_search(store *st, const char *key, store_search *out) {
  sqlite3_stmt *q;
  const char *sql = "SELECT status, orig_bytes, best_bytes, best_hex, best_text, proof,"
                    " proof_kind, why, time_s, seconds, searches FROM search WHERE key=?1";
  if (sqlite3_prepare_v2(st->db, sql, -1, &q, NULL) != SQLITE_OK) return false;
  sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
  bool found = sqlite3_step(q) == SQLITE_ROW;
  if (found) {
    memset(out, 0, sizeof *out);
    out->status = sqlite3_column_int(q, 0);
    out->orig_bytes = sqlite3_column_int(q, 1);
    out->best_bytes = sqlite3_column_int(q, 2);
    copy_col(q, 3, out->best_hex, sizeof out->best_hex);
    copy_col(q, 4, out->best_text, sizeof out->best_text);
    copy_col(q, 5, out->proof, sizeof out->proof);
    out->proof_kind = sqlite3_column_int(q, 6);
    copy_col(q, 7, out->why, sizeof out->why);
    out->time_s = sqlite3_column_double(q, 8);
    out->seconds = sqlite3_column_double(q, 9);
    out->searches = sqlite3_column_int(q, 10);
  }
  sqlite3_finalize(q);
  return found;
}

bool store_put_search(store *st, const char *key, const char *program, int line,
                      const char *block, const char *code_text, const store_search *r) {
  const char *sql =
    "INSERT INTO search(key, sem, program, line, block, code, status, orig_bytes, best_bytes,"
    " best_hex, best_text, proof, proof_kind, why, time_s, seconds, searches, at)"
    " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,1,?17)"
    " ON CONFLICT(key) DO UPDATE SET status=excluded.status, orig_bytes=excluded.orig_bytes,"
    " best_bytes=excluded.best_bytes, best_hex=excluded.best_hex, best_text=excluded.best_text,"
    " proof=excluded.proof, proof_kind=excluded.proof_kind, why=excluded.why,"
    " time_s=excluded.time_s, seconds=excluded.seconds, searches=search.searches+1,"
    " at=excluded.at";
  sqlite3_stmt *q;
  if (sqlite3_prepare_v2(st->db, sql, -1, &q, NULL) != SQLITE_OK) return false;
  char at[32];
  now_iso(at, sizeof at);
  sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_text(q, 2, isa_sem_version(), -1, SQLITE_STATIC);
  sqlite3_bind_text(q, 3, program, -1, SQLITE_STATIC);
  sqlite3_bind_int(q, 4, line);
  sqlite3_bind_text(q, 5, block, -1, SQLITE_STATIC);
  sqlite3_bind_text(q, 6, code_text, -1, SQLITE_STATIC);
  sqlite3_bind_int(q, 7, r->status);
  sqlite3_bind_int(q, 8, r->orig_bytes);
  sqlite3_bind_int(q, 9, r->best_bytes);
  sqlite3_bind_text(q, 10, r->best_hex, -1, SQLITE_STATIC);
  sqlite3_bind_text(q, 11, r->best_text, -1, SQLITE_STATIC);
  sqlite3_bind_text(q, 12, r->proof, -1, SQLITE_STATIC);
  sqlite3_bind_int(q, 13, r->proof_kind);
  sqlite3_bind_text(q, 14, r->why, -1, SQLITE_STATIC);
  sqlite3_bind_double(q, 15, r->time_s);
  sqlite3_bind_double(q, 16, r->seconds);
  sqlite3_bind_text(q, 17, at, -1, SQLITE_STATIC);
  bool ok = sqlite3_step(q) == SQLITE_DONE;
  sqlite3_finalize(q);
  return ok;
}

bool store_get_verdict(store *st, const char *key, const char *source_hash,
                       char *verdict, size_t vn, char *reason, size_t rn) {
  sqlite3_stmt *q;
  if (sqlite3_prepare_v2(st->db, "SELECT verdict, reason FROM verdict WHERE key=?1 AND source_hash=?2",
                         -1, &q, NULL) != SQLITE_OK)
    return false;
  sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_text(q, 2, source_hash, -1, SQLITE_STATIC);
  bool found = sqlite3_step(q) == SQLITE_ROW;
  if (found) {
    copy_col(q, 0, verdict, vn);
    copy_col(q, 1, reason, rn);
  }
  sqlite3_finalize(q);
  return found;
}

bool store_get_patch(store *st, const char *key, const char *source_hash, char *patch, size_t pn) {
  sqlite3_stmt *q;
  if (sqlite3_prepare_v2(st->db,
                         "SELECT patch FROM verdict WHERE key=?1 AND source_hash=?2 AND verdict='accepted'",
                         -1, &q, NULL) != SQLITE_OK)
    return false;
  sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_text(q, 2, source_hash, -1, SQLITE_STATIC);
  bool found = sqlite3_step(q) == SQLITE_ROW;
  if (found) copy_col(q, 0, patch, pn);
  sqlite3_finalize(q);
  return found && patch[0];
}

bool store_put_verdict(store *st, const char *key, const char *source_hash,
                       const char *program, const char *verdict, const char *reason,
                       const char *patch, int saved) {
  sqlite3_stmt *q;
  if (sqlite3_prepare_v2(st->db,
                         "INSERT OR REPLACE INTO verdict(key, source_hash, program, verdict, reason,"
                         " patch, saved, at) VALUES(?1,?2,?3,?4,?5,?6,?7,?8)",
                         -1, &q, NULL) != SQLITE_OK)
    return false;
  char at[32];
  now_iso(at, sizeof at);
  sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_text(q, 2, source_hash, -1, SQLITE_STATIC);
  sqlite3_bind_text(q, 3, program, -1, SQLITE_STATIC);
  sqlite3_bind_text(q, 4, verdict, -1, SQLITE_STATIC);
  sqlite3_bind_text(q, 5, reason ? reason : "", -1, SQLITE_STATIC);
  sqlite3_bind_text(q, 6, patch ? patch : "", -1, SQLITE_STATIC);
  sqlite3_bind_int(q, 7, saved);
  sqlite3_bind_text(q, 8, at, -1, SQLITE_STATIC);
  bool ok = sqlite3_step(q) == SQLITE_DONE;
  sqlite3_finalize(q);
  return ok;
}

long store_count(store *st, const char *table) {
  char sql[96];
  if (strcmp(table, "search") && strcmp(table, "verdict")) return -1;
  snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", table);
  sqlite3_stmt *q;
  if (sqlite3_prepare_v2(st->db, sql, -1, &q, NULL) != SQLITE_OK) return -1;
  long n = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int64(q, 0) : -1;
  sqlite3_finalize(q);
  return n;
}

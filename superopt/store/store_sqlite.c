/* The SQLite backend (see store_backend.h): one file, WAL mode,
 * synchronous=FULL, so an answer that was committed survives a kill -9 or
 * a power cut. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "store/store_backend.h"

void *store_sqlite_open(const char *path, char *err, size_t errn) {
  sqlite3 *db = NULL;
  if (sqlite3_open(path, &db) != SQLITE_OK) {
    snprintf(err, errn, "%s: %s", path, db ? sqlite3_errmsg(db) : "out of memory");
    sqlite3_close(db);
    return NULL;
  }
  /* other processes (shards on this machine, a merge) may hold the lock */
  sqlite3_busy_timeout(db, 30000);
  char *msg = NULL;
  if (sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;", NULL, NULL, &msg) !=
      SQLITE_OK) {
    snprintf(err, errn, "%s: %s", path, msg ? msg : sqlite3_errmsg(db));
    sqlite3_free(msg);
    sqlite3_close(db);
    return NULL;
  }
  return db;
}

static bool sqlite_exec(void *h, const char *sql, int nparam, const char *const *param,
                        store_rows *rows, char *err, size_t errn) {
  sqlite3 *db = h;
  sqlite3_stmt *q;
  if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK) {
    snprintf(err, errn, "%s", sqlite3_errmsg(db));
    return false;
  }
  /* the shared SQL numbers its parameters $1..$n, which SQLite treats as names */
  for (int i = 0; i < nparam; i++) {
    char name[16];
    snprintf(name, sizeof name, "$%d", i + 1);
    int at = sqlite3_bind_parameter_index(q, name);
    if (at > 0) sqlite3_bind_text(q, at, param[i] ? param[i] : "", -1, SQLITE_STATIC);
  }
  int rc;
  bool ok = true;
  while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
    if (!rows) continue;
    int nc = sqlite3_column_count(q);
    const char *cells[64];
    if (nc > 64) nc = 64;
    for (int c = 0; c < nc; c++) {
      const unsigned char *t = sqlite3_column_text(q, c);
      cells[c] = t ? (const char *)t : "";
    }
    if (!store_rows_add(rows, nc, cells)) {
      snprintf(err, errn, "out of memory");
      ok = false;
      break;
    }
  }
  if (ok && rc != SQLITE_DONE) {
    snprintf(err, errn, "%s", sqlite3_errmsg(db));
    ok = false;
  }
  sqlite3_finalize(q);
  return ok;
}

/* Stores made before a column existed get it added. */
static bool add_missing_column(sqlite3 *db, const char *table, const char *column,
                               const char *type, char *err, size_t errn) {
  char sql[256];
  snprintf(sql, sizeof sql, "SELECT %s FROM %s LIMIT 0", column, table);
  sqlite3_stmt *q;
  if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) == SQLITE_OK) {
    sqlite3_finalize(q);
    return true;
  }
  snprintf(sql, sizeof sql, "ALTER TABLE %s ADD COLUMN %s %s", table, column, type);
  char *msg = NULL;
  if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
    snprintf(err, errn, "%s", msg ? msg : sqlite3_errmsg(db));
    sqlite3_free(msg);
    return false;
  }
  return true;
}

static bool sqlite_schema(void *h, const char *schema_sql, char *err, size_t errn) {
  sqlite3 *db = h;
  char *msg = NULL;
  if (sqlite3_exec(db, schema_sql, NULL, NULL, &msg) != SQLITE_OK) {
    snprintf(err, errn, "%s", msg ? msg : sqlite3_errmsg(db));
    sqlite3_free(msg);
    return false;
  }
  return add_missing_column(db, "search", "proof_text", "TEXT", err, errn);
}

static void sqlite_close(void *h) { sqlite3_close(h); }

const store_backend store_sqlite_backend = {"sqlite", sqlite_exec, sqlite_schema, sqlite_close};

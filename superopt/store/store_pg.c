/* The PostgreSQL backend (see store_backend.h), through libpq: the shared
 * store of shards on many machines.  Every statement runs on its own in
 * autocommit, so each answer is one transaction; concurrent writers of one
 * key are ordered by the primary key's ON CONFLICT rule in store.c. */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "store/store_backend.h"

/* "relation already exists, skipping" and the like are not news. */
static void quiet(void *arg, const char *message) {
  (void)arg;
  (void)message;
}

static void first_line(const char *msg, char *err, size_t errn) {
  snprintf(err, errn, "%s", msg && *msg ? msg : "no reply");
  char *nl = strchr(err, '\n');
  if (nl) *nl = 0;
}

/* The URL as messages show it: a password becomes "***". */
static void without_password(const char *url, char *out, size_t n) {
  const char *scheme = strstr(url, "://");
  const char *at = scheme ? strchr(scheme + 3, '@') : NULL;
  const char *colon = at ? memchr(scheme + 3, ':', (size_t)(at - scheme - 3)) : NULL;
  if (!colon) snprintf(out, n, "%s", url);
  else snprintf(out, n, "%.*s:***%s", (int)(colon - url), url, at);
}

void *store_pg_open(const char *conninfo, char *err, size_t errn) {
  PGconn *c = PQconnectdb(conninfo);
  if (!c || PQstatus(c) != CONNECTION_OK) {
    char why[400], shown[400];
    first_line(c ? PQerrorMessage(c) : "out of memory", why, sizeof why);
    without_password(conninfo, shown, sizeof shown);
    snprintf(err, errn, "%s: %s", shown, why);
    PQfinish(c);
    return NULL;
  }
  PQsetNoticeProcessor(c, quiet, NULL);
  return c;
}

static bool pg_exec(void *h, const char *sql, int nparam, const char *const *param,
                    store_rows *rows, char *err, size_t errn) {
  PGconn *c = h;
  /* a server restarted between two answers: reconnect once before sending */
  if (PQstatus(c) != CONNECTION_OK) PQreset(c);
  PGresult *r = PQexecParams(c, sql, nparam, NULL, param, NULL, NULL, 0);
  ExecStatusType s = PQresultStatus(r);
  bool ok = s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK;
  if (!ok) first_line(r ? PQresultErrorMessage(r) : PQerrorMessage(c), err, errn);
  if (ok && rows && s == PGRES_TUPLES_OK) {
    int nc = PQnfields(r);
    if (nc > 64) nc = 64;
    for (int i = 0; ok && i < PQntuples(r); i++) {
      const char *cells[64];
      for (int k = 0; k < nc; k++) cells[k] = PQgetisnull(r, i, k) ? "" : PQgetvalue(r, i, k);
      if (!store_rows_add(rows, nc, cells)) {
        snprintf(err, errn, "out of memory");
        ok = false;
      }
    }
  }
  PQclear(r);
  return ok;
}

/* Shards open the store at the same moment: CREATE TABLE IF NOT EXISTS is
 * not safe against itself in PostgreSQL, so the set-up runs under an
 * advisory lock, in one transaction. */
static bool pg_schema(void *h, const char *schema_sql, char *err, size_t errn) {
  PGconn *c = h;
  size_t n = strlen(schema_sql) + 256;
  char *sql = malloc(n);
  if (!sql) {
    snprintf(err, errn, "out of memory");
    return false;
  }
  snprintf(sql, n,
           "BEGIN; SELECT pg_advisory_xact_lock(5347283); %s;"
           " ALTER TABLE search ADD COLUMN IF NOT EXISTS proof_text TEXT; COMMIT;",
           schema_sql);
  PGresult *r = PQexec(c, sql);
  free(sql);
  ExecStatusType s = PQresultStatus(r);
  bool ok = s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK;
  if (!ok) {
    first_line(r ? PQresultErrorMessage(r) : PQerrorMessage(c), err, errn);
    PQclear(PQexec(c, "ROLLBACK"));
  }
  PQclear(r);
  return ok;
}

static void pg_close(void *h) { PQfinish(h); }

const store_backend store_pg_backend = {"postgresql", pg_exec, pg_schema, pg_close};

/* What store.c needs of a database: run one SQL statement with text
 * parameters $1..$n as its own transaction, and hand back the rows.
 * store.c writes every statement once in the SQL both dialects share;
 * a backend adds only what differs (opening, pragmas or locks, and the
 * schema set-up). */
#ifndef SUPEROPT_STORE_STORE_BACKEND_H
#define SUPEROPT_STORE_STORE_BACKEND_H

#include <stdbool.h>
#include <stddef.h>

/* A result: nrows x ncols cells, row-major; SQL NULL reads as "". */
typedef struct {
  int nrows, ncols;
  char **cell;
} store_rows;

void store_rows_free(store_rows *r);
/* Append one row of ncols cells (copied); false when out of memory. */
bool store_rows_add(store_rows *r, int ncols, const char *const *cells);

typedef struct store_backend {
  const char *name;   /* "sqlite", "postgresql" */
  /* rows may be NULL when the statement returns none. */
  bool (*exec)(void *db, const char *sql, int nparam, const char *const *param,
               store_rows *rows, char *err, size_t errn);
  /* Create the tables from the shared schema (statements separated by ';')
   * in the way that is safe for this database under concurrent openers. */
  bool (*schema)(void *db, const char *schema_sql, char *err, size_t errn);
  void (*close)(void *db);
} store_backend;

extern const store_backend store_sqlite_backend;
extern const store_backend store_pg_backend;

void *store_sqlite_open(const char *path, char *err, size_t errn);
void *store_pg_open(const char *conninfo, char *err, size_t errn);

#endif

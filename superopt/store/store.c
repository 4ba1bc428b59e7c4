/* The results store (see store.h): the statements, written once for both
 * backends (store_backend.h), and the rows they read and write. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xxhash.h>
#include "store/store.h"
#include "store/store_backend.h"

struct store {
  const store_backend *be;
  void *db;
  long writes;          /* answers written, and the time they took */
  double write_s;
};

/* DOUBLE PRECISION: SQLite reads it as REAL, PostgreSQL's REAL is 4 bytes. */
static const char schema[] =
  "CREATE TABLE IF NOT EXISTS search("
  " key TEXT PRIMARY KEY, sem TEXT, program TEXT, line INTEGER, block TEXT, code TEXT,"
  " status INTEGER, orig_bytes INTEGER, best_bytes INTEGER, best_hex TEXT, best_text TEXT,"
  " proof TEXT, proof_kind INTEGER, why TEXT, time_s DOUBLE PRECISION, seconds DOUBLE PRECISION,"
  " searches INTEGER NOT NULL DEFAULT 0, at TEXT, proof_text TEXT);"
  "CREATE TABLE IF NOT EXISTS verdict("
  " key TEXT, source_hash TEXT, program TEXT, verdict TEXT, reason TEXT, patch TEXT,"
  " saved INTEGER, at TEXT, PRIMARY KEY(key, source_hash))";

/* The columns of a search row in the order every statement below uses. */
enum {
  S_KEY, S_SEM, S_PROGRAM, S_LINE, S_BLOCK, S_CODE, S_STATUS, S_ORIG, S_BEST, S_HEX, S_TEXT,
  S_PROOF, S_KIND, S_WHY, S_TIME, S_SECONDS, S_SEARCHES, S_AT, S_PROOF_TEXT, S_NCOL
};
static const char *const search_col[S_NCOL] = {
  "key", "sem", "program", "line", "block", "code", "status", "orig_bytes", "best_bytes",
  "best_hex", "best_text", "proof", "proof_kind", "why", "time_s", "seconds", "searches", "at",
  "proof_text"};
enum { V_KEY, V_SOURCE, V_PROGRAM, V_VERDICT, V_REASON, V_PATCH, V_SAVED, V_AT, V_NCOL };
static const char *const verdict_col[V_NCOL] = {"key", "source_hash", "program", "verdict",
                                                "reason", "patch", "saved", "at"};

static bool is_pg(const char *spec) {
  return !strncmp(spec, "postgresql://", 13) || !strncmp(spec, "postgres://", 11);
}

store *store_open(const char *spec, char *err, size_t errn) {
  store *st = calloc(1, sizeof *st);
  if (!st) {
    snprintf(err, errn, "%s: out of memory", spec);
    return NULL;
  }
  st->be = is_pg(spec) ? &store_pg_backend : &store_sqlite_backend;
  st->db = is_pg(spec) ? store_pg_open(spec, err, errn) : store_sqlite_open(spec, err, errn);
  if (!st->db) {
    free(st);
    return NULL;
  }
  char why[400];
  if (!st->be->schema(st->db, schema, why, sizeof why)) {
    snprintf(err, errn, "%s: %s", is_pg(spec) ? "postgresql store" : spec, why);
    store_close(st);
    return NULL;
  }
  return st;
}

void store_close(store *st) {
  if (!st) return;
  st->be->close(st->db);
  free(st);
}

const char *store_backend_name(const store *st) { return st->be->name; }

void store_rows_free(store_rows *r) {
  for (long i = 0; i < (long)r->nrows * r->ncols; i++) free(r->cell[i]);
  free(r->cell);
  memset(r, 0, sizeof *r);
}

bool store_rows_add(store_rows *r, int ncols, const char *const *cells) {
  if (r->nrows && r->ncols != ncols) return false;
  char **grown = realloc(r->cell, sizeof *grown * (size_t)(r->nrows + 1) * (size_t)ncols);
  if (!grown) return false;
  r->cell = grown;
  r->ncols = ncols;
  for (int c = 0; c < ncols; c++) {
    grown[(size_t)r->nrows * (size_t)ncols + (size_t)c] = strdup(cells[c] ? cells[c] : "");
  }
  r->nrows++;
  return true;
}

static const char *cell(const store_rows *r, int row, int col) {
  return row < r->nrows && col < r->ncols ? r->cell[(size_t)row * (size_t)r->ncols + (size_t)col] : "";
}

/* A failed statement is reported once on stderr by its caller's return; the
 * message says which database said what. */
static bool run(store *st, const char *sql, int n, const char *const *param, store_rows *rows) {
  char err[512];
  if (st->be->exec(st->db, sql, n, param, rows, err, sizeof err)) return true;
  fprintf(stderr, "superopt: store (%s): %s\n", st->be->name, err);
  return false;
}

static double now_s(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
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
  /* a label's address is not the number it has in these bytes: which
     operands are symbolic is part of the question */
  if (s->nsym > 0) {
    XXH3_128bits_update(x, "sym", 3);
    for (int i = 0; i < s->n; i++)
      for (int k = 0; k < s->code[i].nops; k++)
        if (s->code[i].o[k].sym) {
          int32_t at[3] = {i, k, s->code[i].o[k].sym};
          XXH3_128bits_update(x, at, sizeof at);
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

int store_shard_of(const char *key, int nshards) {
  if (nshards <= 1) return 0;
  char top[9];
  snprintf(top, sizeof top, "%.8s", key);
  return (int)(strtoul(top, NULL, 16) % (unsigned long)nshards);
}

static void now_iso(char *buf, size_t n) {
  time_t t = time(NULL);
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* "a, b, c" of the column names, or "$1, $2, $3". */
static void col_list(char *out, size_t n, const char *const *cols, int ncol, bool params) {
  size_t k = 0;
  out[0] = 0;
  for (int i = 0; i < ncol && k < n; i++) {
    if (params) k += (size_t)snprintf(out + k, n - k, "%s$%d", i ? ", " : "", i + 1);
    else k += (size_t)snprintf(out + k, n - k, "%s%s", i ? ", " : "", cols[i]);
  }
}

/* Insert a search row, or fold it into the stored one: the longer-searched
 * answer (larger time_s) is kept, the stored one on a tie, and `searches`
 * adds up.  Two shards or two merged stores that answered one key thus
 * leave one answer, whichever order they arrive in. */
static bool upsert_search(store *st, const char *const *v) {
  char cols[512], params[256], set[4096];
  col_list(cols, sizeof cols, search_col, S_NCOL, false);
  col_list(params, sizeof params, search_col, S_NCOL, true);
  size_t k = 0;
  for (int i = 0; i < S_NCOL; i++) {
    const char *c = search_col[i];
    if (i == S_KEY) continue;
    if (i == S_SEARCHES)
      k += (size_t)snprintf(set + k, sizeof set - k, "%s%s=search.%s+excluded.%s", k ? ", " : "", c, c, c);
    else
      k += (size_t)snprintf(set + k, sizeof set - k,
                            "%s%s=CASE WHEN excluded.time_s > search.time_s THEN excluded.%s ELSE search.%s END",
                            k ? ", " : "", c, c, c);
  }
  char sql[6000];
  snprintf(sql, sizeof sql, "INSERT INTO search(%s) VALUES(%s) ON CONFLICT(key) DO UPDATE SET %s",
           cols, params, set);
  return run(st, sql, S_NCOL, v, NULL);
}

bool store_put_search(store *st, const char *key, const char *program, int line,
                      const char *block, const char *code_text, const store_search *r) {
  char sline[16], sstatus[16], sorig[16], sbest[16], skind[16], stime[32], ssec[32], at[32];
  snprintf(sline, sizeof sline, "%d", line);
  snprintf(sstatus, sizeof sstatus, "%d", r->status);
  snprintf(sorig, sizeof sorig, "%d", r->orig_bytes);
  snprintf(sbest, sizeof sbest, "%d", r->best_bytes);
  snprintf(skind, sizeof skind, "%d", r->proof_kind);
  snprintf(stime, sizeof stime, "%.17g", r->time_s);
  snprintf(ssec, sizeof ssec, "%.17g", r->seconds);
  now_iso(at, sizeof at);
  const char *v[S_NCOL] = {
    [S_KEY] = key, [S_SEM] = isa_sem_version(), [S_PROGRAM] = program, [S_LINE] = sline,
    [S_BLOCK] = block, [S_CODE] = code_text, [S_STATUS] = sstatus, [S_ORIG] = sorig,
    [S_BEST] = sbest, [S_HEX] = r->best_hex, [S_TEXT] = r->best_text, [S_PROOF] = r->proof,
    [S_KIND] = skind, [S_WHY] = r->why, [S_TIME] = stime, [S_SECONDS] = ssec,
    [S_SEARCHES] = "1", [S_AT] = at, [S_PROOF_TEXT] = r->proof_text ? r->proof_text : ""};
  double t0 = now_s();
  bool ok = upsert_search(st, v);
  st->write_s += now_s() - t0;
  if (ok) st->writes++;
  return ok;
}

/* Row i of a SELECT of the answer columns S_KEY..S_AT into out. */
static void search_from_row(const store_rows *rows, int i, store_search *out) {
  memset(out, 0, sizeof *out);
  out->status = atoi(cell(rows, i, S_STATUS));
  out->orig_bytes = atoi(cell(rows, i, S_ORIG));
  out->best_bytes = atoi(cell(rows, i, S_BEST));
  snprintf(out->best_hex, sizeof out->best_hex, "%s", cell(rows, i, S_HEX));
  snprintf(out->best_text, sizeof out->best_text, "%s", cell(rows, i, S_TEXT));
  snprintf(out->proof, sizeof out->proof, "%s", cell(rows, i, S_PROOF));
  out->proof_kind = atoi(cell(rows, i, S_KIND));
  snprintf(out->why, sizeof out->why, "%s", cell(rows, i, S_WHY));
  out->time_s = strtod(cell(rows, i, S_TIME), NULL);
  out->seconds = strtod(cell(rows, i, S_SECONDS), NULL);
  out->searches = atoi(cell(rows, i, S_SEARCHES));
}

/* SELECT of every column up to S_AT (not the proof text), then `tail`. */
static void select_search(char *sql, size_t n, const char *tail) {
  char cols[512];
  col_list(cols, sizeof cols, search_col, S_AT + 1, false);
  snprintf(sql, n, "SELECT %s FROM search %s", cols, tail);
}

bool store_get_search(store *st, const char *key, store_search *out) {
  char sql[768];
  select_search(sql, sizeof sql, "WHERE key=$1");
  store_rows rows = {0};
  const char *p[1] = {key};
  bool found = run(st, sql, 1, p, &rows) && rows.nrows > 0;
  if (found) search_from_row(&rows, 0, out);
  store_rows_free(&rows);
  return found;
}

bool store_each_search(store *st, store_search_fn fn, void *ctx) {
  char sql[768];
  select_search(sql, sizeof sql, "ORDER BY key");
  store_rows rows = {0};
  if (!run(st, sql, 0, NULL, &rows)) return false;
  for (int i = 0; i < rows.nrows; i++) {
    store_search r;
    search_from_row(&rows, i, &r);
    fn(ctx, cell(&rows, i, S_KEY), &r);
  }
  store_rows_free(&rows);
  return true;
}

char *store_get_proof(store *st, const char *key) {
  store_rows rows = {0};
  const char *p[1] = {key};
  char *text = NULL;
  if (run(st, "SELECT proof_text FROM search WHERE key=$1", 1, p, &rows) && rows.nrows > 0 &&
      cell(&rows, 0, 0)[0])
    text = strdup(cell(&rows, 0, 0));
  store_rows_free(&rows);
  return text;
}

bool store_get_verdict(store *st, const char *key, const char *source_hash,
                       char *verdict, size_t vn, char *reason, size_t rn) {
  store_rows rows = {0};
  const char *p[2] = {key, source_hash};
  bool found = run(st, "SELECT verdict, reason FROM verdict WHERE key=$1 AND source_hash=$2", 2, p,
                   &rows) && rows.nrows > 0;
  if (found) {
    snprintf(verdict, vn, "%s", cell(&rows, 0, 0));
    snprintf(reason, rn, "%s", cell(&rows, 0, 1));
  }
  store_rows_free(&rows);
  return found;
}

bool store_get_patch(store *st, const char *key, const char *source_hash, char *patch, size_t pn) {
  store_rows rows = {0};
  const char *p[2] = {key, source_hash};
  bool found = run(st,
                   "SELECT patch FROM verdict WHERE key=$1 AND source_hash=$2 AND verdict='accepted'",
                   2, p, &rows) && rows.nrows > 0;
  if (found) snprintf(patch, pn, "%s", cell(&rows, 0, 0));
  store_rows_free(&rows);
  return found && patch[0];
}

/* replace: a new verdict on the same splice and source wins (a rerun's);
 * otherwise the stored one stays (a merge). */
static bool insert_verdict(store *st, const char *const *v, bool replace) {
  char cols[256], params[128], sql[1024];
  col_list(cols, sizeof cols, verdict_col, V_NCOL, false);
  col_list(params, sizeof params, verdict_col, V_NCOL, true);
  snprintf(sql, sizeof sql, "INSERT INTO verdict(%s) VALUES(%s) ON CONFLICT(key, source_hash) DO %s",
           cols, params,
           replace ? "UPDATE SET program=excluded.program, verdict=excluded.verdict,"
                     " reason=excluded.reason, patch=excluded.patch, saved=excluded.saved,"
                     " at=excluded.at"
                   : "NOTHING");
  return run(st, sql, V_NCOL, v, NULL);
}

bool store_put_verdict(store *st, const char *key, const char *source_hash,
                       const char *program, const char *verdict, const char *reason,
                       const char *patch, int saved) {
  char ssaved[16], at[32];
  snprintf(ssaved, sizeof ssaved, "%d", saved);
  now_iso(at, sizeof at);
  const char *v[V_NCOL] = {key, source_hash, program, verdict, reason ? reason : "",
                           patch ? patch : "", ssaved, at};
  return insert_verdict(st, v, true);
}

bool store_merge(store *into, store *from, long *nsearch, long *nverdict) {
  char cols[512], sql[768];
  col_list(cols, sizeof cols, search_col, S_NCOL, false);
  snprintf(sql, sizeof sql, "SELECT %s FROM search ORDER BY key", cols);
  store_rows rows = {0};
  bool ok = run(from, sql, 0, NULL, &rows);
  *nsearch = *nverdict = 0;
  for (int i = 0; ok && i < rows.nrows; i++) {
    const char *v[S_NCOL];
    for (int c = 0; c < S_NCOL; c++) v[c] = cell(&rows, i, c);
    ok = upsert_search(into, v);
    if (ok) (*nsearch)++;
  }
  store_rows_free(&rows);
  col_list(cols, sizeof cols, verdict_col, V_NCOL, false);
  snprintf(sql, sizeof sql, "SELECT %s FROM verdict ORDER BY key, source_hash", cols);
  ok = ok && run(from, sql, 0, NULL, &rows);
  for (int i = 0; ok && i < rows.nrows; i++) {
    const char *v[V_NCOL];
    for (int c = 0; c < V_NCOL; c++) v[c] = cell(&rows, i, c);
    ok = insert_verdict(into, v, false);
    if (ok) (*nverdict)++;
  }
  store_rows_free(&rows);
  return ok;
}

long store_count(store *st, const char *table) {
  const char *sql = !strcmp(table, "search")    ? "SELECT count(*) FROM search"
                    : !strcmp(table, "verdict") ? "SELECT count(*) FROM verdict"
                                                : NULL;
  if (!sql) return -1;
  store_rows rows = {0};
  long n = run(st, sql, 0, NULL, &rows) && rows.nrows > 0 ? atol(cell(&rows, 0, 0)) : -1;
  store_rows_free(&rows);
  return n;
}

void store_write_stats(const store *st, long *writes, double *seconds) {
  *writes = st->writes;
  *seconds = st->write_s;
}

/*
** fin.c - entry point of the sqlite-fin extension: it registers what the
** glue files describe (each lists its functions beside their code, and
** each tvf_*.c describes its table). Load it with
**     .load dist/fin                       (sqlite3 shell)
**     conn.load_extension("dist/fin")      (Python)
** or link the sources into a program built with -DSQLITE_CORE and call
**     sqlite3_auto_extension((void (*)(void))sqlite3_fin_init);
**
** Flag policy (STYLE.md): every function computes from its arguments only,
** so all are FIN_PURE (SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS) and may be used in
** views, triggers and indexes under trusted_schema=OFF. The table-valued
** functions run the SQL text they are given, so they are marked
** SQLITE_VTAB_DIRECTONLY in xConnect (tables.c), like csv.c reading files.
*/
#include "fin_ext.h"
#include "tables/tables.h"
#include <string.h>
SQLITE_EXTENSION_INIT1

/* Every glue file lists its functions beside their code (fin_ext.h). */
extern const fin_fn_list fin_measure_fns, fin_dd_measure_fns, fin_period_measure_fns; /* measures*.c */
static const fin_fn_list *const functions[] = {&fin_scalar_fns, &fin_running_fns,
                                               &fin_aggregate_fns, &fin_risk_fns,
                                               &fin_picture_fns,
                                               &fin_indicator_fns, &fin_benchmark_measure_fns,
                                               &fin_range_volatility_fns, &fin_pack_fns, &fin_measure_fns,
                                               &fin_dd_measure_fns, &fin_period_measure_fns};

/* Table-valued functions (eponymous virtual tables), each described in
** its tvf_*.c file. */
static const fin_tvf *const tables[] = {
    &fin_tvf_series,      &fin_tvf_drawdowns,       &fin_tvf_streaks,
    &fin_tvf_down_streaks, &fin_tvf_forward_returns, &fin_tvf_calendar_returns, &fin_tvf_relative,
    &fin_tvf_swings,      &fin_tvf_trailing_returns, &fin_tvf_bars,
    &fin_tvf_summary,
};

static int failed(sqlite3 *db, char **pzErr, const char *what, int rc) {
  *pzErr = sqlite3_mprintf("fin: cannot register %s: %s", what, sqlite3_errmsg(db));
  return rc;
}

#define NTABLES (sizeof tables / sizeof tables[0])

/* The per-connection block the modules share: fin_conn first, so freeing
** the block frees both. */
typedef struct conn_block {
  fin_conn conn;
  fin_module_aux aux[NTABLES];
} conn_block;

/* Module destructor: SQLite calls it when a module goes (connection closed,
** module replaced) and when registering it failed. */
static void conn_release(void *p) {
  fin_conn *conn = ((fin_module_aux *)p)->conn;
  if (--conn->refs == 0) sqlite3_free(conn);
}

static int init(sqlite3 *db, char **pzErrMsg, int names_only) {
  int rc;
  /* Window functions need 3.25, SQLITE_INNOCUOUS 3.31, DIRECTONLY vtabs
  ** 3.31: refuse older hosts instead of misbehaving in them. */
  if (sqlite3_libversion_number() < 3031000) {
    *pzErrMsg = sqlite3_mprintf("fin: needs SQLite 3.31.0 or later, this is %s",
                                sqlite3_libversion());
    return SQLITE_ERROR;
  }
  for (size_t l = 0; l < sizeof functions / sizeof functions[0]; l++) {
    for (size_t i = 0; i < functions[l]->n; i++) {
      const fin_fn *f = &functions[l]->fn[i];
      /* The descriptor is the user data: callbacks take their name from it. */
      rc = f->xFunc ? sqlite3_create_function_v2(db, f->name, f->nArg, f->flags, (void *)f,
                                                 f->xFunc, NULL, NULL, NULL)
                    : sqlite3_create_window_function(db, f->name, f->nArg, f->flags, (void *)f,
                                                     f->xStep, f->xFinal, f->xValue, f->xInverse,
                                                     NULL);
      if (rc != SQLITE_OK) return failed(db, pzErrMsg, f->name, rc);
    }
  }
  conn_block *b = sqlite3_malloc(sizeof *b);
  if (!b) return SQLITE_NOMEM;
  memset(b, 0, sizeof *b);
  b->conn.names_only = names_only;
  for (size_t i = 0; i < NTABLES; i++) {
    b->aux[i].def = tables[i];
    b->aux[i].conn = &b->conn;
  }
  /* One reference per module, taken before the call: a failed call runs
  ** the destructor too. The loop's own reference keeps b alive meanwhile. */
  b->conn.refs = 1;
  for (size_t i = 0; i < NTABLES; i++) {
    b->conn.refs++;
    rc = sqlite3_create_module_v2(db, tables[i]->name, &fin_tvf_module, &b->aux[i], conn_release);
    if (rc != SQLITE_OK) {
      rc = failed(db, pzErrMsg, tables[i]->name, rc);
      break;
    }
  }
  conn_release(&b->aux[0]);
  return rc;
}

/* The entry points are the library's only exported symbols: the build hides
** every other one (-fvisibility=hidden), so calls inside the library are
** direct, not through the PLT, and can be inlined. */
#if defined(_WIN32)
#define FIN_EXPORT __declspec(dllexport)
#elif defined(__GNUC__)
#define FIN_EXPORT __attribute__((visibility("default")))
#else
#define FIN_EXPORT
#endif

/* The extension: functions, and tables whose series may be SQL text. */
FIN_EXPORT int sqlite3_fin_init(sqlite3 *db, char **pzErrMsg, const sqlite3_api_routines *pApi) {
  SQLITE_EXTENSION_INIT2(pApi);
  return init(db, pzErrMsg, 0);
}

/* The same, for applications that pass text from their users as a series:
** the tables accept only table and view names and run no SQL text (README,
** Safety). Load it by naming this entry point. */
FIN_EXPORT int sqlite3_fin_safe_init(sqlite3 *db, char **pzErrMsg, const sqlite3_api_routines *pApi) {
  SQLITE_EXTENSION_INIT2(pApi);
  return init(db, pzErrMsg, 1);
}

#ifndef SQLITE_CORE
/* The generic entry point, tried when the one derived from the file name
** is missing: a packager's sqlite-fin.so (sqlite3_sqlitefin_init) still
** loads without naming an entry point. Only in the loadable build, where
** no other extension linked in could claim the same name. */
FIN_EXPORT int sqlite3_extension_init(sqlite3 *db, char **pzErrMsg, const sqlite3_api_routines *pApi) {
  return sqlite3_fin_init(db, pzErrMsg, pApi);
}
#endif

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
#include "tables.h"
SQLITE_EXTENSION_INIT1

/* Every glue file lists its functions beside their code (fin_ext.h). */
static const fin_fn_list *const functions[] = {&fin_scalar_fns, &fin_running_fns,
                                               &fin_aggregate_fns};

/* Table-valued functions (eponymous virtual tables), each described in
** its tvf_*.c file. */
static const fin_tvf *const tables[] = {
    &fin_tvf_series,      &fin_tvf_drawdowns,       &fin_tvf_streaks,
    &fin_tvf_down_streaks, &fin_tvf_forward_returns, &fin_tvf_calendar_returns,
};

static void *sqlite_malloc(size_t n) { return sqlite3_malloc64(n); }
static void sqlite_free(void *p) { sqlite3_free(p); }

static int failed(sqlite3 *db, char **pzErr, const char *what, int rc) {
  *pzErr = sqlite3_mprintf("fin: cannot register %s: %s", what, sqlite3_errmsg(db));
  return rc;
}

#ifdef _WIN32
__declspec(dllexport)
#endif
int sqlite3_fin_init(sqlite3 *db, char **pzErrMsg, const sqlite3_api_routines *pApi) {
  SQLITE_EXTENSION_INIT2(pApi);
  int rc;
  /* Window functions need 3.25, SQLITE_INNOCUOUS 3.31, DIRECTONLY vtabs
  ** 3.31: refuse older hosts instead of misbehaving in them. */
  if (sqlite3_libversion_number() < 3031000) {
    *pzErrMsg = sqlite3_mprintf("fin: needs SQLite 3.31.0 or later, this is %s",
                                sqlite3_libversion());
    return SQLITE_ERROR;
  }
  /* Kernels allocate through SQLite, so memory limits and OOM testing
  ** cover them too. */
  fin_malloc = sqlite_malloc;
  fin_free = sqlite_free;
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
  for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
    rc = sqlite3_create_module_v2(db, tables[i]->name, &fin_tvf_module, (void *)tables[i], NULL);
    if (rc != SQLITE_OK) return failed(db, pzErrMsg, tables[i]->name, rc);
  }
  return SQLITE_OK;
}

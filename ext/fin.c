/*
** fin.c - entry point of the sqlite-fin extension and its one registration
** table. Load it with
**     .load dist/fin                       (sqlite3 shell)
**     conn.load_extension("dist/fin")      (Python)
** or link the sources into a program built with -DSQLITE_CORE and call
**     sqlite3_auto_extension((void (*)(void))sqlite3_fin_init);
**
** Flag policy (STYLE.md): every function computes from its arguments only,
** so all are SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS and may be used in
** views, triggers and indexes under trusted_schema=OFF. The table-valued
** functions run the SQL text they are given, so they are marked
** SQLITE_VTAB_DIRECTONLY in xConnect (tables.c), like csv.c reading files.
*/
#include "fin_ext.h"
#include "source.h"
SQLITE_EXTENSION_INIT1

#define PURE (SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS)

/* Scalars: {name, nArg, xFunc}. */
static const struct {
  const char *name;
  int nArg;
  fin_xfunc xFunc;
} scalars[] = {
    {"fin_version", 0, fin_version_func},
    {"fin_pct_change", 2, fin_pct_change_func},
    {"fin_log_return", 2, fin_log_return_func},
    {"fin_cagr", 3, fin_cagr_func},
    {"fin_annualize", 2, fin_annualize_func},
    {"fin_annualize", 3, fin_annualize_func},
};

/* Aggregate and window functions: {name, nArg, xStep, xFinal, xValue,
** xInverse}. Running functions that cannot slide share one xInverse that
** raises an error naming them (user data = the name). */
static const struct {
  const char *name;
  int nArg;
  fin_xfunc xStep;
  fin_xfinal xFinal;
  fin_xfinal xValue;
  fin_xfunc xInverse;
} windows[] = {
    {"fin_rolling_return", 2, fin_rolling_step, fin_rolling_final, fin_rolling_value,
     fin_no_sliding_inverse},
    {"fin_drawdown", 1, fin_drawdown_step, fin_drawdown_final, fin_drawdown_value, fin_peak_inverse},
    {"fin_since_peak", 1, fin_since_peak_step, fin_since_peak_final, fin_since_peak_value,
     fin_peak_inverse},
    {"fin_streak", 1, fin_streak_step, fin_streak_final, fin_streak_value, fin_no_sliding_inverse},
    {"fin_up_streak", 1, fin_up_streak_step, fin_up_streak_final, fin_updown_value,
     fin_no_sliding_inverse},
    {"fin_up_streak", 2, fin_up_streak_step, fin_up_streak_final, fin_updown_value,
     fin_no_sliding_inverse},
    {"fin_down_streak", 1, fin_down_streak_step, fin_down_streak_final, fin_updown_value,
     fin_no_sliding_inverse},
    {"fin_down_streak", 2, fin_down_streak_step, fin_down_streak_final, fin_updown_value,
     fin_no_sliding_inverse},
    {"fin_ytd_return", 2, fin_ytd_step, fin_ytd_final, fin_ptd_value, fin_no_sliding_inverse},
    {"fin_qtd_return", 2, fin_qtd_step, fin_qtd_final, fin_ptd_value, fin_no_sliding_inverse},
    {"fin_mtd_return", 2, fin_mtd_step, fin_mtd_final, fin_ptd_value, fin_no_sliding_inverse},
    {"fin_total_return", 1, fin_total_return_step, fin_total_return_final, fin_total_return_value,
     fin_total_return_inverse},
    {"fin_total_return", 2, fin_total_return_step, fin_total_return_final, fin_total_return_value,
     fin_total_return_inverse},
    {"fin_compound", 1, fin_compound_step, fin_compound_final, fin_compound_value,
     fin_compound_inverse},
    {"fin_max_drawdown", 1, fin_max_drawdown_step, fin_max_drawdown_final, fin_max_drawdown_value,
     fin_max_drawdown_inverse},
    {"fin_max_drawdown", 2, fin_max_drawdown_step, fin_max_drawdown_final, fin_max_drawdown_value,
     fin_max_drawdown_inverse},
    {"fin_median", 1, fin_quantile_step, fin_quantile_final, fin_quantile_value,
     fin_quantile_inverse},
    {"fin_quantile", 2, fin_quantile_step, fin_quantile_final, fin_quantile_value,
     fin_quantile_inverse},
};

/* Table-valued functions (eponymous virtual tables). */
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
  for (size_t i = 0; i < sizeof scalars / sizeof scalars[0]; i++) {
    rc = sqlite3_create_function_v2(db, scalars[i].name, scalars[i].nArg, PURE, NULL,
                                    scalars[i].xFunc, NULL, NULL, NULL);
    if (rc != SQLITE_OK) return failed(db, pzErrMsg, scalars[i].name, rc);
  }
  for (size_t i = 0; i < sizeof windows / sizeof windows[0]; i++) {
    rc = sqlite3_create_window_function(db, windows[i].name, windows[i].nArg, PURE,
                                        (void *)windows[i].name, windows[i].xStep,
                                        windows[i].xFinal, windows[i].xValue, windows[i].xInverse,
                                        NULL);
    if (rc != SQLITE_OK) return failed(db, pzErrMsg, windows[i].name, rc);
  }
  for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
    rc = sqlite3_create_module_v2(db, tables[i]->name, &fin_tvf_module, (void *)tables[i], NULL);
    if (rc != SQLITE_OK) return failed(db, pzErrMsg, tables[i]->name, rc);
  }
  return SQLITE_OK;
}

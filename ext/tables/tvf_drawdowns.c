/*
** tvf_drawdowns.c - fin_drawdowns(series [, min_depth]): one row per
** drawdown episode, the current unrecovered one included.
**
** HOW IT WORKS
**   CREATE TABLE fin_drawdowns(key, peak_time, peak, trough_time, trough,
**     recovery_time, depth, to_trough, to_recovery, length, days,
**     days_to_trough, days_to_recovery, series HIDDEN, min_depth HIDDEN, as_of HIDDEN)
** An episode starts when a value falls below the running high. Its peak
** is the LAST row at that high (equal highs never start an episode), its
** trough the FIRST row at the lowest value, its recovery the first row back
** at or above the peak (NULL while still under water). depth = trough /
** peak - 1; to_trough = rows peak -> trough; to_recovery = rows trough ->
** recovery (NULL if open); length = rows peak -> recovery, or peak -> last
** row when open; days = calendar days over the same span when times are
** ISO text (NULL for numeric times), and days_to_trough / days_to_recovery
** the calendar days peak -> trough and trough -> recovery. min_depth (a fraction, 0.1 = 10%)
** keeps episodes with depth <= -min_depth. Memory: constant per key.
*/
#include "tables.h"

typedef struct dd_cur {
  fin_cursor c;
  fin_source src;
  int has_min;
  double min_depth;
  fin_dd dd;
  fin_tval peak_t, trough_t; /* times of the current peak and trough */
  double peak_jd, trough_jd, last_jd;
  fin_tval out_peak, out_trough; /* the times of the episode being reported */
} dd_cur;

static void dd_stop(fin_cursor *c) {
  dd_cur *p = (dd_cur *)c;
  fin_src_close(&p->src);
  fin_tval *t[] = {&p->peak_t, &p->trough_t, &p->out_peak, &p->out_trough};
  for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) fin_tval_free(t[i]);
}

static int dd_start(fin_cursor *c, sqlite3_value **args, char **err) {
  dd_cur *p = (dd_cur *)c;
  fin_k_dd_init(&p->dd);
  p->has_min = args[1] && sqlite3_value_type(args[1]) != SQLITE_NULL;
  if (p->has_min && fin_read_threshold(args[1], c->def->name, "min_depth", 1, &p->min_depth, err))
    return SQLITE_ERROR;
  return fin_cursor_source(c, &p->src, "series", args[0], 1, 0, err);
}

/* Fills the row for episode e; 0 when min_depth filters it out. The times
** are copied out, so the engine may move on to the next peak at once. */
static int dd_emit(dd_cur *p, const fin_dd_episode *e, const fin_tval *recovery_t, double end_jd,
                   int64_t end_row, int *rc) {
  fin_cursor *c = &p->c;
  double depth = fin_k_pct_change(e->trough, e->peak);
  *rc = SQLITE_OK;
  if (p->has_min && depth > -p->min_depth + FIN_RET_EPS) return 0;
  if (fin_tval_copy(&p->out_peak, &p->peak_t) || fin_tval_copy(&p->out_trough, &p->trough_t)) {
    *rc = SQLITE_NOMEM;
    return 1;
  }
  fin_cell_key(c, 0, &p->src);
  fin_cell_tval(c, 1, &p->out_peak);
  fin_cell_real(c, 2, e->peak);
  fin_cell_tval(c, 3, &p->out_trough);
  fin_cell_real(c, 4, e->trough);
  if (recovery_t) fin_cell_tval(c, 5, recovery_t);
  fin_cell_real(c, 6, depth);
  fin_cell_int(c, 7, e->trough_row - e->peak_row);
  if (e->recovery_row >= 0) fin_cell_int(c, 8, e->recovery_row - e->trough_row);
  fin_cell_int(c, 9, end_row - e->peak_row);
  int text = p->src.tl.kind == 2;
  fin_cell_days(c, 10, text, p->peak_jd, end_jd);
  fin_cell_days(c, 11, text, p->peak_jd, p->trough_jd);
  if (recovery_t) fin_cell_days(c, 12, text, p->trough_jd, end_jd);
  return 1;
}

static int dd_next(fin_cursor *c, char **err) {
  dd_cur *p = (dd_cur *)c;
  for (;;) {
    int rc, r = fin_engine_step(c, &p->src, err, &rc);
    if (!r) return rc;
    fin_dd_episode e;
    if (r == FIN_SRC_END_KEY) {
      int open = fin_k_dd_finish(&p->dd, &e);
      int64_t last_row = p->dd.row - 1;
      fin_k_dd_init(&p->dd);
      if (open && dd_emit(p, &e, NULL, p->last_jd, last_row, &rc)) return rc;
      continue;
    }
    if (p->src.v_null) continue;
    int64_t row = p->dd.row;
    int ev = fin_k_dd_push(&p->dd, p->src.v, &e);
    int emitted = (ev & FIN_DD_RECOVERED) && dd_emit(p, &e, fin_src_time(&p->src), p->src.t, row, &rc);
    if (emitted && rc) return rc;
    p->last_jd = p->src.t;
    if (ev & FIN_DD_PEAK) {
      if (fin_tval_copy(&p->peak_t, fin_src_time(&p->src))) return SQLITE_NOMEM;
      p->peak_jd = p->src.t;
    }
    if (ev & FIN_DD_TROUGH) {
      if (fin_tval_copy(&p->trough_t, fin_src_time(&p->src))) return SQLITE_NOMEM;
      p->trough_jd = p->src.t;
    }
    if (emitted) return SQLITE_OK;
  }
}

const fin_tvf fin_tvf_drawdowns = {
    .name = "fin_drawdowns",
    .schema = "CREATE TABLE x(key, peak_time, peak, trough_time, trough, recovery_time, depth, "
              "to_trough, to_recovery, length, days, days_to_trough, days_to_recovery, "
              "series HIDDEN, min_depth HIDDEN, as_of HIDDEN)",
    .ncol = 13,
    .nargs = 2,
    .cursor_size = sizeof(dd_cur),
    .start = dd_start,
    .next = dd_next,
    .stop = dd_stop,
};

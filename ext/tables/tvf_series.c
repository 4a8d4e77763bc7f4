/*
** tvf_series.c - fin_series(series [, n]): the series itself, enriched in
** one streaming pass, one row per input row.
**
** HOW IT WORKS
**   CREATE TABLE fin_series(key, time, value, change, rolling_return, peak,
**     drawdown, since_peak, up_streak, down_streak, ytd_return, peak_time,
**     series HIDDEN, n HIDDEN, as_of HIDDEN)
** Same definitions as the window functions: change = value/previous - 1;
** rolling_return = n-period return (n default 1), NULL until n earlier
** values exist; peak = highest value so far; drawdown = value/peak - 1;
** since_peak = rows since the peak was last reached, peak_time the time of
** that row (the last at the high, as since_peak counts); up_streak and
** down_streak = periods in a row with a return > 0 / < 0; ytd_return =
** return since the last value of the previous calendar year (NULL in the
** first year, and when the time is a number outside the Julian-day range
** of years 0001-9999). A row whose value is NULL is listed with NULLs and
** changes nothing. Memory: the last n+1 values.
** Only the columns the query reads are computed (c->cols, from colUsed):
** fin_series with rolling_return alone does not touch the calendar.
*/
#include "tables.h"

/* The groups of columns that share state, as masks of c->cols. */
#define COL(i) (1u << (i))
#define NEED_RING (COL(3) | COL(4))                    /* change, rolling_return */
#define NEED_HIGH (COL(5) | COL(6) | COL(7) | COL(11)) /* peak, drawdown, since_peak, peak_time */
#define NEED_RUNS (COL(8) | COL(9))                    /* up_streak, down_streak */
#define NEED_YTD COL(10)                               /* ytd_return */

typedef struct series_cur {
  fin_cursor c;
  fin_source src;
  int64_t n;
  fin_ring ring;   /* last n+1 values */
  int64_t row;     /* values seen in this key */
  fin_high high;
  fin_tval peak_t; /* time of high.row */
  fin_runs up, down;
  fin_ptd ytd;
} series_cur;

static void reset_key(series_cur *p) {
  static const fin_gain_rule up = {0, 0, 0.0}, down = {1, 0, 0.0};
  fin_k_ring_clear(&p->ring);
  p->row = 0;
  p->high.has = 0;
  fin_k_runs_init(&p->up, &up);
  fin_k_runs_init(&p->down, &down);
  fin_k_ptd_init(&p->ytd, FIN_YEAR);
}

static void series_stop(fin_cursor *c) {
  series_cur *p = (series_cur *)c;
  fin_src_close(&p->src);
  fin_k_ring_free(&p->ring);
  fin_tval_free(&p->peak_t);
}

static int series_start(fin_cursor *c, sqlite3_value **args, char **err) {
  series_cur *p = (series_cur *)c;
  p->n = 1;
  if (args[1] && sqlite3_value_type(args[1]) != SQLITE_NULL &&
      fin_read_count(args[1], c->def->name, "n", 1, FIN_MAX_ROWS, &p->n, err))
    return SQLITE_ERROR;
  reset_key(p);
  return fin_cursor_source(c, &p->src, "series", args[0], 1, 0, err);
}

static int series_next(fin_cursor *c, char **err) {
  series_cur *p = (series_cur *)c;
  for (;;) {
    int rc, r = fin_engine_step(c, &p->src, err, &rc);
    if (!r) return rc;
    if (r == FIN_SRC_END_KEY) {
      reset_key(p);
      continue;
    }
    fin_cell_key(c, 0, &p->src);
    if (c->cols & COL(1)) fin_cell_tval(c, 1, fin_src_time(&p->src)); /* a date's text costs */
    if (p->src.v_null) return SQLITE_OK; /* listed, all NULL, state untouched */
    double v = p->src.v;
    unsigned cols = c->cols;
    fin_cell_real(c, 2, v);
    if (cols & NEED_RING) {
      if (fin_k_ring_push(&p->ring, v)) return SQLITE_NOMEM;
      if (p->ring.len > (size_t)p->n + 1) fin_k_ring_pop(&p->ring);
      if (p->ring.len >= 2) fin_cell_real(c, 3, fin_k_pct_change(v, fin_k_ring_at(&p->ring, p->ring.len - 2)));
      if (p->ring.len == (size_t)p->n + 1) fin_cell_real(c, 4, fin_k_pct_change(v, fin_k_ring_at(&p->ring, 0)));
    }
    if (cols & NEED_HIGH) {
      if (fin_k_high_push(&p->high, v, p->row) && (cols & COL(11)) &&
          fin_tval_copy(&p->peak_t, fin_src_time(&p->src)))
        return SQLITE_NOMEM;
      fin_cell_real(c, 5, p->high.v);
      fin_cell_real(c, 6, fin_k_pct_change(v, p->high.v));
      fin_cell_int(c, 7, p->row - p->high.row);
      fin_cell_tval(c, 11, &p->peak_t);
    }
    if (cols & NEED_RUNS) {
      fin_run done;
      fin_k_runs_push(&p->up, v, &done);
      fin_k_runs_push(&p->down, v, &done);
      fin_cell_int(c, 8, p->up.cur.length);
      fin_cell_int(c, 9, p->down.cur.length);
    }
    double ret;
    if ((cols & NEED_YTD) && p->src.t >= FIN_JD_MIN && p->src.t < FIN_JD_END &&
        (fin_k_ptd_push(&p->ytd, p->src.t, v, &ret, NULL) & FIN_PTD_RET))
      fin_cell_real(c, 10, ret);
    p->row++;
    return SQLITE_OK;
  }
}

const fin_tvf fin_tvf_series = {
    .name = "fin_series",
    .schema = "CREATE TABLE x(key, time, value, change, rolling_return, peak, drawdown, since_peak, "
              "up_streak, down_streak, ytd_return, peak_time, series HIDDEN, n HIDDEN, as_of HIDDEN)",
    .ncol = 12,
    .nargs = 2,
    .cursor_size = sizeof(series_cur),
    .start = series_start,
    .next = series_next,
    .stop = series_stop,
};

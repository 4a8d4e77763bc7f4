/*
** tvf_calendar.c - fin_calendar_returns(series, period): one row per
** calendar year, quarter, month or ISO week that has data.
**
** HOW IT WORKS
**   CREATE TABLE fin_calendar_returns(key, period, start_time, end_time,
**     start_value, end_value, period_return, partial,
**     series HIDDEN, period_name HIDDEN, as_of HIDDEN)
** period is 'year' ('2024'), 'quarter' ('2024-Q3'), 'month' ('2024-07') or
** 'week' ('2024-W29', ISO weeks, Monday to Sunday). A period's base is the
** last value before it began (start_time/start_value: the previous
** period's close, even when periods without data lie between); end is its
** last value; period_return = end / start - 1, partial = 0. partial = 1
** marks the two periods that are not whole: the first period of a key,
** which has no earlier close (it is listed with its own first row as the
** base, so it can be seen and filtered; the window function fin_ytd_return
** gives NULL there instead), and the last one when it had not ended: a
** period has ended when its last calendar day is on or before as_of (when
** given) or else the key's last row (2026 to a row of 2026-03-06 is year
** to date; a week whose last row is a Friday ends on Sunday, so it needs
** as_of on or after that Sunday to count as whole). Times must be
** dates: ISO text or Julian day numbers. benchmark (optional, a series of
** one key: benchmark_key = ... picks it in a keyed one): benchmark_return
** is its return over the same window, from its value as of start_time to
** its value as of end_time (NULL when it has none at either), and
** excess_return = period_return - benchmark_return. Memory: constant per
** key.
*/
#include <math.h>
#include "tables.h"

typedef struct cal_cur {
  fin_cursor c;
  fin_source src;
  fin_ptd k;                         /* decides periods and their bases */
  int open;                          /* a period of this key has rows */
  fin_tval first_t, last_t, base_t;  /* times of the open period's rows and base */
  double first_v;
  fin_tval out_start, out_end;       /* the row being reported */
  char label[FIN_LABEL_MAX];
  /* the benchmark's values as of the open period's first and last rows
  ** and of its base (NaN: it has none there) */
  int has_bench;
  fin_bench bench;
  double b_first, b_last, b_base;
  int has_now;   /* as_of is given: the day the last period is judged at */
  double now;
} cal_cur;

static void cal_stop(fin_cursor *c) {
  cal_cur *p = (cal_cur *)c;
  fin_src_close(&p->src);
  fin_bench_close(&p->bench);
  fin_tval *t[] = {&p->first_t, &p->last_t, &p->base_t, &p->out_start, &p->out_end};
  for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) fin_tval_free(t[i]);
}

static int cal_start(fin_cursor *c, sqlite3_value **args, char **err) {
  cal_cur *p = (cal_cur *)c;
  fin_period period;
  int rc = fin_cursor_period(c, args[1], &period, err);
  if (rc) return rc;
  fin_k_ptd_init(&p->k, period);
  p->open = 0;
  p->has_bench = args[2] && sqlite3_value_type(args[2]) != SQLITE_NULL;
  p->b_first = p->b_last = p->b_base = NAN;
  /* Only each period's first and last values count: the reader may skip
  ** the rows between (the packed copy, or seeks through an index). */
  c->skeleton = (int)period + 1;
  rc = fin_cursor_source(c, &p->src, "series", args[0], 1, 0, err);
  if (rc == SQLITE_OK && p->has_bench) rc = fin_bench_open(c, &p->bench, args[2], err);
  /* as_of was read by the source (which refused a bad one) */
  int is_text;
  p->has_now = rc == SQLITE_OK && c->as_of &&
               fin_read_time(c->as_of, c->def->name, "as_of", 0, &p->now, &is_text, err) == FIN_READ_OK;
  return rc;
}

/* The key's last period had ended at as_of, or else at its last row (at
** last_jd). */
static int period_ended(const cal_cur *p, double last_jd) {
  return fin_k_period_ended(last_jd, p->k.period, p->has_now ? p->now : last_jd);
}

/* Reports the period that just ended (its times copied out, so the open
** period's may change at once); last: the key's last period. */
static int cal_emit(cal_cur *p, const fin_ptd_closed *e, int last) {
  fin_cursor *c = &p->c;
  int partial = !e->has_base;
  double start_v = partial ? p->first_v : e->base;
  if (fin_tval_copy(&p->out_start, partial ? &p->first_t : &p->base_t) ||
      fin_tval_copy(&p->out_end, &p->last_t))
    return SQLITE_NOMEM;
  fin_k_period_label(e->last_jd, p->k.period, p->label);
  fin_cell_key(c, 0, &p->src);
  fin_cell_text(c, 1, p->label);
  fin_cell_tval(c, 2, &p->out_start);
  fin_cell_tval(c, 3, &p->out_end);
  double ret = fin_k_pct_change(e->last, start_v);
  fin_cell_real(c, 4, start_v);
  fin_cell_real(c, 5, e->last);
  fin_cell_real(c, 6, ret);
  fin_cell_int(c, 7, partial || (last && !period_ended(p, e->last_jd)));
  if (!p->has_bench) return SQLITE_OK;
  fin_cell_key(c, 8, &p->bench.src);
  double b = fin_k_pct_change(p->b_last, partial ? p->b_first : p->b_base);
  if (!isnan(b)) {
    fin_cell_real(c, 9, b);
    fin_cell_real(c, 10, ret - b);
  }
  return SQLITE_OK;
}

static int cal_next(fin_cursor *c, char **err) {
  cal_cur *p = (cal_cur *)c;
  for (;;) {
    int rc, r = fin_engine_step(c, &p->src, err, &rc);
    if (!r) return rc;
    fin_ptd_closed closed;
    if (r == FIN_SRC_END_KEY) {
      int had = fin_k_ptd_finish(&p->k, &closed);
      fin_k_ptd_init(&p->k, p->k.period);
      p->open = 0;
      rc = had ? cal_emit(p, &closed, 1) : SQLITE_OK;
      if (p->has_bench) fin_bench_restart(&p->bench); /* for the next key */
      p->b_first = p->b_last = p->b_base = NAN;
      if (had) return rc;
      continue;
    }
    if (p->src.v_null) continue;
    double jd = p->src.t, ret;
    if ((rc = fin_src_need_date(c, &p->src, err)) != SQLITE_OK) return rc;
    double b = NAN;
    if (p->has_bench && (rc = fin_bench_at(&p->bench, &p->src, jd, &b, err)) != SQLITE_OK) return rc;
    int ev = fin_k_ptd_push(&p->k, jd, p->src.v, &ret, &closed);
    if (ev & FIN_PTD_CLOSED) {
      if (cal_emit(p, &closed, 0)) return SQLITE_NOMEM;
      /* the ended period's close is the next one's base */
      if (fin_tval_copy(&p->base_t, &p->last_t)) return SQLITE_NOMEM;
      p->b_base = p->b_last;
    }
    if (!p->open || (ev & FIN_PTD_CLOSED)) {
      p->open = 1;
      if (fin_tval_copy(&p->first_t, fin_src_time(&p->src))) return SQLITE_NOMEM;
      p->first_v = p->src.v;
      p->b_first = b;
    }
    if (fin_tval_copy(&p->last_t, fin_src_time(&p->src))) return SQLITE_NOMEM;
    p->b_last = b;
    if (ev & FIN_PTD_CLOSED) return SQLITE_OK;
  }
}

const fin_tvf fin_tvf_calendar_returns = {
    .name = "fin_calendar_returns",
    .schema = "CREATE TABLE x(key, period, start_time, end_time, start_value, end_value, "
              "period_return, partial, benchmark_key, benchmark_return, excess_return, "
              "series HIDDEN, period_name HIDDEN, benchmark HIDDEN, as_of HIDDEN)",
    .ncol = 11,
    .nargs = 3,
    .bkey_col = 8,
    .bench_arg = 2,
    .cursor_size = sizeof(cal_cur),
    .start = cal_start,
    .next = cal_next,
    .stop = cal_stop,
};

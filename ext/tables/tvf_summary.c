/*
** tvf_summary.c - fin_summary(series [, benchmark]): the tear sheet, one
** row per key, in one pass over the series and constant memory a key.
**
** HOW IT WORKS
**   CREATE TABLE fin_summary(key, start_time, end_time, rows, total_return,
**     cagr, volatility, sharpe, sortino, max_drawdown, peak_time,
**     trough_time, recovery_time, calmar, best_year, best_year_label,
**     worst_year, worst_year_label, benchmark_key, beta, correlation,
**     information_ratio, up_capture, down_capture,
**     series HIDDEN, benchmark HIDDEN, as_of HIDDEN)
** Each column is the answer of a function of the extension on the key's
** values (k_sheet.c computes them with the same kernels):
**   start_time, end_time   the first and last times with a value; rows:
**                          the values (NULLs are skipped, rule 2)
**   total_return, cagr     fin_total_return(time, price), fin_cagr(time,
**                          price): years of 365.25 days of the times
**   volatility, sharpe,    fin_volatility(price), fin_sharpe(price),
**   sortino                fin_sortino(price): 252 periods a year,
**                          risk_free 0
**   max_drawdown, peak_time, trough_time, recovery_time
**                          the deepest episode of fin_drawdowns (its depth,
**                          peak_time, trough_time, recovery_time: NULL
**                          while under water); of equal depths the earlier;
**                          max_drawdown is 0 and the times NULL without a
**                          drawdown (fin_max_drawdown(time, price))
**   calmar                 fin_calmar(time, price)
**   best_year, worst_year  the highest and lowest period_return of
**   and their _label       fin_calendar_returns(series, 'year') among whole
**                          years (partial = 0: not the first year, nor a
**                          last year that had not ended by as_of, or by
**                          the last value without as_of); of equal returns
**                          the earlier year; NULL without a whole year, or
**                          when a time is not a date
**   with a benchmark       merged with the series on their common times as
**                          fin_relative merges them (fin_bench_match); the
**                          returns between consecutive common times are
**                          fin_relative's value_return and benchmark_return,
**                          and beta, correlation, information_ratio,
**                          up_capture and down_capture are fin_beta,
**                          fin_correlation, fin_information_ratio,
**                          fin_up_capture and fin_down_capture of them
**                          (their defaults: 252, arithmetic, geometric)
** Requirements:
**  1. series (required) and benchmark are read as every table reads them
**     (a name or SQL text, columns by name, value_column, keys pushed
**     down); the benchmark is one series (benchmark_key = ... picks it in
**     a keyed one) and applies to every key. as_of ends both.
**  2. A key without any value has no row. Undefined figures are NULL:
**     cagr and calmar for one time, volatility and sharpe under 2 returns,
**     sortino without a shortfall, a zero deviation where it divides, the
**     benchmark columns without a benchmark or without the pairs they need.
**  3. Results are REAL (rows INTEGER, times as given, labels TEXT); a
**     figure that overflows is an error, as in every table.
**  4. One pass; memory constant a key: folded moment summaries, the
**     drawdown machine, the year in progress, and the times of the
**     episode in progress and of the deepest one.
*/
#include <math.h>
#include "tables.h"

#define PPY 252.0 /* the aggregates' default periods_per_year */

typedef struct sum_cur {
  fin_cursor c;
  fin_source src;
  int has_bench;
  fin_bench bench;
  int has_now;            /* as_of: the day the last year is judged at */
  double now;
  fin_sheet s;            /* the key's figures (k_sheet.c) */
  int reported;           /* the row shown is the key's: reset before reading on */
  int has_prev;           /* prev_v, prev_b: the previous common time's values */
  double prev_v, prev_b;
  fin_tval first_t, last_t;          /* the key's first and last times with a value */
  fin_tval peak_t, trough_t;         /* of the episode in progress */
  fin_tval deep_peak, deep_trough, deep_recovery; /* of the deepest episode */
  int has_recovery;
  char best_label[FIN_LABEL_MAX], worst_label[FIN_LABEL_MAX];
} sum_cur;

static void key_reset(sum_cur *p) {
  fin_k_sheet_free(&p->s);
  fin_k_sheet_init(&p->s);
  p->has_prev = p->has_recovery = 0;
}

static void sum_stop(fin_cursor *c) {
  sum_cur *p = (sum_cur *)c;
  fin_src_close(&p->src);
  fin_bench_close(&p->bench);
  fin_k_sheet_free(&p->s);
  fin_tval *t[] = {&p->first_t, &p->last_t, &p->peak_t, &p->trough_t,
                   &p->deep_peak, &p->deep_trough, &p->deep_recovery};
  for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) fin_tval_free(t[i]);
}

static int sum_start(fin_cursor *c, sqlite3_value **args, char **err) {
  sum_cur *p = (sum_cur *)c;
  fin_k_sheet_init(&p->s);
  p->reported = p->has_prev = p->has_recovery = p->has_now = 0;
  p->has_bench = args[1] && sqlite3_value_type(args[1]) != SQLITE_NULL;
  int rc = fin_cursor_source(c, &p->src, "series", args[0], 1, 0, err);
  if (rc == SQLITE_OK && p->has_bench) rc = fin_bench_open(c, &p->bench, args[1], err);
  if (rc == SQLITE_OK && c->as_of) { /* the source has checked it already */
    int is_text;
    if (fin_read_time(c->as_of, c->def->name, "as_of", 0, &p->now, &is_text, err) != FIN_READ_OK)
      return SQLITE_ERROR;
    p->has_now = 1;
  }
  return rc;
}

/* A figure: NULL where undefined (NaN). */
static void cell_num(fin_cursor *c, int i, double x) {
  if (!isnan(x)) fin_cell_real(c, i, x);
}

static void emit(sum_cur *p) {
  fin_cursor *c = &p->c;
  const fin_sheet *s = &p->s;
  fin_cell_key(c, 0, &p->src);
  fin_cell_tval(c, 1, &p->first_t);
  fin_cell_tval(c, 2, &p->last_t);
  fin_cell_int(c, 3, s->n);
  cell_num(c, 4, fin_k_sheet_total_return(s));
  cell_num(c, 5, fin_k_sheet_cagr(s));
  cell_num(c, 6, fin_k_sheet_volatility(s, PPY));
  cell_num(c, 7, fin_k_sheet_sharpe(s, PPY));
  cell_num(c, 8, fin_k_sheet_sortino(s, PPY));
  cell_num(c, 9, fin_k_sheet_max_drawdown(s));
  if (s->has_deep) {
    fin_cell_tval(c, 10, &p->deep_peak);
    fin_cell_tval(c, 11, &p->deep_trough);
    if (p->has_recovery) fin_cell_tval(c, 12, &p->deep_recovery);
  }
  cell_num(c, 13, fin_k_sheet_calmar(s));
  if (s->has_years) {
    fin_k_period_label(s->best_jd, FIN_YEAR, p->best_label);
    fin_k_period_label(s->worst_jd, FIN_YEAR, p->worst_label);
    fin_cell_real(c, 14, s->best);
    fin_cell_text(c, 15, p->best_label);
    fin_cell_real(c, 16, s->worst);
    fin_cell_text(c, 17, p->worst_label);
  }
  if (!p->has_bench) return;
  /* the key asked for (it passes SQLite's own check of benchmark_key) */
  if (p->bench.src.keyed && c->bkey) fin_cell_value(c, 18, c->bkey);
  cell_num(c, 19, fin_k_sheet_beta(s));
  cell_num(c, 20, fin_k_sheet_correlation(s));
  cell_num(c, 21, fin_k_sheet_information_ratio(s, PPY));
  cell_num(c, 22, fin_k_sheet_up_capture(s, PPY));
  cell_num(c, 23, fin_k_sheet_down_capture(s, PPY));
}

/* The benchmark beside the series row: a pair of returns at each common
** time after the key's first, as fin_relative's value_return and
** benchmark_return. */
static int bench_row(sum_cur *p, char **err) {
  int64_t passed;
  int common;
  int rc = fin_bench_match(&p->bench, &p->src, p->src.t, &passed, &common, err);
  if (rc != SQLITE_OK || !common || p->src.v_null || p->bench.src.v_null) return rc;
  double v = p->src.v, b = p->bench.src.v;
  if (p->has_prev) fin_k_sheet_pair(&p->s, fin_k_pct_change(v, p->prev_v), fin_k_pct_change(b, p->prev_b));
  p->has_prev = 1;
  p->prev_v = v;
  p->prev_b = b;
  return SQLITE_OK;
}

/* The key's times the sheet's events ask for: the first and last, the
** episode in progress (copied as fin_drawdowns copies them), and the
** deepest episode when one ends (before this row's peak replaces the
** episode's: a recovery is also the next peak). */
static int note_times(sum_cur *p, int ev, const fin_tval *time) {
  int bad = (p->s.n == 1 && fin_tval_copy(&p->first_t, time)) || fin_tval_copy(&p->last_t, time);
  if (ev & FIN_SHEET_DEEPEST) {
    bad = bad || fin_tval_copy(&p->deep_peak, &p->peak_t) || fin_tval_copy(&p->deep_trough, &p->trough_t) ||
          fin_tval_copy(&p->deep_recovery, time);
    p->has_recovery = 1;
  }
  if (ev & FIN_SHEET_PEAK) bad = bad || fin_tval_copy(&p->peak_t, time);
  if (ev & FIN_SHEET_TROUGH) bad = bad || fin_tval_copy(&p->trough_t, time);
  return bad ? SQLITE_NOMEM : SQLITE_OK;
}

static int sum_next(fin_cursor *c, char **err) {
  sum_cur *p = (sum_cur *)c;
  if (p->reported) { /* the previous row's cells pointed into this key's state */
    key_reset(p);
    p->reported = 0;
  }
  for (;;) {
    int rc, r = fin_engine_step(c, &p->src, err, &rc);
    if (!r) return rc;
    if (r == FIN_SRC_END_KEY) {
      if (p->has_bench) fin_bench_restart(&p->bench); /* sought again at the next key's first time */
      if (!p->s.n) { /* no value: no row */
        key_reset(p);
        continue;
      }
      if (fin_k_sheet_finish(&p->s, p->has_now ? p->now : NAN) & FIN_SHEET_DEEPEST) {
        /* the episode still open is the deepest: no recovery */
        if (fin_tval_copy(&p->deep_peak, &p->peak_t) || fin_tval_copy(&p->deep_trough, &p->trough_t))
          return SQLITE_NOMEM;
        p->has_recovery = 0;
      }
      emit(p);
      p->reported = 1;
      return SQLITE_OK;
    }
    if (p->has_bench && (rc = bench_row(p, err)) != SQLITE_OK) return rc;
    if (p->src.v_null) continue;
    int ev = fin_k_sheet_push(&p->s, p->src.t, p->src.v);
    if ((rc = note_times(p, ev, fin_src_time(&p->src))) != SQLITE_OK) return rc;
  }
}

const fin_tvf fin_tvf_summary = {
    .name = "fin_summary",
    .schema = "CREATE TABLE x(key, start_time, end_time, rows, total_return, cagr, volatility, sharpe, "
              "sortino, max_drawdown, peak_time, trough_time, recovery_time, calmar, best_year, "
              "best_year_label, worst_year, worst_year_label, benchmark_key, beta, correlation, "
              "information_ratio, up_capture, down_capture, series HIDDEN, benchmark HIDDEN, "
              "as_of HIDDEN)",
    .ncol = 24,
    .nargs = 2,
    .bkey_col = 18,
    .bench_arg = 1,
    .cursor_size = sizeof(sum_cur),
    .start = sum_start,
    .next = sum_next,
    .stop = sum_stop,
};

/*
** tvf_bars.c - fin_bars(series, period): daily rows turned into bars, one
** per key and calendar week, month, quarter or year.
**
** HOW IT WORKS
**   CREATE TABLE fin_bars(key, period, start_time, end_time, sessions,
**     open, high, low, close, volume, partial,
**     series HIDDEN, period_name HIDDEN, as_of HIDDEN, value_column HIDDEN)
** period is 'week' ('2024-W29', ISO weeks), 'month' ('2024-07'), 'quarter'
** ('2024-Q3') or 'year' ('2024'): the labels of fin_calendar_returns and
** fin_period. A bar holds the period's rows with a value (NULL values are
** skipped, as everywhere): start_time and end_time are its first and last
** sessions, sessions their count, close the last value. When the series is
** a table read by name with open, high, low and volume columns and the
** value is its close (no other value_column), open is the first session's
** open, high the highest high, low the lowest low and volume the sum of
** the volumes (NULL where a session has none: NULLs are skipped, and a bar
** with no volume at all has NULL); a column the table lacks, or another
** value, gives bars of the value alone: open its first, high its highest,
** low its lowest. open, high and low must be prices (> 0) or NULL, volume a
** number >= 0 or NULL; each row's high and low must bracket its value. The
** last bar is partial (1) when its period had not ended at as_of, or at
** the key's last row (fin_calendar_returns' rule). Times must be dates.
** Memory: constant per key.
*/
#include <math.h>
#include <string.h>
#include "tables.h"

enum { X_OPEN, X_HIGH, X_LOW, X_VOLUME };
static const char *const extra_names[] = {"open", "high", "low", "volume", NULL};

typedef struct bar_cur {
  fin_cursor c;
  fin_source src;
  fin_period period;
  int ohlc;                /* the value is close: take open, high, low, volume too */
  int has_now;             /* as_of: the day the last bar is judged at */
  double now;
  int open_bar;            /* a bar of this key has rows */
  double lo, hi;           /* the open bar's period, [lo, hi) in Julian days */
  double last_jd;
  fin_tval first_t, last_t;
  int64_t sessions;
  double o, h, l, cl, vol;
  int has_o, has_vol;
  fin_tval out_start, out_end; /* the bar being reported */
  char label[FIN_LABEL_MAX];
} bar_cur;

static void bar_stop(fin_cursor *c) {
  bar_cur *p = (bar_cur *)c;
  fin_src_close(&p->src);
  fin_tval *t[] = {&p->first_t, &p->last_t, &p->out_start, &p->out_end};
  for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) fin_tval_free(t[i]);
}

static int bar_start(fin_cursor *c, sqlite3_value **args, char **err) {
  bar_cur *p = (bar_cur *)c;
  int rc = fin_cursor_period(c, args[1], &p->period, err);
  if (rc) return rc;
  const char *vc = fin_cursor_vcol(c);
  p->ohlc = !vc || sqlite3_stricmp(vc, "close") == 0;
  p->open_bar = 0;
  rc = fin_cursor_source_x(c, &p->src, "series", args[0], 1, 0, p->ohlc ? extra_names : NULL, err);
  /* as_of was read by the source (which refused a bad one) */
  int is_text;
  p->has_now = rc == SQLITE_OK && c->as_of &&
               fin_read_time(c->as_of, c->def->name, "as_of", 0, &p->now, &is_text, err) == FIN_READ_OK;
  return rc;
}

/* Reports the open bar (its times copied out, so the next may start). */
static int bar_emit(bar_cur *p, int last) {
  fin_cursor *c = &p->c;
  if (fin_tval_copy(&p->out_start, &p->first_t) || fin_tval_copy(&p->out_end, &p->last_t)) return SQLITE_NOMEM;
  fin_k_period_label(p->last_jd, p->period, p->label);
  fin_cell_key(c, 0, &p->src);
  fin_cell_text(c, 1, p->label);
  fin_cell_tval(c, 2, &p->out_start);
  fin_cell_tval(c, 3, &p->out_end);
  fin_cell_int(c, 4, p->sessions);
  if (p->has_o) fin_cell_real(c, 5, p->o);
  fin_cell_real(c, 6, p->h);
  fin_cell_real(c, 7, p->l);
  fin_cell_real(c, 8, p->cl);
  if (p->has_vol) {
    if (p->vol == (double)(sqlite3_int64)p->vol) fin_cell_int(c, 9, (sqlite3_int64)p->vol);
    else fin_cell_real(c, 9, p->vol);
  }
  /* the last bar, when its period had not ended by as_of or the last row */
  fin_cell_int(c, 10, last && !fin_k_period_ended(p->last_jd, p->period, p->has_now ? p->now : p->last_jd));
  return SQLITE_OK;
}

/* An extra column of the row: 1 with *x, 0 for NULL (or the column absent);
** an error names the column. */
static int extra(bar_cur *p, int i, double *x, int *rc, char **err) {
  sqlite3_value *v = fin_src_extra(&p->src, i);
  *rc = SQLITE_OK;
  if (!v) return 0;
  const char *fn = p->c.def->name;
  int r = i == X_VOLUME ? fin_read_number(v, fn, extra_names[i], x, err)
                        : fin_read_price(v, fn, extra_names[i], x, err);
  if (r == FIN_READ_OK && i == X_VOLUME && *x < 0) {
    *err = fin_must_be(fn, "volume", ">= 0", v);
    r = FIN_READ_ERR;
  }
  if (r == FIN_READ_ERR) {
    char *w = *err ? fin_src_where(&p->src, 1) : NULL;
    char *m = w ? sqlite3_mprintf("%s%s", *err, w) : NULL;
    sqlite3_free(*err);
    sqlite3_free(w);
    *err = m;
    *rc = SQLITE_ERROR;
    return 0;
  }
  return r == FIN_READ_OK;
}

static int bar_next(fin_cursor *c, char **err) {
  bar_cur *p = (bar_cur *)c;
  for (;;) {
    int rc, r = fin_engine_step(c, &p->src, err, &rc);
    if (!r) return rc;
    if (r == FIN_SRC_END_KEY) {
      int had = p->open_bar;
      p->open_bar = 0;
      if (had) return bar_emit(p, 1);
      continue;
    }
    if (p->src.v_null) continue;
    double jd = p->src.t;
    if ((rc = fin_src_need_date(c, &p->src, err)) != SQLITE_OK) return rc;
    double v = p->src.v, o = v, h = v, l = v, vol = 0;
    int has_o = 1, has_vol = 0;
    if (p->ohlc) {
      double x;
      if (extra(p, X_OPEN, &x, &rc, err)) o = x;
      else if (rc) return rc;
      else has_o = fin_src_extra(&p->src, X_OPEN) == NULL; /* no open column: the value */
      if (extra(p, X_HIGH, &x, &rc, err)) h = x;
      else if (rc) return rc;
      if (extra(p, X_LOW, &x, &rc, err)) l = x;
      else if (rc) return rc;
      if (extra(p, X_VOLUME, &x, &rc, err)) has_vol = 1, vol = x;
      else if (rc) return rc;
      if (h < v || l > v) {
        char *w = fin_src_where(&p->src, 1);
        *err = w ? sqlite3_mprintf("%s(): a row's high and low must bracket its close, got high %!.15g, "
                                   "low %!.15g, close %!.15g%s",
                                   c->def->name, h, l, v, w)
                 : NULL;
        sqlite3_free(w);
        return SQLITE_ERROR;
      }
    }
    int emitted = 0;
    if (p->open_bar && !(jd >= p->lo && jd < p->hi)) { /* a new period: the bar is done */
      if (bar_emit(p, 0)) return SQLITE_NOMEM;
      p->open_bar = 0;
      emitted = 1;
    }
    if (!p->open_bar) {
      p->open_bar = 1;
      fin_k_period_bounds(jd, p->period, &p->lo, &p->hi);
      if (fin_tval_copy(&p->first_t, fin_src_time(&p->src))) return SQLITE_NOMEM;
      p->sessions = 0;
      p->o = o, p->has_o = has_o, p->h = h, p->l = l;
      p->vol = 0, p->has_vol = 0;
    } else {
      if (!p->has_o && has_o) p->o = o, p->has_o = 1; /* the first session with an open */
      if (h > p->h) p->h = h;
      if (l < p->l) p->l = l;
    }
    if (has_vol) p->vol += vol, p->has_vol = 1;
    p->cl = v;
    p->sessions++;
    p->last_jd = jd;
    if (fin_tval_copy(&p->last_t, fin_src_time(&p->src))) return SQLITE_NOMEM;
    if (emitted) return SQLITE_OK;
  }
}

const fin_tvf fin_tvf_bars = {
    .name = "fin_bars",
    .schema = "CREATE TABLE x(key, period, start_time, end_time, sessions, open, high, low, close, "
              "volume, partial, series HIDDEN, period_name HIDDEN, as_of HIDDEN)",
    .ncol = 11,
    .nargs = 2,
    .cursor_size = sizeof(bar_cur),
    .start = bar_start,
    .next = bar_next,
    .stop = bar_stop,
};

/*
** tvf_trailing.c - fin_trailing_returns(series, periods [, benchmark]):
** the trailing returns a fund factsheet prints, one row per key and
** period, all ending at the same close.
**
** HOW IT WORKS
**   CREATE TABLE fin_trailing_returns(key, period, start_time, start_value,
**     end_time, end_value, period_return, annualized_return, benchmark_key,
**     benchmark_return, excess_return, benchmark_annualized,
**     series HIDDEN, periods HIDDEN, benchmark HIDDEN, as_of HIDDEN)
** Requirements:
**  1. periods is a list separated by commas, any subset and order of:
**     session counts ('5', '21'), calendar offsets ('1 week', '1 month',
**     '3 months', '1 year', '10 years'; units day, week, month, year,
**     singular or plural, any case), 'mtd', 'qtd', 'ytd' and 'inception';
**     or one integer. Rows come in the order written; a repeat ('12
**     months, 1 year') is dropped. Anything else is an error naming it.
**  2. The end is the key's last value, on or before as_of when as_of is
**     given. Every period of a key ends there.
**  3. The base (start_time, start_value) is the last value on or before
**     the end's time moved back by the period: n sessions = n values
**     earlier; a calendar offset moves the date as fin_k_shift does
**     (months keep the day of the month, clamped to the month's last day:
**     Mar 31 - 1 month = Feb 29 in 2024), the mirror of fin_forward_returns'
**     rule; ytd / qtd / mtd: the last value before the end's year, quarter
**     or month began; inception: the key's first value.
**  4. A period that reaches before the key's first value has no base: it
**     is listed with NULL start and returns (so it can be seen), never
**     measured over a shorter span.
**  5. period_return = end_value / start_value - 1. annualized_return, for
**     periods longer than a year only: a calendar offset of more than 12
**     months (nominally: months * 365.25 / 12 + days > 365.25 days), over
**     its nominal years (3 years: 3); more than 252 sessions, over
**     sessions / 252 years; inception when the first value is more than a
**     year before the end (before the end's date moved back 12 months; for
**     numeric times, more than 365.25 apart), over (end - first) / 365.25
**     years as fin_cagr(time, price). NULL otherwise.
**  6. Calendar periods (offsets, ytd, qtd, mtd) need ISO-8601 times; on
**     numeric times they are an error. Sessions and inception work on both.
**  7. benchmark (optional, a series of one key, benchmark_key = ... picks
**     it in a keyed one): benchmark_return over the same window, its value
**     as of start_time to its value as of end_time (NULL when it has none
**     at either, or ended before the end), excess_return = period_return -
**     benchmark_return, benchmark_annualized over the same years.
**  8. NULL values are skipped (rule 2); a key with no value has no rows.
**
** Memory: the rows of the longest period (a ring of times and values,
** trimmed from the front once a row can no longer be any period's base),
** plus the to-date bases and the first row: bounded by the longest
** period, never by the series.
*/
#include <math.h>
#include <string.h>
#include "tables.h"

#define MAX_PERIODS 64
#define YEAR_DAYS 365.25   /* a year of days, as fin_cagr(time, price) */
#define YEAR_SESSIONS 252  /* sessions a year, as fin_annualize's default */

enum { P_ROWS, P_OFFSET, P_MTD, P_QTD, P_YTD, P_INCEPTION };

typedef struct tr_period {
  int kind;
  int64_t n;        /* P_ROWS: sessions */
  fin_offset off;   /* P_OFFSET */
  char label[32];   /* how it is shown: '3 months', 'ytd' (P_ROWS: the number) */
} tr_period;

typedef struct tr_row {
  double t, v, b; /* time (Julian day for ISO text), value, benchmark as of t (NaN: none) */
  fin_tval tv;    /* the time as given */
} tr_row;

typedef struct tr_cur {
  fin_cursor c;
  fin_source src;
  tr_period per[MAX_PERIODS];
  int np;
  int calendar;             /* some period needs dates */
  int64_t max_rows;         /* the most sessions asked */
  double span;              /* days: no calendar offset reaches further back */
  /* per key: the rows that may still be a base, oldest first */
  tr_row *ring;
  size_t cap, head, len;
  int64_t rows;             /* values of the key so far */
  tr_row first;             /* inception's base */
  fin_ptd ptd[3];           /* month, quarter, year: tells when one begins */
  tr_row base[3];           /* the last row before the current month, quarter, year */
  int has_base[3];
  int has_bench;
  fin_bench bench;
  int emit;                 /* the next period to report, or -1 while reading */
  int ended;                /* the key has ended: reset before reading on */
} tr_cur;

static tr_row *at(tr_cur *p, size_t i) { return &p->ring[(p->head + i) & (p->cap - 1)]; }

static void tr_stop(fin_cursor *c) {
  tr_cur *p = (tr_cur *)c;
  fin_src_close(&p->src);
  fin_bench_close(&p->bench);
  for (size_t i = 0; i < p->cap; i++) fin_tval_free(&p->ring[i].tv);
  sqlite3_free(p->ring);
  p->ring = NULL;
  p->cap = p->head = p->len = 0;
  fin_tval_free(&p->first.tv);
  for (int k = 0; k < 3; k++) fin_tval_free(&p->base[k].tv);
}

/* ------------------------------------------------------------ periods */
static const char *const words[] = {"mtd", "qtd", "ytd", "inception"}; /* P_MTD.. in order */

static int periods_error(const tr_cur *p, const char *z, char **err) {
  *err = sqlite3_mprintf("%s(): periods must be session counts, calendar offsets, 'mtd', 'qtd', "
                         "'ytd' or 'inception' separated by commas, such as '1 month, 3 months, "
                         "ytd, 1 year, 3 years, inception' or '5, 21', got '%.*s'",
                         p->c.def->name, fin_utf8_prefix(z, 60), z);
  return SQLITE_ERROR;
}

/* Adds a period unless it is there already (the first spelling stays). */
static int add_period(tr_cur *p, const tr_period *x, char **err) {
  for (int i = 0; i < p->np; i++) {
    const tr_period *y = &p->per[i];
    if (y->kind == x->kind && y->n == x->n && y->off.months == x->off.months &&
        y->off.days == x->off.days)
      return SQLITE_OK;
  }
  if (p->np == MAX_PERIODS) {
    *err = sqlite3_mprintf("%s(): at most %d periods", p->c.def->name, MAX_PERIODS);
    return SQLITE_ERROR;
  }
  p->per[p->np++] = *x;
  if (x->kind == P_ROWS && x->n > p->max_rows) p->max_rows = x->n;
  if (x->kind != P_ROWS && x->kind != P_INCEPTION) p->calendar = 1;
  /* a month back is at most 31 days, plus a day for the clamp */
  double reach = x->off.months * 31.0 + x->off.days + 2.0;
  if (x->kind == P_OFFSET && reach > p->span) p->span = reach;
  return SQLITE_OK;
}

static int parse_periods(tr_cur *p, sqlite3_value *v, char **err) {
  const char *fn = p->c.def->name;
  if (!v || sqlite3_value_type(v) == SQLITE_NULL) {
    *err = sqlite3_mprintf("%s(): periods is required, such as '1 month, 3 months, ytd, 1 year, "
                           "3 years, inception' or '5, 21'",
                           fn);
    return SQLITE_ERROR;
  }
  tr_period x;
  memset(&x, 0, sizeof x);
  if (sqlite3_value_type(v) != SQLITE_TEXT) {
    x.kind = P_ROWS;
    if (fin_read_count(v, fn, "period", 1, FIN_MAX_ROWS, &x.n, err)) return SQLITE_ERROR;
    return add_period(p, &x, err);
  }
  const char *z = (const char *)sqlite3_value_text(v);
  if (!z) return SQLITE_NOMEM;
  const char *s = z;
  for (;;) {
    memset(&x, 0, sizeof x);
    fin_offset_item it;
    if (fin_k_offset_item(&s, &it)) return periods_error(p, z, err);
    if (it.word) { /* mtd, qtd, ytd, inception */
      x.kind = -1;
      for (int k = 0; k < 4; k++)
        if (strlen(words[k]) == it.len && sqlite3_strnicmp(it.word, words[k], (int)it.len) == 0) {
          x.kind = P_MTD + k;
          sqlite3_snprintf((int)sizeof x.label, x.label, "%s", words[k]);
        }
      if (x.kind < 0) return periods_error(p, z, err);
    } else {
      int64_t most = it.unit < 0 ? FIN_MAX_ROWS : FIN_MAX_CALENDAR;
      if (it.n < 1 || it.n > most) {
        *err = sqlite3_mprintf("%s(): period must be between 1 and %lld%s, got '%.*s'", fn,
                               (long long)most, it.unit < 0 ? " sessions" : " calendar units",
                               (int)(it.e - it.b), it.b);
        return SQLITE_ERROR;
      }
      if (it.unit < 0) {
        x.kind = P_ROWS;
        x.n = it.n;
      } else {
        x.kind = P_OFFSET;
        x.off = it.off;
        sqlite3_snprintf((int)sizeof x.label, x.label, "%s", it.label);
      }
    }
    if (add_period(p, &x, err)) return SQLITE_ERROR;
    if (!*s) break;
    s++;
  }
  return SQLITE_OK;
}

static int tr_start(fin_cursor *c, sqlite3_value **args, char **err) {
  tr_cur *p = (tr_cur *)c;
  p->np = 0;
  p->calendar = 0;
  p->max_rows = 0;
  p->span = 0.0;
  p->emit = -1;
  p->ended = 0;
  p->len = p->head = 0;
  p->rows = 0;
  int rc = parse_periods(p, args[1], err);
  if (rc) return rc;
  static const fin_period kinds[3] = {FIN_MONTH, FIN_QUARTER, FIN_YEAR};
  for (int k = 0; k < 3; k++) {
    fin_k_ptd_init(&p->ptd[k], kinds[k]);
    p->has_base[k] = 0;
  }
  p->has_bench = args[2] && sqlite3_value_type(args[2]) != SQLITE_NULL;
  rc = fin_cursor_source(c, &p->src, "series", args[0], 1, 0, err);
  if (rc == SQLITE_OK && p->has_bench) rc = fin_bench_open(c, &p->bench, args[2], err);
  return rc;
}

/* ------------------------------------------------------------ reading */
static int copy_row(tr_row *to, const tr_row *from) {
  to->t = from->t;
  to->v = from->v;
  to->b = from->b;
  return fin_tval_copy(&to->tv, &from->tv);
}

/* Appends the current row to the ring (growing it), then drops the rows
** at its front that no period can take as its base any more: one beyond
** the most sessions asked, and rows followed by one at or before the
** furthest calendar reach (every later end only reaches less far back). */
static int push_row(tr_cur *p, double b) {
  if (p->len == p->cap) {
    size_t n = fin_k_grow_cap(p->cap, sizeof(tr_row));
    tr_row *r = n ? sqlite3_malloc64(n * sizeof *r) : NULL;
    if (!r) return SQLITE_NOMEM;
    memset(r, 0, n * sizeof *r);
    for (size_t i = 0; i < p->cap; i++) r[i] = *at(p, i); /* the whole ring, buffers too */
    sqlite3_free(p->ring);
    p->ring = r;
    p->head = 0;
    p->cap = n;
  }
  tr_row *x = at(p, p->len);
  x->t = p->src.t;
  x->v = p->src.v;
  x->b = b;
  if (fin_tval_copy(&x->tv, fin_src_time(&p->src))) return SQLITE_NOMEM;
  p->len++;
  while (p->len > (size_t)p->max_rows + 1 && (p->span == 0.0 || at(p, 1)->t <= x->t - p->span)) {
    p->head = (p->head + 1) & (p->cap - 1);
    p->len--;
  }
  return SQLITE_OK;
}

static int calendar_error(const tr_cur *p, char **err) {
  const char *label = "ytd";
  for (int i = 0; i < p->np; i++)
    if (p->per[i].kind != P_ROWS && p->per[i].kind != P_INCEPTION) {
      label = p->per[i].label;
      break;
    }
  *err = sqlite3_mprintf("%s(): the calendar period '%s' needs times that are ISO-8601 dates "
                         "(YYYY-MM-DD); the series times are numbers",
                         p->c.def->name, label);
  return SQLITE_ERROR;
}

static int read_row(tr_cur *p, char **err) {
  if (p->calendar && p->src.tl.kind != 2) return calendar_error(p, err);
  double b = NAN, ret;
  int rc;
  if (p->has_bench && (rc = fin_bench_at(&p->bench, &p->src, p->src.t, &b, err)) != SQLITE_OK)
    return rc;
  /* a month, quarter or year began: the row before is its base */
  for (int k = 0; p->calendar && k < 3; k++) {
    int ev = fin_k_ptd_push(&p->ptd[k], p->src.t, p->src.v, &ret, NULL);
    if (ev & FIN_PTD_CLOSED) {
      if (copy_row(&p->base[k], at(p, p->len - 1))) return SQLITE_NOMEM;
      p->has_base[k] = 1;
    }
  }
  if (push_row(p, b)) return SQLITE_NOMEM;
  if (p->rows++ == 0 && copy_row(&p->first, at(p, p->len - 1))) return SQLITE_NOMEM;
  return SQLITE_OK;
}

/* ------------------------------------------------------------ results */
/* The base of period i, or NULL when it reaches before the first value. */
static const tr_row *base_of(tr_cur *p, const tr_period *x) {
  const tr_row *end = at(p, p->len - 1);
  switch (x->kind) {
    case P_ROWS: return p->rows - 1 >= x->n ? at(p, p->len - 1 - (size_t)x->n) : NULL;
    case P_INCEPTION: return &p->first;
    case P_OFFSET: {
      double target = fin_k_shift(end->t, -x->off.months, -x->off.days);
      /* the last row at or before target: binary search in the ring */
      size_t lo = 0, hi = p->len; /* rows [0, lo) are at or before target */
      while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (at(p, mid)->t <= target) lo = mid + 1;
        else hi = mid;
      }
      return lo ? at(p, lo - 1) : NULL;
    }
    default: { /* P_MTD, P_QTD, P_YTD: month, quarter, year */
      int k = x->kind - P_MTD;
      return p->has_base[k] ? &p->base[k] : NULL;
    }
  }
}

/* Years to annualize period x over, or 0 when it is a year or shorter. */
static double years_of(const tr_cur *p, const tr_period *x, const tr_row *base, const tr_row *end) {
  switch (x->kind) {
    case P_ROWS: return x->n > YEAR_SESSIONS ? (double)x->n / YEAR_SESSIONS : 0.0;
    case P_OFFSET: {
      double days = x->off.months * (YEAR_DAYS / 12) + x->off.days;
      return days > YEAR_DAYS ? days / YEAR_DAYS : 0.0;
    }
    case P_INCEPTION: {
      int more = p->src.tl.kind == 2 ? base->t < fin_k_shift(end->t, -12, 0)
                                     : end->t - base->t > YEAR_DAYS;
      return more ? (end->t - base->t) / YEAR_DAYS : 0.0;
    }
    default: return 0.0;
  }
}

static void fill(tr_cur *p, const tr_period *x) {
  fin_cursor *c = &p->c;
  const tr_row *end = at(p, p->len - 1), *base = base_of(p, x);
  fin_cell_key(c, 0, &p->src);
  if (x->kind == P_ROWS) fin_cell_int(c, 1, x->n);
  else fin_cell_text(c, 1, x->label);
  fin_cell_tval(c, 4, &end->tv);
  fin_cell_real(c, 5, end->v);
  if (p->has_bench) fin_cell_key(c, 8, &p->bench.src);
  if (!base) return;
  fin_cell_tval(c, 2, &base->tv);
  fin_cell_real(c, 3, base->v);
  double r = fin_k_pct_change(end->v, base->v), years = years_of(p, x, base, end);
  fin_cell_real(c, 6, r);
  if (years > 0.0) fin_cell_real(c, 7, fin_k_cagr(base->v, end->v, years));
  if (!p->has_bench) return;
  double b = fin_k_pct_change(end->b, base->b); /* NaN: no benchmark value at one end */
  if (isnan(b)) return;
  fin_cell_real(c, 9, b);
  fin_cell_real(c, 10, r - b);
  if (years > 0.0) fin_cell_real(c, 11, fin_k_cagr(base->b, end->b, years));
}

static int tr_next(fin_cursor *c, char **err) {
  tr_cur *p = (tr_cur *)c;
  for (;;) {
    if (p->emit >= 0) { /* the key's periods, one row each */
      fill(p, &p->per[p->emit]);
      if (++p->emit == p->np) p->emit = -1;
      return SQLITE_OK;
    }
    if (p->ended) { /* the key was reported: the next one starts afresh */
      p->ended = 0;
      p->rows = 0;
      p->len = 0;
      for (int k = 0; k < 3; k++) {
        fin_k_ptd_init(&p->ptd[k], p->ptd[k].period);
        p->has_base[k] = 0;
      }
    }
    int rc, r = fin_engine_step(c, &p->src, err, &rc);
    if (!r) return rc;
    if (r == FIN_SRC_END_KEY) {
      if (p->has_bench) fin_bench_restart(&p->bench); /* its values are in the rows */
      p->ended = 1;
      if (p->rows) p->emit = 0;
      continue;
    }
    if (p->src.v_null) continue;
    if ((rc = read_row(p, err)) != SQLITE_OK) return rc;
  }
}

const fin_tvf fin_tvf_trailing_returns = {
    .name = "fin_trailing_returns",
    .schema = "CREATE TABLE x(key, period, start_time, start_value, end_time, end_value, "
              "period_return, annualized_return, benchmark_key, benchmark_return, excess_return, "
              "benchmark_annualized, series HIDDEN, periods HIDDEN, benchmark HIDDEN, as_of HIDDEN)",
    .ncol = 12,
    .nargs = 3,
    .bkey_col = 8,
    .bench_arg = 2,
    .cursor_size = sizeof(tr_cur),
    .start = tr_start,
    .next = tr_next,
    .stop = tr_stop,
};

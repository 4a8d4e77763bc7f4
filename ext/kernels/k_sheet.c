/*
** k_sheet.c - the tear sheet of one series in one pass and constant
** memory (fin_summary, tvf_summary.c): every figure is the one an
** aggregate or a table of the extension gives, computed by the same
** kernel, so the sheet and the functions agree to the last bit.
**
**   total return, CAGR   the first and last values and times, as
**                        fin_total_return(time, price) and fin_cagr
**                        (fin_k_cagr over (t1 - t0) / 365.25 years)
**   volatility           the log returns' moments, as fin_volatility
**   Sharpe, Sortino      the simple returns' moments with their
**                        shortfalls below 0, as fin_sharpe and fin_sortino
**                        with risk_free 0 (k_ratios.c)
**   the deepest drawdown fin_dd's episodes, as fin_drawdowns lists them
**                        (peak: the last row at the high; trough: the
**                        first row at the low; recovery: the first row
**                        back at or above the peak); of equal depths the
**                        earlier episode, since only a strictly deeper
**                        one replaces it; depth = trough / peak - 1
**   Calmar               CAGR / -depth, as fin_calmar
**   the best and worst   fin_ptd's calendar years, whole years only: a
**   year                 year with a base (the last value of the year
**                        before: not the first year) that had ended (its
**                        last day on or before as_of, else the last
**                        value's day: fin_k_period_ended, the partial
**                        rule of fin_calendar_returns); of equal returns
**                        the earlier year
**   beta, correlation,   the pairs of returns common to the series and
**   information ratio,   its benchmark (the caller merges the two), as
**   up and down capture  fin_beta, fin_correlation, fin_information_ratio
**                        and fin_up_capture / fin_down_capture take them
**                        (defaults: arithmetic, geometric, 252)
**
** Every moments queue is folded from the start: summaries only, so a push
** never allocates and memory does not grow with the series. Years are
** kept only while every time is a date (a Julian day of the years 0001 to
** 9999); numeric times outside them leave the years undefined.
*/
#include <math.h>
#include <string.h>
#include "kernels.h"

void fin_k_sheet_init(fin_sheet *s) {
  memset(s, 0, sizeof *s);
  fin_moms *q[] = {&s->simple, &s->logr, &s->pair, &s->active};
  for (size_t i = 0; i < sizeof q / sizeof q[0]; i++) {
    fin_k_moms_init(q[i]);
    fin_k_moms_fold(q[i]); /* nothing ever leaves: the summary alone */
  }
  fin_k_growth_init(&s->up);
  fin_k_growth_fold(&s->up);
  fin_k_growth_init(&s->down);
  fin_k_growth_fold(&s->down);
  fin_k_dd_init(&s->dd);
  fin_k_ptd_init(&s->years, FIN_YEAR);
  s->dates = 1;
}

void fin_k_sheet_free(fin_sheet *s) {
  fin_moms *q[] = {&s->simple, &s->logr, &s->pair, &s->active};
  for (size_t i = 0; i < sizeof q / sizeof q[0]; i++) fin_k_moms_free(q[i]);
  fin_k_growth_free(&s->up);
  fin_k_growth_free(&s->down);
}

/* A year that ended with a base competes; ties keep the earlier year. */
static void year_closed(fin_sheet *s, const fin_ptd_closed *y) {
  if (!y->has_base) return; /* the first year: no close before it */
  double r = fin_k_pct_change(y->last, y->base);
  if (!s->has_years || r > s->best) {
    s->best = r;
    s->best_jd = y->last_jd;
  }
  if (!s->has_years || r < s->worst) {
    s->worst = r;
    s->worst_jd = y->last_jd;
  }
  s->has_years = 1;
}

/* An ended episode competes for the deepest: FIN_SHEET_DEEPEST when it wins. */
static int episode_ended(fin_sheet *s, const fin_dd_episode *e) {
  double depth = fin_k_pct_change(e->trough, e->peak);
  if (s->has_deep && !(depth < s->deep_depth)) return 0;
  s->has_deep = 1;
  s->deep = *e;
  s->deep_depth = depth;
  return FIN_SHEET_DEEPEST;
}

int fin_k_sheet_push(fin_sheet *s, double t, double v) {
  if (s->n == 0) {
    s->t0 = t;
    s->v0 = v;
  } else {
    /* as fin_sharpe / fin_sortino (risk_free 0: shortfall min(r, 0)) and
    ** fin_volatility push them */
    double r = fin_k_pct_change(v, s->v1), lr = fin_k_log_return(v, s->v1);
    fin_k_moms_push(&s->simple, r, 0.0, fmin(r - 0.0, 0.0));
    fin_k_moms_push(&s->logr, lr, 0.0, fmin(lr - 0.0, 0.0));
  }
  s->t1 = t;
  s->v1 = v;
  s->n++;
  int out = 0;
  fin_dd_episode e;
  int ev = fin_k_dd_push(&s->dd, v, &e);
  if (ev & FIN_DD_RECOVERED) out |= episode_ended(s, &e);
  if (ev & FIN_DD_PEAK) out |= FIN_SHEET_PEAK;
  if (ev & FIN_DD_TROUGH) out |= FIN_SHEET_TROUGH;
  if (s->dates && !(t >= FIN_JD_MIN && t < FIN_JD_END)) s->dates = s->has_years = 0;
  if (s->dates) {
    fin_ptd_closed y;
    double ret;
    if (fin_k_ptd_push(&s->years, t, v, &ret, &y) & FIN_PTD_CLOSED) year_closed(s, &y);
  }
  return out;
}

void fin_k_sheet_pair(fin_sheet *s, double r, double b) {
  s->pairs++;
  fin_k_moms_push(&s->pair, r, b, 0.0);           /* fin_beta, fin_correlation */
  fin_k_moms_push(&s->active, r - b, 0.0, 0.0);   /* fin_information_ratio */
  if (b > 0.0) fin_k_growth_push(&s->up, r, b);   /* fin_up_capture */
  if (b < 0.0) fin_k_growth_push(&s->down, r, b); /* fin_down_capture */
}

int fin_k_sheet_finish(fin_sheet *s, double now) {
  int out = 0;
  fin_dd_episode e;
  if (fin_k_dd_finish(&s->dd, &e)) out |= episode_ended(s, &e);
  fin_ptd_closed y;
  if (s->dates && s->n && fin_k_ptd_finish(&s->years, &y) &&
      fin_k_period_ended(y.last_jd, FIN_YEAR, isnan(now) ? y.last_jd : now))
    year_closed(s, &y);
  return out;
}

/* ---------------------------------------------------------------- answers */
double fin_k_sheet_total_return(const fin_sheet *s) {
  return s->n ? fin_k_pct_change(s->v1, s->v0) : NAN;
}

double fin_k_sheet_cagr(const fin_sheet *s) {
  return s->n && s->t1 > s->t0 ? fin_k_cagr(s->v0, s->v1, (s->t1 - s->t0) / 365.25) : NAN;
}

double fin_k_sheet_volatility(const fin_sheet *s, double ppy) {
  fin_mom m = fin_k_moms_query(&s->logr);
  return fin_k_ratio_volatility(&s->logr, &m, ppy);
}

double fin_k_sheet_sharpe(const fin_sheet *s, double ppy) {
  fin_mom m = fin_k_moms_query(&s->simple);
  return fin_k_ratio_sharpe(&s->simple, &m, 0.0, ppy);
}

double fin_k_sheet_sortino(const fin_sheet *s, double ppy) {
  fin_mom m = fin_k_moms_query(&s->simple);
  return fin_k_ratio_sortino(&s->simple, &m, 0.0, ppy);
}

double fin_k_sheet_max_drawdown(const fin_sheet *s) {
  return !s->n ? NAN : s->has_deep ? s->deep_depth : 0.0;
}

double fin_k_sheet_calmar(const fin_sheet *s) {
  double cagr = fin_k_sheet_cagr(s), mdd = fin_k_sheet_max_drawdown(s);
  return mdd < 0 ? cagr / -mdd : NAN; /* NaN cagr stays NaN */
}

double fin_k_sheet_beta(const fin_sheet *s) {
  fin_mom m = fin_k_moms_query(&s->pair);
  return fin_k_mom_beta(&s->pair, &m);
}

double fin_k_sheet_correlation(const fin_sheet *s) {
  fin_mom m = fin_k_moms_query(&s->pair);
  return fin_k_mom_corr(&m);
}

double fin_k_sheet_information_ratio(const fin_sheet *s, double ppy) {
  fin_mom m = fin_k_moms_query(&s->active);
  return fin_k_ratio_information(&s->active, &m, ppy);
}

double fin_k_sheet_up_capture(const fin_sheet *s, double ppy) {
  fin_mom m = fin_k_moms_query(&s->up.g);
  return fin_k_growth_capture(&s->up, &m, ppy);
}

double fin_k_sheet_down_capture(const fin_sheet *s, double ppy) {
  fin_mom m = fin_k_moms_query(&s->down.g);
  return fin_k_growth_capture(&s->down, &m, ppy);
}

/*
** k_ratios.c - the annualised ratios that the risk aggregates (risk.c),
** the measures against a benchmark (benchmark_measures.c) and the tear
** sheet (k_sheet.c, fin_summary) compute from the same summaries: each
** ratio is written here once, so the table and the aggregates cannot
** drift apart.
**
** 1. The moment ratios take a queue q and its summary m =
**    fin_k_moms_query(q) (on q's scales: the accessors of k_moments.c turn
**    it into the inputs' units). Sample deviations (n - 1); Sortino's
**    downside deviation is sqrt(sum s^2 / n) over every observation, s the
**    shortfall min(x - rf, 0) pushed beside x (PerformanceAnalytics'
**    DownsideDeviation, method "full").
** 2. Compound growth (fin_growth) keeps the mean of log|1 + x| of each
**    side in a moments queue (log1p keeps the digits of small returns) and
**    counts the factors 1 + x that are zero or negative, which have no
**    logarithm: a product with a zero factor is 0 (G = -1), one with an odd
**    number of negative factors has no real root (G undefined), and the
**    cumulative growth prod(1 + x) - 1 is defined for any sign.
** 3. Undefined is NaN: the callers turn it into NULL.
*/
#include <math.h>
#include "kernels.h"

double fin_k_ratio_volatility(const fin_moms *q, const fin_mom *m, double ppy) {
  return fin_k_mom_sd_x(q, m) * sqrt(ppy);
}

double fin_k_ratio_sharpe(const fin_moms *q, const fin_mom *m, double rf, double ppy) {
  double sd = fin_k_mom_sd_x(q, m);
  return sd > 0 ? (fin_k_mom_mean_x(q, m) - rf) / sd * sqrt(ppy) : NAN;
}

double fin_k_ratio_sortino(const fin_moms *q, const fin_mom *m, double rf, double ppy) {
  double down = fin_k_mom_down(q, m);
  return down > 0 ? (fin_k_mom_mean_x(q, m) - rf) / down * sqrt(ppy) : NAN;
}

double fin_k_ratio_information(const fin_moms *q, const fin_mom *m, double ppy) {
  double te = fin_k_ratio_volatility(q, m, ppy); /* the tracking error */
  return te > 0 ? fin_k_mom_mean_x(q, m) * ppy / te : NAN;
}

/* ---------------------------------------------------------------- growth */
/* The class of a factor 1 + x: 0 positive, 1 zero, 2 negative. */
static int factor_class(double x) {
  double f = 1.0 + x;
  return f > 0.0 ? 0 : f == 0.0 ? 1 : 2;
}

/* log|1 + x| of a factor of that class; a zero factor is counted, not logged. */
static double log_factor(double x, int cls) {
  return cls == 0 ? log1p(x) : cls == 1 ? 0.0 : log(-(1.0 + x));
}

static void count_factors(fin_growth *g, double x, double y, int add) {
  int cx = factor_class(x), cy = factor_class(y);
  if (cx == 1) g->zero[0] += add;
  if (cx == 2) g->neg[0] += add;
  if (cy == 1) g->zero[1] += add;
  if (cy == 2) g->neg[1] += add;
}

void fin_k_growth_init(fin_growth *g) {
  fin_k_moms_init(&g->g);
  g->zero[0] = g->zero[1] = g->neg[0] = g->neg[1] = 0;
}

void fin_k_growth_free(fin_growth *g) { fin_k_moms_free(&g->g); }

int fin_k_growth_push(fin_growth *g, double x, double y) {
  if (fin_k_moms_push(&g->g, log_factor(x, factor_class(x)), log_factor(y, factor_class(y)), 0.0))
    return FIN_NOMEM;
  count_factors(g, x, y, 1);
  return FIN_OK;
}

int fin_k_growth_pop(fin_growth *g, double x, double y) {
  if (fin_k_moms_pop(&g->g)) return FIN_NOMEM;
  count_factors(g, x, y, -1);
  return FIN_OK;
}

void fin_k_growth_fold(fin_growth *g) { fin_k_moms_fold(&g->g); }

static double mean_log(const fin_growth *g, const fin_mom *m, int side) {
  return side ? fin_k_mom_mean_y(&g->g, m) : fin_k_mom_mean_x(&g->g, m);
}

double fin_k_growth_annual(const fin_growth *g, const fin_mom *m, int side, double ppy) {
  if (m->n == 0) return NAN;
  if (g->zero[side]) return -1.0;
  if (g->neg[side] & 1) return NAN;
  return expm1(mean_log(g, m, side) * ppy);
}

double fin_k_growth_cumulative(const fin_growth *g, const fin_mom *m, int side) {
  if (m->n == 0) return NAN;
  if (g->zero[side]) return -1.0;
  double log_abs = mean_log(g, m, side) * m->n;
  return g->neg[side] & 1 ? -exp(log_abs) - 1.0 : expm1(log_abs);
}

double fin_k_growth_capture(const fin_growth *g, const fin_mom *m, double ppy) {
  double up = fin_k_growth_annual(g, m, 0, ppy), base = fin_k_growth_annual(g, m, 1, ppy);
  return base != 0.0 ? up / base : NAN; /* NaN in either stays NaN */
}

/*
** k_returns.c - one-period arithmetic: simple and log returns, CAGR,
** annualisation, and the "is this move a gain of at least X" test that
** every streak shares. Callers validate inputs (prices > 0, years > 0).
*/
#include <math.h>
#include <stdlib.h>
#include "kernels.h"

/* log(new/old) for two prices > 0: log1p of the simple return keeps the
** digits of a small move; far from 1 the ratio's own log is exact enough
** (log1p(-0.99999999999999999) would round to log1p(-1) = -Inf, where the
** answer is -39.14), and a ratio that overflows or underflows (1e300 over
** 1e-300) is a difference of logs. */
static double log_ratio(double new_v, double old_v) {
  double r = new_v / old_v;
  if (!(r > 0x1p-1000 && r < 0x1p1000)) return log(new_v) - log(old_v);
  if (r > 0.5 && r < 2.0) return log1p((new_v - old_v) / old_v);
  return log(r);
}

double fin_k_log_return(double new_v, double old_v) { return log_ratio(new_v, old_v); }

double fin_k_cagr(double start_v, double end_v, double years) {
  double r = end_v / start_v;
  /* the ratio's own log, as the anchors take it; a difference of logs only
  ** where the ratio overflows or underflows */
  return expm1((r > 0x1p-1000 && r < 0x1p1000 ? log(r) : log(end_v) - log(start_v)) / years);
}

/* (1+ret)^(per_year/periods) - 1, through log1p/expm1 so that small
** returns keep their digits; ret = -1 (total loss) stays -1. */
double fin_k_annualize(double ret, double periods, double per_year) {
  if (ret <= -1.0) return -1.0;
  return expm1(log1p(ret) * (per_year / periods));
}

int fin_k_gain_ok(const fin_gain_rule *r, double prev, double cur) {
  if (!r->has_min) return r->down ? cur < prev : cur > prev;
  double ret = fin_k_pct_change(cur, prev);
  if (r->down) return ret <= -r->min + FIN_RET_EPS;
  return ret >= r->min - FIN_RET_EPS;
}

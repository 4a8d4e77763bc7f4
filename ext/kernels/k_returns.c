/*
** k_returns.c - one-period arithmetic: simple and log returns, CAGR,
** annualisation, and the "is this move a gain of at least X" test that
** every streak shares. Callers validate inputs (prices > 0, years > 0).
*/
#include <math.h>
#include <stdlib.h>
#include "kernels.h"

/* log(a/b) as log1p of the simple return keeps precision for small moves. */
double fin_k_log_return(double new_v, double old_v) {
  return log1p((new_v - old_v) / old_v);
}

double fin_k_cagr(double start_v, double end_v, double years) {
  return expm1(log(end_v / start_v) / years);
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

/*
** k_quantile.c - quantiles of a sample, for event-study summaries.
*/
#include <math.h>
#include <stdlib.h>
#include "kernels.h"

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

void fin_k_sort_doubles(double *x, size_t n) { qsort(x, n, sizeof(double), cmp_double); }

double fin_k_quantile_sorted(const double *x, size_t n, double p) {
  if (n == 0) return NAN;
  double pos = p * (double)(n - 1);
  size_t lo = (size_t)floor(pos);
  if (lo >= n - 1) return x[n - 1];
  double frac = pos - (double)lo;
  double gap = x[lo + 1] - x[lo];
  /* Far-apart values (-1.7e308 and 1.7e308) overflow the gap: weigh the
  ** two ends instead, which cannot. */
  if (!isfinite(gap)) return x[lo] * (1.0 - frac) + x[lo + 1] * frac;
  return x[lo] + frac * gap;
}

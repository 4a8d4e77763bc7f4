/*
** k_pictures.c - text pictures: the levels of a sparkline and the length
** of a bar, in plain C (pictures.c turns them into block characters).
*/
#include <math.h>
#include "kernels.h"

/* Bucket i of n values cut into w buckets holds the values
** [i*n/w, (i+1)*n/w): sizes differ by one at most, every value counts once. */
static size_t bucket_start(size_t i, size_t n, size_t w) {
  return (size_t)(((unsigned long long)i * n) / w);
}

size_t fin_k_spark_levels(const fin_ring *x, size_t width, unsigned char *level, double *tmp) {
  size_t n = x->len, m = n <= width ? n : width;
  if (m == 0) return 0;
  double lo = INFINITY, hi = -INFINITY;
  for (size_t i = 0; i < m; i++) {
    size_t a = n == m ? i : bucket_start(i, n, m), b = n == m ? i + 1 : bucket_start(i + 1, n, m);
    double s = 0.0, k = (double)(b - a);
    for (size_t j = a; j < b; j++) s += fin_k_ring_at(x, j);
    if (!isfinite(s)) { /* finite values whose sum overflows: their mean does not */
      s = 0.0;
      for (size_t j = a; j < b; j++) s += fin_k_ring_at(x, j) / k;
      k = 1.0;
    }
    tmp[i] = s / k;
    if (tmp[i] < lo) lo = tmp[i];
    if (tmp[i] > hi) hi = tmp[i];
  }
  /* A range wider than the largest double (-1e308 to 1e308) is measured in
  ** halves, which cannot overflow. */
  double half = isfinite(hi - lo) ? 1.0 : 0.5;
  double span = hi * half - lo * half;
  for (size_t i = 0; i < m; i++) {
    if (!(span > 0)) {
      level[i] = 3; /* a flat line: the middle, so it reads as neither high nor low */
      continue;
    }
    /* The lowest point is level 0, the highest 7, and the others the
    ** nearest of the eight evenly spaced levels between. */
    double f = (tmp[i] * half - lo * half) / span * 7.0 + 0.5;
    int k = f >= 0 && f <= 7.5 ? (int)floor(f) : f > 7.5 ? 7 : 0;
    level[i] = (unsigned char)(k > 7 ? 7 : k);
  }
  return m;
}

int64_t fin_k_bar_eighths(double x, double max, int width) {
  double e = x / max * 8.0 * width;
  if (!(e < 8.0 * width)) return 8 * (int64_t)width; /* past max: a full bar (README) */
  return (int64_t)floor(e + 0.5);
}

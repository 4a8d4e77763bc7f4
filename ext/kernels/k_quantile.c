/*
** k_quantile.c - quantiles of a sample (type 7: linear interpolation
** between closest ranks, numpy's and R's default), for the aggregates and
** for event-study summaries.
**
** fin_qsel keeps a sample that grows, and shrinks from any value, and
** answers its p-quantile:
**   - while it only grows (a plain aggregate, a frame from UNBOUNDED
**     PRECEDING), as two heaps: the ranks up to the quantile's lower rank
**     in a max-heap, the rest in a min-heap, so a push costs O(log n) and
**     the answer is at the two tops;
**   - from the first removal on (a sliding frame), as a sorted array with
**     binary-search insertion and removal: O(log n) to find, one memmove
**     of at most the frame to move.
** Both answer with the same arithmetic as fin_k_quantile_sorted.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "kernels.h"

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

void fin_k_sort_doubles(double *x, size_t n) { qsort(x, n, sizeof(double), cmp_double); }

/* The value a fraction frac of the way from a to b. Far-apart values
** (-1.7e308 and 1.7e308) overflow b - a: weigh the two ends instead. */
static double interpolate(double a, double b, double frac) {
  double gap = b - a;
  if (!isfinite(gap)) return a * (1.0 - frac) + b * frac;
  return a + frac * gap;
}

/* The lower rank of the p-quantile of n values, and the fraction past it. */
static size_t lower_rank(double p, size_t n, double *frac) {
  double pos = p * (double)(n - 1);
  size_t lo = (size_t)floor(pos);
  *frac = pos - (double)lo;
  return lo;
}

double fin_k_quantile_sorted(const double *x, size_t n, double p) {
  if (n == 0) return NAN;
  double frac;
  size_t lo = lower_rank(p, n, &frac);
  if (lo >= n - 1) return x[n - 1];
  return interpolate(x[lo], x[lo + 1], frac);
}

/* ------------------------------------------------------------- heaps */
/* A min-heap of doubles; the max-heap stores negated values. */
static int heap_push(double **h, size_t *n, size_t *cap, double v) {
  if (*n == *cap) {
    size_t c = *cap ? *cap * 2 : 16;
    double *nh = c > SIZE_MAX / sizeof(double) ? NULL : fin_malloc(c * sizeof(double));
    if (!nh) return FIN_NOMEM;
    if (*n) memcpy(nh, *h, *n * sizeof(double));
    fin_free(*h);
    *h = nh;
    *cap = c;
  }
  size_t i = (*n)++;
  while (i > 0 && (*h)[(i - 1) / 2] > v) {
    (*h)[i] = (*h)[(i - 1) / 2];
    i = (i - 1) / 2;
  }
  (*h)[i] = v;
  return FIN_OK;
}

static double heap_pop(double *h, size_t *n) {
  double top = h[0], v = h[--*n];
  size_t i = 0;
  for (;;) {
    size_t c = 2 * i + 1;
    if (c >= *n) break;
    if (c + 1 < *n && h[c + 1] < h[c]) c++;
    if (!(h[c] < v)) break;
    h[i] = h[c];
    i = c;
  }
  if (*n) h[i] = v;
  return top;
}

void fin_k_qsel_init(fin_qsel *q, double p) {
  memset(q, 0, sizeof *q);
  q->p = p;
}

void fin_k_qsel_free(fin_qsel *q) {
  fin_free(q->lo);
  fin_free(q->hi);
  fin_free(q->x);
  fin_k_qsel_init(q, q->p);
}

size_t fin_k_qsel_count(const fin_qsel *q) { return q->sorted ? q->n : q->nlo + q->nhi; }

/* Binary search: the first index whose value is >= v. */
static size_t first_at_least(const double *x, size_t n, double v) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (x[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

int fin_k_qsel_push(fin_qsel *q, double v) {
  if (q->sorted) {
    if (q->n == q->cap) {
      size_t c = q->cap * 2;
      double *nx = c > SIZE_MAX / sizeof(double) ? NULL : fin_malloc(c * sizeof(double));
      if (!nx) return FIN_NOMEM;
      memcpy(nx, q->x, q->n * sizeof(double));
      fin_free(q->x);
      q->x = nx;
      q->cap = c;
    }
    size_t at = first_at_least(q->x, q->n, v);
    memmove(q->x + at + 1, q->x + at, (q->n - at) * sizeof(double));
    q->x[at] = v;
    q->n++;
    return FIN_OK;
  }
  /* lo holds -value: its top is minus the largest of the low ranks. */
  if (q->nlo == 0 || v <= -q->lo[0]) {
    if (heap_push(&q->lo, &q->nlo, &q->caplo, -v)) return FIN_NOMEM;
  } else if (heap_push(&q->hi, &q->nhi, &q->caphi, v)) {
    return FIN_NOMEM;
  }
  /* Rebalance so that lo holds exactly the ranks 0..lower rank. Moving a
  ** value needs room on the other side first, so a failure changes nothing
  ** that matters: the value just pushed stays, counts stay consistent. */
  double frac;
  size_t want = lower_rank(q->p, q->nlo + q->nhi, &frac) + 1;
  while (q->nlo > want) {
    if (heap_push(&q->hi, &q->nhi, &q->caphi, -q->lo[0])) return FIN_NOMEM;
    heap_pop(q->lo, &q->nlo);
  }
  while (q->nlo < want) {
    if (heap_push(&q->lo, &q->nlo, &q->caplo, -q->hi[0])) return FIN_NOMEM;
    heap_pop(q->hi, &q->nhi);
  }
  return FIN_OK;
}

/* Heaps to one sorted array, for removals. */
static int to_sorted(fin_qsel *q) {
  size_t n = q->nlo + q->nhi, cap = n < 16 ? 16 : n;
  double *x = fin_malloc(cap * sizeof(double));
  if (!x) return FIN_NOMEM;
  for (size_t i = 0; i < q->nlo; i++) x[i] = -q->lo[i];
  if (q->nhi) memcpy(x + q->nlo, q->hi, q->nhi * sizeof(double));
  fin_k_sort_doubles(x, n);
  fin_free(q->lo);
  fin_free(q->hi);
  q->lo = q->hi = NULL;
  q->nlo = q->nhi = q->caplo = q->caphi = 0;
  q->x = x;
  q->n = n;
  q->cap = cap;
  q->sorted = 1;
  return FIN_OK;
}

int fin_k_qsel_remove(fin_qsel *q, double v) {
  if (!q->sorted && to_sorted(q)) return FIN_NOMEM;
  size_t at = first_at_least(q->x, q->n, v);
  if (at < q->n && q->x[at] == v) {
    memmove(q->x + at, q->x + at + 1, (q->n - at - 1) * sizeof(double));
    q->n--;
  }
  return FIN_OK;
}

double fin_k_qsel_value(const fin_qsel *q) {
  if (q->sorted) return fin_k_quantile_sorted(q->x, q->n, q->p);
  size_t n = q->nlo + q->nhi;
  if (n == 0) return NAN;
  double frac;
  size_t lo = lower_rank(q->p, n, &frac);
  if (lo >= n - 1) return -q->lo[0]; /* the largest value, all in lo */
  return interpolate(-q->lo[0], q->hi[0], frac);
}

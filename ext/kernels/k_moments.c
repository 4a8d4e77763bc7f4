/*
** k_moments.c - the moments behind the risk aggregates and the measures
** built on means and deviations (volatility, Sharpe, Sortino, beta,
** correlation, skewness, kurtosis, ...) over a frame that slides.
**
** A summary of a run of observations (x, y, s) holds their count, the sums
** of x and y, the co-moments about their means (Cxx, Cyy, Cxy), the third
** and fourth central moments of x (M3, M4) and the sum of s^2 (the squared
** shortfalls Sortino needs). Two summaries merge exactly by the pairwise
** updates of Chan, Golub and LeVeque (second order) and Pebay (third and
** fourth), so a sliding frame is a two-stack queue of summaries: pushes
** fold into the back summary, and when the front stack runs empty the back
** items are moved over, building each one's summary with everything newer
** in the front. A pop drops the oldest front summary. Every summary is
** built by adding, never by subtracting a leaving row (the "sum of squares
** minus" update loses all its digits once the frame has slid over a few
** thousand rows), so the answer at any row is what a fresh pass over the
** frame would give, within rounding, at O(1) amortized cost a row.
**
** Scale. Squares of 1e-200 underflow and products of 1e200 overflow, though
** their ratios (a correlation, a beta) are ordinary numbers. So x and y are
** kept as x * 2^-ex and y * 2^-ey, exponents fixed by the first non-zero
** value of each (a power of two scales exactly), and raised, with every
** item and summary rescaled, when a value 2^256 times larger arrives. The
** accessors below turn the scaled summary into answers in the inputs'
** units. s is on x's scale.
*/
#include <math.h>
#include <string.h>
#include "kernels.h"

static const fin_mom mom_empty = {0, 0, 0, 0, 0, 0, 0, 0, 0};

static fin_mom mom_lift(const fin_mom_item *it) {
  fin_mom m = {1.0, it->x, it->y, 0.0, 0.0, 0.0, it->s * it->s, 0.0, 0.0};
  return m;
}

fin_mom fin_k_mom_merge(fin_mom a, fin_mom b) {
  if (a.n == 0) return b;
  if (b.n == 0) return a;
  fin_mom m;
  double n = a.n + b.n;
  m.n = n;
  m.sx = a.sx + b.sx;
  m.sy = a.sy + b.sy;
  m.d = a.d + b.d;
  /* the means' difference, weighted by na * nb / n */
  double dx = b.sx / b.n - a.sx / a.n, dy = b.sy / b.n - a.sy / a.n, w = a.n * b.n / n;
  m.cxx = a.cxx + b.cxx + dx * dx * w;
  m.cyy = a.cyy + b.cyy + dy * dy * w;
  m.cxy = a.cxy + b.cxy + dx * dy * w;
  double dn = dx / n;
  m.m3 = a.m3 + b.m3 + dx * dx * dn * w * (a.n - b.n) + 3.0 * dn * (a.n * b.cxx - b.n * a.cxx);
  m.m4 = a.m4 + b.m4 + dx * dx * dn * dn * w * (a.n * a.n - a.n * b.n + b.n * b.n) +
         6.0 * dn * dn * (a.n * a.n * b.cxx + b.n * b.n * a.cxx) + 4.0 * dn * (a.n * b.m3 - b.n * a.m3);
  return m;
}

void fin_k_moms_init(fin_moms *q) {
  memset(q, 0, sizeof *q);
  q->back_sum = mom_empty;
}

void fin_k_moms_free(fin_moms *q) {
  fin_free(q->back);
  fin_free(q->front);
  fin_k_moms_init(q);
}

size_t fin_k_moms_len(const fin_moms *q) {
  return q->folded ? (size_t)q->back_sum.n : q->nback + q->nfront;
}

/* Grows *p (items of size sz) by doubling until it holds need items. */
static int reserve(void **p, size_t *cap, size_t need, size_t sz) {
  size_t n = *cap;
  while (n < need)
    if (!(n = fin_k_grow_cap(n, sz))) return FIN_NOMEM;
  if (n == *cap) return FIN_OK;
  void *np = fin_malloc(n * sz);
  if (!np) return FIN_NOMEM;
  if (*p) memcpy(np, *p, *cap * sz);
  fin_free(*p);
  *p = np;
  *cap = n;
  return FIN_OK;
}

/* A summary whose x is scaled by 2^kx and y by 2^ky. */
static void mom_rescale(fin_mom *m, int kx, int ky) {
  m->sx = ldexp(m->sx, kx);
  m->sy = ldexp(m->sy, ky);
  m->cxx = ldexp(m->cxx, 2 * kx);
  m->cyy = ldexp(m->cyy, 2 * ky);
  m->cxy = ldexp(m->cxy, kx + ky);
  m->d = ldexp(m->d, 2 * kx);
  m->m3 = ldexp(m->m3, 3 * kx);
  m->m4 = ldexp(m->m4, 4 * kx);
}

static void moms_rescale(fin_moms *q, int kx, int ky) {
  for (size_t i = 0; i < q->nback; i++) {
    q->back[i].x = ldexp(q->back[i].x, kx);
    q->back[i].s = ldexp(q->back[i].s, kx);
    q->back[i].y = ldexp(q->back[i].y, ky);
  }
  for (size_t i = 0; i < q->nfront; i++) mom_rescale(&q->front[i], kx, ky);
  mom_rescale(&q->back_sum, kx, ky);
}

/* The exponent a value's scale is set to: v * 2^-e lies in [0.5, 1). */
#define FIN_MOM_HEADROOM 256 /* a value this many binary orders above the scale moves it */

/* The scaled v on the exponent *e (set or raised by v, rescaling q). */
static double scale_in(fin_moms *q, double v, int *e, int *has, int is_x) {
  if (v == 0.0) return 0.0;
  int ev;
  frexp(v, &ev);
  if (!*has) {
    *has = 1;
    *e = ev;
  } else if (ev - *e > FIN_MOM_HEADROOM) {
    moms_rescale(q, is_x ? *e - ev : 0, is_x ? 0 : *e - ev);
    *e = ev;
  }
  return ldexp(v, -*e);
}

int fin_k_moms_push(fin_moms *q, double x, double y, double s) {
  if (!q->folded && reserve((void **)&q->back, &q->capback, q->nback + 1, sizeof *q->back))
    return FIN_NOMEM;
  /* s is on x's scale: let the larger of the two set it */
  double big = fabs(s) > fabs(x) ? s : x;
  scale_in(q, big, &q->ex, &q->has_ex, 1);
  fin_mom_item it = {ldexp(x, -q->ex), scale_in(q, y, &q->ey, &q->has_ey, 0), ldexp(s, -q->ex)};
  if (!q->folded) q->back[q->nback++] = it;
  q->back_sum = fin_k_mom_merge(q->back_sum, mom_lift(&it));
  return FIN_OK;
}

int fin_k_moms_pop(fin_moms *q) {
  if (q->folded) return FIN_NOMEM; /* callers check fin_keep first; never reached */
  if (q->nfront == 0) {
    if (q->nback == 0) return FIN_OK;
    if (reserve((void **)&q->front, &q->capfront, q->nback, sizeof *q->front)) return FIN_NOMEM;
    /* front[j] summarises the j+1 newest back items; the last is them all */
    fin_mom acc = mom_empty;
    for (size_t j = 0; j < q->nback; j++) {
      acc = fin_k_mom_merge(mom_lift(&q->back[q->nback - 1 - j]), acc);
      q->front[j] = acc;
    }
    q->nfront = q->nback;
    q->nback = 0;
    q->back_sum = mom_empty;
  }
  q->nfront--;
  return FIN_OK;
}

void fin_k_moms_fold(fin_moms *q) {
  if (q->folded) return;
  q->back_sum = fin_k_moms_query(q);
  fin_free(q->back);
  fin_free(q->front);
  q->back = NULL;
  q->front = NULL;
  q->nback = q->capback = q->nfront = q->capfront = 0;
  q->folded = 1;
}

fin_mom fin_k_moms_query(const fin_moms *q) {
  return q->nfront ? fin_k_mom_merge(q->front[q->nfront - 1], q->back_sum) : q->back_sum;
}

/* ---- answers in the inputs' units (NaN where undefined) */
double fin_k_mom_mean_x(const fin_moms *q, const fin_mom *m) {
  return m->n > 0 ? ldexp(m->sx / m->n, q->ex) : NAN;
}
double fin_k_mom_mean_y(const fin_moms *q, const fin_mom *m) {
  return m->n > 0 ? ldexp(m->sy / m->n, q->ey) : NAN;
}
double fin_k_mom_sd_x(const fin_moms *q, const fin_mom *m) {
  return m->n >= 2 ? ldexp(sqrt(m->cxx / (m->n - 1)), q->ex) : NAN;
}
double fin_k_mom_sd_y(const fin_moms *q, const fin_mom *m) {
  return m->n >= 2 ? ldexp(sqrt(m->cyy / (m->n - 1)), q->ey) : NAN;
}
double fin_k_mom_beta(const fin_moms *q, const fin_mom *m) {
  return m->n >= 2 && m->cyy > 0 ? ldexp(m->cxy / m->cyy, q->ex - q->ey) : NAN;
}
double fin_k_mom_corr(const fin_mom *m) {
  /* the square roots apart: their product could overflow where they do not */
  return m->n >= 2 && m->cxx > 0 && m->cyy > 0 ? m->cxy / (sqrt(m->cxx) * sqrt(m->cyy)) : NAN;
}
double fin_k_mom_down(const fin_moms *q, const fin_mom *m) {
  return m->n > 0 ? ldexp(sqrt(m->d / m->n), q->ex) : NAN;
}

/*
** k_moments.c - the moments behind the risk aggregates (volatility,
** Sharpe, Sortino, beta, correlation) over a frame that slides.
**
** A summary of a run of observations (x, y, d) holds their count, the sums
** of x and y, the co-moments about their means (Cxx, Cyy, Cxy) and the sum
** of d (the squared shortfalls Sortino needs). Two summaries merge exactly
** by Chan, Golub and LeVeque's pairwise update, so a sliding frame is a
** two-stack queue of summaries: pushes fold into the back summary, and
** when the front stack runs empty the back items are moved over, building
** each one's summary with everything newer in the front. A pop drops the
** oldest front summary. Every summary is built by adding, never by
** subtracting a leaving row (the "sum of squares minus" update loses all
** its digits once the frame has slid over a few thousand rows), so the
** answer at any row is what a fresh pass over the frame would give, within
** rounding, at O(1) amortized cost a row.
*/
#include <string.h>
#include "kernels.h"

static const fin_mom mom_empty = {0, 0, 0, 0, 0, 0, 0};

static fin_mom mom_lift(const fin_mom_item *it) {
  fin_mom m = {1.0, it->x, it->y, 0.0, 0.0, 0.0, it->d};
  return m;
}

fin_mom fin_k_mom_merge(fin_mom a, fin_mom b) {
  if (a.n == 0) return b;
  if (b.n == 0) return a;
  fin_mom m;
  m.n = a.n + b.n;
  m.sx = a.sx + b.sx;
  m.sy = a.sy + b.sy;
  m.d = a.d + b.d;
  /* the means' difference, weighted by na * nb / n */
  double dx = b.sx / b.n - a.sx / a.n, dy = b.sy / b.n - a.sy / a.n, w = a.n * b.n / m.n;
  m.cxx = a.cxx + b.cxx + dx * dx * w;
  m.cyy = a.cyy + b.cyy + dy * dy * w;
  m.cxy = a.cxy + b.cxy + dx * dy * w;
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

size_t fin_k_moms_len(const fin_moms *q) { return q->nback + q->nfront; }

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

int fin_k_moms_push(fin_moms *q, double x, double y, double d) {
  if (reserve((void **)&q->back, &q->capback, q->nback + 1, sizeof *q->back)) return FIN_NOMEM;
  fin_mom_item it = {x, y, d};
  q->back[q->nback++] = it;
  q->back_sum = fin_k_mom_merge(q->back_sum, mom_lift(&it));
  return FIN_OK;
}

int fin_k_moms_pop(fin_moms *q) {
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

fin_mom fin_k_moms_query(const fin_moms *q) {
  return q->nfront ? fin_k_mom_merge(q->front[q->nfront - 1], q->back_sum) : q->back_sum;
}

/*
** k_tally.c - gains and losses of a frame that slides, for the measures
** that count and add up the winning and the losing periods (Omega, win
** rate, profit factor, payoff ratio) and the best and worst period.
**
** A summary of a run of observations x holds their count, how many are
** above and below 0, the sums of those above and of those below, and the
** largest and smallest x. Two summaries merge by adding counts and sums
** and taking the extremes, so a sliding frame is a two-stack queue of
** summaries, as fin_moms is (k_moments.c): pushes fold into the back
** summary; when the front stack runs empty the back items move over, each
** with the summary of itself and everything newer in the front; a pop
** drops the oldest front summary. A leaving row is never subtracted (a sum
** that subtracts drifts once a frame has slid a while), so the answer at
** any row is what a fresh pass over the frame gives, within the rounding
** of its additions, at O(1) amortized cost a row.
*/
#include <math.h>
#include <string.h>
#include "kernels.h"

static const fin_tsum tsum_empty = {0, 0, 0, 0, 0, -INFINITY, INFINITY};

static fin_tsum tsum_lift(double x) {
  fin_tsum s = {1.0, x > 0, x < 0, x > 0 ? x : 0.0, x < 0 ? x : 0.0, x, x};
  return s;
}

static fin_tsum tsum_merge(fin_tsum a, fin_tsum b) {
  fin_tsum s = {a.n + b.n,       a.npos + b.npos,           a.nneg + b.nneg, a.spos + b.spos,
                a.sneg + b.sneg, a.hi > b.hi ? a.hi : b.hi, a.lo < b.lo ? a.lo : b.lo};
  return s;
}

void fin_k_tally_init(fin_tally *t) {
  memset(t, 0, sizeof *t);
  t->back_sum = tsum_empty;
}

void fin_k_tally_free(fin_tally *t) {
  fin_free(t->back);
  fin_free(t->front);
  fin_k_tally_init(t);
}

/* Grows *p (items of size sz) by the shared doubling rule until it holds
** need items; on failure nothing changes. */
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

int fin_k_tally_push(fin_tally *t, double x) {
  if (!t->folded) {
    if (reserve((void **)&t->back, &t->capback, t->nback + 1, sizeof *t->back)) return FIN_NOMEM;
    t->back[t->nback++] = x;
  }
  t->back_sum = tsum_merge(t->back_sum, tsum_lift(x));
  return FIN_OK;
}

int fin_k_tally_pop(fin_tally *t) {
  if (t->folded) return FIN_NOMEM; /* callers check fin_keep first; never reached */
  if (t->nfront == 0) {
    if (t->nback == 0) return FIN_OK;
    if (reserve((void **)&t->front, &t->capfront, t->nback, sizeof *t->front)) return FIN_NOMEM;
    /* front[j] summarises the j+1 newest back items; the last is them all */
    fin_tsum acc = tsum_empty;
    for (size_t j = 0; j < t->nback; j++) {
      acc = tsum_merge(tsum_lift(t->back[t->nback - 1 - j]), acc);
      t->front[j] = acc;
    }
    t->nfront = t->nback;
    t->nback = 0;
    t->back_sum = tsum_empty;
  }
  t->nfront--;
  return FIN_OK;
}

fin_tsum fin_k_tally_query(const fin_tally *t) {
  return t->nfront ? tsum_merge(t->front[t->nfront - 1], t->back_sum) : t->back_sum;
}

void fin_k_tally_fold(fin_tally *t) {
  if (t->folded) return;
  t->back_sum = fin_k_tally_query(t);
  fin_free(t->back);
  fin_free(t->front);
  t->back = NULL;
  t->front = NULL;
  t->nback = t->capback = t->nfront = t->capfront = 0;
  t->folded = 1;
}

/*
** k_indicators.c - the recursions behind the technical indicators of
** indicators.c, on a series of values pushed oldest first (prices, except
** for fin_smooth, which takes any number; NULLs are the caller's business:
** it pushes only values).
**
**   fin_smooth  a moving average seeded with the mean of its first n values
**               (TA-Lib's seed) and then recursive: the EMA, alpha 2/(n+1),
**               as prev + alpha * (x - prev); or Wilder's, as
**               (prev * (n - 1) + x) / n. Both forms are TA-Lib's own
**               arithmetic (ta_EMA.c; ta_RSI.c and ta_ATR.c): the same
**               operations in the same order, seeds summed in input order;
**               TTR writes the same recursions as x * alpha + prev *
**               (1 - alpha), which differs by rounding.
**   fin_rsi     Wilder's RSI: average gain and loss over the changes.
**   fin_macd    the MACD line, TA-Lib's way: the fast and the slow EMA are
**               both seeded on the slow-th price (the fast one with the mean
**               of the last `fast` of those prices), and the signal EMA is
**               seeded with the mean of the first `signal` line values.
**   fin_atr     Wilder's average true range; the first bar has no true
**               range (no previous close), as in TA-Lib and TTR.
**   fin_bands   the mean and population standard deviation of the last n
**               values (Bollinger bands), on the two-stack moment queue of
**               k_moments.c, so a window that slides never subtracts.
**
** Each push is O(1) (fin_bands: O(1) amortized) and keeps O(1) memory
** (fin_bands: the window).
*/
#include <math.h>
#include "kernels.h"

/* ------------------------------------------------------------ fin_smooth */
void fin_k_smooth_init(fin_smooth *s, int64_t n, int wilder) {
  s->n = n;
  s->count = 0;
  s->wilder = wilder;
  s->alpha = 2.0 / ((double)n + 1.0);
  s->v = 0.0;
}

int fin_k_smooth_push(fin_smooth *s, double x) {
  s->count++;
  if (s->count < s->n) {
    s->v += x; /* the seed's sum, in input order as TA-Lib adds it */
    return 0;
  }
  if (s->count == s->n) {
    s->v = (s->v + x) / (double)s->n;
  } else if (s->wilder) {
    s->v = (s->v * (double)(s->n - 1) + x) / (double)s->n;
  } else {
    s->v = (x - s->v) * s->alpha + s->v;
  }
  return 1;
}

/* --------------------------------------------------------------- fin_rsi */
void fin_k_rsi_init(fin_rsi *r, int64_t n) {
  fin_k_smooth_init(&r->gain, n, 1);
  fin_k_smooth_init(&r->loss, n, 1);
  r->has_prev = 0;
  r->prev = 0.0;
}

int fin_k_rsi_push(fin_rsi *r, double price, double *rsi) {
  if (!r->has_prev) {
    r->has_prev = 1;
    r->prev = price;
    return 0;
  }
  double d = price - r->prev;
  r->prev = price;
  fin_k_smooth_push(&r->gain, d > 0.0 ? d : 0.0);
  if (!fin_k_smooth_push(&r->loss, d < 0.0 ? -d : 0.0)) return 0;
  double sum = r->gain.v + r->loss.v;
  /* no move at all in what the averages hold: undefined */
  *rsi = sum == 0.0 ? NAN : 100.0 * (r->gain.v / sum);
  return 1;
}

/* -------------------------------------------------------------- fin_macd */
void fin_k_macd_init(fin_macd *m, int64_t fast, int64_t slow, int64_t signal) {
  m->fast_n = fast;
  m->slow_n = slow;
  m->count = 0;
  m->kf = 2.0 / ((double)fast + 1.0);
  m->ks = 2.0 / ((double)slow + 1.0);
  m->fast = m->slow = 0.0;
  fin_k_smooth_init(&m->signal, signal, 0);
}

int fin_k_macd_push(fin_macd *m, double price, double *line, double *signal) {
  m->count++;
  if (m->count <= m->slow_n) {
    /* Both seed windows end on the slow-th price: the slow one is all the
    ** prices so far, the fast one the last fast_n of them. */
    m->slow += price;
    if (m->count > m->slow_n - m->fast_n) m->fast += price;
    if (m->count < m->slow_n) return 0;
    m->slow /= (double)m->slow_n;
    m->fast /= (double)m->fast_n;
  } else {
    m->fast = (price - m->fast) * m->kf + m->fast;
    m->slow = (price - m->slow) * m->ks + m->slow;
  }
  *line = m->fast - m->slow;
  int got = FIN_MACD_LINE;
  if (fin_k_smooth_push(&m->signal, *line)) {
    *signal = m->signal.v;
    got |= FIN_MACD_SIGNAL;
  }
  return got;
}

/* --------------------------------------------------------------- fin_atr */
void fin_k_atr_init(fin_atr *a, int64_t n) {
  fin_k_smooth_init(&a->tr, n, 1);
  a->has_prev = 0;
  a->prev_close = 0.0;
}

double fin_k_true_range(double high, double low, double prev_close) {
  /* max(high, prev_close) - min(low, prev_close): the range the bar and the
  ** gap from the previous close span together (high >= low) */
  return (high > prev_close ? high : prev_close) - (low < prev_close ? low : prev_close);
}

int fin_k_atr_push(fin_atr *a, double high, double low, double close, double *atr) {
  int had = a->has_prev;
  double prev = a->prev_close;
  a->has_prev = 1;
  a->prev_close = close;
  if (!had) return 0;
  if (!fin_k_smooth_push(&a->tr, fin_k_true_range(high, low, prev))) return 0;
  *atr = a->tr.v;
  return 1;
}

/* ------------------------------------------------------------- fin_bands */
void fin_k_bands_init(fin_bands *b, int64_t n) {
  b->n = n;
  fin_k_moms_init(&b->q);
}

void fin_k_bands_free(fin_bands *b) { fin_k_moms_free(&b->q); }

int fin_k_bands_push(fin_bands *b, double x, int *full, double *mean, double *sd) {
  *full = 0;
  if (fin_k_moms_push(&b->q, x, 0.0, 0.0)) return FIN_NOMEM;
  /* A pop that could not allocate leaves one value too many; the next push
  ** pops it too, so the window is right again after a failure. */
  while (fin_k_moms_len(&b->q) > (size_t)b->n)
    if (fin_k_moms_pop(&b->q)) return FIN_NOMEM;
  if (fin_k_moms_len(&b->q) < (size_t)b->n) return FIN_OK;
  fin_mom m = fin_k_moms_query(&b->q);
  *mean = fin_k_mom_mean_x(&b->q, &m);
  /* the population sd, from the sample one the accessor gives */
  double n = (double)b->n;
  *sd = n > 1.0 ? fin_k_mom_sd_x(&b->q, &m) * sqrt((n - 1.0) / n) : 0.0;
  *full = 1;
  return FIN_OK;
}

double fin_k_bands_part(fin_band_part part, double price, double mean, double sd, double k) {
  switch (part) {
    case FIN_BAND_LOWER: return mean - k * sd;
    case FIN_BAND_MIDDLE: return mean;
    case FIN_BAND_UPPER: return mean + k * sd;
    case FIN_BAND_PERCENT_B:
      /* (price - lower) / (upper - lower), written so that the distance to
      ** the mean is taken once: 0.5 at the mean, 0 and 1 on the bands */
      return sd > 0.0 ? 0.5 + (price - mean) / (2.0 * k * sd) : NAN;
    case FIN_BAND_WIDTH: return 2.0 * k * sd / mean;
  }
  return NAN;
}

/*
** k_tails.c - the left tail of a sample of returns: value at risk (VaR)
** and expected shortfall (CVaR) at a tail probability alpha (0.05 for a
** 95% level), by the three methods of the measures (measures.c):
**
**   historical      the sample's alpha quantile (fin_qsel, type 7, as
**                   numpy.percentile and R's quantile), and the mean of
**                   the values at ranks 0 to its lower rank (empyrical);
**   gaussian        a normal law with the sample's mean and population
**                   standard deviation;
**   cornish-fisher  the normal quantile corrected by the sample's skewness
**                   and excess kurtosis (Favre and Galeano 2002), and the
**                   modified shortfall of Boudt, Peterson and Croux (2008),
**                   bounded by the VaR as PerformanceAnalytics' default
**                   ("operational") ES is.
**
** Both are returns: a loss is negative (empyrical's, quantstats' and
** PerformanceAnalytics' sign, the last with its default invert = TRUE).
** The normal quantile is computed here (C has erfc but no inverse): a
** rational first guess refined by Halley steps on erfc to full precision.
*/
#include <math.h>
#include "kernels.h"

#define FIN_SQRT2 1.41421356237309504880
#define FIN_SQRT2PI 2.50662827463100050242

double fin_k_norm_pdf(double x) { return exp(-0.5 * x * x) / FIN_SQRT2PI; }

double fin_k_norm_quantile(double p) {
  if (!(p > 0.0 && p < 1.0)) return NAN;
  if (p > 0.5) return -fin_k_norm_quantile(1.0 - p);
  /* Abramowitz and Stegun 26.2.23 (|error| < 4.5e-4) as the first guess */
  double t = sqrt(-2.0 * log(p));
  double x = -(t - (2.515517 + t * (0.802853 + t * 0.010328)) /
                       (1.0 + t * (1.432788 + t * (0.189269 + t * 0.001308))));
  /* Halley's method on Phi(x) - p; each step triples the correct digits */
  for (int i = 0; i < 4; i++) {
    double e = 0.5 * erfc(-x / FIN_SQRT2) - p;
    double u = e * FIN_SQRT2PI * exp(0.5 * x * x);
    x -= u / (1.0 + 0.5 * x * u);
  }
  return x;
}

double fin_k_var_gaussian(const fin_tail_moments *m, double alpha, double z) {
  (void)alpha;
  return m->mean + z * m->sd;
}

double fin_k_cvar_gaussian(const fin_tail_moments *m, double alpha, double z) {
  return m->mean - m->sd * fin_k_norm_pdf(z) / alpha;
}

/* The Cornish-Fisher expansion of the alpha quantile z. */
static double cf_quantile(const fin_tail_moments *m, double z) {
  double s = m->skew, k = m->exkurt;
  return z + (z * z - 1.0) * s / 6.0 + (z * z * z - 3.0 * z) * k / 24.0 -
         (2.0 * z * z * z - 5.0 * z) * s * s / 36.0;
}

double fin_k_var_cornish_fisher(const fin_tail_moments *m, double alpha, double z) {
  (void)alpha;
  return m->mean + cf_quantile(m, z) * m->sd;
}

double fin_k_cvar_cornish_fisher(const fin_tail_moments *m, double alpha, double z) {
  double h = cf_quantile(m, z), s = m->skew, k = m->exkurt;
  double h2 = h * h, h4 = h2 * h2;
  double e = fin_k_norm_pdf(h) * (1.0 + h2 * h * s / 6.0 + (h4 * h2 - 9.0 * h4 + 9.0 * h2 + 3.0) * s * s / 72.0 +
                                  (h4 - 2.0 * h2 - 1.0) * k / 24.0);
  /* The expansion's shortfall can come out above its VaR where the
  ** moments are extreme; a shortfall is the mean beyond the VaR, so it is
  ** held at the VaR there. */
  double q = -e / alpha;
  return m->mean + (q < h ? q : h) * m->sd;
}

double fin_k_qsel_tail_mean(const fin_qsel *q) {
  size_t n = fin_k_qsel_count(q);
  if (!n) return NAN;
  double s = 0.0;
  size_t k;
  if (q->sorted) {
    /* the lower rank of the alpha quantile, as k_quantile.c computes it */
    k = (size_t)floor(q->p * (double)(n - 1)) + 1;
    for (size_t i = 0; i < k; i++) s += q->x[i];
  } else {
    /* the low heap holds exactly those ranks (negated) */
    k = q->nlo;
    for (size_t i = 0; i < k; i++) s -= q->lo[i];
  }
  return s / (double)k;
}

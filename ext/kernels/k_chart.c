/*
** k_chart.c - the SVG picture of fin_chart: a price line over its
** underwater panel (the fall from the running peak), a dated axis, and a
** subtitle with the figures people quote (last value, deepest drawdown,
** where the series stands below its peak).
**
** The geometry is part of the contract (README, tests/56-chart.t reads the
** rendered picture): the price panel maps the lowest value to 4 px above
** its bottom edge and the highest to 4 px below its top edge (linearly, or
** by logarithm on a log scale); the underwater panel maps 0 to its top
** edge and the deepest drawdown to 4 px above its bottom edge; time runs
** linearly from the left edge of both panels to their right edge. Each
** panel is an element <rect id="price"> / <rect id="underwater">.
**
** A long series is thinned per pixel column: the first, lowest, highest
** and last point of each column are kept (in time order), so the drawn line
** reaches every extreme the full line reaches, and the SVG stays a few
** thousand points long whatever the series.
*/
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "kernels.h"

#define PAD 4.0

typedef struct geom {
  double x0, w;           /* both panels */
  double py, ph, uy, uh;  /* price and underwater panels: top, height */
  double t0, t1;          /* time range */
  double lo, hi;          /* value range (logarithms on a log scale) */
  double ddmin;           /* deepest drawdown, <= 0 */
  int log_scale;
} geom;

/* Times are measured in halves: the span of two finite times (-1e308 to
** 1e308) may overflow, the span of their halves cannot. */
static double gx(const geom *g, double t) {
  double span = g->t1 * 0.5 - g->t0 * 0.5;
  return span > 0 ? g->x0 + (t * 0.5 - g->t0 * 0.5) / span * g->w : g->x0 + g->w / 2;
}
static double gy_price(const geom *g, double v) {
  double f = g->log_scale ? log(v) : v;
  if (!(g->hi > g->lo)) return g->py + g->ph / 2;
  return g->py + PAD + (g->hi - f) / (g->hi - g->lo) * (g->ph - 2 * PAD);
}
static double gy_dd(const geom *g, double d) {
  return g->ddmin < 0 ? g->uy + d / g->ddmin * (g->uh - PAD) : g->uy;
}

/* ------------------------------------------------------------- text */
/* Writes s with the five XML specials escaped. */
static void put_escaped(fin_text *o, const char *s) {
  for (; *s; s++) {
    switch (*s) {
      case '&': fin_k_text_printf(o, "&amp;"); break;
      case '<': fin_k_text_printf(o, "&lt;"); break;
      case '>': fin_k_text_printf(o, "&gt;"); break;
      case '"': fin_k_text_printf(o, "&quot;"); break;
      case '\'': fin_k_text_printf(o, "&apos;"); break;
      default: fin_k_text_printf(o, "%c", *s);
    }
  }
}

#define MINUS "\xe2\x88\x92" /* U+2212, the minus sign of typeset figures */

/* A number with `decimals` decimals and thousands separators: 2,262.60. */
static void put_number(fin_text *o, double v, int decimals) {
  char buf[64];
  if (decimals < 0) decimals = 0;
  if (decimals > 8) decimals = 8;
  if (fabs(v) >= 1e15) { /* beyond separators' reach: plain */
    fin_k_text_printf(o, "%.6g", v);
    return;
  }
  snprintf(buf, sizeof buf, "%.*f", decimals, fabs(v));
  if (v < 0 && strspn(buf, "0.") != strlen(buf)) fin_k_text_printf(o, MINUS);
  size_t ndig = strcspn(buf, ".");
  for (size_t i = 0; buf[i]; i++) {
    if (i && i < ndig && (ndig - i) % 3 == 0) fin_k_text_printf(o, ",");
    fin_k_text_printf(o, "%c", buf[i]);
  }
}

static void put_percent(fin_text *o, double f, int decimals) {
  put_number(o, f * 100.0, decimals);
  fin_k_text_printf(o, "%%");
}

static void put_time(fin_text *o, double t, int dates) {
  if (dates) {
    int y, m, d;
    fin_k_jd_to_ymd(t, &y, &m, &d);
    fin_k_text_printf(o, "%04d-%02d-%02d", y, m, d);
  } else {
    fin_k_text_printf(o, "%.10g", t);
  }
}

/* ------------------------------------------------------------- ticks */
/* 1, 2 or 5 times a power of ten, the smallest at least raw; 0 when raw
** is not a positive finite number or the step would not be one (a range
** of subnormal numbers, a range wider than the largest double): callers
** then draw the ends only. */
static double nice_step(double raw) {
  if (!(raw > 0) || !isfinite(raw)) return 0;
  double e = pow(10.0, floor(log10(raw)));
  if (!(e > 0) || !isfinite(e)) return 0;
  double f = raw / e;
  double step = (f <= 1.0 ? 1.0 : f <= 2.0 ? 2.0 : f <= 5.0 ? 5.0 : 10.0) * e;
  return isfinite(step) ? step : 0;
}
/* Decimals that show a multiple of step exactly (at most 8: put_number's). */
static int step_decimals(double step) {
  double k = ceil(-log10(step) - 1e-9);
  return !(k > 0) ? 0 : k > 8 ? 8 : (int)k;
}

#define MAX_TICKS 64

/* Value ticks of the price panel: multiples of a nice step (linear), or
** 1-2-5 multiples of powers of ten (log scale spanning at least 4x). */
static int price_ticks(const geom *g, double *tk, int *dec) {
  double lo = g->log_scale ? exp(g->lo) : g->lo, hi = g->log_scale ? exp(g->hi) : g->hi;
  int n = 0;
  if (!(hi > lo)) {
    tk[0] = lo;
    *dec = lo >= 100 ? 0 : 2;
    return 1;
  }
  if (g->log_scale && hi / lo >= 4.0) {
    /* The decades are counted as integers, so the loop ends whatever the
    ** values: a power of ten that underflows to 0 (below 1e-323) or
    ** overflows is skipped, never multiplied on. */
    static const double mult[2][3] = {{1, 2, 5}, {1, 0, 0}};
    int k0 = (int)floor(log10(lo)), k1 = (int)ceil(log10(hi));
    for (int pass = 0; pass < 2; pass++) {
      n = 0;
      *dec = 0;
      for (int k = k0; k <= k1 && n < MAX_TICKS; k++) {
        double e = pow(10.0, k);
        for (int i = 0; i < 3 && n < MAX_TICKS; i++) {
          double v = mult[pass][i] * e;
          if (v > 0 && isfinite(v) && v >= lo * (1 - 1e-12) && v <= hi * (1 + 1e-12)) {
            tk[n++] = v;
            int d = step_decimals(v);
            if (d > *dec) *dec = d;
          }
        }
      }
      if (n <= 8) break;
    }
    return n;
  }
  double step = nice_step(hi * 0.25 - lo * 0.25);
  if (step == 0) { /* no nice step: the two ends */
    tk[0] = lo;
    tk[1] = hi;
    *dec = 2;
    return 2;
  }
  *dec = step_decimals(step);
  for (double v = ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9 && n < MAX_TICKS; v += step) {
    tk[n++] = v;
  }
  return n;
}

/* The first of steps (ascending; the last always fits) that cuts a span
** into at most `most` ticks. */
static int fewest(const int *steps, size_t n, double span, int most) {
  for (size_t i = 0; i + 1 < n; i++) {
    if ((int)(span / steps[i]) + 1 <= most) return steps[i];
  }
  return steps[n - 1];
}
#define FEWEST(steps, span, most) fewest(steps, sizeof steps / sizeof steps[0], span, most)

/* Time ticks: years, months or days on a dated axis (at most `most`),
** nice numbers otherwise. kind: 0 numbers, 1 years, 2 months, 3 days. */
static int time_ticks(const geom *g, int dates, int most, double *tk, int *kind) {
  int n = 0;
  double t0 = g->t0, t1 = g->t1;
  if (most < 2) most = 2;
  if (!(t1 > t0)) {
    tk[0] = t0;
    *kind = dates ? 3 : 0;
    return 1;
  }
  if (!dates) {
    double step = nice_step((t1 * 0.5 - t0 * 0.5) / most * 2.0);
    *kind = 0;
    if (step == 0) { /* no nice step: the two ends */
      tk[0] = t0;
      tk[1] = t1;
      return 2;
    }
    for (double v = ceil(t0 / step - 1e-9) * step; v <= t1 + step * 1e-9 && n < MAX_TICKS; v += step) {
      tk[n++] = v;
    }
    return n;
  }
  int y0, m0, d0, y1, m1, d1;
  fin_k_jd_to_ymd(t0, &y0, &m0, &d0);
  fin_k_jd_to_ymd(t1, &y1, &m1, &d1);
  if (t1 - t0 >= 3 * 365.25) {
    /* 5000 years cut any span of years 0001 to 9999 in two */
    static const int steps[] = {1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000};
    int step = FEWEST(steps, y1 - y0, most);
    *kind = 1;
    for (int y = (y0 + step - 1) / step * step; y <= y1 && n < MAX_TICKS; y += step) {
      double t = fin_k_ymd_to_jd(y, 1, 1);
      if (t >= t0 && t <= t1) tk[n++] = t;
    }
    return n;
  }
  if (t1 - t0 >= 62) {
    static const int steps[] = {1, 2, 3, 6, 12};
    int a = y0 * 12 + m0 - 1, b = y1 * 12 + m1 - 1, step = FEWEST(steps, b - a, most);
    *kind = 2;
    for (int k = (a + step - 1) / step * step; k <= b && n < MAX_TICKS; k += step) {
      double t = fin_k_ymd_to_jd(k / 12, k % 12 + 1, 1);
      if (t >= t0 && t <= t1) tk[n++] = t;
    }
    return n;
  }
  static const int steps[] = {1, 2, 7, 14, 28};
  int step = FEWEST(steps, t1 - t0, most);
  *kind = 3;
  for (double t = ceil(t0 - 0.5) + 0.5; t <= t1 && n < MAX_TICKS; t += step) tk[n++] = t;
  return n;
}

static void put_time_tick(fin_text *o, double t, int kind) {
  int y, m, d;
  if (kind == 0) {
    fin_k_text_printf(o, "%.10g", t);
    return;
  }
  fin_k_jd_to_ymd(t, &y, &m, &d);
  if (kind == 1) fin_k_text_printf(o, "%04d", y);
  else if (kind == 2) fin_k_text_printf(o, "%04d-%02d", y, m);
  else fin_k_text_printf(o, "%04d-%02d-%02d", y, m, d);
}

/* ------------------------------------------------------------- lines */
/* The points of one line, thinned per pixel column (file comment): y[i]
** is the height of point i. Writes "x,y " pairs. */
static void put_points(fin_text *o, const geom *g, const double *t, const double *y, size_t n) {
  size_t i = 0;
  while (i < n) {
    long col = (long)floor(gx(g, t[i]));
    size_t first = i, lo = i, hi = i, last = i;
    while (i < n && (long)floor(gx(g, t[i])) == col) {
      if (y[i] > y[lo]) lo = i; /* pixel rows grow downwards */
      if (y[i] < y[hi]) hi = i;
      last = i++;
    }
    size_t keep[4] = {first, lo < hi ? lo : hi, lo < hi ? hi : lo, last};
    for (int k = 0; k < 4; k++) {
      if (k && keep[k] == keep[k - 1]) continue;
      if (k == 3 && keep[3] == keep[1]) continue;
      fin_k_text_printf(o, "%.1f,%.1f ", gx(g, t[keep[k]]), y[keep[k]]);
    }
  }
}

/* ------------------------------------------------------------- the chart */
int fin_k_chart_svg(const double *t, const double *v, size_t n, const fin_chart_opts *opt,
                    fin_text *o) {
  if (n == 0) return FIN_OK;
  double *yp = fin_malloc(2 * n * sizeof(double));
  if (!yp) return FIN_NOMEM;
  double *yd = yp + n;
  const int W = opt->width, H = opt->height;
  const int has_title = opt->title && opt->title[0];
  geom g;
  memset(&g, 0, sizeof g);
  g.log_scale = opt->log_scale;
  g.x0 = 64;
  g.w = W - 64 - 18;
  int top = has_title ? 50 : 32, gap = 22, bottom = 24;
  double plot = H - top - gap - bottom;
  g.py = top;
  g.ph = floor(plot * 0.68 + 0.5);
  g.uy = top + g.ph + gap;
  g.uh = plot - g.ph;
  g.t0 = t[0];
  g.t1 = t[n - 1];

  /* One pass: value range, drawdowns, the deepest one and where it stands. */
  /* The running high is fin_high, as in fin_drawdowns: on a tie the later
  ** row is the peak, so both quote the same peak date. */
  fin_high peak = {0, 0.0, 0};
  double lo = v[0], hi = v[0];
  size_t dpeak = 0, dtrough = 0;
  for (size_t i = 0; i < n; i++) {
    if (v[i] < lo) lo = v[i];
    if (v[i] > hi) hi = v[i];
    fin_k_high_push(&peak, v[i], (int64_t)i);
    yd[i] = fin_k_pct_change(v[i], peak.v);
    if (yd[i] < g.ddmin) {
      g.ddmin = yd[i];
      dpeak = (size_t)peak.row;
      dtrough = i;
    }
  }
  g.lo = g.log_scale ? log(lo) : lo;
  g.hi = g.log_scale ? log(hi) : hi;
  for (size_t i = 0; i < n; i++) {
    yp[i] = gy_price(&g, v[i]);
    yd[i] = gy_dd(&g, yd[i]);
  }
  double now = fin_k_pct_change(v[n - 1], peak.v);

  fin_k_text_printf(o,
                    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                    "viewBox=\"0 0 %d %d\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\" "
                    "font-size=\"11\">\n<title>",
                    W, H, W, H);
  put_escaped(o, has_title ? opt->title : "fin_chart");
  fin_k_text_printf(o, "</title>\n<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n", W, H);
  if (has_title) {
    fin_k_text_printf(o, "<text x=\"%.0f\" y=\"20\" font-size=\"15\" font-weight=\"bold\" fill=\"#222\">",
                      g.x0);
    put_escaped(o, opt->title);
    fin_k_text_printf(o, "</text>\n");
  }
  /* The subtitle: the span, the last value, the deepest drawdown, now. */
  fin_k_text_printf(o, "<text x=\"%.0f\" y=\"%d\" fill=\"#555\">", g.x0, has_title ? 38 : 20);
  put_time(o, t[0], opt->dates);
  fin_k_text_printf(o, " to ");
  put_time(o, t[n - 1], opt->dates);
  fin_k_text_printf(o, " \xc2\xb7 last ");
  put_number(o, v[n - 1], 2);
  fin_k_text_printf(o, " \xc2\xb7 deepest drawdown ");
  put_percent(o, g.ddmin, 1);
  if (g.ddmin < 0) {
    fin_k_text_printf(o, " (");
    put_time(o, t[dpeak], opt->dates);
    fin_k_text_printf(o, " to ");
    put_time(o, t[dtrough], opt->dates);
    fin_k_text_printf(o, ")");
  }
  fin_k_text_printf(o, " \xc2\xb7 now ");
  if (now < 0) put_percent(o, now, 1);
  else fin_k_text_printf(o, "at its peak");
  fin_k_text_printf(o, "</text>\n");

  /* Grid and labels. */
  double tk[MAX_TICKS];
  int dec, kind;
  int nt = price_ticks(&g, tk, &dec);
  fin_k_text_printf(o, "<g stroke=\"#e4e4e4\" stroke-width=\"1\">\n");
  for (int i = 0; i < nt; i++) {
    fin_k_text_printf(o, "<line x1=\"%.0f\" x2=\"%.0f\" y1=\"%.1f\" y2=\"%.1f\"/>\n", g.x0, g.x0 + g.w,
                      gy_price(&g, tk[i]), gy_price(&g, tk[i]));
  }
  fin_k_text_printf(o, "</g>\n<g fill=\"#555\" text-anchor=\"end\">\n");
  for (int i = 0; i < nt; i++) {
    fin_k_text_printf(o, "<text x=\"%.0f\" y=\"%.1f\">", g.x0 - 6, gy_price(&g, tk[i]) + 4);
    put_number(o, tk[i], dec);
    fin_k_text_printf(o, "</text>\n");
  }
  /* Drawdown ticks: 0 and multiples of a nice step down to the deepest. */
  double dstep = g.ddmin < 0 ? nice_step(-g.ddmin / 3.0) : 0.1;
  int ddec = step_decimals(dstep * 100.0), nd = 0;
  while (nd < MAX_TICKS && -nd * dstep >= g.ddmin - dstep * 1e-9) nd++;
  for (int i = 0; i < nd; i++) {
    fin_k_text_printf(o, "<text x=\"%.0f\" y=\"%.1f\">", g.x0 - 6, gy_dd(&g, -i * dstep) + 4);
    put_percent(o, -i * dstep, ddec);
    fin_k_text_printf(o, "</text>\n");
  }
  fin_k_text_printf(o, "</g>\n<g stroke=\"#e4e4e4\" stroke-width=\"1\">\n");
  for (int i = 1; i < nd; i++) {
    fin_k_text_printf(o, "<line x1=\"%.0f\" x2=\"%.0f\" y1=\"%.1f\" y2=\"%.1f\"/>\n", g.x0, g.x0 + g.w,
                      gy_dd(&g, -i * dstep), gy_dd(&g, -i * dstep));
  }
  nt = time_ticks(&g, opt->dates, (int)(g.w / 90), tk, &kind);
  for (int i = 0; i < nt; i++) {
    double x = gx(&g, tk[i]);
    fin_k_text_printf(o, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.0f\" y2=\"%.0f\"/>\n", x, x, g.py,
                      g.py + g.ph);
    fin_k_text_printf(o, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.0f\" y2=\"%.0f\"/>\n", x, x, g.uy,
                      g.uy + g.uh);
  }
  fin_k_text_printf(o, "</g>\n<g fill=\"#555\" text-anchor=\"middle\">\n");
  for (int i = 0; i < nt; i++) {
    double x = gx(&g, tk[i]);
    /* A label that would run past the right edge ends at its tick. */
    fin_k_text_printf(o, "<text x=\"%.1f\" y=\"%.0f\"%s>", x, g.uy + g.uh + 16,
                      x > W - 40 ? " text-anchor=\"end\"" : "");
    put_time_tick(o, tk[i], kind);
    fin_k_text_printf(o, "</text>\n");
  }
  fin_k_text_printf(o, "</g>\n");
  if (g.log_scale) {
    fin_k_text_printf(o, "<text x=\"%.0f\" y=\"%.0f\" fill=\"#888\">log scale</text>\n", g.x0 + 6,
                      g.py + 14);
  }
  fin_k_text_printf(o,
                    "<text x=\"%.0f\" y=\"%.0f\" fill=\"#888\">under water: the fall from the "
                    "highest value so far</text>\n",
                    g.x0 + 6, g.uy + g.uh - 6);

  /* The panels, then the lines over them. */
  fin_k_text_printf(o,
                    "<rect id=\"price\" x=\"%.0f\" y=\"%.0f\" width=\"%.0f\" height=\"%.0f\" "
                    "fill=\"none\" stroke=\"#bbbbbb\"/>\n"
                    "<rect id=\"underwater\" x=\"%.0f\" y=\"%.0f\" width=\"%.0f\" height=\"%.0f\" "
                    "fill=\"none\" stroke=\"#bbbbbb\"/>\n",
                    g.x0, g.py, g.w, g.ph, g.x0, g.uy, g.w, g.uh);
  fin_k_text_printf(o, "<polygon fill=\"#f4b4b0\" stroke=\"#c62828\" stroke-width=\"1\" "
                       "stroke-linejoin=\"round\" points=\"");
  fin_k_text_printf(o, "%.1f,%.1f ", gx(&g, t[0]), g.uy);
  put_points(o, &g, t, yd, n);
  fin_k_text_printf(o, "%.1f,%.1f\"/>\n", gx(&g, t[n - 1]), g.uy);
  fin_k_text_printf(o, "<polyline fill=\"none\" stroke=\"#1f4e79\" stroke-width=\"1.5\" "
                       "stroke-linejoin=\"round\" points=\"");
  put_points(o, &g, t, yp, n);
  fin_k_text_printf(o, "\"/>\n</svg>\n");
  fin_free(yp);
  return o->nomem ? FIN_NOMEM : FIN_OK;
}

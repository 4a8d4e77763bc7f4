/*
** k_forward.c - forward returns after anchor rows (event studies).
**
** The rows from the oldest waiting anchor on live in a ring (values and
** times), and two segment trees over the ring's slots give the highest and
** lowest value of any run of those rows in O(log H). An anchor waits in a
** FIFO until its every horizon has ended (or the series ends): row
** anchor+H for the longest horizon in rows, and a row at or after the
** latest calendar target (the anchor's time moved by the offset). Then
** every horizon's result is read off the ring and the trees at once: end
** value v[e] (e = anchor+h, or the first row at or after the target,
** found by binary search over the ring's times), high and low over
** v[anchor..e]. Nothing is kept per horizon and anchor, so memory is the
** longest span whatever the number of horizons (64 horizons near a
** million rows once cost gigabytes as per-horizon deques). The ring starts
** small and doubles as the waiting span needs, so a short series with a
** long horizon stays small too.
*/
#include <math.h>
#include <string.h>
#include "kernels.h"

int fin_k_fwd_init(fin_fwd *s, const int64_t *h, int nh, const fin_offset *cal, int nc) {
  memset(s, 0, sizeof *s);
  s->nh = nh;
  s->nc = nc;
  s->computed = s->targeted = -1;
  size_t n = (size_t)nh + (size_t)nc + 1; /* + 1: never a zero-size request */
  s->h = fin_malloc(sizeof(int64_t) * n);
  s->cal = fin_malloc(sizeof(fin_offset) * n);
  s->end = fin_malloc(sizeof(double) * n);
  s->hi = fin_malloc(sizeof(double) * n);
  s->lo = fin_malloc(sizeof(double) * n);
  s->tgt = fin_malloc(sizeof(double) * n);
  s->done = fin_malloc(n);
  if (!s->h || !s->cal || !s->end || !s->hi || !s->lo || !s->tgt || !s->done) {
    fin_k_fwd_free(s);
    return FIN_NOMEM;
  }
  if (nh) memcpy(s->h, h, sizeof(int64_t) * (size_t)nh);
  if (nc) memcpy(s->cal, cal, sizeof(fin_offset) * (size_t)nc);
  return FIN_OK;
}

void fin_k_fwd_free(fin_fwd *s) {
  void *p[] = {s->h, s->cal, s->end, s->hi, s->lo, s->tgt, s->done, s->v, s->t, s->mx, s->mn, s->arow};
  for (size_t i = 0; i < sizeof p / sizeof p[0]; i++) fin_free(p[i]);
  memset(s, 0, sizeof *s);
  s->computed = s->targeted = -1;
}

void fin_k_fwd_reset(fin_fwd *s) {
  /* Stale slots need no clearing: a query covers only rows of this series,
  ** and the tree nodes it reads lie wholly over such rows' slots. */
  s->row = 0;
  s->finished = 0;
  s->ahead = s->alen = 0;
  s->computed = -1;
  s->targeted = -1;
}

/* The longest horizon in rows (0 with none). */
static int64_t longest(const fin_fwd *s) { return s->nh ? s->h[s->nh - 1] : 0; }

/* Re-lays the held rows into a ring of n slots and builds its trees. */
static int grow_ring(fin_fwd *s, size_t n) {
  double *v = fin_malloc(n * sizeof(double));
  double *t = fin_malloc(n * sizeof(double));
  double *mx = fin_malloc(2 * n * sizeof(double));
  double *mn = fin_malloc(2 * n * sizeof(double));
  if (!v || !t || !mx || !mn) {
    fin_free(v);
    fin_free(t);
    fin_free(mx);
    fin_free(mn);
    return FIN_NOMEM;
  }
  for (size_t i = 0; i < n; i++) {
    mx[n + i] = -INFINITY;
    mn[n + i] = INFINITY;
  }
  int64_t held = s->row < (int64_t)s->cap ? s->row : (int64_t)s->cap;
  for (int64_t r = s->row - held; r < s->row; r++) {
    size_t at = (size_t)r & (n - 1);
    v[at] = mx[n + at] = mn[n + at] = s->v[(size_t)r & (s->cap - 1)];
    t[at] = s->t[(size_t)r & (s->cap - 1)];
  }
  for (size_t i = n - 1; i >= 1; i--) {
    mx[i] = fmax(mx[2 * i], mx[2 * i + 1]);
    mn[i] = fmin(mn[2 * i], mn[2 * i + 1]);
  }
  fin_free(s->v);
  fin_free(s->t);
  fin_free(s->mx);
  fin_free(s->mn);
  s->v = v;
  s->t = t;
  s->mx = mx;
  s->mn = mn;
  s->cap = n;
  return FIN_OK;
}

int fin_k_fwd_push(fin_fwd *s, double t, double v, int anchor) {
  /* Room for this row: the ring must hold every row from the oldest
  ** waiting anchor to this one (at most H+1 rows for horizons in rows,
  ** since an anchor is taken once row anchor+H arrives). */
  int64_t need = (s->alen ? s->row - s->arow[s->ahead] : 0) + 1;
  if (need > (int64_t)s->cap) {
    size_t n = s->cap ? s->cap * 2 : 16;
    if (n / 2 != s->cap && s->cap) return FIN_NOMEM;
    if (grow_ring(s, n)) return FIN_NOMEM;
  }
  if (anchor && s->alen == s->acap) {
    size_t n = s->acap ? s->acap * 2 : 16;
    int64_t *a = fin_malloc(n * sizeof(int64_t));
    if (!a) return FIN_NOMEM;
    for (size_t i = 0; i < s->alen; i++) a[i] = s->arow[(s->ahead + i) & (s->acap - 1)];
    fin_free(s->arow);
    s->arow = a;
    s->acap = n;
    s->ahead = 0;
  }
  size_t at = (size_t)s->row & (s->cap - 1);
  s->v[at] = v;
  s->t[at] = t;
  size_t i = s->cap + at;
  s->mx[i] = s->mn[i] = v;
  for (i /= 2; i >= 1; i /= 2) {
    s->mx[i] = fmax(s->mx[2 * i], s->mx[2 * i + 1]);
    s->mn[i] = fmin(s->mn[2 * i], s->mn[2 * i + 1]);
  }
  if (anchor) s->arow[(s->ahead + s->alen++) & (s->acap - 1)] = s->row;
  s->row++;
  return FIN_OK;
}

/* Highest and lowest value over slots [l, r] (l <= r). */
static void range(const fin_fwd *s, size_t l, size_t r, double *hi, double *lo) {
  for (l += s->cap, r += s->cap + 1; l < r; l /= 2, r /= 2) {
    if (l & 1) {
      *hi = fmax(*hi, s->mx[l]);
      *lo = fmin(*lo, s->mn[l]);
      l++;
    }
    if (r & 1) {
      r--;
      *hi = fmax(*hi, s->mx[r]);
      *lo = fmin(*lo, s->mn[r]);
    }
  }
}

/* Over rows [a, b], which the ring holds (b - a < cap): one or two runs of
** slots, as the ring wraps. */
static void extremes(const fin_fwd *s, int64_t a, int64_t b, double *hi, double *lo) {
  size_t m = s->cap - 1, sa = (size_t)a & m, sb = (size_t)b & m;
  *hi = -INFINITY;
  *lo = INFINITY;
  if (sa <= sb) {
    range(s, sa, sb, hi, lo);
  } else {
    range(s, sa, m, hi, lo);
    range(s, 0, sb, hi, lo);
  }
}

static double time_at(const fin_fwd *s, int64_t r) { return s->t[(size_t)r & (s->cap - 1)]; }

/* The first row in (a, last] whose time is at or after target, or -1. */
static int64_t first_at_or_after(const fin_fwd *s, int64_t a, int64_t last, double target) {
  int64_t lo = a + 1, hi = last + 1; /* the answer is in [lo, hi]; hi: none */
  while (lo < hi) {
    int64_t mid = lo + (hi - lo) / 2;
    if (time_at(s, mid) >= target) hi = mid;
    else lo = mid + 1;
  }
  return lo <= last ? lo : -1;
}

/* Every horizon's end row for anchor a, or -1 where the rows read so far
** do not reach it; then the results. */
static void compute(fin_fwd *s, int64_t a, int64_t last) {
  for (int j = 0; j < s->nh + s->nc; j++) {
    int64_t e = j < s->nh ? (a + s->h[j] <= last ? a + s->h[j] : -1)
                          : first_at_or_after(s, a, last, s->tgt[j - s->nh]);
    s->done[j] = e >= 0;
    if (e < 0) continue;
    s->end[j] = s->v[(size_t)e & (s->cap - 1)];
    extremes(s, a, e, &s->hi[j], &s->lo[j]);
  }
  s->computed = a;
}

const fin_fwd_result *fin_k_fwd_ready(fin_fwd *s) {
  if (!s->alen) return NULL;
  int64_t a = s->arow[s->ahead], last = s->row - 1;
  if (s->nc && s->targeted != a) { /* the calendar targets of this anchor, once */
    s->tmax = -INFINITY;
    for (int j = 0; j < s->nc; j++) {
      s->tgt[j] = fin_k_shift(time_at(s, a), s->cal[j].months, s->cal[j].days);
      if (s->tgt[j] > s->tmax) s->tmax = s->tgt[j];
    }
    s->targeted = a;
  }
  /* Ready when the rows read reach every horizon: the longest in rows,
  ** and a row at or after the latest calendar target. */
  if (!s->finished && (last < a + longest(s) || (s->nc && time_at(s, last) < s->tmax))) return NULL;
  if (s->computed != a) compute(s, a, last);
  s->out.row = a;
  s->out.start = s->v[(size_t)a & (s->cap - 1)];
  s->out.end = s->end;
  s->out.hi = s->hi;
  s->out.lo = s->lo;
  s->out.done = s->done;
  return &s->out;
}

void fin_k_fwd_pop(fin_fwd *s) {
  if (!s->alen) return;
  s->ahead = (s->ahead + 1) & (s->acap - 1);
  s->alen--;
}

void fin_k_fwd_finish(fin_fwd *s) { s->finished = 1; }

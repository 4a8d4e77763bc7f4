/*
** k_forward.c - forward returns after anchor rows (event studies).
**
** For each horizon h a pair of monotonic deques holds the extremes of the
** last h+1 rows. When row r arrives, the anchor at row r-h (if any) gets
** its horizon-h result: end value v[r], and the high and low over
** v[r-h..r] straight from the deques. Anchors wait in a FIFO until their
** longest horizon is known, so results leave in anchor order with all
** horizons together, and memory stays bounded by the longest horizon.
*/
#include <string.h>
#include "kernels.h"

int fin_k_fwd_init(fin_fwd *s, const int64_t *h, int nh) {
  memset(s, 0, sizeof *s);
  s->nh = nh;
  s->h = fin_malloc(sizeof(int64_t) * (size_t)nh);
  s->qmax = fin_malloc(sizeof(fin_maxq) * (size_t)nh);
  s->qmin = fin_malloc(sizeof(fin_maxq) * (size_t)nh);
  s->next = fin_malloc(sizeof(size_t) * (size_t)nh);
  if (!s->h || !s->qmax || !s->qmin || !s->next) {
    fin_free(s->h);
    fin_free(s->qmax);
    fin_free(s->qmin);
    fin_free(s->next);
    memset(s, 0, sizeof *s);
    return FIN_NOMEM;
  }
  for (int j = 0; j < nh; j++) {
    s->h[j] = h[j];
    fin_k_maxq_init(&s->qmax[j], 0);
    fin_k_maxq_init(&s->qmin[j], 1);
    s->next[j] = 0;
  }
  return FIN_OK;
}

static void free_slots(fin_fwd *s) {
  fin_free(s->arow);
  fin_free(s->astart);
  fin_free(s->aend);
  fin_free(s->ahi);
  fin_free(s->alo);
  fin_free(s->adone);
  s->arow = NULL;
  s->astart = s->aend = s->ahi = s->alo = NULL;
  s->adone = NULL;
  s->cap = s->head = s->len = 0;
}

void fin_k_fwd_free(fin_fwd *s) {
  for (int j = 0; j < s->nh; j++) {
    fin_k_maxq_free(&s->qmax[j]);
    fin_k_maxq_free(&s->qmin[j]);
  }
  free_slots(s);
  fin_free(s->h);
  fin_free(s->qmax);
  fin_free(s->qmin);
  fin_free(s->next);
  memset(s, 0, sizeof *s);
}

void fin_k_fwd_reset(fin_fwd *s) {
  for (int j = 0; j < s->nh; j++) {
    fin_k_maxq_clear(&s->qmax[j]);
    fin_k_maxq_clear(&s->qmin[j]);
    s->next[j] = 0;
  }
  s->head = s->len = 0;
  s->row = 0;
  s->finished = 0;
}

static int grow_slots(fin_fwd *s) {
  size_t n = s->cap ? s->cap * 2 : 16, nh = (size_t)s->nh;
  if (n < s->cap || n > SIZE_MAX / (nh * sizeof(double))) return FIN_NOMEM;
  fin_fwd t = *s;
  t.arow = fin_malloc(n * sizeof(int64_t));
  t.astart = fin_malloc(n * sizeof(double));
  t.aend = fin_malloc(n * nh * sizeof(double));
  t.ahi = fin_malloc(n * nh * sizeof(double));
  t.alo = fin_malloc(n * nh * sizeof(double));
  t.adone = fin_malloc(n * nh);
  if (!t.arow || !t.astart || !t.aend || !t.ahi || !t.alo || !t.adone) {
    free_slots(&t);
    return FIN_NOMEM;
  }
  for (size_t i = 0; i < s->len; i++) {
    size_t from = (s->head + i) % s->cap;
    t.arow[i] = s->arow[from];
    t.astart[i] = s->astart[from];
    memcpy(t.aend + i * nh, s->aend + from * nh, nh * sizeof(double));
    memcpy(t.ahi + i * nh, s->ahi + from * nh, nh * sizeof(double));
    memcpy(t.alo + i * nh, s->alo + from * nh, nh * sizeof(double));
    memcpy(t.adone + i * nh, s->adone + from * nh, nh);
  }
  size_t len = s->len;
  free_slots(s);
  s->len = len;
  s->arow = t.arow;
  s->astart = t.astart;
  s->aend = t.aend;
  s->ahi = t.ahi;
  s->alo = t.alo;
  s->adone = t.adone;
  s->cap = n;
  s->head = 0;
  return FIN_OK;
}

int fin_k_fwd_push(fin_fwd *s, double v, int anchor) {
  int64_t r = s->row;
  size_t nh = (size_t)s->nh;
  if (anchor) {
    if (s->len == s->cap && grow_slots(s)) return FIN_NOMEM;
    size_t at = (s->head + s->len) % s->cap;
    s->arow[at] = r;
    s->astart[at] = v;
    memset(s->adone + at * nh, 0, nh);
  }
  for (size_t j = 0; j < nh; j++) {
    if (fin_k_maxq_push(&s->qmax[j], v, r) || fin_k_maxq_push(&s->qmin[j], v, r))
      return FIN_NOMEM;
    fin_k_maxq_expire(&s->qmax[j], r - s->h[j]);
    fin_k_maxq_expire(&s->qmin[j], r - s->h[j]);
  }
  if (anchor) s->len++; /* counted only once nothing can fail */
  s->row++;
  for (size_t j = 0; j < nh; j++) {
    /* Anchors complete horizon j in row order, exactly h[j] rows after. */
    if (s->next[j] < s->len) {
      size_t at = (s->head + s->next[j]) % s->cap;
      if (s->arow[at] + s->h[j] == r) {
        int64_t row_unused;
        s->aend[at * nh + j] = v;
        fin_k_maxq_top(&s->qmax[j], &s->ahi[at * nh + j], &row_unused);
        fin_k_maxq_top(&s->qmin[j], &s->alo[at * nh + j], &row_unused);
        s->adone[at * nh + j] = 1;
        s->next[j]++;
      }
    }
  }
  return FIN_OK;
}

const fin_fwd_result *fin_k_fwd_ready(fin_fwd *s) {
  if (!s->len) return NULL;
  size_t nh = (size_t)s->nh, at = s->head;
  if (!s->finished && !s->adone[at * nh + nh - 1]) return NULL;
  s->out.row = s->arow[at];
  s->out.start = s->astart[at];
  s->out.end = s->aend + at * nh;
  s->out.hi = s->ahi + at * nh;
  s->out.lo = s->alo + at * nh;
  s->out.done = s->adone + at * nh;
  return &s->out;
}

void fin_k_fwd_pop(fin_fwd *s) {
  if (!s->len) return;
  s->head = (s->head + 1) % s->cap;
  s->len--;
  for (int j = 0; j < s->nh; j++)
    if (s->next[j] > 0) s->next[j]--;
}

void fin_k_fwd_finish(fin_fwd *s) { s->finished = 1; }

/*
** k_buffers.c - the buffers behind every sliding computation:
**   fin_ring  a FIFO of doubles (n-period returns, first-in-frame values);
**   fin_maxq  a monotonic deque (running or sliding high, and where it was);
**   fin_swag  two-stack sliding aggregation for associative operations
**             (products, max drawdown) that cannot be "subtracted";
** and fin_text, text that grows (the SVG of fin_chart).
** All grow by doubling, so pushes are O(1) amortized, and none rescans.
*/
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "kernels.h"

/* New capacity for a buffer of cap elements of size sz; 0 on overflow.
** Doubling from 16 keeps every capacity a power of two: the rings index
** their slots with a mask, (head + i) & (cap - 1). */
size_t fin_k_grow_cap(size_t cap, size_t sz) {
  size_t n = cap ? cap * 2 : 16;
  if (n < cap || n > SIZE_MAX / sz) return 0;
  return n;
}

/* Copies the k oldest elements (of size sz) of a ring of capacity cap that
** starts at head into dst, oldest first: the one re-layout every buffer
** does when it grows. The ring wraps at most once, hence two copies. */
static void ring_unwrap(void *dst, const void *src, size_t head, size_t k, size_t cap, size_t sz) {
  if (!k) return;
  size_t first = cap - head < k ? cap - head : k;
  memcpy(dst, (const char *)src + head * sz, first * sz);
  if (k > first) memcpy((char *)dst + first * sz, src, (k - first) * sz);
}

/* Re-lays one ring, or two parallel rings (b != NULL), into new storage of
** capacity n starting at index 0: *a gets the la oldest elements of size
** sa, *b the lb oldest of size sb (*b may be NULL: then nothing is copied
** into the new b). On failure nothing changes. */
static int relay(void **a, size_t sa, size_t la, void **b, size_t sb, size_t lb, size_t head,
                 size_t cap, size_t n) {
  void *na = fin_malloc(n * sa);
  void *nb = b ? fin_malloc(n * sb) : NULL;
  if (!na || (b && !nb)) {
    fin_free(na);
    fin_free(nb);
    return FIN_NOMEM;
  }
  ring_unwrap(na, *a, head, la, cap, sa);
  fin_free(*a);
  *a = na;
  if (b) {
    if (*b) ring_unwrap(nb, *b, head, lb, cap, sb);
    fin_free(*b);
    *b = nb;
  }
  return FIN_OK;
}

/* ------------------------------------------------------------- fin_text */
void fin_k_text_free(fin_text *t) {
  fin_free(t->z);
  memset(t, 0, sizeof *t);
}

void fin_k_text_printf(fin_text *t, const char *fmt, ...) {
  if (t->nomem) return;
  for (;;) {
    va_list ap;
    va_start(ap, fmt);
    size_t room = t->cap - t->len;
    int k = vsnprintf(t->z ? t->z + t->len : NULL, t->z ? room : 0, fmt, ap);
    va_end(ap);
    if (k < 0) { /* an encoding error: the caller's formats have none */
      t->nomem = 1;
      return;
    }
    if ((size_t)k < room) {
      t->len += (size_t)k;
      return;
    }
    size_t n = t->cap ? t->cap : 256;
    while (n - t->len <= (size_t)k) {
      if (n > SIZE_MAX / 2) {
        t->nomem = 1;
        return;
      }
      n *= 2;
    }
    char *z = fin_malloc(n);
    if (!z) {
      if (t->z) t->z[t->len] = 0; /* vsnprintf may have written a part */
      t->nomem = 1;
      return;
    }
    if (t->len) memcpy(z, t->z, t->len);
    z[t->len] = 0;
    fin_free(t->z);
    t->z = z;
    t->cap = n;
  }
}

/* ------------------------------------------------------------- fin_ring */
void fin_k_ring_init(fin_ring *r) { memset(r, 0, sizeof *r); }
void fin_k_ring_free(fin_ring *r) {
  fin_free(r->v);
  memset(r, 0, sizeof *r);
}
void fin_k_ring_clear(fin_ring *r) { r->head = r->len = 0; }

int fin_k_ring_grow(fin_ring *r) {
  size_t n = fin_k_grow_cap(r->cap, sizeof(double));
  if (!n || relay((void **)&r->v, sizeof(double), r->len, NULL, 0, 0, r->head, r->cap, n)) return FIN_NOMEM;
  r->cap = n;
  r->head = 0;
  return FIN_OK;
}

/* ------------------------------------------------------------- fin_maxq */
void fin_k_maxq_init(fin_maxq *q, int want_min) {
  memset(q, 0, sizeof *q);
  q->sign = want_min ? -1.0 : 1.0;
}
void fin_k_maxq_free(fin_maxq *q) {
  fin_free(q->v);
  fin_free(q->row);
  double s = q->sign;
  memset(q, 0, sizeof *q);
  q->sign = s;
}
void fin_k_maxq_clear(fin_maxq *q) { q->head = q->len = 0; }

int fin_k_maxq_push(fin_maxq *q, double x, int64_t row) {
  double y = q->sign * x;
  /* Pop candidates that can never be the answer again: not larger than y.
  ** Popping equal values too keeps the LAST row of the high. */
  while (q->len && q->v[(q->head + q->len - 1) & (q->cap - 1)] <= y) q->len--;
  if (q->len == q->cap) {
    size_t n = fin_k_grow_cap(q->cap, sizeof(double) + sizeof(int64_t));
    if (!n || relay((void **)&q->v, sizeof(double), q->len, (void **)&q->row, sizeof(int64_t),
                    q->len, q->head, q->cap, n))
      return FIN_NOMEM;
    q->cap = n;
    q->head = 0;
  }
  size_t at = (q->head + q->len++) & (q->cap - 1);
  q->v[at] = y;
  q->row[at] = row;
  return FIN_OK;
}

void fin_k_maxq_expire(fin_maxq *q, int64_t first_row) {
  while (q->len && q->row[q->head] < first_row) {
    q->head = (q->head + 1) & (q->cap - 1);
    q->len--;
  }
}

int fin_k_maxq_top(const fin_maxq *q, double *x, int64_t *row) {
  if (!q->len) return 0;
  *x = q->sign * q->v[q->head];
  *row = q->row[q->head];
  return 1;
}

/* ------------------------------------------------------------- fin_swag */
fin_seg fin_k_seg_identity(fin_swag_op op) {
  fin_seg s = {1.0, 0.0, 0.0};
  if (op == FIN_SWAG_MAXDD) {
    s.a = -INFINITY;
    s.b = INFINITY;
    s.c = 0.0;
  }
  return s;
}

fin_seg fin_k_seg_lift(fin_swag_op op, double x) {
  fin_seg s = {x, x, 0.0};
  if (op == FIN_SWAG_PRODUCT) s.b = 0.0;
  return s;
}

/* Summary of segment l followed by segment r. For MAXDD the deepest fall
** is inside l, inside r, or from l's high to r's low. */
fin_seg fin_k_seg_combine(fin_swag_op op, fin_seg l, fin_seg r) {
  fin_seg s;
  if (op == FIN_SWAG_PRODUCT) {
    s.a = l.a * r.a;
    s.b = s.c = 0.0;
    return s;
  }
  s.a = l.a > r.a ? l.a : r.a;
  s.b = l.b < r.b ? l.b : r.b;
  s.c = l.c < r.c ? l.c : r.c;
  if (l.a > 0 && r.b != INFINITY) {
    double cross = r.b / l.a - 1.0;
    if (cross < s.c) s.c = cross;
  }
  return s;
}

void fin_k_swag_init(fin_swag *s, fin_swag_op op) {
  memset(s, 0, sizeof *s);
  s->op = op;
  s->back = fin_k_seg_identity(op);
}

void fin_k_swag_free(fin_swag *s) {
  fin_free(s->v);
  fin_free(s->suf);
  fin_k_swag_init(s, s->op);
}

size_t fin_k_swag_len(const fin_swag *s) { return s->len; }

/* Re-lays the rings out from index 0 with capacity n. */
static int swag_resize(fin_swag *s, size_t n, int with_suf) {
  /* the suffix summaries exist for the front part only: mid of them */
  if (relay((void **)&s->v, sizeof(double), s->len, with_suf ? (void **)&s->suf : NULL,
            sizeof(fin_seg), s->mid, s->head, s->cap, n))
    return FIN_NOMEM;
  s->cap = n;
  s->head = 0;
  return FIN_OK;
}

int fin_k_swag_push(fin_swag *s, double x) {
  if (s->folded) {
    s->back = fin_k_seg_combine(s->op, s->back, fin_k_seg_lift(s->op, x));
    s->len++;
    return FIN_OK;
  }
  if (s->len == s->cap) {
    size_t n = fin_k_grow_cap(s->cap, sizeof(double) + sizeof(fin_seg));
    if (!n || swag_resize(s, n, s->suf != NULL)) return FIN_NOMEM;
  }
  s->v[(s->head + s->len++) & (s->cap - 1)] = x;
  s->back = fin_k_seg_combine(s->op, s->back, fin_k_seg_lift(s->op, x));
  return FIN_OK;
}

int fin_k_swag_pop(fin_swag *s) {
  if (s->folded) return FIN_NOMEM; /* callers check fin_keep first: never reached */
  if (!s->len) return FIN_OK;
  if (s->mid == 0) {
    /* Front stack empty: move everything over, building suffix summaries
    ** right to left. Each value is moved once, hence O(1) amortized. */
    if (!s->suf && swag_resize(s, s->cap, 1)) return FIN_NOMEM;
    fin_seg acc = fin_k_seg_identity(s->op);
    for (size_t i = s->len; i-- > 0;) {
      size_t at = (s->head + i) & (s->cap - 1);
      acc = fin_k_seg_combine(s->op, fin_k_seg_lift(s->op, s->v[at]), acc);
      s->suf[at] = acc;
    }
    s->mid = s->len;
    s->back = fin_k_seg_identity(s->op);
  }
  s->head = (s->head + 1) & (s->cap - 1);
  s->len--;
  s->mid--;
  return FIN_OK;
}

void fin_k_swag_fold(fin_swag *s) {
  s->back = fin_k_swag_query(s);
  fin_free(s->v);
  fin_free(s->suf);
  s->v = NULL;
  s->suf = NULL;
  s->cap = s->head = s->mid = 0;
  s->folded = 1;
}

fin_seg fin_k_swag_query(const fin_swag *s) {
  fin_seg front = s->mid ? s->suf[s->head] : fin_k_seg_identity(s->op);
  return fin_k_seg_combine(s->op, front, s->back);
}

fin_seg fin_k_seg_of(fin_swag_op op, const double *x, size_t n) {
  fin_seg acc = fin_k_seg_identity(op);
  for (size_t i = 0; i < n; i++) acc = fin_k_seg_combine(op, acc, fin_k_seg_lift(op, x[i]));
  return acc;
}

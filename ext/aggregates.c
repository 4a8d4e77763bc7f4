/*
** aggregates.c - aggregates over ordered rows, usable as plain aggregates
** and as window functions over any frame (sliding frames included):
**
**   fin_total_return(price)          last/first - 1
**   fin_total_return(time, price)    the same, rows ordered by time here
**   fin_compound(ret)                product of (1 + ret) - 1
**   fin_max_drawdown(price)          deepest peak-to-trough fall (<= 0)
**   fin_max_drawdown(time, price)    the same, rows ordered by time here
**   fin_median(x), fin_quantile(x, p)
**
** Requirements:
**  1. NULL inputs are skipped (a row with a NULL time or price is not a
**     row). No rows: NULL. One price: total return 0, max drawdown 0.
**  2. The one-argument forms take rows in the order SQLite feeds them: the
**     window's ORDER BY under OVER; as plain aggregates that order is not
**     defined by SQL, so use the (time, price) forms there.
**  3. The (time, price) forms stream while times increase (the OVER
**     (ORDER BY time) case) and otherwise keep the rows and sort them by
**     time at the end. Duplicate times are an error. A sliding frame needs
**     rows in time order.
**  4. Sliding frames cost O(1) amortized per row: a FIFO of the frame for
**     first/last, and two-stack aggregation for products and drawdowns, so
**     nothing is ever subtracted and nothing drifts.
**  5. fin_quantile's p is in [0, 1], the same on every row; quantiles
**     interpolate linearly between closest ranks (numpy's default).
**  6. xValue never frees; xFinal always frees, even after an error.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "fin_ext.h"

/* ----------------------------------------------------- timed (time, value) */
typedef struct timed {
  fin_ring t, v;   /* the frame's pairs, oldest first */
  int unordered;   /* a time arrived before an earlier one: sort before use */
  int popped;      /* rows have left the frame */
  int kind;        /* 0 unknown, 1 numbers, 2 ISO text */
} timed;

static void timed_free(timed *p) {
  fin_k_ring_free(&p->t);
  fin_k_ring_free(&p->v);
}

/* A time for a message: an ISO date (and time of day) or the number. */
static char *describe_time(double t, int kind) {
  if (kind != 2) return sqlite3_mprintf("%!.15g", t);
  int y, m, d;
  fin_k_jd_to_ymd(t, &y, &m, &d);
  double secs = (t - floor(t - 0.5) - 0.5) * 86400.0;
  if (secs < 0.0005) return sqlite3_mprintf("%04d-%02d-%02d", y, m, d);
  int s = (int)(secs + 0.5);
  return sqlite3_mprintf("%04d-%02d-%02d %02d:%02d:%02d", y, m, d, s / 3600, s / 60 % 60, s % 60);
}

static char *duplicate_time(const char *fn, double t, int kind) {
  char *z = describe_time(t, kind);
  char *msg = z ? sqlite3_mprintf("%s(): time must not repeat, got %s twice", fn, z) : NULL;
  sqlite3_free(z);
  return msg;
}

/* Reads (time, price); FIN_READ_OK, FIN_READ_NULL (skip) or an error. */
static int timed_read(timed *p, sqlite3_value **argv, const char *fn, double *t, double *v,
                      char **err) {
  int is_text;
  int rc = fin_read_time(argv[0], fn, "time", 0, t, &is_text, err);
  if (rc == FIN_READ_OK) rc = fin_read_price(argv[1], fn, "price", v, err);
  if (rc != FIN_READ_OK) return rc;
  if (p->kind && p->kind != 1 + is_text) {
    *err = sqlite3_mprintf("%s(): time must be all ISO-8601 text or all numbers, not both", fn);
    return FIN_READ_ERR;
  }
  p->kind = 1 + is_text;
  return FIN_READ_OK;
}

static char *not_in_order(const char *fn) {
  return sqlite3_mprintf("%s(): a sliding window frame needs rows in time order: add "
                         "ORDER BY time to OVER",
                         fn);
}

/* Step: 0 ok, else an error message was reported. */
static int timed_step(sqlite3_context *ctx, timed *p, sqlite3_value **argv, const char *fn,
                      double *t, double *v, int *skip) {
  char *err = NULL;
  int rc = timed_read(p, argv, fn, t, v, &err);
  *skip = rc == FIN_READ_NULL;
  if (rc == FIN_READ_NULL) return 0;
  if (rc == FIN_READ_OK && p->t.len && !p->unordered) {
    double last = fin_k_ring_at(&p->t, p->t.len - 1);
    if (*t == last) {
      err = duplicate_time(fn, *t, p->kind);
      rc = FIN_READ_ERR;
    } else if (*t < last) {
      if (p->popped) {
        err = not_in_order(fn);
        rc = FIN_READ_ERR;
      } else {
        p->unordered = 1;
      }
    }
  }
  if (rc == FIN_READ_ERR) {
    fin_result_error(ctx, err);
    return 1;
  }
  if (fin_k_ring_push(&p->t, *t) || fin_k_ring_push(&p->v, *v)) {
    sqlite3_result_error_nomem(ctx);
    return 1;
  }
  return 0;
}

/* Inverse: 0 ok (the oldest pair was dropped, or the row was a NULL). */
static int timed_inverse(sqlite3_context *ctx, timed *p, sqlite3_value **argv, const char *fn,
                         int *skip) {
  *skip = sqlite3_value_type(argv[0]) == SQLITE_NULL || sqlite3_value_type(argv[1]) == SQLITE_NULL;
  if (*skip) return 0;
  if (p->unordered) {
    fin_result_error(ctx, not_in_order(fn));
    return 1;
  }
  fin_k_ring_pop(&p->t);
  fin_k_ring_pop(&p->v);
  p->popped = 1;
  return 0;
}

typedef struct pair { double t, v; } pair;
static int cmp_pair(const void *a, const void *b) {
  double x = ((const pair *)a)->t, y = ((const pair *)b)->t;
  return (x > y) - (x < y);
}

/* The values sorted by time into a new array (caller frees), or NULL with
** an error reported. */
static double *timed_sorted(sqlite3_context *ctx, timed *p, const char *fn) {
  size_t n = p->t.len;
  pair *pr = sqlite3_malloc64(n * sizeof(pair));
  double *out = sqlite3_malloc64(n * sizeof(double));
  if (!pr || !out) {
    sqlite3_free(pr);
    sqlite3_free(out);
    sqlite3_result_error_nomem(ctx);
    return NULL;
  }
  for (size_t i = 0; i < n; i++) {
    pr[i].t = fin_k_ring_at(&p->t, i);
    pr[i].v = fin_k_ring_at(&p->v, i);
  }
  qsort(pr, n, sizeof(pair), cmp_pair);
  for (size_t i = 0; i < n; i++) {
    if (i && pr[i].t == pr[i - 1].t) {
      fin_result_error(ctx, duplicate_time(fn, pr[i].t, p->kind));
      sqlite3_free(pr);
      sqlite3_free(out);
      return NULL;
    }
    out[i] = pr[i].v;
  }
  sqlite3_free(pr);
  return out;
}

/* ------------------------------------------------------- fin_total_return */
typedef struct total_ctx {
  fin_ring v; /* one-argument form: the frame's prices */
  timed tm;   /* two-argument form */
} total_ctx;

void fin_total_return_step(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  total_ctx *p = sqlite3_aggregate_context(ctx, sizeof *p);
  if (!p) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  double t, v;
  int skip;
  if (argc == 2) {
    timed_step(ctx, &p->tm, argv, "fin_total_return", &t, &v, &skip);
    return;
  }
  char *err = NULL;
  int rc = fin_read_price(argv[0], "fin_total_return", "price", &v, &err);
  if (rc == FIN_READ_ERR) fin_result_error(ctx, err);
  if (rc == FIN_READ_OK && fin_k_ring_push(&p->v, v)) sqlite3_result_error_nomem(ctx);
}

void fin_total_return_inverse(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  total_ctx *p = sqlite3_aggregate_context(ctx, 0);
  int skip;
  if (!p) return;
  if (argc == 2) timed_inverse(ctx, &p->tm, argv, "fin_total_return", &skip);
  else if (sqlite3_value_type(argv[0]) != SQLITE_NULL) fin_k_ring_pop(&p->v);
}

static void total_result(sqlite3_context *ctx, total_ctx *p) {
  if (!p) return;
  if (p->tm.unordered) {
    double *x = timed_sorted(ctx, &p->tm, "fin_total_return");
    if (x) sqlite3_result_double(ctx, fin_k_pct_change(x[p->tm.t.len - 1], x[0]));
    sqlite3_free(x);
    return;
  }
  const fin_ring *r = p->tm.v.len ? &p->tm.v : &p->v;
  if (r->len) sqlite3_result_double(ctx, fin_k_pct_change(fin_k_ring_at(r, r->len - 1), fin_k_ring_at(r, 0)));
}

void fin_total_return_value(sqlite3_context *ctx) {
  total_result(ctx, sqlite3_aggregate_context(ctx, 0));
}

void fin_total_return_final(sqlite3_context *ctx) {
  total_ctx *p = sqlite3_aggregate_context(ctx, 0);
  total_result(ctx, p);
  if (p) {
    fin_k_ring_free(&p->v);
    timed_free(&p->tm);
  }
}

/* --------------------------------------- fin_compound, fin_max_drawdown */
typedef struct swag_ctx {
  int inited;
  fin_swag s;
  timed tm; /* (time, price) form */
} swag_ctx;

static swag_ctx *swag_get(sqlite3_context *ctx, fin_swag_op op) {
  swag_ctx *p = sqlite3_aggregate_context(ctx, sizeof *p);
  if (p && !p->inited) {
    fin_k_swag_init(&p->s, op);
    p->inited = 1;
  }
  if (!p) sqlite3_result_error_nomem(ctx);
  return p;
}

static void swag_push(sqlite3_context *ctx, swag_ctx *p, double x) {
  if (fin_k_swag_push(&p->s, x)) sqlite3_result_error_nomem(ctx);
}

static void swag_pop(sqlite3_context *ctx, swag_ctx *p) {
  if (fin_k_swag_pop(&p->s)) sqlite3_result_error_nomem(ctx);
}

static void swag_free(swag_ctx *p) {
  if (!p) return;
  if (p->inited) fin_k_swag_free(&p->s);
  timed_free(&p->tm);
}

void fin_compound_step(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  swag_ctx *p = swag_get(ctx, FIN_SWAG_PRODUCT);
  if (!p) return;
  char *err = NULL;
  double r;
  int rc = fin_read_number(argv[0], "fin_compound", "ret", &r, &err);
  if (rc == FIN_READ_OK && r < -1.0) {
    err = fin_must_be("fin_compound", "ret", ">= -1", argv[0]);
    rc = FIN_READ_ERR;
  }
  if (rc == FIN_READ_ERR) fin_result_error(ctx, err);
  if (rc == FIN_READ_OK) swag_push(ctx, p, 1.0 + r);
}

void fin_compound_inverse(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  swag_ctx *p = sqlite3_aggregate_context(ctx, 0);
  if (p && sqlite3_value_type(argv[0]) != SQLITE_NULL) swag_pop(ctx, p);
}

static void compound_result(sqlite3_context *ctx, swag_ctx *p) {
  if (p && p->inited && fin_k_swag_len(&p->s))
    sqlite3_result_double(ctx, fin_k_swag_query(&p->s).a - 1.0);
}
void fin_compound_value(sqlite3_context *ctx) {
  compound_result(ctx, sqlite3_aggregate_context(ctx, 0));
}
void fin_compound_final(sqlite3_context *ctx) {
  swag_ctx *p = sqlite3_aggregate_context(ctx, 0);
  compound_result(ctx, p);
  swag_free(p);
}

void fin_max_drawdown_step(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  swag_ctx *p = swag_get(ctx, FIN_SWAG_MAXDD);
  if (!p) return;
  double t, v;
  int skip;
  if (argc == 2) {
    /* once unordered, values are sorted at the end and the swag is unused */
    if (timed_step(ctx, &p->tm, argv, "fin_max_drawdown", &t, &v, &skip) == 0 && !skip &&
        !p->tm.unordered)
      swag_push(ctx, p, v);
    return;
  }
  char *err = NULL;
  int rc = fin_read_price(argv[0], "fin_max_drawdown", "price", &v, &err);
  if (rc == FIN_READ_ERR) fin_result_error(ctx, err);
  if (rc == FIN_READ_OK) swag_push(ctx, p, v);
}

void fin_max_drawdown_inverse(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  swag_ctx *p = sqlite3_aggregate_context(ctx, 0);
  int skip;
  if (!p) return;
  if (argc == 2) {
    if (timed_inverse(ctx, &p->tm, argv, "fin_max_drawdown", &skip) == 0 && !skip) swag_pop(ctx, p);
  } else if (sqlite3_value_type(argv[0]) != SQLITE_NULL) {
    swag_pop(ctx, p);
  }
}

static void max_drawdown_result(sqlite3_context *ctx, swag_ctx *p) {
  if (!p || !p->inited) return;
  if (p->tm.unordered) {
    double *x = timed_sorted(ctx, &p->tm, "fin_max_drawdown");
    if (x) sqlite3_result_double(ctx, fin_k_seg_of(FIN_SWAG_MAXDD, x, p->tm.t.len).c);
    sqlite3_free(x);
    return;
  }
  if (fin_k_swag_len(&p->s)) sqlite3_result_double(ctx, fin_k_swag_query(&p->s).c);
}
void fin_max_drawdown_value(sqlite3_context *ctx) {
  max_drawdown_result(ctx, sqlite3_aggregate_context(ctx, 0));
}
void fin_max_drawdown_final(sqlite3_context *ctx) {
  swag_ctx *p = sqlite3_aggregate_context(ctx, 0);
  max_drawdown_result(ctx, p);
  swag_free(p);
}

/* ------------------------------------------------ fin_median, fin_quantile */
typedef struct quant_ctx {
  double *x;
  size_t n, cap;
  int sorted;
  fin_const p;
} quant_ctx;

static void quant_sort(quant_ctx *q) {
  if (!q->sorted) fin_k_sort_doubles(q->x, q->n);
  q->sorted = 1;
}

void fin_quantile_step(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  const char *fn = argc == 2 ? "fin_quantile" : "fin_median";
  quant_ctx *q = sqlite3_aggregate_context(ctx, sizeof *q);
  if (!q) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  char *err = NULL;
  double x, pr;
  if (argc == 2) {
    int rc = fin_read_number(argv[1], fn, "p", &pr, &err);
    if (rc == FIN_READ_NULL) {
      err = sqlite3_mprintf("%s(): p must be a number between 0 and 1, got NULL", fn);
      rc = FIN_READ_ERR;
    } else if (rc == FIN_READ_OK && (pr < 0.0 || pr > 1.0)) {
      err = fin_must_be(fn, "p", "between 0 and 1", argv[1]);
      rc = FIN_READ_ERR;
    }
    if (rc == FIN_READ_OK) rc = fin_const_check(&q->p, pr, fn, "p", &err);
    if (rc != FIN_READ_OK) {
      fin_result_error(ctx, err);
      return;
    }
  }
  int rc = fin_read_number(argv[0], fn, "x", &x, &err);
  if (rc == FIN_READ_ERR) fin_result_error(ctx, err);
  if (rc != FIN_READ_OK) return;
  if (q->n == q->cap) {
    size_t cap = q->cap ? q->cap * 2 : 16;
    double *nx = sqlite3_realloc64(q->x, cap * sizeof(double));
    if (!nx) {
      sqlite3_result_error_nomem(ctx);
      return;
    }
    q->x = nx;
    q->cap = cap;
  }
  if (q->n && x < q->x[q->n - 1]) q->sorted = 0;
  if (q->n == 0) q->sorted = 1;
  q->x[q->n++] = x;
}

/* Removes one copy of the oldest row's value: binary search in the sorted
** array (SQLite hands xInverse that row's arguments). */
void fin_quantile_inverse(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  quant_ctx *q = sqlite3_aggregate_context(ctx, 0);
  if (!q || q->n == 0 || sqlite3_value_type(argv[0]) == SQLITE_NULL) return;
  double x = sqlite3_value_double(argv[0]);
  quant_sort(q);
  size_t lo = 0, hi = q->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (q->x[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  if (lo < q->n && q->x[lo] == x) {
    memmove(q->x + lo, q->x + lo + 1, (q->n - lo - 1) * sizeof(double));
    q->n--;
  }
}

static void quantile_result(sqlite3_context *ctx, quant_ctx *q) {
  if (!q || q->n == 0) return;
  quant_sort(q);
  sqlite3_result_double(ctx, fin_k_quantile_sorted(q->x, q->n, q->p.set ? q->p.v : 0.5));
}
void fin_quantile_value(sqlite3_context *ctx) {
  quantile_result(ctx, sqlite3_aggregate_context(ctx, 0));
}
void fin_quantile_final(sqlite3_context *ctx) {
  quant_ctx *q = sqlite3_aggregate_context(ctx, 0);
  quantile_result(ctx, q);
  if (q) sqlite3_free(q->x);
}

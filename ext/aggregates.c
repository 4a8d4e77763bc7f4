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
  fin_timeline tl; /* the time-order rule, while rows come in order */
  int unordered;   /* a time arrived before an earlier one: sort before use */
  int popped;      /* rows have left the frame */
} timed;

static void timed_free(timed *p) {
  fin_k_ring_free(&p->t);
  fin_k_ring_free(&p->v);
}

static char *not_in_order(const char *fn) {
  return sqlite3_mprintf("%s(): a sliding window frame needs rows in time order: add "
                         "ORDER BY time to OVER",
                         fn);
}

/* Reads and keeps (time, price). Rows that arrive out of time order are
** kept too and sorted at the end (plain aggregates see rows in no defined
** order), so only a repeat met in order is refused here; the sort finds
** the others. Returns FIN_READ_OK, FIN_READ_NULL (skip) or FIN_READ_ERR
** (reported). */
static int timed_step(sqlite3_context *ctx, timed *p, sqlite3_value **argv, double *v) {
  const char *fn = fin_fn_of(ctx)->name;
  char *err = NULL;
  double t;
  int is_text;
  int rc = fin_read_time(argv[0], fn, "time", 0, &t, &is_text, &err);
  if (rc == FIN_READ_OK) rc = fin_read_price(argv[1], fn, "price", v, &err);
  if (rc == FIN_READ_OK) {
    fin_time_verdict verdict = fin_k_timeline_next(&p->tl, t, is_text);
    if (verdict == FIN_TIME_MIXED || (verdict == FIN_TIME_REPEAT && !p->unordered)) {
      err = fin_time_error(fn, "time", verdict, t, is_text);
      rc = FIN_READ_ERR;
    } else if (verdict == FIN_TIME_BACKWARD && !p->unordered) {
      if (p->popped) {
        err = not_in_order(fn);
        rc = FIN_READ_ERR;
      } else {
        p->unordered = 1;
      }
    }
  }
  if (rc == FIN_READ_ERR) fin_result_error(ctx, err);
  if (rc != FIN_READ_OK) return rc;
  if (fin_k_ring_push(&p->t, t) || fin_k_ring_push(&p->v, *v)) {
    sqlite3_result_error_nomem(ctx);
    return FIN_READ_ERR;
  }
  return FIN_READ_OK;
}

/* Inverse: 0 ok (the oldest pair was dropped, or the row was a NULL). */
static int timed_inverse(sqlite3_context *ctx, timed *p, sqlite3_value **argv, int *skip) {
  *skip = sqlite3_value_type(argv[0]) == SQLITE_NULL || sqlite3_value_type(argv[1]) == SQLITE_NULL;
  if (*skip) return 0;
  if (p->unordered) {
    fin_result_error(ctx, not_in_order(fin_fn_of(ctx)->name));
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
static double *timed_sorted(sqlite3_context *ctx, timed *p) {
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
      fin_result_error(ctx, fin_time_error(fin_fn_of(ctx)->name, "time", FIN_TIME_REPEAT, pr[i].t,
                                           p->tl.kind == 2));
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

static void total_step(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  total_ctx *p = sqlite3_aggregate_context(ctx, sizeof *p);
  if (!p) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  double v;
  if (argc == 2) {
    timed_step(ctx, &p->tm, argv, &v);
    return;
  }
  char *err = NULL;
  int rc = fin_read_price(argv[0], fin_fn_of(ctx)->name, "price", &v, &err);
  if (rc == FIN_READ_ERR) fin_result_error(ctx, err);
  if (rc == FIN_READ_OK && fin_k_ring_push(&p->v, v)) sqlite3_result_error_nomem(ctx);
}

static void total_inverse(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  total_ctx *p = sqlite3_aggregate_context(ctx, 0);
  int skip;
  if (!p) return;
  if (argc == 2) timed_inverse(ctx, &p->tm, argv, &skip);
  else if (sqlite3_value_type(argv[0]) != SQLITE_NULL) fin_k_ring_pop(&p->v);
}

static void total_result(sqlite3_context *ctx, total_ctx *p) {
  if (!p) return;
  if (p->tm.unordered) {
    double *x = timed_sorted(ctx, &p->tm);
    if (x) fin_result_double(ctx, fin_k_pct_change(x[p->tm.t.len - 1], x[0]));
    sqlite3_free(x);
    return;
  }
  const fin_ring *r = p->tm.v.len ? &p->tm.v : &p->v;
  if (r->len) fin_result_double(ctx, fin_k_pct_change(fin_k_ring_at(r, r->len - 1), fin_k_ring_at(r, 0)));
}

static void total_value(sqlite3_context *ctx) {
  total_result(ctx, sqlite3_aggregate_context(ctx, 0));
}

static void total_final(sqlite3_context *ctx) {
  total_ctx *p = sqlite3_aggregate_context(ctx, 0);
  total_result(ctx, p);
  if (p) {
    fin_k_ring_free(&p->v);
    timed_free(&p->tm);
  }
}

/* --------------------------------------- fin_compound, fin_max_drawdown */
/* variant: the fin_swag_op (FIN_SWAG_PRODUCT: fin_compound) */
typedef struct swag_ctx {
  int inited;
  fin_swag s;
  timed tm; /* (time, price) form */
} swag_ctx;

static swag_ctx *swag_get(sqlite3_context *ctx) {
  swag_ctx *p = sqlite3_aggregate_context(ctx, sizeof *p);
  if (p && !p->inited) {
    fin_k_swag_init(&p->s, (fin_swag_op)fin_fn_of(ctx)->variant);
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

static void compound_step(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  swag_ctx *p = swag_get(ctx);
  if (!p) return;
  char *err = NULL;
  double r;
  int rc = fin_read_number(argv[0], fin_fn_of(ctx)->name, "ret", &r, &err);
  if (rc == FIN_READ_OK && r < -1.0) {
    err = fin_must_be(fin_fn_of(ctx)->name, "ret", ">= -1", argv[0]);
    rc = FIN_READ_ERR;
  }
  if (rc == FIN_READ_ERR) fin_result_error(ctx, err);
  if (rc == FIN_READ_OK) swag_push(ctx, p, 1.0 + r);
}

static void max_drawdown_step(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  swag_ctx *p = swag_get(ctx);
  if (!p) return;
  double v;
  if (argc == 2) {
    /* once unordered, values are sorted at the end and the swag is unused */
    if (timed_step(ctx, &p->tm, argv, &v) == FIN_READ_OK && !p->tm.unordered) swag_push(ctx, p, v);
    return;
  }
  char *err = NULL;
  int rc = fin_read_price(argv[0], fin_fn_of(ctx)->name, "price", &v, &err);
  if (rc == FIN_READ_ERR) fin_result_error(ctx, err);
  if (rc == FIN_READ_OK) swag_push(ctx, p, v);
}

/* Both forms drop the oldest row's value; the (time, price) form through
** the same skip rule as its step. */
static void swag_inverse(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  swag_ctx *p = sqlite3_aggregate_context(ctx, 0);
  int skip;
  if (!p) return;
  if (argc == 2) {
    if (timed_inverse(ctx, &p->tm, argv, &skip) == 0 && !skip) swag_pop(ctx, p);
  } else if (sqlite3_value_type(argv[0]) != SQLITE_NULL) {
    swag_pop(ctx, p);
  }
}

/* A segment summary as the function's result: the product less one, or
** the deepest fall. */
static double swag_answer(fin_swag_op op, fin_seg g) { return op == FIN_SWAG_PRODUCT ? g.a - 1.0 : g.c; }

static void swag_result(sqlite3_context *ctx, swag_ctx *p) {
  if (!p || !p->inited) return;
  if (p->tm.unordered) {
    double *x = timed_sorted(ctx, &p->tm);
    if (x) fin_result_double(ctx, swag_answer(p->s.op, fin_k_seg_of(p->s.op, x, p->tm.t.len)));
    sqlite3_free(x);
    return;
  }
  if (fin_k_swag_len(&p->s)) fin_result_double(ctx, swag_answer(p->s.op, fin_k_swag_query(&p->s)));
}
static void swag_value(sqlite3_context *ctx) { swag_result(ctx, sqlite3_aggregate_context(ctx, 0)); }
static void swag_final(sqlite3_context *ctx) {
  swag_ctx *p = sqlite3_aggregate_context(ctx, 0);
  swag_result(ctx, p);
  if (!p) return;
  if (p->inited) fin_k_swag_free(&p->s);
  timed_free(&p->tm);
}

/* ------------------------------------------------ fin_median, fin_quantile */
typedef struct quant_ctx {
  fin_const p;
  int inited;
  fin_qsel q; /* the frame's values (k_quantile.c) */
} quant_ctx;

static void quantile_step(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  const char *fn = fin_fn_of(ctx)->name;
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
  if (!q->inited) {
    fin_k_qsel_init(&q->q, q->p.set ? q->p.v : 0.5);
    q->inited = 1;
  }
  if (fin_k_qsel_push(&q->q, x)) sqlite3_result_error_nomem(ctx);
}

/* Removes one copy of the oldest row's value (SQLite hands xInverse that
** row's arguments; the same NULL rule as the step). */
static void quantile_inverse(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  quant_ctx *q = sqlite3_aggregate_context(ctx, 0);
  if (!q || !q->inited || sqlite3_value_type(argv[0]) == SQLITE_NULL) return;
  if (fin_k_qsel_remove(&q->q, sqlite3_value_double(argv[0]))) sqlite3_result_error_nomem(ctx);
}

static void quantile_result(sqlite3_context *ctx, quant_ctx *q) {
  if (q && q->inited && fin_k_qsel_count(&q->q)) fin_result_double(ctx, fin_k_qsel_value(&q->q));
}
static void quantile_value(sqlite3_context *ctx) {
  quantile_result(ctx, sqlite3_aggregate_context(ctx, 0));
}
static void quantile_final(sqlite3_context *ctx) {
  quant_ctx *q = sqlite3_aggregate_context(ctx, 0);
  quantile_result(ctx, q);
  if (q && q->inited) fin_k_qsel_free(&q->q);
}

/* ------------------------------------------------------------ registration */
#define AGGREGATE(nm, n, var, step, fam)                                                       \
  {.name = nm, .nArg = n, .flags = FIN_PURE, .variant = var, .xStep = step, .xFinal = fam##_final, \
   .xValue = fam##_value, .xInverse = fam##_inverse}

static const fin_fn aggregates[] = {
    AGGREGATE("fin_total_return", 1, 0, total_step, total),
    AGGREGATE("fin_total_return", 2, 0, total_step, total),
    AGGREGATE("fin_compound", 1, FIN_SWAG_PRODUCT, compound_step, swag),
    AGGREGATE("fin_max_drawdown", 1, FIN_SWAG_MAXDD, max_drawdown_step, swag),
    AGGREGATE("fin_max_drawdown", 2, FIN_SWAG_MAXDD, max_drawdown_step, swag),
    AGGREGATE("fin_median", 1, 0, quantile_step, quantile),
    AGGREGATE("fin_quantile", 2, 0, quantile_step, quantile),
};
const fin_fn_list fin_aggregate_fns = FIN_FN_LIST(aggregates);

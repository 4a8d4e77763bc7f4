/*
** aggregates.c - aggregates over ordered rows, usable as plain aggregates
** and as window functions over any frame (sliding frames included):
**
**   fin_total_return(price)          last/first - 1
**   fin_total_return(time, price)    the same, rows ordered by time here
**   fin_cagr(time, price)            growth a year between the first and last times
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
**     (ORDER BY time) case) and otherwise keep the rows in an ordered map
**     by time (timed.c), O(log n) a row, so any order works, in a frame
**     that slides too. Duplicate times are an error.
**  4. Sliding frames cost O(1) amortized per row: a FIFO of the frame for
**     first/last, and two-stack aggregation for products and drawdowns, so
**     nothing is ever subtracted and nothing drifts.
**  4a. A plain aggregate keeps constant memory: once it is known to be one
**     (fin_keep) it folds its rows into their summary (first and last, the
**     product, the drawdown). fin_median and fin_quantile need every value.
**  5. fin_quantile's p is in [0, 1], the same on every row; quantiles
**     interpolate linearly between closest ranks (numpy's default).
**  6. xValue never frees; xFinal always frees, even after an error.
*/
#include <math.h>
#include <string.h>
#include "../fin_ext.h"

/* ------------------------------------------------------- fin_total_return */
typedef struct total_ctx {
  int inited;
  fin_ring v;         /* one-argument form: the frame's prices */
  fin_keep keep;      /* one-argument form: a plain aggregate keeps only... */
  double first, last; /* ...the first and the last price */
  fin_timed tm;       /* two-argument form */
} total_ctx;

static total_ctx *total_get(sqlite3_context *ctx) {
  total_ctx *p = sqlite3_aggregate_context(ctx, sizeof *p);
  if (!p) sqlite3_result_error_nomem(ctx);
  if (p && !p->inited) {
    fin_timed_init(&p->tm, FIN_SWAG_MAXDD, 1);
    p->inited = 1;
  }
  return p;
}

static void total_step(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  total_ctx *p = total_get(ctx);
  if (!p) return;
  double v;
  int moved, dropped;
  if (argc == 2) {
    fin_timed_step(ctx, &p->tm, argv, &v, &moved, &dropped);
    return;
  }
  char *err = NULL;
  int rc = fin_read_price(argv[0], fin_fn_of(ctx)->name, "price", &v, &err);
  if (rc == FIN_READ_ERR) fin_result_error(ctx, err);
  if (rc != FIN_READ_OK) return;
  if (p->keep.dropped) {
    p->last = v;
  } else if (fin_k_ring_push(&p->v, v)) {
    sqlite3_result_error_nomem(ctx);
  } else if (fin_keep_step(&p->keep)) {
    p->first = fin_k_ring_at(&p->v, 0);
    p->last = v;
    fin_k_ring_free(&p->v);
  }
}

static void total_inverse(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  total_ctx *p = sqlite3_aggregate_context(ctx, 0);
  int skip;
  if (!p) return;
  if (argc == 2) fin_timed_inverse(ctx, &p->tm, argv, &skip);
  else if (sqlite3_value_type(argv[0]) != SQLITE_NULL && !fin_keep_inverse(ctx, &p->keep))
    fin_k_ring_pop(&p->v);
}

/* fin_total_return, or (variant 1) fin_cagr(time, price): the growth
** rate over the years between the first and last times, a year being
** 365.25 days of the times' Julian days; NULL when they are one time. */
static void total_answer(sqlite3_context *ctx, double first_v, double last_v, double first_t,
                         double last_t) {
  if (fin_fn_of(ctx)->variant == 0) {
    fin_result_double(ctx, fin_k_pct_change(last_v, first_v));
  } else if (last_t > first_t) {
    fin_result_double(ctx, fin_k_cagr(first_v, last_v, (last_t - first_t) / 365.25));
  }
}

static void total_result(sqlite3_context *ctx, total_ctx *p) {
  double t0, v0, t1, v1;
  if (!p) return;
  if (fin_timed_ends(&p->tm, &t0, &v0, &t1, &v1)) total_answer(ctx, v0, v1, t0, t1);
  else if (p->keep.dropped) total_answer(ctx, p->first, p->last, 0, 0);
  else if (p->v.len) total_answer(ctx, fin_k_ring_at(&p->v, 0), fin_k_ring_at(&p->v, p->v.len - 1), 0, 0);
}

static void total_value(sqlite3_context *ctx) {
  total_ctx *p = sqlite3_aggregate_context(ctx, 0);
  if (p) {
    fin_keep_value(&p->keep);
    fin_timed_value(&p->tm);
  }
  total_result(ctx, p);
}

static void total_final(sqlite3_context *ctx) {
  total_ctx *p = sqlite3_aggregate_context(ctx, 0);
  total_result(ctx, p);
  if (p) {
    fin_k_ring_free(&p->v);
    fin_timed_free(&p->tm);
  }
}

/* --------------------------------------- fin_compound, fin_max_drawdown */
/* variant: the fin_swag_op (FIN_SWAG_PRODUCT: fin_compound) */
typedef struct swag_ctx {
  int inited;
  fin_swag s;   /* the frame's values in order (one argument, or times in order) */
  fin_keep keep; /* one-argument form (the two-argument form's is tm.keep) */
  fin_timed tm; /* (time, price) form */
} swag_ctx;

static swag_ctx *swag_get(sqlite3_context *ctx) {
  swag_ctx *p = sqlite3_aggregate_context(ctx, sizeof *p);
  if (p && !p->inited) {
    fin_swag_op op = (fin_swag_op)fin_fn_of(ctx)->variant;
    fin_k_swag_init(&p->s, op);
    fin_timed_init(&p->tm, op, 1);
    p->inited = 1;
  }
  if (!p) sqlite3_result_error_nomem(ctx);
  return p;
}

/* One more value in order; a plain aggregate folds its values into their
** summary once it is known to be one (dropped, by keep). */
static void swag_push(sqlite3_context *ctx, swag_ctx *p, double x, int drop) {
  if (fin_k_swag_push(&p->s, x)) sqlite3_result_error_nomem(ctx);
  else if (drop) fin_k_swag_fold(&p->s);
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
  if (rc == FIN_READ_OK) swag_push(ctx, p, 1.0 + r, fin_keep_step(&p->keep));
}

static void max_drawdown_step(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  swag_ctx *p = swag_get(ctx);
  if (!p) return;
  double v;
  if (argc == 2) {
    int moved, dropped;
    if (fin_timed_step(ctx, &p->tm, argv, &v, &moved, &dropped) != FIN_READ_OK) return;
    if (moved) fin_k_swag_free(&p->s); /* the map keeps the summary from now on */
    if (!p->tm.unordered) swag_push(ctx, p, v, dropped);
    return;
  }
  char *err = NULL;
  int rc = fin_read_price(argv[0], fin_fn_of(ctx)->name, "price", &v, &err);
  if (rc == FIN_READ_ERR) fin_result_error(ctx, err);
  if (rc == FIN_READ_OK) swag_push(ctx, p, v, fin_keep_step(&p->keep));
}

/* Both forms drop the oldest row's value; the (time, price) form through
** the same skip rule as its step. */
static void swag_inverse(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  swag_ctx *p = sqlite3_aggregate_context(ctx, 0);
  int skip;
  if (!p) return;
  if (argc == 2) {
    if (fin_timed_inverse(ctx, &p->tm, argv, &skip) == 0 && !skip && !p->tm.unordered) swag_pop(ctx, p);
  } else if (sqlite3_value_type(argv[0]) != SQLITE_NULL && !fin_keep_inverse(ctx, &p->keep)) {
    swag_pop(ctx, p);
  }
}

/* A segment summary as the function's result: the product less one, or
** the deepest fall. */
static double swag_answer(fin_swag_op op, fin_seg g) { return op == FIN_SWAG_PRODUCT ? g.a - 1.0 : g.c; }

static void swag_result(sqlite3_context *ctx, swag_ctx *p) {
  if (!p || !p->inited) return;
  if (p->tm.unordered) {
    if (fin_k_tmap_count(&p->tm.map))
      fin_result_double(ctx, swag_answer(p->s.op, fin_k_tmap_summary(&p->tm.map)));
    return;
  }
  if (fin_k_swag_len(&p->s)) fin_result_double(ctx, swag_answer(p->s.op, fin_k_swag_query(&p->s)));
}
static void swag_value(sqlite3_context *ctx) {
  swag_ctx *p = sqlite3_aggregate_context(ctx, 0);
  if (p) {
    fin_keep_value(&p->keep);
    fin_timed_value(&p->tm);
  }
  swag_result(ctx, p);
}
static void swag_final(sqlite3_context *ctx) {
  swag_ctx *p = sqlite3_aggregate_context(ctx, 0);
  swag_result(ctx, p);
  if (!p || !p->inited) return;
  fin_k_swag_free(&p->s);
  fin_timed_free(&p->tm);
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
    AGGREGATE("fin_cagr", 2, 1, total_step, total),
    AGGREGATE("fin_compound", 1, FIN_SWAG_PRODUCT, compound_step, swag),
    AGGREGATE("fin_max_drawdown", 1, FIN_SWAG_MAXDD, max_drawdown_step, swag),
    AGGREGATE("fin_max_drawdown", 2, FIN_SWAG_MAXDD, max_drawdown_step, swag),
    AGGREGATE("fin_median", 1, 0, quantile_step, quantile),
    AGGREGATE("fin_quantile", 2, 0, quantile_step, quantile),
};
const fin_fn_list fin_aggregate_fns = FIN_FN_LIST(aggregates);

/*
** running.c - running window functions, used as
**     f(...) OVER (PARTITION BY key ORDER BY time)
**
**   fin_rolling_return(price, n)    price[t]/price[t-n] - 1
**   fin_drawdown(price)             price / highest price in the frame - 1
**   fin_since_peak(price)           rows since that high was last reached
**   fin_streak(condition)           true rows in a row, 0 on a false row
**   fin_up_streak(price [, min_gain]), fin_down_streak(price [, min_loss])
**   fin_ytd_return(time, price), fin_qtd_return, fin_mtd_return
**
** Requirements:
**  1. Rows arrive in the window's ORDER BY; the function sees rows, not
**     times, so the ORDER BY must be by time (the *_td functions check it).
**  2. NULL inputs are skipped: they are not counted as rows, do not break
**     a streak, and the result on that row is NULL.
**  3. fin_rolling_return is NULL until n earlier prices exist (never a
**     partial return). Streaks are 0 on the first row. The *_td returns
**     are NULL until a price before the current period exists.
**  4. fin_drawdown and fin_since_peak also work on sliding frames
**     (ROWS 251 PRECEDING): a monotonic deque of candidate highs makes that
**     O(1) amortized per row. The other functions need a frame that starts
**     at UNBOUNDED PRECEDING (the default) and raise an error otherwise.
**  5. They are window functions only: as plain aggregates the row order is
**     not defined, so they raise an error rather than return a number that
**     depends on it.
**  6. Bad values raise errors that name the function and the argument;
**     n, min_gain and min_loss must be the same on every row.
*/
#include <math.h>
#include "../fin_ext.h"

/* The frame rules (frames.c: fin_running) with this family's list: the
** message for a frame that slides names the functions of running.c that
** can. */
static void no_sliding_inverse(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  (void)argv;
  fin_running_no_sliding(ctx, &fin_running_fns, "running functions", no_sliding_inverse);
}

/* ------------------------------------------------------ fin_rolling_return */
typedef struct rolling_ctx {
  fin_running b;
  fin_const n;
  fin_ring ring; /* the last n+1 prices */
} rolling_ctx;

static void rolling_step(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  const char *fn = fin_fn_of(ctx)->name;
  rolling_ctx *p = fin_running_ctx(ctx, sizeof *p);
  if (!p) return;
  char *err = NULL;
  int64_t n;
  double price;
  if (fin_read_count(argv[1], fn, "n", 1, FIN_MAX_ROWS, &n, &err) ||
      fin_const_check(&p->n, (double)n, fn, "n", &err)) {
    fin_result_error(ctx, err);
    return;
  }
  if (!fin_running_price(ctx, &p->b, argv[0], &price)) return;
  if (fin_k_ring_push(&p->ring, price)) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  if (p->ring.len > (size_t)n + 1) fin_k_ring_pop(&p->ring);
}

static void rolling_result(sqlite3_context *ctx, rolling_ctx *p) {
  if (!p || p->b.last_null || p->ring.len != (size_t)p->n.v + 1) return; /* NULL */
  fin_result_double(ctx, fin_k_pct_change(fin_k_ring_at(&p->ring, p->ring.len - 1),
                                              fin_k_ring_at(&p->ring, 0)));
}

static void rolling_value(sqlite3_context *ctx) { rolling_result(ctx, fin_running_valued(ctx)); }

static void rolling_final(sqlite3_context *ctx) {
  rolling_ctx *p = fin_running_ctx(ctx, 0);
  if (!p) return;
  if (!fin_running_as_aggregate(ctx, &p->b)) rolling_result(ctx, p);
  fin_k_ring_free(&p->ring);
}

/* ------------------------------------------- fin_drawdown, fin_since_peak */
enum { PEAK_DRAWDOWN, PEAK_SINCE };

typedef struct peak_ctx {
  fin_running b;
  int inited;
  fin_maxq q;       /* candidate highs of the frame */
  double last;      /* the frame's newest price */
  int64_t stepped;  /* prices pushed (NULLs not counted) */
  int64_t removed;  /* prices that left the frame */
} peak_ctx;

static void peak_step(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  peak_ctx *p = fin_running_ctx(ctx, sizeof *p);
  if (!p) return;
  if (!p->inited) {
    fin_k_maxq_init(&p->q, 0);
    p->inited = 1;
  }
  double price;
  if (!fin_running_price(ctx, &p->b, argv[0], &price)) return;
  if (fin_k_maxq_push(&p->q, price, p->stepped)) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  p->stepped++;
  p->last = price;
}

/* xInverse gets the arguments of the oldest row in the frame; it applies
** the same NULL rule as xStep, so only prices move the frame start. */
static void peak_inverse(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  peak_ctx *p = fin_running_ctx(ctx, 0);
  if (!p || sqlite3_value_type(argv[0]) == SQLITE_NULL) return;
  p->removed++;
  fin_k_maxq_expire(&p->q, p->removed);
}

static void peak_result(sqlite3_context *ctx, peak_ctx *p) {
  double hi;
  int64_t hi_row;
  if (!p || p->b.last_null || p->stepped == p->removed) return;
  if (!fin_k_maxq_top(&p->q, &hi, &hi_row)) return;
  if (fin_fn_of(ctx)->variant == PEAK_DRAWDOWN)
    fin_result_double(ctx, fin_k_pct_change(p->last, hi));
  else
    sqlite3_result_int64(ctx, p->stepped - 1 - hi_row);
}

static void peak_value(sqlite3_context *ctx) { peak_result(ctx, fin_running_valued(ctx)); }

static void peak_final(sqlite3_context *ctx) {
  peak_ctx *p = fin_running_ctx(ctx, 0);
  if (!p) return;
  if (!fin_running_as_aggregate(ctx, &p->b)) peak_result(ctx, p);
  fin_k_maxq_free(&p->q);
}

/* ------------------------------------------------------------- fin_streak */
typedef struct streak_ctx {
  fin_running b;
  int64_t count;
} streak_ctx;

static void streak_step(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  streak_ctx *p = fin_running_ctx(ctx, sizeof *p);
  if (!p) return;
  char *err = NULL;
  double cond;
  p->b.rows++;
  int rc = fin_read_number(argv[0], fin_fn_of(ctx)->name, "condition", &cond, &err);
  p->b.last_null = rc == FIN_READ_NULL;
  if (rc == FIN_READ_ERR) fin_result_error(ctx, err);
  if (rc != FIN_READ_OK) return;
  p->count = cond != 0.0 ? p->count + 1 : 0;
}

static void streak_result(sqlite3_context *ctx, streak_ctx *p) {
  if (p && !p->b.last_null) sqlite3_result_int64(ctx, p->count);
}
static void streak_value(sqlite3_context *ctx) { streak_result(ctx, fin_running_valued(ctx)); }
static void streak_final(sqlite3_context *ctx) {
  streak_ctx *p = fin_running_ctx(ctx, 0);
  if (p && !fin_running_as_aggregate(ctx, &p->b)) streak_result(ctx, p);
}

/* --------------------------------------- fin_up_streak, fin_down_streak */
/* variant: 0 gains (min_gain), 1 losses (min_loss), as fin_gain_rule.down */
typedef struct updown_ctx {
  fin_running b;
  int inited;
  fin_const min;
  fin_runs runs;
} updown_ctx;

static void updown_step(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  const fin_fn *f = fin_fn_of(ctx);
  int down = f->variant;
  const char *arg = down ? "min_loss" : "min_gain";
  updown_ctx *p = fin_running_ctx(ctx, sizeof *p);
  if (!p) return;
  char *err = NULL;
  if (argc > 1) {
    double m;
    int rc = fin_read_threshold(argv[1], f->name, arg, down, &m, &err);
    if (rc == FIN_READ_NULL) {
      err = sqlite3_mprintf("%s(): %s must be a number, got NULL", f->name, arg);
      rc = FIN_READ_ERR;
    }
    if (rc == FIN_READ_OK) rc = fin_const_check(&p->min, m, f->name, arg, &err);
    if (rc != FIN_READ_OK) {
      fin_result_error(ctx, err);
      return;
    }
  }
  if (!p->inited) {
    fin_gain_rule rule = {down, argc > 1, argc > 1 ? p->min.v : 0.0};
    fin_k_runs_init(&p->runs, &rule);
    p->inited = 1;
  }
  double price;
  if (!fin_running_price(ctx, &p->b, argv[0], &price)) return;
  fin_run done;
  fin_k_runs_push(&p->runs, price, &done);
}

static void updown_result(sqlite3_context *ctx, updown_ctx *p) {
  if (p && p->inited && !p->b.last_null) sqlite3_result_int64(ctx, p->runs.cur.length);
}
static void updown_value(sqlite3_context *ctx) { updown_result(ctx, fin_running_valued(ctx)); }
static void updown_final(sqlite3_context *ctx) {
  updown_ctx *p = fin_running_ctx(ctx, 0);
  if (p && !fin_running_as_aggregate(ctx, &p->b)) updown_result(ctx, p);
}

/* ----------------------------------- fin_ytd_return, qtd, mtd (period to date) */
/* variant: the fin_period */
typedef struct ptd_ctx {
  fin_running b;
  int inited;
  fin_ptd k;
  fin_timeline tl;
  int has_ret;
  double ret;
} ptd_ctx;

static void ptd_step(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  const fin_fn *f = fin_fn_of(ctx);
  ptd_ctx *p = fin_running_ctx(ctx, sizeof *p);
  if (!p) return;
  if (!p->inited) {
    fin_k_ptd_init(&p->k, (fin_period)f->variant);
    p->inited = 1;
  }
  char *err = NULL;
  double jd, price;
  int is_text;
  p->b.rows++;
  int rc = fin_read_time(argv[0], f->name, "time", 1, &jd, &is_text, &err);
  if (rc == FIN_READ_OK) rc = fin_read_price(argv[1], f->name, "price", &price, &err);
  p->b.last_null = rc == FIN_READ_NULL;
  if (rc == FIN_READ_OK) {
    fin_time_verdict v = fin_k_timeline_next(&p->tl, jd, is_text);
    if (v != FIN_TIME_OK) {
      err = fin_time_error(f->name, "time", v, jd, is_text);
      rc = FIN_READ_ERR;
    }
  }
  if (rc == FIN_READ_ERR) fin_result_error(ctx, err);
  if (rc != FIN_READ_OK) return;
  p->has_ret = fin_k_ptd_push(&p->k, jd, price, &p->ret, NULL) & FIN_PTD_RET;
}

static void ptd_result(sqlite3_context *ctx, ptd_ctx *p) {
  if (p && !p->b.last_null && p->has_ret) fin_result_double(ctx, p->ret);
}
static void ptd_value(sqlite3_context *ctx) { ptd_result(ctx, fin_running_valued(ctx)); }
static void ptd_final(sqlite3_context *ctx) {
  ptd_ctx *p = fin_running_ctx(ctx, 0);
  if (p && !fin_running_as_aggregate(ctx, &p->b)) ptd_result(ctx, p);
}

/* ------------------------------------------------------------ registration */
#define RUNNING(nm, n, use, var, fam, inv)                                                      \
  {.name = nm, .nArg = n, .flags = FIN_PURE, .usage = use, .variant = var, .xStep = fam##_step, \
   .xFinal = fam##_final, .xValue = fam##_value, .xInverse = inv}

static const fin_fn running[] = {
    RUNNING("fin_rolling_return", 2, "price, n", 0, rolling, no_sliding_inverse),
    RUNNING("fin_drawdown", 1, "price", PEAK_DRAWDOWN, peak, peak_inverse),
    RUNNING("fin_since_peak", 1, "price", PEAK_SINCE, peak, peak_inverse),
    RUNNING("fin_streak", 1, "condition", 0, streak, no_sliding_inverse),
    RUNNING("fin_up_streak", 1, "price [, min_gain]", 0, updown, no_sliding_inverse),
    RUNNING("fin_up_streak", 2, "price [, min_gain]", 0, updown, no_sliding_inverse),
    RUNNING("fin_down_streak", 1, "price [, min_loss]", 1, updown, no_sliding_inverse),
    RUNNING("fin_down_streak", 2, "price [, min_loss]", 1, updown, no_sliding_inverse),
    RUNNING("fin_ytd_return", 2, "time, price", FIN_YEAR, ptd, no_sliding_inverse),
    RUNNING("fin_qtd_return", 2, "time, price", FIN_QUARTER, ptd, no_sliding_inverse),
    RUNNING("fin_mtd_return", 2, "time, price", FIN_MONTH, ptd, no_sliding_inverse),
};
const fin_fn_list fin_running_fns = FIN_FN_LIST(running);

/*
** indicators.c - technical indicators as window functions over prices,
** used as f(...) OVER (PARTITION BY key ORDER BY time):
**
**   fin_ema(x, n)                      EMA, alpha 2/(n+1), seeded with the
**                                      mean of the first n values (TA-Lib);
**                                      x any number: a price, a return, the
**                                      MACD line (its signal)
**   fin_rsi(price [, n = 14])          Wilder's RSI, 0 to 100
**   fin_macd(price [, fast = 12, slow = 26, signal = 9 [, part = 'line']])
**                                      'line', 'signal' or 'histogram'
**   fin_bollinger(price, n [, k = 2 [, part = 'percent_b']])
**                                      'lower', 'middle', 'upper',
**                                      'percent_b' or 'width'
**   fin_atr(high, low, close [, n = 14])  Wilder's average true range
**   fin_zscore(x)                      (x - mean) / sd of the frame, x the
**                                      current row's value
**   fin_percent_rank(x)                share of the frame's other values
**                                      below x: 0 lowest, 1 highest
**
** The recursions are kernels (k_indicators.c, k_ranks.c); this file reads
** arguments, applies the frame rules and hands out the values.
**
** Requirements:
**  1. Rows arrive in the window's ORDER BY, which must be by time.
**  2. NULL is skipped: a NULL price (for fin_atr, a row where high, low or
**     close is NULL) is not a row: it does not count towards n and its
**     own result is NULL.
**  3. Warm-up is NULL: fin_ema from the n-th value on; fin_rsi and fin_atr
**     from the (n+1)-th (n changes, n true ranges); fin_macd's line from
**     the slow-th price, signal and histogram from the (slow + signal -
**     1)-th; fin_bollinger from the n-th. An undefined value is NULL too:
**     fin_rsi when no price moved over what its averages hold, %b when the
**     n prices are all equal, fin_zscore and fin_percent_rank on a frame
**     of fewer than 2 values, fin_zscore when they are all equal.
**  4. The recursions (fin_ema, fin_rsi, fin_macd, fin_bollinger, fin_atr)
**     are defined from the partition's first price: they need a frame
**     that starts at UNBOUNDED PRECEDING (the default) and raise an error
**     under one that drops rows. fin_zscore and fin_percent_rank are
**     measures of the frame and work under any frame that ends at the
**     current row: ROWS 251 PRECEDING is the 52-week z-score. fin_zscore
**     costs O(1) amortized a row on a sliding frame (the two-stack moment
**     queue, k_moments.c: no subtraction, no drift), fin_percent_rank
**     O(log frame) (a treap with subtree sizes, k_ranks.c); fin_bollinger
**     keeps its own window of n prices the same way fin_zscore does.
**  5. All are window functions only (frames.c: fin_running): used without
**     OVER, under EXCLUDE, under a frame that ends after the current row
**     (FOLLOWING) or with FILTER, they raise the running functions'
**     errors. Their value is the current row's.
**  6. Prices are numbers > 0 (high >= low for fin_atr); fin_ema,
**     fin_zscore and fin_percent_rank take any finite number. n, fast, slow, signal and
**     k are numbers (whole numbers from 1, n of fin_bollinger from 2,
**     fast < slow, k > 0), part a name from the list (any case); each the
**     same on every row. Errors name the function, the argument and the
**     value.
**  7. Results are REAL and finite, or an error (fin_result_double).
*/
#include <math.h>
#include "../fin_ext.h"

/* xInverse of the recursions (requirement 4). */
static void no_sliding_inverse(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  (void)argv;
  fin_running_no_sliding(ctx, &fin_indicator_fns, "indicators", no_sliding_inverse);
}

/* A whole-number argument in [lo, FIN_MAX_ROWS], the same on every row:
** 0, or 1 with the error reported. */
static int read_period(sqlite3_context *ctx, sqlite3_value *v, const char *arg, int64_t lo,
                       fin_const *c, int64_t *out) {
  const char *fn = fin_fn_of(ctx)->name;
  char *err = NULL;
  if (fin_read_count(v, fn, arg, lo, FIN_MAX_ROWS, out, &err) ||
      fin_const_check(c, (double)*out, fn, arg, &err)) {
    fin_result_error(ctx, err);
    return 1;
  }
  return 0;
}

/* A part: one of the names (any case), the same on every row. *part is
** its index, and set tells whether a row has fixed it yet. */
typedef struct part_arg {
  int set, part;
} part_arg;

static int read_part(sqlite3_context *ctx, sqlite3_value *v, const char *const *names, int n,
                     const char *rule, part_arg *a) {
  const char *fn = fin_fn_of(ctx)->name;
  const char *z = NULL;
  if (sqlite3_value_type(v) == SQLITE_TEXT && !(z = (const char *)sqlite3_value_text(v))) {
    sqlite3_result_error_nomem(ctx);
    return 1;
  }
  int i = 0;
  while (z && i < n && sqlite3_stricmp(z, names[i]) != 0) i++;
  if (!z || i == n) {
    fin_result_error(ctx, fin_must_be(fn, "part", rule, v));
    return 1;
  }
  if (a->set && a->part != i) {
    fin_result_error(ctx, sqlite3_mprintf("%s(): part must be the same for every row, got '%s' "
                                          "after '%s'",
                                          fn, names[i], names[a->part]));
    return 1;
  }
  a->set = 1;
  a->part = i;
  return 0;
}

/* The value of the current row: nothing (NULL) on a NULL row, before the
** warm-up ends or where the value is undefined (NaN). */
static void result(sqlite3_context *ctx, const fin_running *b, int has, double v) {
  if (b && !b->last_null && has && !isnan(v)) fin_result_double(ctx, v);
}

/* ---------------------------------------------------------------- fin_ema */
typedef struct ema_ctx {
  fin_running b;
  fin_const n;
  fin_smooth s;
  int has;
} ema_ctx;

static void ema_step(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  ema_ctx *p = fin_running_ctx(ctx, sizeof *p);
  int64_t n;
  double x;
  if (!p || read_period(ctx, argv[1], "n", 1, &p->n, &n)) return;
  if (p->s.n == 0) fin_k_smooth_init(&p->s, n, 0);
  if (fin_running_number(ctx, &p->b, argv[0], "x", &x)) p->has = fin_k_smooth_push(&p->s, x);
}

static void ema_result(sqlite3_context *ctx, ema_ctx *p) {
  if (p) result(ctx, &p->b, p->has, p->s.v);
}
static void ema_value(sqlite3_context *ctx) { ema_result(ctx, fin_running_valued(ctx)); }
static void ema_final(sqlite3_context *ctx) {
  ema_ctx *p = fin_running_ctx(ctx, 0);
  if (p && !fin_running_as_aggregate(ctx, &p->b)) ema_result(ctx, p);
}

/* ---------------------------------------------------------------- fin_rsi */
typedef struct rsi_ctx {
  fin_running b;
  fin_const n;
  int inited, has;
  fin_rsi k;
  double v;
} rsi_ctx;

static void rsi_step(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  rsi_ctx *p = fin_running_ctx(ctx, sizeof *p);
  int64_t n = 14;
  double price;
  if (!p || (argc > 1 && read_period(ctx, argv[1], "n", 1, &p->n, &n))) return;
  if (!p->inited) {
    fin_k_rsi_init(&p->k, n);
    p->inited = 1;
  }
  if (fin_running_price(ctx, &p->b, argv[0], &price)) p->has = fin_k_rsi_push(&p->k, price, &p->v);
}

static void rsi_result(sqlite3_context *ctx, rsi_ctx *p) {
  if (p) result(ctx, &p->b, p->has, p->v);
}
static void rsi_value(sqlite3_context *ctx) { rsi_result(ctx, fin_running_valued(ctx)); }
static void rsi_final(sqlite3_context *ctx) {
  rsi_ctx *p = fin_running_ctx(ctx, 0);
  if (p && !fin_running_as_aggregate(ctx, &p->b)) rsi_result(ctx, p);
}

/* --------------------------------------------------------------- fin_macd */
enum { MACD_LINE, MACD_SIGNAL, MACD_HISTOGRAM };
static const char *const macd_parts[] = {"line", "signal", "histogram"};

typedef struct macd_ctx {
  fin_running b;
  fin_const fast, slow, signal;
  part_arg part;
  int inited, got; /* got: FIN_MACD_* bits of the current price */
  fin_macd k;
  double line, sig;
} macd_ctx;

static void macd_step(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  macd_ctx *p = fin_running_ctx(ctx, sizeof *p);
  if (!p) return;
  int64_t fast = 12, slow = 26, signal = 9;
  if (argc > 1) {
    if (read_period(ctx, argv[1], "fast", 1, &p->fast, &fast) ||
        read_period(ctx, argv[2], "slow", 1, &p->slow, &slow) ||
        read_period(ctx, argv[3], "signal", 1, &p->signal, &signal))
      return;
    if (slow <= fast) {
      char rule[64];
      sqlite3_snprintf((int)sizeof rule, rule, "greater than fast (%lld)", (long long)fast);
      fin_result_error(ctx, fin_must_be(fin_fn_of(ctx)->name, "slow", rule, argv[2]));
      return;
    }
  }
  if (argc > 4 && read_part(ctx, argv[4], macd_parts, 3, "'line', 'signal' or 'histogram'", &p->part))
    return;
  if (!p->inited) {
    fin_k_macd_init(&p->k, fast, slow, signal);
    p->inited = 1;
  }
  double price;
  if (fin_running_price(ctx, &p->b, argv[0], &price))
    p->got = fin_k_macd_push(&p->k, price, &p->line, &p->sig);
}

static void macd_result(sqlite3_context *ctx, macd_ctx *p) {
  if (!p) return;
  switch (p->part.part) { /* 0, the line, unless a part was given */
    case MACD_LINE: result(ctx, &p->b, p->got & FIN_MACD_LINE, p->line); break;
    case MACD_SIGNAL: result(ctx, &p->b, p->got & FIN_MACD_SIGNAL, p->sig); break;
    default: result(ctx, &p->b, p->got & FIN_MACD_SIGNAL, p->line - p->sig); break;
  }
}
static void macd_value(sqlite3_context *ctx) { macd_result(ctx, fin_running_valued(ctx)); }
static void macd_final(sqlite3_context *ctx) {
  macd_ctx *p = fin_running_ctx(ctx, 0);
  if (p && !fin_running_as_aggregate(ctx, &p->b)) macd_result(ctx, p);
}

/* ---------------------------------------------------------- fin_bollinger */
/* in the order of fin_band_part */
static const char *const band_parts[] = {"lower", "middle", "upper", "percent_b", "width"};

typedef struct boll_ctx {
  fin_running b;
  fin_const n, k;
  part_arg part;
  int inited, full;
  fin_bands bands;
  double price, mean, sd, kv;
} boll_ctx;

static void boll_step(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  boll_ctx *p = fin_running_ctx(ctx, sizeof *p);
  if (!p) return;
  const char *fn = fin_fn_of(ctx)->name;
  int64_t n;
  double k = 2.0;
  if (read_period(ctx, argv[1], "n", 2, &p->n, &n)) return;
  if (argc > 2) {
    char *err = NULL;
    int rc = fin_read_number(argv[2], fn, "k", &k, &err);
    if (rc != FIN_READ_ERR && (rc == FIN_READ_NULL || !(k > 0.0))) {
      err = fin_must_be(fn, "k", "a number > 0", argv[2]);
      rc = FIN_READ_ERR;
    }
    if (rc == FIN_READ_OK) rc = fin_const_check(&p->k, k, fn, "k", &err);
    if (rc != FIN_READ_OK) {
      fin_result_error(ctx, err);
      return;
    }
  }
  if (argc > 3 &&
      read_part(ctx, argv[3], band_parts, 5, "'lower', 'middle', 'upper', 'percent_b' or 'width'",
                &p->part))
    return;
  if (!p->inited) {
    fin_k_bands_init(&p->bands, n);
    if (!p->part.set) p->part.part = FIN_BAND_PERCENT_B;
    p->kv = k;
    p->inited = 1;
  }
  if (!fin_running_price(ctx, &p->b, argv[0], &p->price)) return;
  if (fin_k_bands_push(&p->bands, p->price, &p->full, &p->mean, &p->sd))
    sqlite3_result_error_nomem(ctx);
}

static void boll_result(sqlite3_context *ctx, boll_ctx *p) {
  if (p && p->inited)
    result(ctx, &p->b, p->full,
           fin_k_bands_part((fin_band_part)p->part.part, p->price, p->mean, p->sd, p->kv));
}
static void boll_value(sqlite3_context *ctx) { boll_result(ctx, fin_running_valued(ctx)); }
static void boll_final(sqlite3_context *ctx) {
  boll_ctx *p = fin_running_ctx(ctx, 0);
  if (!p) return;
  if (!fin_running_as_aggregate(ctx, &p->b)) boll_result(ctx, p);
  if (p->inited) fin_k_bands_free(&p->bands);
}

/* ---------------------------------------------------------------- fin_atr */
typedef struct atr_ctx {
  fin_running b;
  fin_const n;
  int inited, has;
  fin_atr k;
  double v;
} atr_ctx;

static void atr_step(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  atr_ctx *p = fin_running_ctx(ctx, sizeof *p);
  int64_t n = 14;
  if (!p || (argc > 3 && read_period(ctx, argv[3], "n", 1, &p->n, &n))) return;
  if (!p->inited) {
    fin_k_atr_init(&p->k, n);
    p->inited = 1;
  }
  /* the bar: high, low and close, all prices; a NULL in any skips it */
  static const char *const names[] = {"high", "low", "close"};
  const char *fn = fin_fn_of(ctx)->name;
  double hlc[3];
  int null = 0;
  char *err = NULL;
  p->b.rows++;
  for (int i = 0; i < 3; i++) {
    int rc = fin_read_price(argv[i], fn, names[i], &hlc[i], &err);
    if (rc == FIN_READ_ERR) {
      fin_result_error(ctx, err);
      return;
    }
    null |= rc == FIN_READ_NULL;
  }
  p->b.last_null = null;
  if (null) return;
  if (hlc[1] > hlc[0]) {
    char *high = fin_describe(argv[0]);
    char *rule = high ? sqlite3_mprintf("<= high (%s)", high) : NULL;
    fin_result_error(ctx, rule ? fin_must_be(fn, "low", rule, argv[1]) : NULL);
    sqlite3_free(rule);
    sqlite3_free(high);
    return;
  }
  p->has = fin_k_atr_push(&p->k, hlc[0], hlc[1], hlc[2], &p->v);
}

static void atr_result(sqlite3_context *ctx, atr_ctx *p) {
  if (p) result(ctx, &p->b, p->has, p->v);
}
static void atr_value(sqlite3_context *ctx) { atr_result(ctx, fin_running_valued(ctx)); }
static void atr_final(sqlite3_context *ctx) {
  atr_ctx *p = fin_running_ctx(ctx, 0);
  if (p && !fin_running_as_aggregate(ctx, &p->b)) atr_result(ctx, p);
}

/* ------------------------------------------------------------- fin_zscore */
typedef struct zscore_ctx {
  fin_running b;
  int inited;
  fin_moms q; /* the frame's values */
  double last;
} zscore_ctx;

static void zscore_step(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  zscore_ctx *p = fin_running_ctx(ctx, sizeof *p);
  if (!p) return;
  if (!p->inited) {
    fin_k_moms_init(&p->q);
    p->inited = 1;
  }
  double x;
  if (!fin_running_number(ctx, &p->b, argv[0], "x", &x)) return;
  if (fin_k_moms_push(&p->q, x, 0.0, 0.0)) sqlite3_result_error_nomem(ctx);
  else p->last = x;
}

/* The oldest row leaves; a NULL row was never in (the same rule as xStep). */
static void zscore_inverse(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  zscore_ctx *p = fin_running_ctx(ctx, 0);
  if (p && p->inited && sqlite3_value_type(argv[0]) != SQLITE_NULL && fin_k_moms_pop(&p->q))
    sqlite3_result_error_nomem(ctx);
}

static void zscore_result(sqlite3_context *ctx, zscore_ctx *p) {
  if (!p || !p->inited) return;
  fin_mom m = fin_k_moms_query(&p->q);
  double sd = fin_k_mom_sd_x(&p->q, &m); /* NaN below 2 values */
  if (sd > 0.0) result(ctx, &p->b, 1, (p->last - fin_k_mom_mean_x(&p->q, &m)) / sd);
}
static void zscore_value(sqlite3_context *ctx) { zscore_result(ctx, fin_running_valued(ctx)); }
static void zscore_final(sqlite3_context *ctx) {
  zscore_ctx *p = fin_running_ctx(ctx, 0);
  if (!p) return;
  if (!fin_running_as_aggregate(ctx, &p->b)) zscore_result(ctx, p);
  if (p->inited) fin_k_moms_free(&p->q);
}

/* ------------------------------------------------------- fin_percent_rank */
typedef struct prank_ctx {
  fin_running b;
  int inited;
  fin_ranks t; /* the frame's values */
  double last;
} prank_ctx;

static void prank_step(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  prank_ctx *p = fin_running_ctx(ctx, sizeof *p);
  if (!p) return;
  if (!p->inited) {
    fin_k_ranks_init(&p->t);
    p->inited = 1;
  }
  double x;
  if (!fin_running_number(ctx, &p->b, argv[0], "x", &x)) return;
  if (fin_k_ranks_insert(&p->t, x)) sqlite3_result_error_nomem(ctx);
  else p->last = x;
}

static void prank_inverse(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  prank_ctx *p = fin_running_ctx(ctx, 0);
  int t = sqlite3_value_type(argv[0]);
  /* xStep let only numbers in; the value that leaves is the one it read */
  if (p && p->inited && (t == SQLITE_INTEGER || t == SQLITE_FLOAT))
    fin_k_ranks_remove(&p->t, t == SQLITE_INTEGER ? (double)sqlite3_value_int64(argv[0])
                                                  : sqlite3_value_double(argv[0]));
}

static void prank_result(sqlite3_context *ctx, prank_ctx *p) {
  if (!p || !p->inited) return;
  int64_t n = fin_k_ranks_count(&p->t);
  if (n >= 2) result(ctx, &p->b, 1, (double)fin_k_ranks_below(&p->t, p->last) / (double)(n - 1));
}
static void prank_value(sqlite3_context *ctx) { prank_result(ctx, fin_running_valued(ctx)); }
static void prank_final(sqlite3_context *ctx) {
  prank_ctx *p = fin_running_ctx(ctx, 0);
  if (!p) return;
  if (!fin_running_as_aggregate(ctx, &p->b)) prank_result(ctx, p);
  if (p->inited) fin_k_ranks_free(&p->t);
}

/* ------------------------------------------------------------ registration */
#define IND(nm, n, use, fam, inv)                                                            \
  {.name = nm, .nArg = n, .flags = FIN_PURE, .usage = use, .xStep = fam##_step,              \
   .xFinal = fam##_final, .xValue = fam##_value, .xInverse = inv}
#define MACD_USE "price [, fast, slow, signal [, part]]"
#define BOLL_USE "price, n [, k [, part]]"

static const fin_fn indicators[] = {
    IND("fin_ema", 2, "x, n", ema, no_sliding_inverse),
    IND("fin_rsi", 1, "price [, n]", rsi, no_sliding_inverse),
    IND("fin_rsi", 2, "price [, n]", rsi, no_sliding_inverse),
    IND("fin_macd", 1, MACD_USE, macd, no_sliding_inverse),
    IND("fin_macd", 4, MACD_USE, macd, no_sliding_inverse),
    IND("fin_macd", 5, MACD_USE, macd, no_sliding_inverse),
    IND("fin_bollinger", 2, BOLL_USE, boll, no_sliding_inverse),
    IND("fin_bollinger", 3, BOLL_USE, boll, no_sliding_inverse),
    IND("fin_bollinger", 4, BOLL_USE, boll, no_sliding_inverse),
    IND("fin_atr", 3, "high, low, close [, n]", atr, no_sliding_inverse),
    IND("fin_atr", 4, "high, low, close [, n]", atr, no_sliding_inverse),
    IND("fin_zscore", 1, "x", zscore, zscore_inverse),
    IND("fin_percent_rank", 1, "x", prank, prank_inverse),
};
const fin_fn_list fin_indicator_fns = FIN_FN_LIST(indicators);

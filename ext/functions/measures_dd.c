/*
** measures_dd.c - measures built on drawdowns, usable as plain aggregates
** and as window functions over any frame (sliding included):
**
**   fin_calmar(time, price)                 fin_cagr(time, price) / |max drawdown|
**   fin_recovery_factor(price)              total return / |max drawdown|
**   fin_ulcer_index(price)                  sqrt(sum of dd^2 / returns)
**   fin_pain_index(price)                   sum of |dd| / returns
**   fin_drawdown_length(price)              rows since the frame's high
**   fin_drawdown_days(time, price)          days since the frame's high
**   fin_longest_drawdown_length(price)      the longest episode, in rows
**   fin_longest_drawdown_days(time, price)  the longest episode, in days
**
** docs/measures.md gives each definition and the anchor it follows.
**
** Requirements:
**  1. The drawdown of a price is price / the highest price of the frame up
**     to it - 1. The frame's rows are its prices: the one-argument forms
**     in the order SQLite feeds them (the window's ORDER BY), the
**     (time, price) forms in time order whatever the order (timed.c, as
**     fin_max_drawdown(time, price)); a repeated time is an error. NULL
**     prices (and times) are skipped; rows count prices.
**  2. The Ulcer and pain indices divide by the frame's returns, n - 1 for
**     n prices (PerformanceAnalytics' UlcerIndex and PainIndex over the
**     returns whose wealth starts at the first price).
**  3. An episode under water follows fin_drawdowns: from the last row at
**     the high to the first row back at or above it, or to the frame's
**     last row while open; its length counts rows between the two, its
**     days are the difference of their times (Julian days for ISO text,
**     the numbers themselves otherwise), an integer when whole.
**  4. Undefined is NULL: no price; one price for the indices, the
**     recovery factor and Calmar (one time); a frame with no drawdown for
**     the two ratios (a zero divisor).
**  5. Sliding frames: Calmar and the recovery factor keep the frame's
**     maximum drawdown in a two-stack queue (fin_swag), O(1) amortized a
**     row. The indices and the episodes depend on the running high from
**     the frame's start, which changes for the rows up to the next price
**     at least as high as the one leaving: k_underwater.c keeps the
**     frame's chain of running highs, each with its rows summed, and
**     scans again only those rows when a high leaves (O(1) amortized a
**     row plus that scan: a few rows in practice, the frame at worst, a
**     frame that only falls).
**  6. A plain aggregate keeps constant memory (fin_keep): the running
**     summaries stay, the rows go. (time, price) rows out of time order
**     (a plain aggregate over unsorted rows, a window ordered otherwise)
**     go to an ordered map (O(log n) a row): Calmar reads its summary
**     there; the times under water walk the frame in time order for each
**     answer (O(frame)).
**  7. xValue never frees; xFinal always frees, even after an error; after
**     memory ran out it frees without answering.
*/
#include <math.h>
#include "../fin_ext.h"

enum { DD_ULCER, DD_PAIN, DD_LENGTH, DD_DAYS, DD_LONGEST, DD_LONGEST_DAYS };

/* ----------------------------------------------- the indices, time under water */
typedef struct uw_ctx {
  int inited;
  fin_uw u;      /* the frame's drawdowns, in order (k_underwater.c) */
  fin_keep keep; /* one-argument form: a plain aggregate keeps the summary only */
  fin_timed tm;  /* (time, price) form: the order, and the map out of order */
  int nomem;     /* memory ran out: the parts may disagree, no answer */
} uw_ctx;

static uw_ctx *uw_get(sqlite3_context *ctx) {
  uw_ctx *p = sqlite3_aggregate_context(ctx, sizeof *p);
  if (!p) sqlite3_result_error_nomem(ctx);
  if (p && !p->inited) {
    fin_k_uw_init(&p->u);
    fin_timed_init(&p->tm, FIN_SWAG_MAXDD, 1);
    p->inited = 1;
  }
  return p;
}

static void uw_nomem(sqlite3_context *ctx, uw_ctx *p) {
  p->nomem = 1;
  sqlite3_result_error_nomem(ctx);
}

static void uw_step(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  uw_ctx *p = uw_get(ctx);
  if (!p) return;
  double v;
  if (argc == 2) {
    int moved, dropped;
    if (fin_timed_step(ctx, &p->tm, argv, &v, &moved, &dropped) != FIN_READ_OK) return;
    if (p->tm.unordered) return; /* the map holds the pairs; answers walk it */
    double t = p->tm.keep.dropped ? p->tm.t1 : fin_k_ring_at(&p->tm.t, p->tm.t.len - 1);
    if (fin_k_uw_push(&p->u, t, v)) uw_nomem(ctx, p);
    else if (p->tm.keep.dropped) fin_k_uw_fold(&p->u);
    return;
  }
  char *err = NULL;
  int rc = fin_read_price(argv[0], fin_fn_of(ctx)->name, "price", &v, &err);
  if (rc == FIN_READ_ERR) fin_result_error(ctx, err);
  if (rc != FIN_READ_OK) return;
  if (fin_k_uw_push(&p->u, 0.0, v)) uw_nomem(ctx, p);
  else if (fin_keep_step(&p->keep)) fin_k_uw_fold(&p->u);
}

static void uw_inverse(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  uw_ctx *p = sqlite3_aggregate_context(ctx, 0);
  if (!p || !p->inited) return;
  if (argc == 2) {
    int skip;
    if (fin_timed_inverse(ctx, &p->tm, argv, &skip) == 0 && !skip && !p->tm.unordered &&
        fin_k_uw_pop(&p->u))
      uw_nomem(ctx, p);
    return;
  }
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL || fin_keep_inverse(ctx, &p->keep)) return;
  if (fin_k_uw_pop(&p->u)) uw_nomem(ctx, p);
}

/* Days, or other time units: an integer when whole (as fin_drawdowns). */
static void result_span(sqlite3_context *ctx, double d) {
  if (fabs(d) < 9e15 && d == floor(d)) sqlite3_result_int64(ctx, (sqlite3_int64)d);
  else fin_result_double(ctx, d);
}

static void uw_answer(sqlite3_context *ctx, const fin_uw *u) {
  int64_t n = fin_k_uw_count(u);
  if (n < 1) return;
  fin_uwsum s = fin_k_uw_total(u);
  switch (fin_fn_of(ctx)->variant) {
    case DD_ULCER:
      if (n >= 2) fin_result_double(ctx, sqrt(s.s2 / (double)(n - 1)));
      break;
    case DD_PAIN:
      if (n >= 2) fin_result_double(ctx, s.s1 / (double)(n - 1));
      break;
    case DD_LENGTH: sqlite3_result_int64(ctx, fin_k_uw_current(u)); break;
    case DD_DAYS: result_span(ctx, fin_k_uw_current_t(u)); break;
    case DD_LONGEST: sqlite3_result_int64(ctx, s.len); break;
    case DD_LONGEST_DAYS: result_span(ctx, s.span); break;
  }
}

static void uw_result(sqlite3_context *ctx, uw_ctx *p) {
  if (!p || !p->inited || p->nomem) return;
  if (!p->tm.unordered) {
    uw_answer(ctx, &p->u);
    return;
  }
  /* out of time order: walk the map's pairs in order, once */
  size_t n = fin_timed_count(&p->tm);
  if (!n) return;
  double *times, *v = fin_timed_sorted(ctx, &p->tm, &times);
  if (!v) return;
  fin_uw u;
  fin_k_uw_init(&u);
  fin_k_uw_fold(&u); /* nothing leaves: the summary alone, no memory */
  for (size_t i = 0; i < n; i++) fin_k_uw_push(&u, times[i], v[i]);
  sqlite3_free(v);
  uw_answer(ctx, &u);
}

static void uw_value(sqlite3_context *ctx) {
  uw_ctx *p = sqlite3_aggregate_context(ctx, 0);
  if (p) {
    fin_keep_value(&p->keep);
    fin_timed_value(&p->tm);
  }
  uw_result(ctx, p);
}

static void uw_final(sqlite3_context *ctx) {
  uw_ctx *p = sqlite3_aggregate_context(ctx, 0);
  uw_result(ctx, p);
  if (!p || !p->inited) return;
  fin_k_uw_free(&p->u);
  fin_timed_free(&p->tm);
}

/* ------------------------------------------ fin_calmar, fin_recovery_factor */
/* variant: 0 fin_recovery_factor(price), 1 fin_calmar(time, price) */
typedef struct ratio_ctx {
  int inited;
  fin_swag s;    /* the frame's prices in order: their maximum drawdown */
  fin_ring v;    /* fin_recovery_factor: the frame's prices, for the first */
  fin_keep keep; /* fin_recovery_factor: a plain aggregate keeps... */
  double first, last; /* ...the first and last price, and s's summary */
  fin_timed tm;  /* fin_calmar */
} ratio_ctx;

static ratio_ctx *ratio_get(sqlite3_context *ctx) {
  ratio_ctx *p = sqlite3_aggregate_context(ctx, sizeof *p);
  if (!p) sqlite3_result_error_nomem(ctx);
  if (p && !p->inited) {
    fin_k_swag_init(&p->s, FIN_SWAG_MAXDD);
    fin_timed_init(&p->tm, FIN_SWAG_MAXDD, 1);
    p->inited = 1;
  }
  return p;
}

static void ratio_step(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  ratio_ctx *p = ratio_get(ctx);
  if (!p) return;
  double v;
  if (argc == 2) {
    int moved, dropped;
    if (fin_timed_step(ctx, &p->tm, argv, &v, &moved, &dropped) != FIN_READ_OK) return;
    if (moved) fin_k_swag_free(&p->s); /* the map keeps the summary from now on */
    if (p->tm.unordered) return;
    if (fin_k_swag_push(&p->s, v)) sqlite3_result_error_nomem(ctx);
    else if (dropped) fin_k_swag_fold(&p->s);
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
    return;
  }
  if (fin_k_swag_push(&p->s, v)) {
    if (!p->keep.dropped) p->v.len--;
    sqlite3_result_error_nomem(ctx);
  } else if (!p->keep.dropped && fin_keep_step(&p->keep)) {
    p->first = fin_k_ring_at(&p->v, 0);
    p->last = v;
    fin_k_ring_free(&p->v);
    fin_k_swag_fold(&p->s);
  }
}

static void ratio_inverse(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  ratio_ctx *p = sqlite3_aggregate_context(ctx, 0);
  if (!p || !p->inited) return;
  if (argc == 2) {
    int skip;
    if (fin_timed_inverse(ctx, &p->tm, argv, &skip) == 0 && !skip && !p->tm.unordered &&
        fin_k_swag_pop(&p->s))
      sqlite3_result_error_nomem(ctx);
    return;
  }
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL || fin_keep_inverse(ctx, &p->keep)) return;
  fin_k_ring_pop(&p->v);
  if (fin_k_swag_pop(&p->s)) sqlite3_result_error_nomem(ctx);
}

static void ratio_result(sqlite3_context *ctx, ratio_ctx *p) {
  if (!p || !p->inited) return;
  double mdd, r = NAN;
  if (fin_fn_of(ctx)->variant == 1) {
    double t0, v0, t1, v1;
    if (!fin_timed_ends(&p->tm, &t0, &v0, &t1, &v1) || !(t1 > t0)) return;
    mdd = p->tm.unordered ? fin_k_tmap_summary(&p->tm.map).c : fin_k_swag_query(&p->s).c;
    if (mdd < 0) r = fin_k_cagr(v0, v1, (t1 - t0) / 365.25) / -mdd;
  } else {
    double first, last;
    if (p->keep.dropped) {
      first = p->first;
      last = p->last;
    } else if (p->v.len >= 2) {
      first = fin_k_ring_at(&p->v, 0);
      last = fin_k_ring_at(&p->v, p->v.len - 1);
    } else {
      return;
    }
    mdd = fin_k_swag_query(&p->s).c;
    if (mdd < 0) r = fin_k_pct_change(last, first) / -mdd;
  }
  if (!isnan(r)) fin_result_double(ctx, r); /* no drawdown: NULL */
}

static void ratio_value(sqlite3_context *ctx) {
  ratio_ctx *p = sqlite3_aggregate_context(ctx, 0);
  if (p) {
    fin_keep_value(&p->keep);
    fin_timed_value(&p->tm);
  }
  ratio_result(ctx, p);
}

static void ratio_final(sqlite3_context *ctx) {
  ratio_ctx *p = sqlite3_aggregate_context(ctx, 0);
  ratio_result(ctx, p);
  if (!p || !p->inited) return;
  fin_k_swag_free(&p->s);
  fin_k_ring_free(&p->v);
  fin_timed_free(&p->tm);
}

/* ------------------------------------------------------------ registration */
#define DDM(nm, n, var, fam)                                                                  \
  {.name = nm, .nArg = n, .flags = FIN_PURE, .variant = var, .xStep = fam##_step,            \
   .xFinal = fam##_final, .xValue = fam##_value, .xInverse = fam##_inverse}

static const fin_fn dd_measures[] = {
    DDM("fin_calmar", 2, 1, ratio),
    DDM("fin_recovery_factor", 1, 0, ratio),
    DDM("fin_ulcer_index", 1, DD_ULCER, uw),
    DDM("fin_pain_index", 1, DD_PAIN, uw),
    DDM("fin_drawdown_length", 1, DD_LENGTH, uw),
    DDM("fin_drawdown_days", 2, DD_DAYS, uw),
    DDM("fin_longest_drawdown_length", 1, DD_LONGEST, uw),
    DDM("fin_longest_drawdown_days", 2, DD_LONGEST_DAYS, uw),
};
const fin_fn_list fin_dd_measure_fns = FIN_FN_LIST(dd_measures);

/*
** measures_periods.c - the best and the worst calendar period, usable as
** plain aggregates and as window functions over any frame:
**
**   fin_best_return(time, price, period)    the highest period return
**   fin_worst_return(time, price, period)   the lowest
**
** (the one-argument forms, the best and worst single return, are in
** measures.c). docs/measures.md gives the definition and the anchors.
**
** Requirements:
**  1. period is 'year', 'quarter', 'month' or 'week' (ISO weeks), any
**     case, the same on every row (rule 7); NULL is an error.
**  2. A period's return is its last price over the last price of the
**     period before, minus 1 (README rule 5, as fin_calendar_returns and
**     fin_ytd_return): the first period of the frame has none, and the
**     period in progress counts with its return to date. time is ISO-8601
**     text or a Julian day number; the rows are ordered by time whatever
**     order they come in (timed.c), a repeated time is an error. NULL
**     times and prices are skipped.
**  3. NULL when no period has its base in the frame (one period or none).
**  4. In time order (OVER (ORDER BY time)) a sliding frame costs O(1)
**     amortized a row (k_periods.c); out of time order the pairs go to an
**     ordered map (O(log n) a row) and each answer walks them in order
**     (O(frame)). A plain aggregate in time order keeps constant memory
**     (fin_keep).
**  5. xValue never frees; xFinal always frees, even after an error; after
**     memory ran out it frees without answering.
*/
#include "../fin_ext.h"

typedef struct per_ctx {
  int inited;
  fin_const period; /* the period's number (fin_period) */
  fin_pext e;       /* in time order: the frame's periods */
  int has_e;        /* e is initialised (the period is known) */
  fin_timed tm;     /* the pairs: order, and the map out of order */
  int nomem;
} per_ctx;

/* The constant period argument; 1 when it is bad (reported). */
static int read_period(sqlite3_context *ctx, per_ctx *p, sqlite3_value *v) {
  const char *fn = fin_fn_of(ctx)->name;
  fin_period per;
  char *err = NULL;
  int r = fin_read_period(v, fn, "period", &per, &err);
  if (r != FIN_READ_OK) {
    if (r == FIN_READ_NULL) err = fin_must_be(fn, "period", FIN_PERIOD_RULE, v);
    fin_result_error(ctx, err); /* NULL: out of memory */
    return 1;
  }
  if (p->period.set && p->period.v != (double)per) {
    static const char *const names[] = {"year", "quarter", "month", "week"}; /* fin_period's order */
    fin_result_error(ctx, sqlite3_mprintf("%s(): period must be the same for every row, got '%s' "
                                          "after '%s'",
                                          fn, names[per], names[(int)p->period.v]));
    return 1;
  }
  p->period.set = 1;
  p->period.v = (double)per;
  if (!p->has_e) {
    fin_k_pext_init(&p->e, per);
    p->has_e = 1;
  }
  return 0;
}

static void per_step(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  per_ctx *p = sqlite3_aggregate_context(ctx, sizeof *p);
  if (!p) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  if (!p->inited) {
    fin_timed_init(&p->tm, FIN_SWAG_MAXDD, 1);
    p->inited = 1;
  }
  if (read_period(ctx, p, argv[2])) return;
  /* periods need dates: a number must be a Julian day (0001 to 9999);
  ** text is read once, by fin_timed_step, and is always in range */
  int ty = sqlite3_value_type(argv[0]);
  if (ty == SQLITE_INTEGER || ty == SQLITE_FLOAT) {
    char *err = NULL;
    double t;
    int is_text;
    if (fin_read_time(argv[0], fin_fn_of(ctx)->name, "time", 1, &t, &is_text, &err) == FIN_READ_ERR) {
      fin_result_error(ctx, err);
      return;
    }
  }
  double v;
  int moved, dropped;
  if (fin_timed_step(ctx, &p->tm, argv, &v, &moved, &dropped) != FIN_READ_OK) return;
  if (moved) fin_k_pext_free(&p->e); /* the map holds the pairs from now on */
  if (p->tm.unordered) return;
  double t = p->tm.keep.dropped ? p->tm.t1 : fin_k_ring_at(&p->tm.t, p->tm.t.len - 1);
  if (fin_k_pext_push(&p->e, t, v)) {
    p->nomem = 1;
    sqlite3_result_error_nomem(ctx);
  } else if (dropped) {
    fin_k_pext_fold(&p->e);
  }
}

static void per_inverse(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  per_ctx *p = sqlite3_aggregate_context(ctx, 0);
  int skip;
  if (!p || !p->inited || !p->has_e) return;
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL || sqlite3_value_type(argv[1]) == SQLITE_NULL) return;
  if (fin_timed_inverse(ctx, &p->tm, argv, &skip) == 0 && !p->tm.unordered) fin_k_pext_drop_first(&p->e);
}

static void per_result(sqlite3_context *ctx, per_ctx *p) {
  if (!p || !p->inited || !p->has_e || p->nomem) return;
  double best, worst;
  int has;
  if (p->tm.unordered) { /* walk the map's pairs in time order */
    size_t n = fin_timed_count(&p->tm);
    if (!n) return;
    double *times, *v = fin_timed_sorted(ctx, &p->tm, &times);
    if (!v) return;
    fin_pext e;
    fin_k_pext_init(&e, (fin_period)p->period.v);
    fin_k_pext_fold(&e); /* nothing leaves: the extremes alone */
    for (size_t i = 0; i < n; i++) fin_k_pext_push(&e, times[i], v[i]);
    sqlite3_free(v);
    has = fin_k_pext_query(&e, &best, &worst);
  } else {
    has = fin_k_pext_query(&p->e, &best, &worst);
  }
  if (has) fin_result_double(ctx, fin_fn_of(ctx)->variant ? worst : best);
}

static void per_value(sqlite3_context *ctx) {
  per_ctx *p = sqlite3_aggregate_context(ctx, 0);
  if (p && p->inited) fin_timed_value(&p->tm);
  per_result(ctx, p);
}

static void per_final(sqlite3_context *ctx) {
  per_ctx *p = sqlite3_aggregate_context(ctx, 0);
  per_result(ctx, p);
  if (!p || !p->inited) return;
  if (p->has_e) fin_k_pext_free(&p->e);
  fin_timed_free(&p->tm);
}

/* ------------------------------------------------------------ registration */
#define PERIOD(nm, var)                                                                       \
  {.name = nm, .nArg = 3, .flags = FIN_PURE, .variant = var, .xStep = per_step,              \
   .xFinal = per_final, .xValue = per_value, .xInverse = per_inverse}

static const fin_fn period_measures[] = {
    PERIOD("fin_best_return", 0),
    PERIOD("fin_worst_return", 1),
};
const fin_fn_list fin_period_measure_fns = FIN_FN_LIST(period_measures);

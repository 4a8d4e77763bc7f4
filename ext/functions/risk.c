/*
** risk.c - the risk aggregates, usable as plain aggregates and as window
** functions over any frame (sliding frames included):
**
**   fin_volatility(price [, periods_per_year])          sd of log returns, annualised
**   fin_sharpe(price [, risk_free [, periods_per_year]])  mean excess / sd, annualised
**   fin_sortino(price [, risk_free [, periods_per_year]]) mean excess / downside dev.
**   fin_beta(ret, benchmark_ret)                        cov / var(benchmark)
**   fin_correlation(x, y)                               Pearson's r
**
** Requirements:
**  1. The price forms take returns between consecutive prices of the frame,
**     in the order SQLite feeds the rows (the window's ORDER BY): a frame
**     of n prices holds n - 1 returns. NULL prices are skipped (rule 2), so
**     a return spans a NULL row. Volatility uses log returns; Sharpe and
**     Sortino simple returns, as their authors defined them.
**  2. periods_per_year (default 252) is a number > 0, risk_free (default
**     0) an annual rate > -1, compounded to the period's rate
**     (1 + risk_free)^(1 / periods_per_year) - 1; both constant (rule 7).
**  3. fin_beta and fin_correlation take numbers (returns, usually) in
**     pairs; a row where either is NULL is skipped.
**  4. Sample statistics (n - 1) for sd, variance and covariance; Sortino's
**     downside deviation is sqrt(sum(min(r - rf, 0)^2) / n), all n returns
**     counted (PerformanceAnalytics' DownsideDeviation, method "full").
**  5. Undefined is NULL: fewer than 2 returns (pairs) for sd, beta and
**     correlation, no return for Sortino, a zero sd or variance where it
**     divides, no downside for Sortino.
**  6. Sliding frames cost O(1) amortized a row with no drift: a two-stack
**     queue of moment summaries (k_moments.c), never a subtraction.
**  7. xValue never frees; xFinal always frees.
**  8. Any finite inputs whose answer is finite give it: the moments are
**     kept on a power-of-two scale (k_moments.c), so 1e-200 and 1e200
**     returns have the correlation and beta that 1 and 2 have.
**  9. A plain aggregate drops its rows after FIN_KEEP_ROWS and keeps the
**     summary (fin_keep): its memory does not grow with the group.
*/
#include <math.h>
#include "../fin_ext.h"

enum { RISK_VOL, RISK_SHARPE, RISK_SORTINO, RISK_BETA, RISK_CORR };

typedef struct risk_ctx {
  int inited;
  fin_moms q;       /* the frame's returns (or pairs) */
  fin_const ppy, rf;
  int resolved;     /* per_year and rf_period are set (first row) */
  double per_year;  /* periods_per_year, 252 unless given */
  double rf_period; /* the period's risk-free return */
  double last;      /* the frame's newest price */
  int64_t prices;   /* prices in the frame */
  fin_keep keep;    /* a plain aggregate keeps its summary only */
} risk_ctx;

static risk_ctx *risk_get(sqlite3_context *ctx) {
  risk_ctx *p = sqlite3_aggregate_context(ctx, sizeof *p);
  if (!p) {
    sqlite3_result_error_nomem(ctx);
    return NULL;
  }
  if (!p->inited) {
    fin_k_moms_init(&p->q);
    p->inited = 1;
  }
  return p;
}

/* The price forms: one more price, one more return with the previous. */
static void price_step(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  risk_ctx *p = risk_get(ctx);
  if (!p) return;
  int kind = fin_fn_of(ctx)->variant;
  /* fin_volatility(price, ppy); fin_sharpe/fin_sortino(price, rf, ppy) */
  int ppy_at = kind == RISK_VOL ? 1 : 2;
  if (kind != RISK_VOL && argc > 1 &&
      fin_const_param(ctx, argv[1], "risk_free", -1.0, "a number > -1", &p->rf))
    return;
  if (argc > ppy_at && fin_const_param(ctx, argv[ppy_at], "periods_per_year", 0.0, "a number > 0", &p->ppy))
    return;
  if (!p->resolved) { /* constants (rule 7): once, not on every row */
    p->per_year = p->ppy.set ? p->ppy.v : 252.0;
    p->rf_period = p->rf.set ? expm1(log1p(p->rf.v) / p->per_year) : 0.0;
    p->resolved = 1;
  }
  char *err = NULL;
  double v;
  int rc = fin_read_price(argv[0], fin_fn_of(ctx)->name, "price", &v, &err);
  if (rc == FIN_READ_ERR) fin_result_error(ctx, err);
  if (rc != FIN_READ_OK) return;
  if (p->prices > 0) {
    double r = kind == RISK_VOL ? fin_k_log_return(v, p->last) : fin_k_pct_change(v, p->last);
    if (fin_k_moms_push(&p->q, r, 0.0, fmin(r - p->rf_period, 0.0))) {
      sqlite3_result_error_nomem(ctx);
      return;
    }
    if (fin_keep_step(&p->keep)) fin_k_moms_fold(&p->q);
  }
  p->last = v;
  p->prices++;
}

/* The oldest price leaves, and with it the return it was the base of. */
static void price_inverse(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  risk_ctx *p = sqlite3_aggregate_context(ctx, 0);
  if (!p || !p->inited || sqlite3_value_type(argv[0]) == SQLITE_NULL) return;
  if (fin_keep_inverse(ctx, &p->keep)) return;
  if (p->prices >= 2 && fin_k_moms_pop(&p->q)) sqlite3_result_error_nomem(ctx);
  p->prices--;
}

static void pair_step(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  risk_ctx *p = risk_get(ctx);
  if (!p) return;
  const char *fn = fin_fn_of(ctx)->name;
  int beta = fin_fn_of(ctx)->variant == RISK_BETA;
  char *err = NULL;
  double x, y;
  int rc = fin_read_number(argv[0], fn, beta ? "ret" : "x", &x, &err);
  if (rc != FIN_READ_ERR) {
    int rc2 = fin_read_number(argv[1], fn, beta ? "benchmark_ret" : "y", &y, &err);
    if (rc2 != FIN_READ_OK) rc = rc2;
  }
  if (rc == FIN_READ_ERR) fin_result_error(ctx, err);
  if (rc != FIN_READ_OK) return;
  if (fin_k_moms_push(&p->q, x, y, 0.0)) sqlite3_result_error_nomem(ctx);
  else if (fin_keep_step(&p->keep)) fin_k_moms_fold(&p->q);
}

static void pair_inverse(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  risk_ctx *p = sqlite3_aggregate_context(ctx, 0);
  if (!p || !p->inited || sqlite3_value_type(argv[0]) == SQLITE_NULL ||
      sqlite3_value_type(argv[1]) == SQLITE_NULL)
    return;
  if (fin_keep_inverse(ctx, &p->keep)) return;
  if (fin_k_moms_pop(&p->q)) sqlite3_result_error_nomem(ctx);
}

static void risk_result(sqlite3_context *ctx, risk_ctx *p) {
  if (!p || !p->inited) return;
  const fin_moms *q = &p->q;
  fin_mom m = fin_k_moms_query(q);
  double ppy = p->per_year, r = NAN;
  switch (fin_fn_of(ctx)->variant) {
    /* the ratios are k_ratios.c's, which fin_summary shares */
    case RISK_VOL: r = fin_k_ratio_volatility(q, &m, ppy); break;
    case RISK_SHARPE: r = fin_k_ratio_sharpe(q, &m, p->rf_period, ppy); break;
    case RISK_SORTINO: r = fin_k_ratio_sortino(q, &m, p->rf_period, ppy); break;
    case RISK_BETA: r = fin_k_mom_beta(q, &m); break;
    case RISK_CORR: r = fin_k_mom_corr(&m); break;
  }
  if (!isnan(r)) fin_result_double(ctx, r); /* NaN: undefined (rule 5), NULL */
}

static void risk_value(sqlite3_context *ctx) {
  risk_ctx *p = sqlite3_aggregate_context(ctx, 0);
  if (p) fin_keep_value(&p->keep);
  risk_result(ctx, p);
}
static void risk_final(sqlite3_context *ctx) {
  risk_ctx *p = sqlite3_aggregate_context(ctx, 0);
  risk_result(ctx, p);
  if (p && p->inited) fin_k_moms_free(&p->q);
}

/* ------------------------------------------------------------ registration */
#define RISK(nm, n, var, fam)                                                                \
  {.name = nm, .nArg = n, .flags = FIN_PURE, .variant = var, .xStep = fam##_step,            \
   .xFinal = risk_final, .xValue = risk_value, .xInverse = fam##_inverse}

static const fin_fn risk[] = {
    RISK("fin_volatility", 1, RISK_VOL, price),  RISK("fin_volatility", 2, RISK_VOL, price),
    RISK("fin_sharpe", 1, RISK_SHARPE, price),   RISK("fin_sharpe", 2, RISK_SHARPE, price),
    RISK("fin_sharpe", 3, RISK_SHARPE, price),   RISK("fin_sortino", 1, RISK_SORTINO, price),
    RISK("fin_sortino", 2, RISK_SORTINO, price), RISK("fin_sortino", 3, RISK_SORTINO, price),
    RISK("fin_beta", 2, RISK_BETA, pair),        RISK("fin_correlation", 2, RISK_CORR, pair),
};
const fin_fn_list fin_risk_fns = FIN_FN_LIST(risk);

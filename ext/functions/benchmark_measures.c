/*
** benchmark_measures.c - measures of a series of returns against a
** benchmark's returns, each an aggregate that is also a window function
** over any frame (sliding frames included):
**
**   fin_tracking_error(ret, benchmark_ret [, periods_per_year])
**       sd(ret - benchmark_ret) * sqrt(periods_per_year)
**   fin_information_ratio(ret, benchmark_ret [, periods_per_year [, method]])
**       'arithmetic': mean(active) / sd(active) * sqrt(periods_per_year)
**       'geometric':  (G(ret) - G(benchmark_ret)) / tracking error
**   fin_treynor(ret, benchmark_ret [, risk_free [, periods_per_year [, method]]])
**       'geometric':  G(ret - rf) / beta
**       'arithmetic': (mean(ret) - rf) * periods_per_year / beta
**   fin_alpha(ret, benchmark_ret [, risk_free [, periods_per_year [, method]]])
**       Jensen's alpha a = mean(ret - rf) - beta * mean(benchmark_ret - rf),
**       'arithmetic': a * periods_per_year; 'compound': (1 + a)^periods_per_year - 1;
**       'geometric':  G(ret) - RF - beta * (G(benchmark_ret) - RF)
**   fin_up_capture, fin_down_capture(ret, benchmark_ret [, periods_per_year [, method]])
**       on the pairs whose benchmark_ret is > 0 (up) or < 0 (down):
**       'geometric': G(ret) / G(benchmark_ret); 'cumulative': (prod(1 + ret) - 1) /
**       (prod(1 + benchmark_ret) - 1); 'arithmetic': mean(ret) / mean(benchmark_ret)
**   fin_up_beta, fin_down_beta(ret, benchmark_ret)
**       cov / var(benchmark_ret) on the pairs whose benchmark_ret is > 0 or < 0
**
** where beta = cov(ret, benchmark_ret) / var(benchmark_ret) over the frame's
** pairs, G(x) = (prod(1 + x))^(periods_per_year / n) - 1 the annualised
** compound growth of n returns, rf the period's risk-free return and RF the
** annual one. docs/benchmark-measures.md says which anchor (empyrical,
** quantstats, PerformanceAnalytics) each method reproduces.
**
** Requirements:
**  1. ret and benchmark_ret are numbers (returns, as fin_beta takes them);
**     a row where either is NULL is skipped, in xInverse too. Text, blobs
**     and +-Inf are errors. ret - benchmark_ret must be finite.
**  2. periods_per_year (default 252) is a number > 0, risk_free (default
**     0) an annual rate > -1, compounded to the period's rate
**     rf = (1 + risk_free)^(1 / periods_per_year) - 1 as fin_sharpe does;
**     method is one of the function's words (case-insensitive), the first
**     listed above by default. All three are constant (rule 7) and checked
**     on every row, NULL rows included.
**  3. Sample statistics (n - 1) for sd, variance and covariance, as in
**     fin_beta.
**  4. Compounding: a product with a factor 1 + x = 0 is 0 (G = -1); one
**     with an odd number of negative factors has no real annualised root
**     (G undefined); otherwise G = expm1(mean(log|1 + x|) * periods_per_year).
**  5. The result is a REAL, finite or an error (fin_result_double: a G
**     that overflows). Undefined is NULL: an empty frame (or side), fewer
**     than 2 pairs where an sd or a beta is needed, a zero sd, variance,
**     beta or denominator where it divides, an undefined G.
**  6. Sliding frames cost O(1) amortized a row with no drift: two-stack
**     queues of moment summaries (k_moments.c), one of the pairs and, for
**     the geometric methods, one of log|1 + x|; never a subtraction.
**     The up and down forms keep only their side's pairs, so a row that
**     leaves is the oldest of its side when it was on that side.
**  7. xValue never frees; xFinal always frees. A plain aggregate drops its
**     rows after FIN_KEEP_ROWS and keeps its summaries (fin_keep).
*/
#include <math.h>
#include "../fin_ext.h"

enum { BM_TE, BM_IR, BM_TREYNOR, BM_ALPHA, BM_UP_CAPTURE, BM_DOWN_CAPTURE, BM_UP_BETA, BM_DOWN_BETA };
enum { M_ARITHMETIC, M_GEOMETRIC, M_COMPOUND, M_CUMULATIVE, M_NONE = -1 };
static const char *const method_names[] = {"arithmetic", "geometric", "compound", "cumulative"};

/* Where each function takes its optional arguments (-1: it has none), and
** the methods it knows, the default first. */
typedef struct bm_args {
  int rf_at, ppy_at, method_at;
  int methods[3];
  int nmethods;
  const char *rule; /* the methods, for messages */
} bm_args;
static const bm_args args_of[] = {
    [BM_TE] = {-1, 2, -1, {M_NONE}, 0, NULL},
    [BM_IR] = {-1, 2, 3, {M_ARITHMETIC, M_GEOMETRIC}, 2, "'arithmetic' or 'geometric'"},
    [BM_TREYNOR] = {2, 3, 4, {M_GEOMETRIC, M_ARITHMETIC}, 2, "'geometric' or 'arithmetic'"},
    [BM_ALPHA] = {2, 3, 4, {M_ARITHMETIC, M_GEOMETRIC, M_COMPOUND}, 3,
                  "'arithmetic', 'geometric' or 'compound'"},
    [BM_UP_CAPTURE] = {-1, 2, 3, {M_GEOMETRIC, M_CUMULATIVE, M_ARITHMETIC}, 3,
                       "'geometric', 'cumulative' or 'arithmetic'"},
    [BM_DOWN_CAPTURE] = {-1, 2, 3, {M_GEOMETRIC, M_CUMULATIVE, M_ARITHMETIC}, 3,
                         "'geometric', 'cumulative' or 'arithmetic'"},
    [BM_UP_BETA] = {-1, -1, -1, {M_NONE}, 0, NULL},
    [BM_DOWN_BETA] = {-1, -1, -1, {M_NONE}, 0, NULL},
};

typedef struct bm_ctx {
  int inited;
  fin_moms q;          /* the pairs' moments (x = ret - benchmark_ret for TE and IR) */
  fin_growth g;        /* geometric methods: the compound growth of each side (k_ratios.c) */
  fin_const ppy, rf;
  int method;          /* M_*, fixed by the first row; M_NONE before */
  int resolved;        /* per_year and rf_period are set (first row) */
  double per_year;     /* periods_per_year, 252 unless given */
  double rf_period;    /* the period's risk-free return */
  fin_keep keep;       /* a plain aggregate keeps its summaries only */
} bm_ctx;

static bm_ctx *bm_get(sqlite3_context *ctx) {
  bm_ctx *p = sqlite3_aggregate_context(ctx, sizeof *p);
  if (!p) {
    sqlite3_result_error_nomem(ctx);
    return NULL;
  }
  if (!p->inited) {
    fin_k_moms_init(&p->q);
    fin_k_growth_init(&p->g);
    p->method = M_NONE;
    p->inited = 1;
  }
  return p;
}

/* The method (rule 2): one of the function's words, the same on every row. */
static int read_method(sqlite3_context *ctx, sqlite3_value *v, const bm_args *a, int *method) {
  const char *fn = fin_fn_of(ctx)->name;
  const char *z = sqlite3_value_type(v) == SQLITE_TEXT ? (const char *)sqlite3_value_text(v) : NULL;
  int m = M_NONE;
  for (int i = 0; z && i < a->nmethods; i++)
    if (sqlite3_stricmp(z, method_names[a->methods[i]]) == 0) m = a->methods[i];
  if (m == M_NONE) {
    fin_result_error(ctx, fin_must_be(fn, "method", a->rule, v));
    return 1;
  }
  if (*method != M_NONE && *method != m) {
    fin_result_error(ctx, sqlite3_mprintf("%s(): method must be the same for every row, got '%s' "
                                          "after '%s'",
                                          fn, method_names[m], method_names[*method]));
    return 1;
  }
  *method = m;
  return 0;
}

/* The side a pair belongs to in the up and down forms; every pair is in
** the others. */
static int on_side(int kind, double b) {
  if (kind == BM_UP_CAPTURE || kind == BM_UP_BETA) return b > 0.0;
  if (kind == BM_DOWN_CAPTURE || kind == BM_DOWN_BETA) return b < 0.0;
  return 1;
}

/* Which queues a function fills under its method. */
static int uses_q(int kind, int method) {
  return !((kind == BM_UP_CAPTURE || kind == BM_DOWN_CAPTURE) && method != M_ARITHMETIC);
}
static int uses_g(int method) { return method == M_GEOMETRIC || method == M_CUMULATIVE; }

/* The two returns a row compounds: ret (less rf for Treynor) and benchmark_ret. */
static void growth_pair(const bm_ctx *p, int kind, double r, double b, double *u, double *v) {
  *u = kind == BM_TREYNOR ? r - p->rf_period : r;
  *v = b;
}

static void bm_step(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  bm_ctx *p = bm_get(ctx);
  if (!p) return;
  const fin_fn *f = fin_fn_of(ctx);
  const bm_args *a = &args_of[f->variant];
  int kind = f->variant;
  if (a->rf_at >= 0 && argc > a->rf_at &&
      fin_const_param(ctx, argv[a->rf_at], "risk_free", -1.0, "a number > -1", &p->rf))
    return;
  if (a->ppy_at >= 0 && argc > a->ppy_at &&
      fin_const_param(ctx, argv[a->ppy_at], "periods_per_year", 0.0, "a number > 0", &p->ppy))
    return;
  if (a->method_at >= 0 && argc > a->method_at && read_method(ctx, argv[a->method_at], a, &p->method))
    return;
  if (!p->resolved) { /* constants (rule 2): once, not on every row */
    if (p->method == M_NONE) p->method = a->methods[0];
    p->per_year = p->ppy.set ? p->ppy.v : 252.0;
    p->rf_period = p->rf.set ? expm1(log1p(p->rf.v) / p->per_year) : 0.0;
    p->resolved = 1;
  }
  char *err = NULL;
  double r, b;
  int rc = fin_read_number(argv[0], f->name, "ret", &r, &err);
  if (rc != FIN_READ_ERR) {
    int rc2 = fin_read_number(argv[1], f->name, "benchmark_ret", &b, &err);
    if (rc2 != FIN_READ_OK) rc = rc2;
  }
  if (rc == FIN_READ_ERR) fin_result_error(ctx, err);
  if (rc != FIN_READ_OK || !on_side(kind, b)) return;
  double x = r, y = b;
  if (kind == BM_TE || kind == BM_IR) { /* the active return */
    x = r - b;
    y = 0.0;
    if (!isfinite(x)) {
      char *zr = fin_describe(argv[0]), *zb = fin_describe(argv[1]);
      fin_result_error(ctx, zr && zb ? sqlite3_mprintf("%s(): ret - benchmark_ret must be finite, got %s - %s",
                                                       f->name, zr, zb)
                                     : NULL);
      sqlite3_free(zr);
      sqlite3_free(zb);
      return;
    }
  }
  if (uses_q(kind, p->method) && fin_k_moms_push(&p->q, x, y, 0.0)) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  if (uses_g(p->method)) {
    double u, v;
    growth_pair(p, kind, r, b, &u, &v);
    if (fin_k_growth_push(&p->g, u, v)) {
      /* q took the pair and g did not: the statement ends on this error */
      sqlite3_result_error_nomem(ctx);
      return;
    }
  }
  if (fin_keep_step(&p->keep)) {
    fin_k_moms_fold(&p->q);
    fin_k_growth_fold(&p->g);
  }
}

/* The oldest row leaves: it mirrors bm_step's skips (rule 1, the side). */
static void bm_inverse(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  bm_ctx *p = sqlite3_aggregate_context(ctx, 0);
  if (!p || !p->inited || !p->resolved || sqlite3_value_type(argv[0]) == SQLITE_NULL ||
      sqlite3_value_type(argv[1]) == SQLITE_NULL)
    return;
  int kind = fin_fn_of(ctx)->variant;
  double r = sqlite3_value_double(argv[0]), b = sqlite3_value_double(argv[1]);
  if (!on_side(kind, b)) return;
  if (fin_keep_inverse(ctx, &p->keep)) return;
  if (uses_q(kind, p->method) && fin_k_moms_pop(&p->q)) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  if (uses_g(p->method)) {
    double u, v;
    growth_pair(p, kind, r, b, &u, &v);
    if (fin_k_growth_pop(&p->g, u, v)) sqlite3_result_error_nomem(ctx);
  }
}

/* G of one side of g (rule 4): (prod(1 + x))^(per_year / n) - 1. */
static double annual_growth(const bm_ctx *p, const fin_mom *m, int side) {
  return fin_k_growth_annual(&p->g, m, side, p->per_year);
}

/* a / b, undefined (NaN) when b is 0 (rule 5). */
static double ratio(double a, double b) { return b != 0.0 ? a / b : NAN; }

static void bm_result(sqlite3_context *ctx, bm_ctx *p) {
  if (!p || !p->inited || !p->resolved) return;
  int kind = fin_fn_of(ctx)->variant;
  const fin_moms *q = &p->q;
  fin_mom m = fin_k_moms_query(q);
  fin_mom gm = fin_k_moms_query(&p->g.g);
  double ppy = p->per_year, rf = p->rf_period, res = NAN;
  switch (kind) {
    case BM_TE: res = fin_k_mom_sd_x(q, &m) * sqrt(ppy); break;
    case BM_IR: {
      if (p->method == M_ARITHMETIC) { /* k_ratios.c's, which fin_summary shares */
        res = fin_k_ratio_information(q, &m, ppy);
        break;
      }
      double te = fin_k_ratio_volatility(q, &m, ppy);
      if (te > 0) res = (annual_growth(p, &gm, 0) - annual_growth(p, &gm, 1)) / te;
      break;
    }
    case BM_TREYNOR: {
      double beta = fin_k_mom_beta(q, &m);
      res = p->method == M_ARITHMETIC ? ratio((fin_k_mom_mean_x(q, &m) - rf) * ppy, beta)
                                      : ratio(annual_growth(p, &gm, 0), beta);
      break;
    }
    case BM_ALPHA: {
      double beta = fin_k_mom_beta(q, &m);
      if (isnan(beta)) break;
      if (p->method == M_GEOMETRIC) {
        /* the annual rate: (1 + rf)^ppy - 1 is risk_free itself */
        double rf_year = p->rf.set ? p->rf.v : 0.0;
        res = annual_growth(p, &gm, 0) - rf_year - beta * (annual_growth(p, &gm, 1) - rf_year);
        break;
      }
      double a = (fin_k_mom_mean_x(q, &m) - rf) - beta * (fin_k_mom_mean_y(q, &m) - rf);
      res = p->method == M_ARITHMETIC ? a * ppy : a > -1.0 ? expm1(log1p(a) * ppy) : NAN;
      break;
    }
    case BM_UP_CAPTURE:
    case BM_DOWN_CAPTURE:
      res = p->method == M_ARITHMETIC ? ratio(fin_k_mom_mean_x(q, &m), fin_k_mom_mean_y(q, &m))
            : p->method == M_GEOMETRIC
                ? fin_k_growth_capture(&p->g, &gm, ppy) /* shared with fin_summary */
                : ratio(fin_k_growth_cumulative(&p->g, &gm, 0), fin_k_growth_cumulative(&p->g, &gm, 1));
      break;
    case BM_UP_BETA:
    case BM_DOWN_BETA: res = fin_k_mom_beta(q, &m); break;
  }
  if (!isnan(res)) fin_result_double(ctx, res); /* NaN: undefined (rule 5), NULL */
}

static void bm_value(sqlite3_context *ctx) {
  bm_ctx *p = sqlite3_aggregate_context(ctx, 0);
  if (p) fin_keep_value(&p->keep);
  bm_result(ctx, p);
}
static void bm_final(sqlite3_context *ctx) {
  bm_ctx *p = sqlite3_aggregate_context(ctx, 0);
  bm_result(ctx, p);
  if (p && p->inited) {
    fin_k_moms_free(&p->q);
    fin_k_growth_free(&p->g);
  }
}

/* ------------------------------------------------------------ registration */
#define BM(nm, n, var)                                                                       \
  {.name = nm, .nArg = n, .flags = FIN_PURE, .variant = var, .xStep = bm_step,               \
   .xFinal = bm_final, .xValue = bm_value, .xInverse = bm_inverse}

static const fin_fn measures[] = {
    BM("fin_tracking_error", 2, BM_TE),        BM("fin_tracking_error", 3, BM_TE),
    BM("fin_information_ratio", 2, BM_IR),     BM("fin_information_ratio", 3, BM_IR),
    BM("fin_information_ratio", 4, BM_IR),     BM("fin_treynor", 2, BM_TREYNOR),
    BM("fin_treynor", 3, BM_TREYNOR),          BM("fin_treynor", 4, BM_TREYNOR),
    BM("fin_treynor", 5, BM_TREYNOR),          BM("fin_alpha", 2, BM_ALPHA),
    BM("fin_alpha", 3, BM_ALPHA),              BM("fin_alpha", 4, BM_ALPHA),
    BM("fin_alpha", 5, BM_ALPHA),              BM("fin_up_capture", 2, BM_UP_CAPTURE),
    BM("fin_up_capture", 3, BM_UP_CAPTURE),    BM("fin_up_capture", 4, BM_UP_CAPTURE),
    BM("fin_down_capture", 2, BM_DOWN_CAPTURE), BM("fin_down_capture", 3, BM_DOWN_CAPTURE),
    BM("fin_down_capture", 4, BM_DOWN_CAPTURE), BM("fin_up_beta", 2, BM_UP_BETA),
    BM("fin_down_beta", 2, BM_DOWN_BETA),
};
const fin_fn_list fin_benchmark_measure_fns = FIN_FN_LIST(measures);

/*
** range_volatility.c - volatility estimated from each session's open, high,
** low and close, annualised; aggregates that are also window functions
** over any frame (sliding frames included):
**
**   fin_parkinson(high, low [, periods_per_year])
**       sqrt(ppy / (4 ln 2) * mean(ln(H/L)^2))
**   fin_garman_klass(open, high, low, close [, periods_per_year])
**       sqrt(ppy * mean(0.5 ln(H/L)^2 - (2 ln 2 - 1) ln(C/O)^2))
**   fin_rogers_satchell(open, high, low, close [, periods_per_year])
**       sqrt(ppy * mean(ln(H/C) ln(H/O) + ln(L/C) ln(L/O)))
**   fin_yang_zhang(open, high, low, close [, periods_per_year])
**       sqrt(ppy * (var(ln(O/C_prev)) + k var(ln(C/O)) + (1 - k) RS)),
**       k = 0.34 / (1.34 + (n + 1) / (n - 1)), RS the Rogers-Satchell mean
**
** with ppy = periods_per_year (default 252), the mean over the frame's
** sessions and var the sample variance (n - 1), as TTR's volatility()
** computes calc = "parkinson", "garman.klass", "rogers.satchell" and
** "yang.zhang" (its alpha 1.34).
**
** Requirements:
**  1. Prices are numbers > 0 (rule 1). A row where any of them is NULL is
**     skipped (rule 2), in xInverse too.
**  2. A bar must be a bar: high >= low, and open and close between low and
**     high (both included); anything else is an error naming the price and
**     the bounds. Yang-Zhang's overnight move (the open against the
**     previous close) may be any size.
**  3. Yang-Zhang needs each session's previous close, so a session counts
**     from the second row of the frame on: the first row gives its close
**     only, and a frame of n + 1 rows holds n sessions (as a frame of n + 1
**     prices holds n returns for fin_volatility). ROWS 21 PRECEDING is
**     TTR's yang.zhang with n = 21.
**  4. periods_per_year (default 252) is a number > 0, the same on every row.
**  5. The result is a REAL >= 0. Undefined is NULL: no session for
**     Parkinson, Garman-Klass and Rogers-Satchell, fewer than 2 sessions
**     for Yang-Zhang (its variances and k need them). A flat bar gives 0,
**     not NULL.
**  6. Sliding frames cost O(1) amortized a row with no drift: a two-stack
**     queue of moment summaries (k_moments.c). Each session's term goes
**     in as x, whose mean is the estimator's variance; Yang-Zhang puts the
**     overnight return in x and the open-to-close return in y (their
**     sample variances) and the Rogers-Satchell term, which is >= 0, as
**     the square of s (k_moments keeps the sum of s^2), so nothing is ever
**     subtracted.
**  7. xValue never frees; xFinal always frees. A plain aggregate drops its
**     rows after FIN_KEEP_ROWS and keeps the summary (fin_keep).
*/
#include <math.h>
#include "../fin_ext.h"

enum { RV_PARKINSON, RV_GARMAN_KLASS, RV_ROGERS_SATCHELL, RV_YANG_ZHANG };

/* ln 2 (M_LN2 is POSIX, not C11) */
static const double LN2 = 0.693147180559945309417232121458176568;

typedef struct rv_ctx {
  int inited;
  fin_moms q;        /* the frame's sessions */
  fin_const ppy;
  double per_year;   /* periods_per_year, 252 unless given */
  double last_close; /* Yang-Zhang: the frame's newest close */
  int64_t rows;      /* Yang-Zhang: rows in the frame */
  fin_keep keep;     /* a plain aggregate keeps its summary only */
} rv_ctx;

static rv_ctx *rv_get(sqlite3_context *ctx) {
  rv_ctx *p = sqlite3_aggregate_context(ctx, sizeof *p);
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

/* The prices a function takes: high, low for Parkinson; open, high, low,
** close for the others. o and c are left alone for Parkinson. */
static int n_prices(int kind) { return kind == RV_PARKINSON ? 2 : 4; }

/* Reads the bar (rule 1, 2): FIN_READ_OK, FIN_READ_NULL or FIN_READ_ERR
** (reported). */
static int read_bar(sqlite3_context *ctx, sqlite3_value **argv, double *o, double *h, double *l,
                    double *c) {
  const fin_fn *f = fin_fn_of(ctx);
  int np = n_prices(f->variant);
  static const char *const names4[] = {"open", "high", "low", "close"};
  static const char *const names2[] = {"high", "low"};
  const char *const *names = np == 4 ? names4 : names2;
  double v[4];
  int any_null = 0;
  for (int i = 0; i < np; i++) {
    char *err = NULL;
    int rc = fin_read_price(argv[i], f->name, names[i], &v[i], &err);
    if (rc == FIN_READ_ERR) {
      fin_result_error(ctx, err);
      return FIN_READ_ERR;
    }
    if (rc == FIN_READ_NULL) any_null = 1;
  }
  if (any_null) return FIN_READ_NULL;
  if (np == 4) {
    *o = v[0], *h = v[1], *l = v[2], *c = v[3];
  } else {
    *h = v[0], *l = v[1];
  }
  /* the bounds and the value as given (fin_describe: 100, not 100.0) */
  sqlite3_value *hv = argv[np == 4 ? 1 : 0], *lv = argv[np == 4 ? 2 : 1];
  char *err = NULL;
  if (!(*h >= *l)) {
    char *lo = fin_describe(lv), *got = fin_describe(hv);
    if (lo && got) err = sqlite3_mprintf("%s(): high must be >= low (%s), got %s", f->name, lo, got);
    sqlite3_free(lo);
    sqlite3_free(got);
    if (!err) {
      sqlite3_result_error_nomem(ctx);
      return FIN_READ_ERR;
    }
  } else if (np == 4) {
    for (int i = 0; i < 4 && !err; i += 3) { /* open, then close */
      if (v[i] >= *l && v[i] <= *h) continue;
      char *lo = fin_describe(lv), *hi = fin_describe(hv), *got = fin_describe(argv[i]);
      if (lo && hi && got)
        err = sqlite3_mprintf("%s(): %s must be between low (%s) and high (%s), got %s", f->name,
                              names[i], lo, hi, got);
      sqlite3_free(lo);
      sqlite3_free(hi);
      sqlite3_free(got);
      if (!err) {
        sqlite3_result_error_nomem(ctx);
        return FIN_READ_ERR;
      }
    }
  }
  if (err) {
    fin_result_error(ctx, err);
    return FIN_READ_ERR;
  }
  return FIN_READ_OK;
}

/* ln(a / b) through the one log return of the kernels. */
static double ln_ratio(double a, double b) { return fin_k_log_return(a, b); }

/* The Rogers-Satchell term of a bar: >= 0 (both products are of two logs
** of one sign, rule 2). */
static double rs_term(double o, double h, double l, double c) {
  return ln_ratio(h, c) * ln_ratio(h, o) + ln_ratio(l, c) * ln_ratio(l, o);
}

static void rv_step(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  rv_ctx *p = rv_get(ctx);
  if (!p) return;
  int kind = fin_fn_of(ctx)->variant;
  int ppy_at = n_prices(kind);
  if (argc > ppy_at) {
    const char *fn = fin_fn_of(ctx)->name;
    char *err = NULL;
    double x;
    int rc = fin_read_number(argv[ppy_at], fn, "periods_per_year", &x, &err);
    if (rc == FIN_READ_NULL || (rc == FIN_READ_OK && !(x > 0.0))) {
      err = fin_must_be(fn, "periods_per_year", "a number > 0", argv[ppy_at]);
      rc = FIN_READ_ERR;
    }
    if (rc == FIN_READ_OK) rc = fin_const_check(&p->ppy, x, fn, "periods_per_year", &err);
    if (rc != FIN_READ_OK) {
      fin_result_error(ctx, err);
      return;
    }
  }
  p->per_year = p->ppy.set ? p->ppy.v : 252.0;
  double o = 0, h, l, c = 0;
  if (read_bar(ctx, argv, &o, &h, &l, &c) != FIN_READ_OK) return;
  double x = 0.0, y = 0.0, s = 0.0;
  int push = 1;
  switch (kind) {
    case RV_PARKINSON: {
      double hl = ln_ratio(h, l);
      x = hl * hl;
      break;
    }
    case RV_GARMAN_KLASS: {
      double hl = ln_ratio(h, l), co = ln_ratio(c, o);
      x = 0.5 * hl * hl - (2.0 * LN2 - 1.0) * co * co;
      break;
    }
    case RV_ROGERS_SATCHELL: x = rs_term(o, h, l, c); break;
    case RV_YANG_ZHANG:
      push = p->rows > 0; /* the first row gives its close only (rule 3) */
      if (push) {
        x = ln_ratio(o, p->last_close);
        y = ln_ratio(c, o);
        s = sqrt(rs_term(o, h, l, c));
      }
      p->last_close = c;
      p->rows++;
      break;
  }
  if (!push) return;
  if (fin_k_moms_push(&p->q, x, y, s)) sqlite3_result_error_nomem(ctx);
  else if (fin_keep_step(&p->keep)) fin_k_moms_fold(&p->q);
}

/* The oldest row leaves, with the session it was in (for Yang-Zhang, the
** session whose previous close it gave). */
static void rv_inverse(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  rv_ctx *p = sqlite3_aggregate_context(ctx, 0);
  if (!p || !p->inited) return;
  int kind = fin_fn_of(ctx)->variant;
  for (int i = 0; i < n_prices(kind); i++)
    if (sqlite3_value_type(argv[i]) == SQLITE_NULL) return;
  if (fin_keep_inverse(ctx, &p->keep)) return;
  if (kind == RV_YANG_ZHANG) {
    int had_session = p->rows >= 2;
    p->rows--;
    if (!had_session) return;
  }
  if (fin_k_moms_pop(&p->q)) sqlite3_result_error_nomem(ctx);
}

static void rv_result(sqlite3_context *ctx, rv_ctx *p) {
  if (!p || !p->inited) return;
  const fin_moms *q = &p->q;
  fin_mom m = fin_k_moms_query(q);
  double ppy = p->per_year, var = NAN;
  switch (fin_fn_of(ctx)->variant) {
    case RV_PARKINSON: var = fin_k_mom_mean_x(q, &m) / (4.0 * LN2); break;
    case RV_GARMAN_KLASS:
    case RV_ROGERS_SATCHELL: var = fin_k_mom_mean_x(q, &m); break;
    case RV_YANG_ZHANG: {
      if (m.n < 2) break;
      double n = m.n, k = 0.34 / (1.34 + (n + 1.0) / (n - 1.0));
      double so = fin_k_mom_sd_x(q, &m), sc = fin_k_mom_sd_y(q, &m), rs = fin_k_mom_down(q, &m);
      var = so * so + k * sc * sc + (1.0 - k) * rs * rs;
      break;
    }
  }
  if (!isnan(var)) fin_result_double(ctx, sqrt(var * ppy)); /* NaN: undefined (rule 5) */
}

static void rv_value(sqlite3_context *ctx) {
  rv_ctx *p = sqlite3_aggregate_context(ctx, 0);
  if (p) fin_keep_value(&p->keep);
  rv_result(ctx, p);
}
static void rv_final(sqlite3_context *ctx) {
  rv_ctx *p = sqlite3_aggregate_context(ctx, 0);
  rv_result(ctx, p);
  if (p && p->inited) fin_k_moms_free(&p->q);
}

/* ------------------------------------------------------------ registration */
#define RV(nm, n, var)                                                                       \
  {.name = nm, .nArg = n, .flags = FIN_PURE, .variant = var, .xStep = rv_step,               \
   .xFinal = rv_final, .xValue = rv_value, .xInverse = rv_inverse}

static const fin_fn range_vol[] = {
    RV("fin_parkinson", 2, RV_PARKINSON),
    RV("fin_parkinson", 3, RV_PARKINSON),
    RV("fin_garman_klass", 4, RV_GARMAN_KLASS),
    RV("fin_garman_klass", 5, RV_GARMAN_KLASS),
    RV("fin_rogers_satchell", 4, RV_ROGERS_SATCHELL),
    RV("fin_rogers_satchell", 5, RV_ROGERS_SATCHELL),
    RV("fin_yang_zhang", 4, RV_YANG_ZHANG),
    RV("fin_yang_zhang", 5, RV_YANG_ZHANG),
};
const fin_fn_list fin_range_volatility_fns = FIN_FN_LIST(range_vol);

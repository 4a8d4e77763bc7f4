/*
** measures.c - measures of the distribution of returns, usable as plain
** aggregates and as window functions over any frame (sliding included):
**
**   fin_skewness(price [, method])        'sample' (default) or 'population'
**   fin_kurtosis(price [, method])        excess kurtosis, the same methods
**   fin_var(price, level [, method])      value at risk, a return
**   fin_cvar(price, level [, method])     expected shortfall, a return
**   fin_tail_ratio(price [, level])       |q(level)| / |q(1 - level)|
**   fin_omega(price [, threshold [, periods_per_year]])
**   fin_win_rate(price)                   gains / (gains + losses), counts
**   fin_profit_factor(price)              sum of gains / |sum of losses|
**   fin_payoff_ratio(price)               mean gain / |mean loss|
**   fin_best_return(price), fin_worst_return(price)
**
** docs/measures.md gives each definition and the anchor it follows.
**
** Requirements:
**  1. Returns are simple returns between consecutive prices of the frame,
**     in the order SQLite feeds the rows (the window's ORDER BY), as the
**     risk aggregates take them: a frame of n prices holds n - 1 returns;
**     NULL prices are skipped, so a return spans a NULL row. Prices follow
**     rule 1 (> 0, numbers).
**  2. level is a confidence level, a number > 0.5 and < 1 (0.95: the 5%
**     tail), so that 0.05 given for 95% is an error, not the other tail.
**     threshold is an annual rate > -1 compounded to the period's rate
**     (1 + threshold)^(1 / periods_per_year) - 1, as empyrical's omega
**     takes required_return; periods_per_year a number > 0 (default 252).
**     method is text, one of the names above (case does not matter).
**     Every one of them is the same on every row (rule 7); NULL is an
**     error.
**  3. VaR and CVaR are returns: a loss is negative. method 'historical'
**     (the default) is the type-7 quantile of the returns and the mean of
**     the returns at ranks up to its lower rank; 'gaussian' and
**     'cornish-fisher' use the population moments (k_tails.c).
**  4. Undefined is NULL: no return; fewer than 3 returns for the sample
**     skewness and 4 for the sample kurtosis, 2 for the population ones
**     and for the parametric VaR and CVaR, 2 for Omega (empyrical's
**     rule); a zero deviation where it divides (skewness, kurtosis,
**     Cornish-Fisher); a zero denominator (no loss for Omega and the
**     profit factor, no gain or no loss for the payoff ratio, no return
**     other than 0 for the win rate, a zero lower quantile for the tail
**     ratio).
**  5. Sliding frames: the moments (fin_moms, k_moments.c) and the gains
**     and losses (fin_tally, k_tally.c) are two-stack queues: O(1)
**     amortized a row, nothing subtracted, no drift. The quantiles
**     (historical VaR and CVaR, the tail ratio) keep the frame's returns
**     in fin_qsel: O(log n) a row while the frame grows, a binary search
**     and one memmove of at most the frame once it slides; the historical
**     CVaR adds the tail's values at every result, O(alpha n).
**  6. A plain aggregate keeps constant memory where the measure allows it
**     (fin_keep: moments and tallies fold their rows into their summary);
**     the quantile measures need every return.
**  7. xValue never frees; xFinal always frees, even after an error; after
**     memory ran out it frees without answering (a quantile's heaps may be
**     half rebalanced then).
*/
#include <math.h>
#include "../fin_ext.h"

enum {
  M_SKEW,
  M_KURT,
  M_VAR,
  M_CVAR,
  M_TAIL,
  M_OMEGA,
  M_WIN,
  M_PROFIT,
  M_PAYOFF,
  M_BEST,
  M_WORST
};

/* What each method argument may name, in the order of its number. */
static const char *const moment_methods[] = {"sample", "population"};
static const char *const tail_methods[] = {"historical", "gaussian", "cornish-fisher"};
enum { TAIL_HIST, TAIL_GAUSS, TAIL_CF };

typedef struct meas_ctx {
  int inited;
  int kind;
  fin_const level, method, thr, ppy;
  int resolved;     /* the constants below are set (first row) */
  double alpha;     /* 1 - level */
  double z;         /* the normal alpha quantile (parametric methods) */
  double cut;       /* omega: the period's threshold */
  int m;            /* the method's number */
  int use_moms, use_tally, use_q; /* which summaries this measure keeps */
  fin_moms q;       /* moments of the frame's returns */
  fin_tally t;      /* gains and losses of the returns less cut */
  fin_qsel lo, hi;  /* the returns by rank: alpha (and 1 - alpha for the tail ratio) */
  fin_ring rets;    /* the frame's returns in order, for fin_qsel's removals */
  double last;      /* the frame's newest price */
  int64_t prices;   /* prices in the frame */
  fin_keep keep;
  int nomem;        /* memory ran out: the summaries may be half updated, no answer */
} meas_ctx;

static meas_ctx *meas_get(sqlite3_context *ctx) {
  meas_ctx *p = sqlite3_aggregate_context(ctx, sizeof *p);
  if (!p) {
    sqlite3_result_error_nomem(ctx);
    return NULL;
  }
  if (!p->inited) {
    p->kind = fin_fn_of(ctx)->variant;
    fin_k_moms_init(&p->q);
    fin_k_tally_init(&p->t);
    p->inited = 1;
  }
  return p;
}

/* A constant number (rule 7) with lo < x < hi (hi: +Inf for none). */
static int read_const(sqlite3_context *ctx, sqlite3_value *v, const char *arg, double lo,
                      double hi, const char *rule, fin_const *c, double *out) {
  const char *fn = fin_fn_of(ctx)->name;
  char *err = NULL;
  int rc = fin_read_number(v, fn, arg, out, &err);
  if (rc == FIN_READ_OK && !(*out > lo && *out < hi)) {
    err = fin_must_be(fn, arg, rule, v);
    rc = FIN_READ_ERR;
  } else if (rc == FIN_READ_NULL) {
    err = sqlite3_mprintf("%s(): %s must be %s, got NULL", fn, arg, rule);
    rc = FIN_READ_ERR;
  }
  if (rc == FIN_READ_OK) rc = fin_const_check(c, *out, fn, arg, &err);
  if (rc != FIN_READ_OK) fin_result_error(ctx, err);
  return rc != FIN_READ_OK;
}

/* A constant choice among names (case-insensitive): *out its number. */
static int read_method(sqlite3_context *ctx, sqlite3_value *v, const char *const *names, int n,
                       const char *rule, fin_const *c, int *out) {
  const char *fn = fin_fn_of(ctx)->name;
  const char *z = sqlite3_value_type(v) == SQLITE_TEXT ? (const char *)sqlite3_value_text(v) : NULL;
  int i = 0;
  while (z && i < n && sqlite3_stricmp(z, names[i]) != 0) i++;
  if (!z || i == n) {
    if (sqlite3_value_type(v) == SQLITE_TEXT && !z) sqlite3_result_error_nomem(ctx);
    else fin_result_error(ctx, fin_must_be(fn, "method", rule, v));
    return 1;
  }
  if (c->set && c->v != i) {
    fin_result_error(ctx, sqlite3_mprintf("%s(): method must be the same for every row, got '%s' "
                                          "after '%s'",
                                          fn, names[i], names[(int)c->v]));
    return 1;
  }
  c->set = 1;
  c->v = i;
  *out = i;
  return 0;
}

/* The constant arguments of each measure; 1 when one is bad (reported). */
static int read_args(sqlite3_context *ctx, meas_ctx *p, int argc, sqlite3_value **argv) {
  double x;
  int m = 0;
  switch (p->kind) {
    case M_SKEW:
    case M_KURT:
      if (argc > 1 && read_method(ctx, argv[1], moment_methods, 2, "'sample' or 'population'",
                                  &p->method, &m))
        return 1;
      break;
    case M_VAR:
    case M_CVAR:
    case M_TAIL:
      if (argc > 1 && read_const(ctx, argv[1], "level", 0.5, 1.0,
                                 "a number > 0.5 and < 1 (0.95 for 95%)", &p->level, &x))
        return 1;
      if (argc > 2 && read_method(ctx, argv[2], tail_methods, 3,
                                  "'historical', 'gaussian' or 'cornish-fisher'", &p->method, &m))
        return 1;
      break;
    case M_OMEGA:
      if (argc > 1 && read_const(ctx, argv[1], "threshold", -1.0, INFINITY, "a number > -1", &p->thr, &x))
        return 1;
      if (argc > 2 &&
          read_const(ctx, argv[2], "periods_per_year", 0.0, INFINITY, "a number > 0", &p->ppy, &x))
        return 1;
      break;
  }
  if (p->resolved) return 0;
  /* constants (rule 7): worked out once, on the first row */
  p->m = m;
  p->alpha = 1.0 - (p->level.set ? p->level.v : 0.95);
  p->z = fin_k_norm_quantile(p->alpha);
  double per_year = p->ppy.set ? p->ppy.v : 252.0;
  p->cut = p->thr.set ? expm1(log1p(p->thr.v) / per_year) : 0.0;
  int hist = p->kind == M_TAIL || (p->kind <= M_CVAR && p->kind >= M_VAR && m == TAIL_HIST);
  p->use_q = hist;
  p->use_moms = p->kind <= M_CVAR && !hist;
  p->use_tally = p->kind >= M_OMEGA;
  if (hist) {
    fin_k_qsel_init(&p->lo, p->alpha);
    fin_k_qsel_init(&p->hi, 1.0 - p->alpha);
  }
  p->resolved = 1;
  return 0;
}

/* One more return into the summaries this measure keeps. */
static int push_return(meas_ctx *p, double r) {
  int drop = 0;
  if (p->use_moms) {
    if (fin_k_moms_push(&p->q, r, 0.0, 0.0)) return FIN_NOMEM;
    drop = fin_keep_step(&p->keep);
    if (drop) fin_k_moms_fold(&p->q);
  } else if (p->use_tally) {
    if (fin_k_tally_push(&p->t, r - p->cut)) return FIN_NOMEM;
    drop = fin_keep_step(&p->keep);
    if (drop) fin_k_tally_fold(&p->t);
  } else {
    /* the ring first: a failure there leaves the ranks untouched */
    if (!p->keep.dropped && fin_k_ring_push(&p->rets, r)) return FIN_NOMEM;
    if (fin_k_qsel_push(&p->lo, r)) {
      if (!p->keep.dropped) p->rets.len--;
      return FIN_NOMEM;
    }
    if (p->kind == M_TAIL && fin_k_qsel_push(&p->hi, r)) {
      fin_k_qsel_remove(&p->lo, r);
      if (!p->keep.dropped) p->rets.len--;
      return FIN_NOMEM;
    }
    /* a plain aggregate needs no order of its returns: only their ranks */
    if (fin_keep_step(&p->keep)) fin_k_ring_free(&p->rets);
  }
  return FIN_OK;
}

static void meas_step(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  meas_ctx *p = meas_get(ctx);
  if (!p || read_args(ctx, p, argc, argv)) return;
  char *err = NULL;
  double v;
  int rc = fin_read_price(argv[0], fin_fn_of(ctx)->name, "price", &v, &err);
  if (rc == FIN_READ_ERR) fin_result_error(ctx, err);
  if (rc != FIN_READ_OK) return;
  if (p->prices > 0 && push_return(p, fin_k_pct_change(v, p->last))) {
    p->nomem = 1;
    sqlite3_result_error_nomem(ctx);
    return;
  }
  p->last = v;
  p->prices++;
}

/* The oldest price leaves, and with it the return it was the base of. */
static void meas_inverse(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  meas_ctx *p = sqlite3_aggregate_context(ctx, 0);
  if (!p || !p->inited || !p->resolved || sqlite3_value_type(argv[0]) == SQLITE_NULL) return;
  if (fin_keep_inverse(ctx, &p->keep)) return;
  if (p->prices >= 2) {
    int rc = FIN_OK;
    if (p->use_moms) rc = fin_k_moms_pop(&p->q);
    else if (p->use_tally) rc = fin_k_tally_pop(&p->t);
    else if (p->rets.len) {
      double r = fin_k_ring_at(&p->rets, 0);
      rc = fin_k_qsel_remove(&p->lo, r);
      if (rc == FIN_OK && p->kind == M_TAIL) rc = fin_k_qsel_remove(&p->hi, r);
      fin_k_ring_pop(&p->rets);
    }
    if (rc) {
      p->nomem = 1;
      sqlite3_result_error_nomem(ctx);
    }
  }
  p->prices--;
}

/* The population moments the parametric methods take (k_tails.c); 0 when
** fewer than 2 returns, or (need_dev) a zero deviation. The skewness and
** kurtosis are ratios of the scaled moments: the scale cancels. */
static int tail_moments(const meas_ctx *p, const fin_mom *m, int need_dev, fin_tail_moments *out) {
  if (m->n < 2 || (need_dev && !(m->cxx > 0))) return 0;
  out->mean = fin_k_mom_mean_x(&p->q, m);
  out->sd = ldexp(sqrt(m->cxx / m->n), p->q.ex);
  out->skew = m->cxx > 0 ? sqrt(m->n) * m->m3 / (m->cxx * sqrt(m->cxx)) : 0.0;
  out->exkurt = m->cxx > 0 ? m->n * m->m4 / (m->cxx * m->cxx) - 3.0 : 0.0;
  return 1;
}

/* Skewness or kurtosis; NaN where undefined (requirement 4). */
static double moment_answer(const meas_ctx *p, const fin_mom *m) {
  double n = m->n, c = m->cxx;
  int sample = p->m == 0;
  if (!(c > 0) || n < (p->kind == M_SKEW ? (sample ? 3 : 2) : (sample ? 4 : 2))) return NAN;
  if (p->kind == M_SKEW) {
    double g = m->m3 / (c * sqrt(c));
    return sample ? n * sqrt(n - 1.0) / (n - 2.0) * g : sqrt(n) * g;
  }
  double g = m->m4 / (c * c);
  if (!sample) return n * g - 3.0;
  return (n + 1.0) * n * (n - 1.0) / ((n - 2.0) * (n - 3.0)) * g -
         3.0 * (n - 1.0) * (n - 1.0) / ((n - 2.0) * (n - 3.0));
}

static double tally_answer(const meas_ctx *p) {
  fin_tsum s = fin_k_tally_query(&p->t);
  if (s.n < 1) return NAN;
  switch (p->kind) {
    case M_OMEGA: return s.n >= 2 && s.sneg < 0 ? s.spos / -s.sneg : NAN;
    case M_WIN: return s.npos + s.nneg > 0 ? s.npos / (s.npos + s.nneg) : NAN;
    case M_PROFIT: return s.sneg < 0 ? s.spos / -s.sneg : NAN;
    case M_PAYOFF: return s.npos > 0 && s.nneg > 0 ? (s.spos / s.npos) / (-s.sneg / s.nneg) : NAN;
    case M_BEST: return s.hi;
    case M_WORST: return s.lo;
  }
  return NAN;
}

static void meas_result(sqlite3_context *ctx, meas_ctx *p) {
  if (!p || !p->inited || !p->resolved || p->nomem || p->prices < 2) return; /* no return: NULL */
  double r = NAN;
  if (p->use_tally) {
    r = tally_answer(p);
  } else if (p->use_q) {
    if (p->kind == M_TAIL) {
      double lo = fin_k_qsel_value(&p->lo), hi = fin_k_qsel_value(&p->hi);
      if (lo != 0.0) r = fabs(hi) / fabs(lo);
    } else {
      r = p->kind == M_VAR ? fin_k_qsel_value(&p->lo) : fin_k_qsel_tail_mean(&p->lo);
    }
  } else {
    fin_mom m = fin_k_moms_query(&p->q);
    fin_tail_moments tm;
    if (p->kind == M_SKEW || p->kind == M_KURT) r = moment_answer(p, &m);
    else if (tail_moments(p, &m, p->m == TAIL_CF, &tm)) {
      if (p->m == TAIL_GAUSS)
        r = p->kind == M_VAR ? fin_k_var_gaussian(&tm, p->alpha, p->z)
                             : fin_k_cvar_gaussian(&tm, p->alpha, p->z);
      else
        r = p->kind == M_VAR ? fin_k_var_cornish_fisher(&tm, p->alpha, p->z)
                             : fin_k_cvar_cornish_fisher(&tm, p->alpha, p->z);
    }
  }
  if (!isnan(r)) fin_result_double(ctx, r); /* NaN: undefined (requirement 4), NULL */
}

static void meas_value(sqlite3_context *ctx) {
  meas_ctx *p = sqlite3_aggregate_context(ctx, 0);
  if (p) fin_keep_value(&p->keep);
  meas_result(ctx, p);
}

static void meas_final(sqlite3_context *ctx) {
  meas_ctx *p = sqlite3_aggregate_context(ctx, 0);
  meas_result(ctx, p);
  if (!p || !p->inited) return;
  fin_k_moms_free(&p->q);
  fin_k_tally_free(&p->t);
  fin_k_ring_free(&p->rets);
  if (p->resolved) {
    fin_k_qsel_free(&p->lo);
    fin_k_qsel_free(&p->hi);
  }
}

/* ------------------------------------------------------------ registration */
#define MEASURE(nm, n, var)                                                                  \
  {.name = nm, .nArg = n, .flags = FIN_PURE, .variant = var, .xStep = meas_step,             \
   .xFinal = meas_final, .xValue = meas_value, .xInverse = meas_inverse}

static const fin_fn measures[] = {
    MEASURE("fin_skewness", 1, M_SKEW),       MEASURE("fin_skewness", 2, M_SKEW),
    MEASURE("fin_kurtosis", 1, M_KURT),       MEASURE("fin_kurtosis", 2, M_KURT),
    MEASURE("fin_var", 2, M_VAR),             MEASURE("fin_var", 3, M_VAR),
    MEASURE("fin_cvar", 2, M_CVAR),           MEASURE("fin_cvar", 3, M_CVAR),
    MEASURE("fin_tail_ratio", 1, M_TAIL),     MEASURE("fin_tail_ratio", 2, M_TAIL),
    MEASURE("fin_omega", 1, M_OMEGA),         MEASURE("fin_omega", 2, M_OMEGA),
    MEASURE("fin_omega", 3, M_OMEGA),         MEASURE("fin_win_rate", 1, M_WIN),
    MEASURE("fin_profit_factor", 1, M_PROFIT), MEASURE("fin_payoff_ratio", 1, M_PAYOFF),
    MEASURE("fin_best_return", 1, M_BEST),    MEASURE("fin_worst_return", 1, M_WORST),
};
const fin_fn_list fin_measure_fns = FIN_FN_LIST(measures);

#!/usr/bin/python3
"""The measures (measures.c, measures_dd.c, measures_periods.c) against
numpy and pandas on real prices: the Russell 2000 and S&P 500 closes, and the
adjusted closes of IJR and SPY (whose last rows have no adjusted close:
NULL prices the measures skip). For each series: the whole series as a
plain aggregate, and every frame of 21, 63 and 252 rows (ROWS n-1
PRECEDING, shorter at the start, and with fewer prices where NULL rows
fall in them), each frame's reference computed afresh from its prices by
the definitions the anchors use (empyrical, quantstats,
PerformanceAnalytics), written out here with numpy; the normal law is
Python's statistics.NormalDist, and pandas' skew, kurt and resample are
checked where those libraries define the measure.
Then the paths a sliding frame does not take: a plain aggregate of 70,000
rows (which folds its rows into its summary), the (time, price) forms
over rows out of time order, and frames that slide over time DESC.
Agreement is to 1e-12 relative (TOL); the moments are measured against
|value| + 1, since a skewness near 0 is a small difference of large
terms. Skips when pandas or the data are missing."""
import os, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import realdata

SERIES = [("RUT", "closes", "close"), ("GSPC", "closes", "close"),
          ("IJR", "adj_closes", "adj_close"), ("SPY", "adj_closes", "adj_close")]
sql = realdata.setup([s for s, _, _ in SERIES])
import numpy as np
import pandas as pd
from statistics import NormalDist  # the standard library's normal law (Wichura's AS241)

norm_ppf = NormalDist().inv_cdf


def norm_pdf(x):
    return np.exp(-0.5 * np.asarray(x, dtype=float) ** 2) / np.sqrt(2 * np.pi)

from numpy.lib.stride_tricks import sliding_window_view as windows

FRAMES = [21, 63, 252]
TOL = 1e-12
LEVEL = 0.95
ALPHA = 1 - LEVEL          # the tail probability, as the C code forms it
OMEGA_THR = 0.05           # an annual threshold, compounded to a session's
T = [0]


def ok(good, name):
    T[0] += 1
    print("%s %d - %s" % ("ok" if good else "not ok", T[0], name))
    sys.stdout.flush()


def agree(have, want, name, scale=None, tol=TOL):
    have = np.asarray(pd.to_numeric(pd.Series(np.asarray(have, dtype=object).ravel()), errors="coerce"), dtype=float)
    want = np.asarray(want, dtype=float).ravel()
    if have.shape != want.shape:
        ok(False, "%s: %d values, want %d" % (name, have.size, want.size))
        return
    nan_ok = np.array_equal(np.isnan(have), np.isnan(want))
    m = ~np.isnan(want) & ~np.isnan(have)
    sc = np.abs(want[m]) if scale is None else np.broadcast_to(np.asarray(scale, dtype=float), want.shape)[m]
    err = np.abs(have[m] - want[m]) / np.maximum(sc, 1e-300)
    worst = err.max() if err.size else 0.0
    if not nan_ok:
        bad = np.nonzero(np.isnan(have) != np.isnan(want))[0]
        print("# NULL differs at %s: have %s want %s" % (bad[:5], have[bad[:5]], want[bad[:5]]), file=sys.stderr)
    elif worst > tol:
        i = np.argmax(err)
        print("# worst at %d: have %r want %r" % (np.nonzero(m)[0][i], have[m][i], want[m][i]), file=sys.stderr)
    ok(nan_ok and worst <= tol and m.sum() > 0,
       "%s: %d values, worst relative error %.1e" % (name, m.sum(), worst))


def F(expr):  # every digit of a double, NULL kept
    return "iif((%s) IS NULL, NULL, printf('%%.17g', %s))" % (expr, expr)


# ---------------------------------------------------------------- references
# f(P, D): P holds m frames of k prices (rows, oldest first), D their times
# in days; each returns m values, NaN where the measure is undefined.
def rets(P):
    return P[:, 1:] / P[:, :-1] - 1


def moments(R):
    d = R - R.mean(axis=1, keepdims=True)
    return (d ** 2).sum(1), (d ** 3).sum(1), (d ** 4).sum(1)


def nan_where(cond, x):
    x = np.asarray(x, dtype=float)
    return np.where(cond, np.nan, x)


def skewness(sample):
    def f(P, D):
        R = rets(P)
        n = R.shape[1]
        if n < (3 if sample else 2):
            return np.full(len(P), np.nan)
        M2, M3, _ = moments(R)
        with np.errstate(all="ignore"):
            g = M3 / M2 ** 1.5
            v = n * np.sqrt(n - 1) / (n - 2) * g if sample else np.sqrt(n) * g
        return nan_where(M2 == 0, v)
    return f


def kurtosis(sample):
    def f(P, D):
        R = rets(P)
        n = R.shape[1]
        if n < (4 if sample else 2):
            return np.full(len(P), np.nan)
        M2, _, M4 = moments(R)
        with np.errstate(all="ignore"):
            g = M4 / M2 ** 2
            v = ((n + 1) * n * (n - 1) / ((n - 2) * (n - 3)) * g - 3 * (n - 1) ** 2 / ((n - 2) * (n - 3))
                 if sample else n * g - 3)
        return nan_where(M2 == 0, v)
    return f


def var_hist(P, D):
    R = rets(P)
    if R.shape[1] < 1:
        return np.full(len(P), np.nan)
    return np.quantile(R, ALPHA, axis=1)        # empyrical: np.percentile(returns, 100 * cutoff)


def cvar_hist(P, D):
    R = rets(P)
    n = R.shape[1]
    if n < 1:
        return np.full(len(P), np.nan)
    k = int((n - 1) * ALPHA) + 1                  # empyrical's cutoff_index + 1
    return np.sort(R, axis=1)[:, :k].mean(axis=1)


def pop(R):
    """mean, population sd, skewness and excess kurtosis (PerformanceAnalytics' centred moments)"""
    n = R.shape[1]
    M2, M3, M4 = moments(R)
    with np.errstate(all="ignore"):
        return R.mean(1), np.sqrt(M2 / n), np.sqrt(n) * M3 / M2 ** 1.5, n * M4 / M2 ** 2 - 3, M2


def parametric(kind, cvar):
    def f(P, D):
        R = rets(P)
        if R.shape[1] < 2:
            return np.full(len(P), np.nan)
        mu, sd, S, K, M2 = pop(R)
        z = norm_ppf(ALPHA)
        if kind == "gaussian":
            return mu - sd * norm_pdf(z) / ALPHA if cvar else mu + z * sd
        h = z + (z * z - 1) * S / 6 + (z ** 3 - 3 * z) * K / 24 - (2 * z ** 3 - 5 * z) * S * S / 36
        if not cvar:
            return nan_where(M2 == 0, mu + h * sd)
        E = norm_pdf(h) * (1 + h ** 3 * S / 6 + (h ** 6 - 9 * h ** 4 + 9 * h ** 2 + 3) * S * S / 72
                           + (h ** 4 - 2 * h * h - 1) * K / 24)
        return nan_where(M2 == 0, mu + sd * np.minimum(-E / ALPHA, h))
    return f


def tail_ratio(P, D):
    R = rets(P)
    if R.shape[1] < 1:
        return np.full(len(P), np.nan)
    hi, lo = np.quantile(R, 1 - ALPHA, axis=1), np.quantile(R, ALPHA, axis=1)
    with np.errstate(all="ignore"):
        return nan_where(lo == 0, np.abs(hi) / np.abs(lo))


def gains(R, cut=0.0):
    X = R - cut
    return np.where(X > 0, X, 0).sum(1), -np.where(X < 0, X, 0).sum(1), (X > 0).sum(1), (X < 0).sum(1)


def omega(thr):
    cut = (1 + thr) ** (1 / 252) - 1            # empyrical's return_threshold
    def f(P, D):
        R = rets(P)
        if R.shape[1] < 2:
            return np.full(len(P), np.nan)
        g, l, _, _ = gains(R, cut)
        with np.errstate(all="ignore"):
            return nan_where(l == 0, g / l)
    return f


def by_gains(what):
    def f(P, D):
        R = rets(P)
        if R.shape[1] < 1:
            return np.full(len(P), np.nan)
        g, l, ng, nl = gains(R)
        with np.errstate(all="ignore"):
            if what == "win":
                return nan_where(ng + nl == 0, ng / (ng + nl))
            if what == "profit":
                return nan_where(l == 0, g / l)
            if what == "payoff":
                return nan_where((ng == 0) | (nl == 0), (g / ng) / (l / nl))
            return R.max(1) if what == "best" else R.min(1)
    return f


def drawdowns(P):
    return P / np.maximum.accumulate(P, axis=1) - 1


def ulcer(P, D):
    n = P.shape[1] - 1
    return np.sqrt((drawdowns(P) ** 2).sum(1) / n) if n >= 1 else np.full(len(P), np.nan)


def pain(P, D):
    n = P.shape[1] - 1
    return (-drawdowns(P)).sum(1) / n if n >= 1 else np.full(len(P), np.nan)


def peaks(P):
    """for every row, the index of the last row at the running high up to it"""
    k = P.shape[1]
    high = P >= np.maximum.accumulate(P, axis=1)
    return np.maximum.accumulate(np.where(high, np.arange(k), 0), axis=1), high


def current(days):
    def f(P, D):
        pk, _ = peaks(P)
        last = pk[:, -1]
        if days:
            return D[:, -1] - D[np.arange(len(D)), last]
        return (P.shape[1] - 1 - last).astype(float)
    return f


def longest(days):
    """the longest episode: for a row under water, rows (days) from its peak
    to the next row when that row is back at the high (a recovery), else to
    itself; the longest is the largest over the rows, 0 with none"""
    def f(P, D):
        pk, high = peaks(P)
        k = P.shape[1]
        idx = np.arange(k)
        nxt = np.minimum(idx + 1, k - 1)
        recovered = np.zeros_like(high)
        recovered[:, :-1] = high[:, 1:]
        end = np.where(recovered, nxt, idx)
        if days:
            span = np.take_along_axis(D, np.broadcast_to(end, P.shape).copy(), 1) - np.take_along_axis(D, pk, 1)
        else:
            span = end - pk
        return np.where(high, 0, span).max(1).astype(float)
    return f


def recovery(P, D):
    if P.shape[1] < 2:
        return np.full(len(P), np.nan)
    mdd = drawdowns(P).min(1)
    with np.errstate(all="ignore"):
        return nan_where(mdd == 0, (P[:, -1] / P[:, 0] - 1) / -mdd)


def calmar(P, D):
    if P.shape[1] < 2:
        return np.full(len(P), np.nan)
    mdd = drawdowns(P).min(1)
    years = (D[:, -1] - D[:, 0]) / 365.25
    with np.errstate(all="ignore"):
        cagr = np.expm1(np.log(P[:, -1] / P[:, 0]) / years)   # fin_cagr(time, price)'s growth a year
        return nan_where(mdd == 0, cagr / -mdd)


def calendar(unit, best):
    """the best (worst) period return: each period's last price over the
    last price of the period before (the frame's first period has no base;
    the last counts to date), as pandas' resample(...).last().pct_change()"""
    def f(P, D):
        ids = (np.datetime64("2000-01-01") + D.astype("timedelta64[D]")).astype("datetime64[%s]" % unit).astype(np.int64)
        last = np.ones(ids.shape, dtype=bool)
        last[:, :-1] = ids[:, :-1] != ids[:, 1:]
        out = np.full(len(P), np.nan)
        for i in range(len(P)):
            lasts = P[i][last[i]]
            if len(lasts) >= 2:
                r = lasts[1:] / lasts[:-1] - 1
                out[i] = r.max() if best else r.min()
        return out
    return f


# name, SQL (p: price, d: date), reference, scale (None: relative to the value)
MOM = "mom"
MEASURES = [
    ("fin_skewness", "fin_skewness(p)", skewness(True), MOM),
    ("fin_skewness population", "fin_skewness(p, 'population')", skewness(False), MOM),
    ("fin_kurtosis", "fin_kurtosis(p)", kurtosis(True), MOM),
    ("fin_kurtosis population", "fin_kurtosis(p, 'population')", kurtosis(False), MOM),
    ("fin_var historical", "fin_var(p, %r)" % LEVEL, var_hist, None),
    ("fin_cvar historical", "fin_cvar(p, %r)" % LEVEL, cvar_hist, None),
    ("fin_var gaussian", "fin_var(p, %r, 'gaussian')" % LEVEL, parametric("gaussian", False), None),
    ("fin_cvar gaussian", "fin_cvar(p, %r, 'gaussian')" % LEVEL, parametric("gaussian", True), None),
    ("fin_var cornish-fisher", "fin_var(p, %r, 'cornish-fisher')" % LEVEL, parametric("cf", False), None),
    ("fin_cvar cornish-fisher", "fin_cvar(p, %r, 'cornish-fisher')" % LEVEL, parametric("cf", True), None),
    ("fin_tail_ratio", "fin_tail_ratio(p)", tail_ratio, None),
    ("fin_omega", "fin_omega(p)", omega(0.0), None),
    ("fin_omega 5% a year", "fin_omega(p, %r)" % OMEGA_THR, omega(OMEGA_THR), None),
    ("fin_win_rate", "fin_win_rate(p)", by_gains("win"), None),
    ("fin_profit_factor", "fin_profit_factor(p)", by_gains("profit"), None),
    ("fin_payoff_ratio", "fin_payoff_ratio(p)", by_gains("payoff"), None),
    ("fin_best_return", "fin_best_return(p)", by_gains("best"), None),
    ("fin_worst_return", "fin_worst_return(p)", by_gains("worst"), None),
    ("fin_ulcer_index", "fin_ulcer_index(p)", ulcer, None),
    ("fin_pain_index", "fin_pain_index(p)", pain, None),
    ("fin_recovery_factor", "fin_recovery_factor(p)", recovery, None),
    ("fin_calmar", "fin_calmar(d, p)", calmar, None),
    ("fin_drawdown_length", "fin_drawdown_length(p)", current(False), 0),
    ("fin_drawdown_days", "fin_drawdown_days(d, p)", current(True), 0),
    ("fin_longest_drawdown_length", "fin_longest_drawdown_length(p)", longest(False), 0),
    ("fin_longest_drawdown_days", "fin_longest_drawdown_days(d, p)", longest(True), 0),
    ("fin_best_return month", "fin_best_return(d, p, 'month')", calendar("M", True), None),
    ("fin_worst_return month", "fin_worst_return(d, p, 'month')", calendar("M", False), None),
    ("fin_best_return year", "fin_best_return(d, p, 'year')", calendar("Y", True), None),
    ("fin_worst_return year", "fin_worst_return(d, p, 'Year')", calendar("Y", False), None),
]


def compare(got, P, D, label, only=None):
    """got: the query's columns c0.. for MEASURES; P, D: frames (m x k)"""
    for j, (name, _, f, scale) in enumerate(MEASURES):
        if only and name not in only:
            continue
        want = f(P, D)
        if scale == 0:   # counts and days: exact
            have = pd.to_numeric(got["c%d" % j], errors="coerce").to_numpy(dtype=float)
            good = np.array_equal(np.isnan(have), np.isnan(want)) and np.array_equal(have[~np.isnan(have)], want[~np.isnan(want)])
            if not good:
                bad = np.nonzero(~((have == want) | (np.isnan(have) & np.isnan(want))))[0][:5]
                print("# differs at %s: have %s want %s" % (bad, have[bad], want[bad]), file=sys.stderr)
            ok(good, "%s: %s, %d values exact" % (label, name, (~np.isnan(want)).sum()))
        else:
            agree(got["c%d" % j], want, "%s: %s" % (label, name),
                  scale=np.abs(want) + 1 if scale == MOM else None)


def select_list(over=""):
    return ", ".join("%s AS c%d" % (F(e + over), j) for j, (_, e, _, _) in enumerate(MEASURES))


def days_of(dates):
    return (pd.to_datetime(pd.Series(dates)) - pd.Timestamp("2000-01-01")).dt.days.to_numpy(dtype=float)


def spans(prices, N):
    """each row's frame of N rows as [a, b) in the array of its prices (NULL rows skipped)"""
    valid = ~np.isnan(prices)
    pos = np.cumsum(valid)
    lo = np.maximum(0, np.arange(len(prices)) - N + 1)
    return pos[lo] - valid[lo], pos


def frame_refs(prices, days, N, f, a, b):
    """f over each row's frame [a, b) of prices"""
    valid = ~np.isnan(prices)
    pc, dc = prices[valid], days[valid]
    out = np.full(len(prices), np.nan)
    if len(pc) >= N:
        full = f(windows(pc, N), windows(dc, N))
        sel = b - a == N
        out[sel] = full[a[sel]]
    for i in np.nonzero((b - a < N) & (b - a >= 1))[0]:
        out[i] = f(pc[None, a[i]:b[i]], dc[None, a[i]:b[i]])[0]
    return out


for sym, view, col in SERIES:
    base = "(SELECT date AS d, %s AS p FROM %s WHERE symbol = '%s')" % (col, view, sym)
    raw = sql("SELECT date, %s AS p FROM %s WHERE symbol = '%s' ORDER BY date;" % (col, view, sym))
    prices = pd.to_numeric(raw.p, errors="coerce").to_numpy(dtype=float)
    days = days_of(raw.date)
    valid = ~np.isnan(prices)
    nulls = (~valid).sum()
    # whole series, plain aggregates over the rows in date order
    got = sql("SELECT %s FROM (SELECT * FROM %s ORDER BY d);" % (select_list(), base))
    compare(got, prices[None, valid], days[None, valid],
            "%s %s, whole series (%d prices%s)" % (sym, col, valid.sum(), ", %d NULL skipped" % nulls if nulls else ""))
    for N in FRAMES:
        got = sql("SELECT %s FROM %s WINDOW w AS (ORDER BY d ROWS %d PRECEDING) ORDER BY d;"
                  % (select_list(" OVER w"), base, N - 1))
        a, b = spans(prices, N)
        for j, (name, _, f, scale) in enumerate(MEASURES):
            want = frame_refs(prices, days, N, f, a, b)
            label = "%s %s, frames of %d rows: %s" % (sym, col, N, name)
            if scale == 0:
                have = pd.to_numeric(got["c%d" % j], errors="coerce").to_numpy(dtype=float)
                same = (have == want) | (np.isnan(have) & np.isnan(want))
                if not same.all():
                    bad = np.nonzero(~same)[0][:5]
                    print("# differs at %s: have %s want %s" % (bad, have[bad], want[bad]), file=sys.stderr)
                ok(same.all(), "%s, exact" % label)
            else:
                agree(got["c%d" % j], want, label, scale=np.abs(want) + 1 if scale == MOM else None)

# ---- anchors that define the measure as a library call
rut = sql("SELECT close FROM closes WHERE symbol = 'RUT' ORDER BY date;").close.to_numpy(dtype=float)
r = pd.Series(rut).pct_change().dropna()
w = sql("SELECT %s AS s, %s AS k FROM (SELECT close FROM closes WHERE symbol = 'RUT' ORDER BY date);"
        % (F("fin_skewness(close)"), F("fin_kurtosis(close)"))).iloc[0]
agree([w.s], [r.skew()], "RUT whole series: fin_skewness = pandas Series.skew() (quantstats' skew)", scale=abs(r.skew()) + 1)
agree([w.k], [r.kurt()], "RUT whole series: fin_kurtosis = pandas Series.kurt() (quantstats' kurtosis)", scale=abs(r.kurt()) + 1)
ok(abs(norm_ppf(0.05) - (-1.64485362695147269)) < 4e-16,
   "the references' normal quantile (Python's statistics.NormalDist) at 5% is right to a unit in the last place")
w = sql("SELECT %s AS b, %s AS w, %s AS by, %s AS wq FROM closes WHERE symbol = 'RUT';"
        % (F("fin_best_return(date, close, 'month')"), F("fin_worst_return(date, close, 'month')"),
           F("fin_best_return(date, close, 'year')"), F("fin_worst_return(date, close, 'quarter')"))).iloc[0]
s_rut = pd.Series(rut, index=pd.to_datetime(sql("SELECT date FROM closes WHERE symbol = 'RUT' ORDER BY date;").date))
new_aliases = tuple(int(x) for x in pd.__version__.split(".")[:2]) >= (2, 2)  # "ME" since pandas 2.2, "M" before
for have, rule, pick, name in ((w.b, "M", max, "best month"), (w.w, "M", min, "worst month"),
                               (w.by, "Y" if new_aliases else "A", max, "best year"), (w.wq, "Q", min, "worst quarter")):
    ret = s_rut.resample(rule + ("E" if new_aliases else "")).last().pct_change().dropna()
    agree([have], [pick(ret)], "RUT whole series: fin_%s_return(date, close, period) = pandas resample().last().pct_change() %s" % (name.split()[0], name))

# ---- a plain aggregate of 70,000 rows: past 65,536 rows it keeps only its summary
n = 70000
i = np.arange(n)
synth = 100 * np.exp(np.cumsum(np.sin(i * 0.7) / 100 + np.cos(i * 0.013) / 300))
sd = pd.Timestamp("1800-01-01") + pd.to_timedelta(i, unit="D")
q = ("WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < %d) "
     "SELECT %s FROM (SELECT date('1800-01-01', '+' || i || ' days') AS d, "
     "100 * exp(sum(sin(i * 0.7) / 100 + cos(i * 0.013) / 300) OVER (ORDER BY i)) AS p FROM s ORDER BY i);"
     % (n - 1, select_list()))
got = sql(q)
# the prices SQLite's exp and sum make may differ from numpy's in the last
# digits: the reference takes them from SQLite itself
ps = sql("WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < %d) "
         "SELECT printf('%%.17g', 100 * exp(sum(sin(i * 0.7) / 100 + cos(i * 0.013) / 300) OVER (ORDER BY i))) AS p FROM s ORDER BY i;"
         % (n - 1)).p.to_numpy(dtype=float)
ok(np.allclose(ps, synth, rtol=1e-9), "the synthetic series of %d prices is the one numpy makes" % n)
compare(got, ps[None, :], days_of(sd)[None, :], "%d prices as a plain aggregate (constant memory)" % n)

# ---- (time, price) forms over rows out of time order, and sliding over time DESC
TIMED = ["fin_calmar", "fin_drawdown_days", "fin_longest_drawdown_days", "fin_best_return month", "fin_worst_return year"]
base = "(SELECT date AS d, close AS p FROM closes WHERE symbol = 'RUT')"
got = sql("SELECT %s FROM (SELECT * FROM %s ORDER BY p);" % (select_list(), base))
compare(got, rut[None, :], days_of(raw_d := sql("SELECT date FROM closes WHERE symbol = 'RUT' ORDER BY date;").date)[None, :],
        "RUT, rows ordered by price", only=TIMED)
dd = days_of(raw_d)
for N in (21, 252):
    got = sql("SELECT %s FROM %s WINDOW w AS (ORDER BY d DESC ROWS %d PRECEDING) ORDER BY d;"
              % (select_list(" OVER w"), base, N - 1))
    for j, (name, _, f, scale) in enumerate(MEASURES):
        if name not in TIMED:
            continue
        # row i's frame: itself and the N - 1 later rows, taken in time order
        want = np.full(len(rut), np.nan)
        full = f(windows(rut, N), windows(dd, N))
        for k in range(len(rut)):
            b = min(len(rut), k + N)
            want[k] = full[k] if b - k == N else f(rut[None, k:b], dd[None, k:b])[0]
        if scale == 0:
            have = pd.to_numeric(got["c%d" % j], errors="coerce").to_numpy(dtype=float)
            ok(np.array_equal(have, want), "RUT, frames of %d rows over time DESC: %s, exact" % (N, name))
        else:
            agree(got["c%d" % j], want, "RUT, frames of %d rows over time DESC: %s" % (N, name))

print("1..%d" % T[0])

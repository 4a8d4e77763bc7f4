#!/usr/bin/python3
"""The risk aggregates and the benchmark tables against numpy and pandas on
the real Russell 2000 (RUT) and S&P 500 (GSPC) closes: whole series and
sliding frames of 21, 63 and 252 rows, each frame's reference computed
afresh by numpy in two passes (mean, then squared deviations), so a
sliding update that drifts shows. Agreement is to 1e-12 relative (see
TOL). Skips when numpy/pandas or the real data is missing."""
import os, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import realdata

SYMS = ["RUT", "GSPC"]
sql = realdata.setup(SYMS)
import numpy as np
import pandas as pd
from numpy.lib.stride_tricks import sliding_window_view as windows

FRAMES = [21, 63, 252]
TOL = 1e-12  # relative to the reference's magnitude
T = [0]


def ok(good, name):
    T[0] += 1
    print("%s %d - %s" % ("ok" if good else "not ok", T[0], name))


def agree(have, want, name, scale=None):
    """have, want: arrays; NaN must meet NaN; scale: the magnitude errors are
    measured against (default: the reference value itself)."""
    have = np.asarray(have, dtype=float)
    want = np.asarray(want, dtype=float)
    if have.shape != want.shape:
        ok(False, "%s: %d values, want %d" % (name, have.size, want.size))
        return
    nan_ok = np.array_equal(np.isnan(have), np.isnan(want))
    m = ~np.isnan(want)
    sc = np.abs(want[m]) if scale is None else np.broadcast_to(scale, want.shape)[m]
    err = np.abs(have[m] - want[m]) / np.maximum(sc, 1e-300)
    worst = err.max() if err.size else 0.0
    if not nan_ok:
        bad = np.nonzero(np.isnan(have) != np.isnan(want))[0]
        print("# NULL differs at %s: have %s want %s" % (bad[:5], have[bad[:5]], want[bad[:5]]), file=sys.stderr)
    ok(nan_ok and worst <= TOL and m.sum() > 0,
       "%s: %d values, worst relative error %.1e" % (name, m.sum(), worst))


def F(expr):  # every digit of a double (the shell's CSV prints 15), NULL kept
    return "iif((%s) IS NULL, NULL, printf('%%.17g', %s))" % (expr, expr)


px = {s: sql("SELECT date, close FROM closes WHERE symbol = '%s' ORDER BY date;" % s).set_index("date")["close"]
      for s in SYMS}
rut = px["RUT"].to_numpy()
logr = np.diff(np.log(rut))
simple = rut[1:] / rut[:-1] - 1
n = len(rut)


# ---- whole series: the plain aggregates over the rows in date order
w = sql("SELECT %s AS vol, %s AS sharpe, %s AS sortino, %s AS sharpe_rf FROM "
        "(SELECT close FROM closes WHERE symbol = 'RUT' ORDER BY date);"
        % (F("fin_volatility(close)"), F("fin_sharpe(close)"), F("fin_sortino(close)"),
           F("fin_sharpe(close, 0.03, 252)"))).iloc[0]
rf = 1.03 ** (1 / 252) - 1
dd = np.sqrt(np.mean(np.minimum(simple, 0) ** 2))
agree([w.vol], [logr.std(ddof=1) * np.sqrt(252)], "RUT whole series: fin_volatility = std(log returns, ddof=1) * sqrt(252)")
agree([w.sharpe], [simple.mean() / simple.std(ddof=1) * np.sqrt(252)], "RUT whole series: fin_sharpe")
agree([w.sharpe_rf], [(simple.mean() - rf) / simple.std(ddof=1) * np.sqrt(252)], "RUT whole series: fin_sharpe, risk_free 3%")
agree([w.sortino], [simple.mean() / dd * np.sqrt(252)], "RUT whole series: fin_sortino (downside over all returns)")


# ---- sliding frames of N rows: N prices, N - 1 returns (fewer at the start)
def rolling(x, k, f, lo):
    """f over the last k values of x at each index (fewer at the start, NaN
    with fewer than lo)."""
    out = np.full(len(x), np.nan)
    for i in range(lo - 1, min(k - 1, len(x))):
        out[i] = f(x[:i + 1][None, :])[0]
    if len(x) >= k:
        out[k - 1:] = f(windows(x, k))
    return out


def sd(a):
    return a.std(axis=1, ddof=1)


for N in FRAMES:
    g = sql("SELECT %s AS vol, %s AS sharpe, %s AS sortino FROM closes WHERE symbol = 'RUT' "
            "WINDOW w AS (ORDER BY date ROWS %d PRECEDING);"
            % (F("fin_volatility(close) OVER w"), F("fin_sharpe(close) OVER w"), F("fin_sortino(close) OVER w"), N - 1))
    g = g.replace("", np.nan).astype(float) if g.dtypes.eq(object).any() else g
    vol = np.r_[np.nan, rolling(logr, N - 1, sd, 2) * np.sqrt(252)]
    mean = rolling(simple, N - 1, lambda a: a.mean(axis=1), 1)
    sdev = rolling(simple, N - 1, sd, 2)
    down = rolling(simple, N - 1, lambda a: np.sqrt(np.mean(np.minimum(a, 0) ** 2, axis=1)), 1)
    sharpe = np.r_[np.nan, mean / sdev * np.sqrt(252)]
    sortino = np.r_[np.nan, np.where(down > 0, mean / np.where(down > 0, down, 1) * np.sqrt(252), np.nan)]
    agree(g.vol, vol, "RUT, frames of %d rows: fin_volatility" % N)
    # Sharpe and Sortino divide a mean that can be near 0: the error is
    # measured against the size of the terms of that mean (sd / dd * sqrt(252))
    agree(g.sharpe, sharpe, "RUT, frames of %d rows: fin_sharpe" % N,
          scale=np.r_[np.nan, np.abs(sharpe[1:]) + np.sqrt(252)])
    agree(g.sortino, sortino, "RUT, frames of %d rows: fin_sortino" % N,
          scale=np.r_[np.nan, np.abs(sortino[1:]) + np.sqrt(252)])

# ---- fin_relative against pandas' inner join on dates
rel = sql("SELECT time, %s AS ratio, %s AS ex, %s AS vr, %s AS br, %s AS dd, ratio_since_peak AS since, skipped "
          "FROM fin_relative('closes', 'closes') WHERE key = 'RUT' AND benchmark_key = 'GSPC';"
          % (F("ratio"), F("excess_return"), F("value_return"), F("benchmark_return"), F("ratio_drawdown")))
j = pd.concat([px["RUT"].rename("v"), px["GSPC"].rename("b")], axis=1, join="inner")
ratio = (j.v / j.b) / (j.v.iloc[0] / j.b.iloc[0])
ok(list(rel.time) == list(j.index), "fin_relative: the rows are the %d common dates, in order" % len(j))
agree(rel.ratio, ratio, "fin_relative: ratio = (RUT / GSPC) / its first value")
vr, br = j.v.pct_change(), j.b.pct_change()
agree(rel.vr, vr, "fin_relative: value_return")
agree(rel.br, br, "fin_relative: benchmark_return")
agree(rel.ex, vr - br, "fin_relative: excess_return", scale=np.abs(vr) + np.abs(br))
agree(rel.dd, ratio / ratio.cummax() - 1, "fin_relative: ratio_drawdown", scale=1.0)
last_peak = pd.Series(np.where(ratio >= ratio.cummax(), np.arange(len(ratio)), np.nan)).ffill().to_numpy()
ok(np.array_equal(rel.since.to_numpy(), np.arange(len(ratio)) - last_peak), "fin_relative: ratio_since_peak")
all_dates = px["RUT"].index.union(px["GSPC"].index)
span = all_dates[(all_dates > j.index[0]) & (all_dates <= j.index[-1])]
ok(rel.skipped.iloc[-1] == len(span) - (len(j) - 1),
   "fin_relative: skipped counts the %d dates after the first common one that only one series has" % (len(span) - (len(j) - 1)))

# ---- beta and correlation of the returns, whole and sliding
rr, bb = vr.to_numpy()[1:], br.to_numpy()[1:]
cov = np.cov(rr, bb)
w = sql("SELECT %s AS beta, %s AS corr FROM fin_relative('closes', 'closes') WHERE key = 'RUT' AND benchmark_key = 'GSPC';"
        % (F("fin_beta(value_return, benchmark_return)"), F("fin_correlation(value_return, benchmark_return)"))).iloc[0]
agree([w.beta], [cov[0, 1] / cov[1, 1]], "whole series: fin_beta(RUT, GSPC) = cov / var(GSPC), numpy")
agree([w["corr"]], [np.corrcoef(rr, bb)[0, 1]], "whole series: fin_correlation(RUT, GSPC) = numpy corrcoef")
agree([w["corr"]], [pd.Series(rr).corr(pd.Series(bb))], "whole series: fin_correlation = pandas Series.corr")


def co(a, b):
    am = a - a.mean(axis=1, keepdims=True)
    bm = b - b.mean(axis=1, keepdims=True)
    return (am * bm).sum(axis=1), (am * am).sum(axis=1), (bm * bm).sum(axis=1)


for N in FRAMES:
    g = sql("SELECT %s AS beta, %s AS corr FROM fin_relative('closes', 'closes') WHERE key = 'RUT' AND benchmark_key = 'GSPC' "
            "WINDOW w AS (ORDER BY time ROWS %d PRECEDING);"
            % (F("fin_beta(value_return, benchmark_return) OVER w"), F("fin_correlation(value_return, benchmark_return) OVER w"), N - 1))
    g = g.apply(pd.to_numeric, errors="coerce")
    # row i's pair is (rr[i - 1], bb[i - 1]); the first row has none, so a
    # frame of N rows holds N pairs once it no longer reaches the first row
    beta = np.full(len(rr) + 1, np.nan)
    corr = np.full(len(rr) + 1, np.nan)
    for i in range(2, min(N, len(rr) + 1)):
        c, a2, b2 = co(rr[None, :i], bb[None, :i])
        beta[i], corr[i] = c[0] / b2[0], c[0] / np.sqrt(a2[0] * b2[0])
    c, a2, b2 = co(windows(rr, N), windows(bb, N))
    beta[N:] = c / b2
    corr[N:] = c / np.sqrt(a2 * b2)
    agree(g.beta, beta, "RUT on GSPC, frames of %d rows: fin_beta" % N)
    agree(g["corr"], corr, "RUT on GSPC, frames of %d rows: fin_correlation" % N, scale=1.0)
    ref = pd.Series(rr).rolling(N, min_periods=2).corr(pd.Series(bb)).to_numpy()
    ok(np.nanmax(np.abs(g["corr"].to_numpy()[1:] - ref)) < 1e-9,
       "RUT on GSPC, frames of %d rows: fin_correlation = pandas rolling corr (pandas' own update drifts, to 1e-9)" % N)

# ---- fin_cagr(time, price): years from the first and last dates
w = sql("SELECT %s AS cagr FROM closes WHERE symbol = 'RUT';" % F("fin_cagr(date, close)")).iloc[0]
d = pd.to_datetime(px["RUT"].index)
years = (d[-1] - d[0]).days / 365.25
agree([w.cagr], [(rut[-1] / rut[0]) ** (1 / years) - 1], "fin_cagr(date, close) over %.2f years" % years)

# ---- the yearly table of RUT minus GSPC against pandas' year-end closes
cal = sql("SELECT period, %s AS r, %s AS b, %s AS x FROM fin_calendar_returns('closes', 'year', 'closes') "
          "WHERE key = 'RUT' AND benchmark_key = 'GSPC' AND partial = 0;" % (F("period_return"), F("benchmark_return"), F("excess_return")))
cal = cal.apply(pd.to_numeric, errors="coerce")
ye = {s: px[s].groupby(pd.to_datetime(px[s].index).year).last() for s in SYMS}
# the benchmark as of RUT's dates: GSPC's last close at or before them
asof = pd.Series(px["GSPC"].to_numpy(), index=pd.to_datetime(px["GSPC"].index))
rdates = pd.to_datetime(px["RUT"].index)
last_rut = pd.Series(rdates, index=rdates).groupby(rdates.year).last()
g_at = asof.reindex(asof.index.union(last_rut.values)).ffill().loc[last_rut.values]
g_at.index = last_rut.index
g_at[last_rut.values > asof.index[-1]] = np.nan
want_r = ye["RUT"].pct_change().loc[cal.period]
want_b = g_at.pct_change(fill_method=None).loc[cal.period]
agree(cal.r, want_r, "fin_calendar_returns year: RUT = pandas year-end closes pct_change")
agree(cal.b, want_b, "fin_calendar_returns year: GSPC as of RUT's year-end dates")
agree(cal.x, want_r - want_b, "fin_calendar_returns year: excess_return", scale=np.abs(want_r) + np.abs(want_b))

# ---- forward returns with the benchmark, every session an event
fw = sql("SELECT horizon, %s AS f, %s AS b FROM fin_forward_returns('closes', '5,21', NULL, 'closes') "
         "WHERE key = 'RUT' AND benchmark_key = 'GSPC';" % (F("forward_return"), F("benchmark_return")))
fw = fw.apply(pd.to_numeric, errors="coerce")
b_at = asof.reindex(asof.index.union(rdates)).ffill().loc[rdates].to_numpy()
b_at[rdates > asof.index[-1]] = np.nan
b_at[rdates < asof.index[0]] = np.nan
for h in (5, 21):
    g = fw[fw.horizon == h]
    want = pd.Series(b_at).shift(-h) / pd.Series(b_at) - 1
    agree(g.b, want, "fin_forward_returns %d sessions: benchmark_return = GSPC as of the anchor and the end" % h)
    agree(g.f, pd.Series(rut).shift(-h) / pd.Series(rut) - 1, "fin_forward_returns %d sessions: forward_return" % h)

print("1..%d" % T[0])

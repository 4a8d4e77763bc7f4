#!/usr/bin/python3
"""fin_swings and fin_trailing_returns on the real closes.

fin_swings: the phases commentary dates (the Russell 2000's bear markets of
2022 and 2025, the S&P 500's of 2022 and its 2025 fall that stopped short
of one), then every leg at 10% and 20% on RUT, GSPC and NDX against a
brute-force reading of the definition written here (each leg found by
scanning the closes after its turning point, nothing shared with the C
kernel), as of several dates too, and the turning points against R's
TTR::ZigZag where the two definitions agree (see zigzag_ttr).

fin_trailing_returns: the factsheet of IJR and SPY on 2024-10-16 on total
return, then every period, at several as_of dates, with and without a
benchmark, against pandas (DateOffset for the calendar, asof for the last
close on or before a date). Skips without pandas or the data; the TTR
comparison skips its cases without Rscript and TTR."""
import os, shutil, subprocess, sys, tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import realdata

SYMS = ["RUT", "GSPC", "NDX", "IJR", "SPY"]
sql = realdata.setup(SYMS)
import numpy as np
import pandas as pd

EPS = 1e-12  # rule 6: a move qualifies within 1e-12
from realdata import T, ok


def closes(sym, col="close", upto=None):
    px = sql("SELECT date, %s AS v FROM prices WHERE symbol = '%s' AND %s IS NOT NULL%s ORDER BY date;"
             % (col, sym, col, " AND date <= '%s'" % upto if upto else ""))
    return px.date.tolist(), px.v.to_numpy(dtype=float)


# ------------------------------------------------------------ swings, by hand
def brute_swings(dates, v, th):
    """The definition, read literally: rows (direction, start, end, confirm,
    ongoing, extreme) with row numbers. The first turning point is the first
    running extreme (the low's first row, the high's last row) that a later
    row moves th from; then each leg runs from its turning point, and after
    the row that confirmed it, its end is its extreme (an up leg's highest
    close, its last row; a down leg's lowest, its first row) before the
    first row that moves th back from that extreme."""
    n = len(v)
    start = up = conf = None
    for j in range(1, n):
        lo = int(np.argmin(v[:j + 1]))                 # first row at the low
        hi = j - int(np.argmax(v[j::-1]))              # last row at the high
        if lo < j and v[j] / v[lo] - 1 >= th - EPS:
            start, up, conf = lo, True, j
            break
        if hi < j and v[j] / v[hi] - 1 <= -th + EPS:
            start, up, conf = hi, False, j
            break
    legs = []
    while start is not None:
        seg = v[start:]
        ext = np.maximum.accumulate(seg) if up else np.minimum.accumulate(seg)
        # rows after the confirmation that move th back from the extreme before them
        back = seg[1:] / ext[:-1] - 1
        turn = (back <= -th + EPS) if up else (back >= th - EPS)
        turn[:conf - start] = False
        if not turn.any():
            window = seg
            e = (len(window) - 1 - int(np.argmax(window[::-1]))) if up else int(np.argmin(window))
            legs.append(("up" if up else "down", start, n - 1, conf, 1, start + e))
            break
        j = start + 1 + int(np.argmax(turn))            # the row that turns it
        window = v[start:j]
        e = start + ((len(window) - 1 - int(np.argmax(window[::-1]))) if up else int(np.argmin(window)))
        legs.append(("up" if up else "down", start, e, conf, 0, e))
        start, up, conf = e, not up, j
    return legs


def days(a, b):
    return (pd.Timestamp(b) - pd.Timestamp(a)).days


def expected_rows(dates, v, th):
    rows = []
    for d, s, e, c, ongoing, x in brute_swings(dates, v, th):
        rows.append((d, dates[s], v[s], dates[e], v[e], v[e] / v[s] - 1, e - s, days(dates[s], dates[e]),
                     dates[c], v[c], ongoing, dates[x], v[x]))
    return rows


COLS = ("direction, start_time, start_value, end_time, end_value, change, sessions, days, confirm_time, "
        "confirm_value, ongoing, extreme_time, extreme_value")


def table_rows(sym, th, as_of=None):
    q = ("SELECT %s FROM fin_swings('closes', %s) WHERE key = '%s'%s;"
         % (COLS, th, sym, " AND as_of = '%s'" % as_of if as_of else ""))
    df = sql(q)
    return [tuple(r) for r in df.itertuples(index=False)]


def same_rows(got, want):
    if len(got) != len(want):
        return False, "%d legs, want %d" % (len(got), len(want))
    for g, w in zip(got, want):
        for a, b in zip(g, w):
            if isinstance(b, float):
                if abs(float(a) - b) > 1e-12 * max(1.0, abs(b)):
                    return False, "got %s\nwant %s" % (g, w)
            elif str(a) != str(b):
                return False, "got %s\nwant %s" % (g, w)
    return True, ""


series = {s: closes(s) for s in ["RUT", "GSPC", "NDX"]}

# ---- the phases commentary quotes
rut20 = table_rows("RUT", 0.2)
by_start = {r[1]: r for r in rut20}
r = by_start.get("2021-11-08")
ok(r is not None and r[0] == "down" and r[3] == "2022-06-16" and r[10] == 0,
   "RUT at 20%: the bear market from the 2021-11-08 peak to the 2022-06-16 low", r)
r = by_start.get("2024-11-25")
ok(r is not None and r[0] == "down" and r[3] == "2025-04-08" and round(100 * r[5], 1) == -27.9 and r[8] == "2025-04-03",
   "RUT at 20%%: -27.9%% from 2024-11-25 to 2025-04-08, a bear market entered on 2025-04-03 (%s)"
   % (r and round(100 * r[5], 2)), r)
ok(rut20[-1][0] == "up" and rut20[-1][1] == "2025-04-08" and rut20[-1][10] == 1 and rut20[-1][3] == series["RUT"][0][-1],
   "RUT at 20%: the up leg from 2025-04-08 is still going, to the last close", rut20[-1])
gspc20 = table_rows("GSPC", 0.2)
r = {x[1]: x for x in gspc20}.get("2022-01-03")
ok(r is not None and r[0] == "down" and r[3] == "2022-10-12" and round(100 * r[5], 2) == -25.43,
   "GSPC at 20%: the 2022 bear market, -25.43% from the 2022-01-03 peak to the 2022-10-12 low", r)
gspc10 = table_rows("GSPC", 0.1)
no_bear = not any(x[0] == "down" and x[3] >= "2025" for x in gspc20)
fall = [x for x in gspc10 if x[0] == "down" and x[3] == "2025-04-08"]
ok(no_bear and len(fall) == 1 and round(100 * fall[0][5], 1) == -18.9 and fall[0][1] == "2025-02-19",
   "GSPC: no bear market in 2025; at 10%% the fall from 2025-02-19 to 2025-04-08 is %s%%"
   % (fall and round(100 * fall[0][5], 2)), fall)

# ---- every leg against the brute force
for sym in ["RUT", "GSPC", "NDX"]:
    d, v = series[sym]
    for th in (0.1, 0.2):
        want = expected_rows(d, v, th)
        good, why = same_rows(table_rows(sym, th), want)
        ok(good, "%s at %d%%: %d legs, every turning point, confirmation and extreme as the brute force"
           % (sym, th * 100, len(want)), why)

# ---- as of a date: the answer on the series cut there
bad = []
for sym, th, day in [("RUT", 0.2, "2022-03-01"), ("RUT", 0.2, "2025-04-03"), ("RUT", 0.2, "2025-04-07"),
                     ("GSPC", 0.1, "2025-04-08"), ("NDX", 0.2, "2000-03-27"), ("GSPC", 0.2, "1932-06-30")]:
    d, v = closes(sym, upto=day)
    good, why = same_rows(table_rows(sym, th, as_of=day), expected_rows(d, v, th))
    if not good:
        bad.append("%s %s %s: %s" % (sym, th, day, why))
ok(not bad, "as_of: six dates, each the brute force on the closes up to it (the last leg open there)", *bad)


# ---- TTR::ZigZag
def zigzag_ttr(sym, th):
    """TTR's turning points (ZigZag's C routine on the closes, before its
    linear fill): its first point is always the first row and its first
    trend a move of th from the second row's close, so the two differ at the
    start; after that both take a leg's extreme until a move of th back from
    it, the same inclusive comparison. TTR breaks ties to the later row on
    both sides (lastExtreme); here only highs do, an equal low keeps the
    first row (fin_drawdowns' trough)."""
    csv = os.path.join(tmp, sym + ".csv")
    d, v = series[sym]
    pd.DataFrame({"date": d, "close": v}).to_csv(csv, index=False)
    r = subprocess.run(["Rscript", "-e",
                        "suppressMessages(library(TTR)); x <- read.csv('%s'); "
                        "zz <- .Call('ttr_zigzag', x$close, x$close, %s, TRUE, FALSE, TRUE, PACKAGE = 'TTR'); "
                        "cat(x$date[!is.na(zz)], sep = '\\n')" % (csv, th * 100)],
                       capture_output=True, text=True)
    return r.stdout.split() if r.returncode == 0 else None


have_r = shutil.which("Rscript") and subprocess.run(
    ["Rscript", "-e", "library(TTR)"], capture_output=True).returncode == 0
tmp = tempfile.mkdtemp()
for sym in ["RUT", "GSPC", "NDX"]:
    for th in (0.1, 0.2):
        if not have_r:
            T[0] += 1
            print("ok %d # SKIP Rscript with TTR is not installed" % T[0])
            continue
        legs = table_rows(sym, th)
        ours = [legs[0][1]] + [x[3] if not x[10] else x[11] for x in legs]
        ttr = zigzag_ttr(sym, th)
        d, v = series[sym]
        pos = {x: i for i, x in enumerate(d)}
        # from the first point both have, the lists must match; where they
        # differ, only on an equal low (the same close, TTR's row later)
        both = [x for x in ours if x in set(ttr)]
        a = ours[ours.index(both[0]):] if both else []
        b = ttr[ttr.index(both[0]):] if both else []
        ties = [(x, y) for x, y in zip(a, b) if x != y]
        only_ties = len(a) == len(b) and all(v[pos[x]] == v[pos[y]] and y > x for x, y in ties)
        ok(bool(both) and only_ties and len(a) >= len(ours) - 1,
           "%s at %d%%: %d turning points as TTR::ZigZag's from %s on (%d on equal lows, TTR's row later; "
           "TTR starts at %s, here %s)" % (sym, th * 100, len(a), both[0] if both else "-", len(ties), ttr[0], ours[0]),
           "ours %s" % a[:20], "TTR  %s" % b[:20])

# ------------------------------------------------------------ trailing returns
PERIODS = ["1 week", "1 month", "3 months", "6 months", "ytd", "1 year", "3 years", "5 years", "10 years",
           "inception", "mtd", "qtd", "5", "21", "63", "300", "18 months", "400 days"]
OFFSET = {"1 week": pd.DateOffset(weeks=1), "1 month": pd.DateOffset(months=1),
          "3 months": pd.DateOffset(months=3), "6 months": pd.DateOffset(months=6),
          "1 year": pd.DateOffset(years=1), "3 years": pd.DateOffset(years=3), "5 years": pd.DateOffset(years=5),
          "10 years": pd.DateOffset(years=10), "18 months": pd.DateOffset(months=18),
          "400 days": pd.DateOffset(days=400)}
YEARS = {"3 years": 3, "5 years": 5, "10 years": 10, "18 months": 1.5, "400 days": 400 / 365.25}


def trailing_want(sym, col, as_of, bench=None):
    """pandas: the end is the last close on or before as_of, each base the
    last close on or before the end date less the period."""
    d, v = closes(sym, col)
    s = pd.Series(v, index=pd.to_datetime(d))
    s = s[s.index <= pd.Timestamp(as_of)]
    end_t = s.index[-1]
    if bench is not None:
        bd, bv = closes(bench, col)
        b = pd.Series(bv, index=pd.to_datetime(bd))
        b = b[b.index <= pd.Timestamp(as_of)]

        def b_at(t):  # as of t, NaN before its first close or past its last
            return np.nan if t < b.index[0] or t > b.index[-1] else b.asof(t)
    out = {}
    for per in PERIODS:
        if per in OFFSET:
            base = s[s.index <= end_t - OFFSET[per]]
        elif per in ("ytd", "qtd", "mtd"):
            start = {"ytd": end_t.to_period("Y"), "qtd": end_t.to_period("Q"), "mtd": end_t.to_period("M")}[per].start_time
            base = s[s.index < start]
        elif per == "inception":
            base = s.iloc[:1]
        else:
            n = int(per)
            base = s.iloc[-1 - n:-n] if len(s) > n else s.iloc[:0]
        if base.empty:
            out[per] = (None, np.nan, np.nan, np.nan, np.nan)
            continue
        bt, bval = base.index[-1], base.iloc[-1]
        r = s.iloc[-1] / bval - 1
        years = YEARS.get(per)
        if per == "300":
            years = 300 / 252
        if per == "inception" and bt < end_t - pd.DateOffset(years=1):
            years = (end_t - bt).days / 365.25
        ann = (1 + r) ** (1 / years) - 1 if years else np.nan
        br = bann = np.nan
        if bench is not None:
            br = b_at(end_t) / b_at(bt) - 1
            bann = (1 + br) ** (1 / years) - 1 if years else np.nan
        out[per] = (bt.strftime("%Y-%m-%d"), r, ann, br, bann)
    return end_t.strftime("%Y-%m-%d"), out


def trailing_got(sym, col, as_of, bench=None):
    series_name = "adj_closes" if col == "adj_close" else "closes"
    q = ("SELECT period, start_time, end_time, period_return, annualized_return, benchmark_return, "
         "benchmark_annualized, excess_return FROM fin_trailing_returns('%s', '%s'%s) WHERE key = '%s' "
         "AND as_of = '%s'%s;" % (series_name, ", ".join(PERIODS), ", '%s'" % series_name if bench else "",
                                  sym, as_of, " AND benchmark_key = '%s'" % bench if bench else ""))
    return sql(q)


def near(a, b):
    a = float(a) if a is not None and not (isinstance(a, float) and np.isnan(a)) else np.nan
    if np.isnan(a) or np.isnan(b):
        return np.isnan(a) and np.isnan(b)
    return abs(a - b) <= 1e-12 * max(1.0, abs(b))


def check_trailing(sym, col, as_of, bench=None):
    end, want = trailing_want(sym, col, as_of, bench)
    got = trailing_got(sym, col, as_of, bench)
    bad = []
    if [str(p) for p in got.period] != PERIODS:
        bad.append("periods %s" % list(got.period))
    for row in got.itertuples(index=False):
        w = want[str(row.period)]
        start = None if pd.isna(row.start_time) else row.start_time
        if row.end_time != end or start != w[0] or not near(row.period_return, w[1]) or \
                not near(row.annualized_return, w[2]) or not near(row.benchmark_return, w[3]) or \
                not near(row.benchmark_annualized, w[4]) or not near(row.excess_return, w[1] - w[3]):
            bad.append("%s: got %s, want end %s %s" % (row.period, tuple(row), end, w))
    return bad, got


bad, ijr = check_trailing("IJR", "adj_close", "2024-10-16")
_, spy = check_trailing("SPY", "adj_close", "2024-10-16")
pick = lambda df, p: round(100 * float(df[df.period.astype(str) == p].period_return.iloc[0]), 2)
ok((pick(ijr, "1 month"), pick(spy, "1 month"), pick(ijr, "ytd"), pick(spy, "ytd")) == (3.85, 3.77, 10.89, 23.66),
   "total return to 2024-10-16: IJR %s%% and SPY %s%% over the month, %s%% and %s%% year to date"
   % (pick(ijr, "1 month"), pick(spy, "1 month"), pick(ijr, "ytd"), pick(spy, "ytd")))
for sym, col, bench, dates in [
        ("IJR", "adj_close", None, ["2024-10-16", "2001-05-25", "2020-03-31", "2024-02-29"]),
        ("IJR", "adj_close", "SPY", ["2024-10-16", "2024-03-31", "2010-12-31"]),
        ("SPY", "adj_close", None, ["2024-10-16", "2026-07-31"]),
        ("RUT", "close", "GSPC", ["2025-04-08", "2026-03-06", "1988-09-09"]),
        ("GSPC", "close", None, ["1929-10-29", "2026-02-27"])]:
    bad = []
    for day in dates:
        bad += check_trailing(sym, col, day, bench)[0]
    ok(not bad, "fin_trailing_returns %s%s (%s), %d periods as of %s = pandas"
       % (sym, " against " + bench if bench else "", col, len(PERIODS), ", ".join(dates)), *bad[:6])

print("1..%d" % T[0])

#!/usr/bin/python3
"""fin_bars and fin_period on the real daily rows (SPY, IWM, IJR, RUT, NDX
by sql/load_csv.sh), against pandas.

For each symbol and period (week, month, quarter, year) every bar is
compared with a groupby written here from the definition in docs/bars.md:
the rows with a close, grouped by the period's label (ISO week from
pandas' isocalendar, the month, quarter and year from the date), open the
first open given, high the highest of each session's high (its close when
it has none), low likewise, close the last, volume the sum of the volumes
given (NULL when none), sessions the count, start and end the first and
last dates, partial 1 only on the last bar whose period had not ended.
Then: value_column = 'adj_close' (bars of the value alone), as_of, a view
without open and volume, an unkeyed view, Julian-day times, fin_period
against pandas' labels, and the errors. Skips without pandas or the data."""
import os, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import realdata

SYMS = ["SPY", "IWM", "IJR", "RUT", "NDX"]
sql = realdata.setup(SYMS)
import numpy as np
import pandas as pd

from realdata import T, ok


def run(q):
    return realdata.shell(q, sql.db)


def label(dates, period):
    d = pd.to_datetime(pd.Series(dates))
    if period == "year":
        return d.dt.year.astype(str).tolist()
    if period == "quarter":
        return (d.dt.year.astype(str) + "-Q" + d.dt.quarter.astype(str)).tolist()
    if period == "month":
        return d.dt.strftime("%Y-%m").tolist()
    iso = d.dt.isocalendar()
    return ["%04d-W%02d" % (y, w) for y, w in zip(iso.year, iso.week)]


def period_end(lab, period):
    """The last calendar day of the period labelled lab (a Timestamp)."""
    if period == "year":
        return pd.Timestamp(int(lab), 12, 31)
    if period == "quarter":
        return pd.Period(lab.replace("-Q", "Q"), freq="Q").end_time.normalize()
    if period == "month":
        return pd.Period(lab, freq="M").end_time.normalize()
    y, w = lab.split("-W")
    return pd.Timestamp.fromisocalendar(int(y), int(w), 7)


def expected(sym, period, col="close", as_of=None, ohlc=True):
    px = sql("SELECT date, open, high, low, close, adj_close, volume FROM prices WHERE symbol = '%s'%s ORDER BY date;"
             % (sym, " AND date <= '%s'" % as_of if as_of else ""))
    px = px[px[col].notna()].copy()
    v = px[col].astype(float)
    if ohlc:
        px["o"] = px.open
        px["h"] = px.high.fillna(v)
        px["l"] = px.low.fillna(v)
        px["vol"] = px.volume
    else:
        px["o"] = px["h"] = px["l"] = v
        px["vol"] = np.nan
    px["v"] = v
    px["lab"] = label(px.date, period)
    g = px.groupby("lab", sort=False)
    out = pd.DataFrame({
        "period": list(g.groups.keys()),
        "start_time": g.date.first().values, "end_time": g.date.last().values,
        "sessions": g.size().values, "open": g.o.first().values,  # first skips NaN
        "high": g.h.max().values, "low": g.l.min().values, "close": g.v.last().values,
        "volume": g.vol.sum(min_count=1).values})
    out["partial"] = 0
    now = pd.Timestamp(as_of) if as_of else pd.Timestamp(out.end_time.iloc[-1])
    out.loc[out.index[-1], "partial"] = int(now < period_end(out.period.iloc[-1], period))
    return out


def same(got, want, name):
    cols = ["period", "start_time", "end_time", "sessions", "open", "high", "low", "close", "volume", "partial"]
    if len(got) != len(want):
        ok(False, name, "rows: %d, expected %d" % (len(got), len(want)))
        return
    got = got.assign(period=got.period.astype(str))  # '2024' reads back as a number
    bad = []
    for c in cols:
        a, b = got[c].tolist(), want[c].tolist()
        for i, (x, y) in enumerate(zip(a, b)):
            nx = x is None or (isinstance(x, float) and np.isnan(x))
            ny = y is None or (isinstance(y, float) and np.isnan(y))
            if nx != ny or (not nx and (x != y if not isinstance(y, float) else float(x) != y)):
                bad.append("%s %s: got %r, expected %r" % (want.period.iloc[i], c, x, y))
    ok(not bad, name, *bad[:5])


for sym in SYMS:
    for period in ["week", "month", "quarter", "year"]:
        got = sql("SELECT * FROM fin_bars('prices', '%s') WHERE key = '%s';" % (period, sym))
        same(got, expected(sym, period), "%s %s bars against pandas" % (sym, period))

# value_column = 'adj_close': bars of the value alone (IJR's early rows have no close)
for period in ["month", "year"]:
    got = sql("SELECT * FROM fin_bars('prices', '%s') WHERE key = 'IJR' AND value_column = 'adj_close';" % period)
    same(got, expected("IJR", period, col="adj_close", ohlc=False), "IJR %s bars of adj_close" % period)

# as_of: the series ends there, the last bar is whole only if its period ended
for as_of in ["2020-03-31", "2020-03-27", "2022-12-30", "2024-07-04"]:
    for period in ["week", "month", "quarter"]:
        got = sql("SELECT * FROM fin_bars('prices', '%s') WHERE key = 'SPY' AND as_of = '%s';" % (period, as_of))
        same(got, expected("SPY", period, as_of=as_of), "SPY %s bars as of %s" % (period, as_of))

# a view without open and volume: open is the first close, volume NULL
run("CREATE VIEW hl AS SELECT symbol, date, close, high, low FROM prices;"
    "CREATE VIEW spy_close AS SELECT date, close FROM prices WHERE symbol = 'SPY';"
    "CREATE TABLE jd AS SELECT julianday(date) AS date, close, high, low, open, volume FROM prices WHERE symbol = 'IWM';")
want = expected("RUT", "month")
px = sql("SELECT date, close FROM prices WHERE symbol = 'RUT' AND close IS NOT NULL ORDER BY date;")
first_close = px.groupby(label(px.date, "month"), sort=False).close.first().values
want["open"] = first_close
want["volume"] = np.nan
same(sql("SELECT * FROM fin_bars('hl', 'month') WHERE key = 'RUT';"), want, "a view without open and volume")
same(sql("SELECT * FROM fin_bars('spy_close', 'quarter');"), expected("SPY", "quarter", ohlc=False),
     "an unkeyed view of closes alone")
got = sql("SELECT * FROM fin_bars('jd', 'year');")
want = expected("IWM", "year")
ok(got.period.astype(str).tolist() == want.period.tolist() and np.allclose(got.high, want.high)
   and got.volume.tolist() == want.volume.tolist()
   and np.allclose(got.start_time, [pd.Timestamp(d).to_julian_date() for d in want.start_time]),
   "Julian-day times: the same bars, times as numbers", got.head(3), want.head(3))

# the same bars from the rows given as a query
q = "SELECT date, open, high, low, close, volume FROM prices WHERE symbol = ''NDX''"
same(sql("SELECT * FROM fin_bars('%s', 'week');" % q), expected("NDX", "week"), "a query with named columns")

# fin_period: the labels pandas gives, for every date of SPY
px = sql("SELECT date, fin_period(date, 'week') w, fin_period(date, 'month') m, fin_period(date, 'quarter') q, "
         "fin_period(date, 'year') y, fin_period(julianday(date) + 0.75, 'week') wj FROM prices WHERE symbol = 'SPY';")
for col, period in [("w", "week"), ("m", "month"), ("q", "quarter"), ("y", "year"), ("wj", "week")]:
    ok(px[col].astype(str).tolist() == label(px.date, period), "fin_period(date, '%s') against pandas" % period)
rc, out, err = run("SELECT count(*) FROM (SELECT fin_period(date, 'month') p, max(high) h FROM prices "
                   "WHERE symbol = 'SPY' GROUP BY p) g JOIN fin_bars('prices', 'month') b "
                   "ON b.key = 'SPY' AND b.period = g.p AND b.high = g.h;")
n = sql("SELECT count(*) n FROM fin_bars('prices', 'month') WHERE key = 'SPY';").n[0]
ok(rc == 0 and int(out) == n, "GROUP BY fin_period meets fin_bars' rows", out, err)
rc, out, err = run("SELECT fin_period(NULL, 'year') IS NULL, fin_period('2024-01-01', NULL) IS NULL;")
ok(out.strip() == "1|1", "fin_period: NULL gives NULL", out, err)

# errors: each names the function, the argument and the value
run("CREATE TABLE bad(date TEXT, open REAL, high REAL, low REAL, close REAL, volume);"
    "INSERT INTO bad VALUES ('2024-01-02', 10, 11, 9, 10.5, 100), ('2024-01-03', 10, 10.2, 9, 10.5, 100);"
    "CREATE TABLE negvol(date TEXT, close REAL, volume);"
    "INSERT INTO negvol VALUES ('2024-01-02', 10, 5), ('2024-01-03', 11, -1);"
    "CREATE TABLE textopen(date TEXT, open, close REAL);"
    "INSERT INTO textopen VALUES ('2024-01-02', 'n/a', 10);"
    "CREATE TABLE nums(t, close REAL); INSERT INTO nums VALUES (5, 10), (6, 11);")
for q, want in [
    ("SELECT * FROM fin_bars('prices', 'day');",
     "fin_bars(): period must be 'year', 'quarter', 'month' or 'week', got text 'day'"),
    ("SELECT * FROM fin_bars('prices', NULL);", "fin_bars(): period must be 'year', 'quarter', 'month' or 'week', got NULL"),
    ("SELECT * FROM fin_bars('prices');", "fin_bars(): period must be 'year', 'quarter', 'month' or 'week', got nothing"),
    ("SELECT * FROM fin_bars('bad', 'month');",
     "fin_bars(): a row's high and low must bracket its close, got high 10.2, low 9.0, close 10.5 at time text '2024-01-03'"),
    ("SELECT * FROM fin_bars('negvol', 'month');", "fin_bars(): volume must be >= 0, got -1 at time text '2024-01-03'"),
    ("SELECT * FROM fin_bars('textopen', 'month');", "fin_bars(): open must be"),
    ("SELECT * FROM fin_bars('nums', 'year');", "fin_bars(): time must be ISO-8601 text or a Julian day number"),
    ("SELECT * FROM fin_bars('prices', 'month') WHERE key = 'SPY' AND as_of <= '2024-01-01';", "as_of is an argument"),
    ("SELECT fin_period('2024-13-01', 'year');", "fin_period(): date must be"),
    ("SELECT fin_period('2024-01-01', 'day');",
     "fin_period(): period must be 'year', 'quarter', 'month' or 'week', got text 'day'"),
    ("SELECT fin_period(5, 'year');", "fin_period(): date must be ISO-8601 text or a Julian day number"),
]:
    rc, out, err = run(q)
    ok(rc != 0 and want in err, "error: %s" % q, err.strip(), "expected: " + want)

print("1..%d" % T[0])

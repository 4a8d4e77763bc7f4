#!/usr/bin/python3
"""fin_summary, the tear sheet (tvf_summary.c, k_sheet.c).

Part 1, on the real data loaded by sql/load_csv.sh into one prices table:
RUT against GSPC on the close, IJR against SPY on the adjusted close
(value_column), each whole and as of dates inside a year and at a year's
end; the unkeyed series as SQL text; every key at once without a
benchmark. Each column must equal, to 1e-12 relative:
  (a) the extension's own function or table run separately on the same
      rows (fin_total_return, fin_cagr, fin_volatility, fin_sharpe,
      fin_sortino, fin_max_drawdown, the deepest row of fin_drawdowns,
      fin_calmar, the best and worst whole year of fin_calendar_returns,
      and fin_beta, fin_correlation, fin_information_ratio, fin_up_capture
      and fin_down_capture over fin_relative's returns), and
  (b) an independent pandas computation written here, in the way
      quantstats computes a tear sheet (pct_change, cummax, year-end
      closes, an inner join on dates).
Part 2: keys pushed down (=, IN, a join), as_of from a join, the unkeyed
read equal to the keyed one. Part 3: edges on small tables (one value, no
value, numeric times, ties of depth and of year, an episode still open).
Part 4: errors, verbatim. Skips when pandas or the real data is missing.
"""
import math, os, subprocess, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import realdata

SYMS = ["RUT", "GSPC", "IJR", "SPY"]
sql = realdata.setup(SYMS)
import numpy as np
import pandas as pd

TOL = 1e-12
from realdata import T, ok


def F(expr):  # every digit of a double, NULL kept
    return "iif((%s) IS NULL, NULL, printf('%%.17g', %s))" % (expr, expr)


REAL = ["total_return", "cagr", "volatility", "sharpe", "sortino", "max_drawdown", "calmar", "best_year",
        "worst_year", "beta", "correlation", "information_ratio", "up_capture", "down_capture"]
TEXT = ["key", "start_time", "end_time", "rows", "peak_time", "trough_time", "recovery_time", "best_year_label",
        "worst_year_label", "benchmark_key"]
COLS = ", ".join([c for c in TEXT] + ["%s AS %s" % (F(c), c) for c in REAL])


def num(x):
    try:
        x = float(x)
    except (TypeError, ValueError):
        return float("nan")
    return x


def same_num(have, want):
    """(agrees, relative error): NaN only against NaN."""
    h, w = num(have), num(want)
    if math.isnan(w) or math.isnan(h):
        return math.isnan(w) and math.isnan(h), 0.0
    err = abs(h - w) / max(abs(w), 1e-300)
    return err <= TOL, err


def txt(x):
    """A text cell as text: NULL -> None, 2003 read as a number -> '2003'."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return None
    if isinstance(x, (float, np.floating)) and float(x).is_integer():
        return str(int(x))
    return str(x)


# ------------------------------------------------------------ pandas, quantstats-style
raw = sql("SELECT symbol, date, close, adj_close FROM prices ORDER BY symbol, date;")
raw["date"] = pd.to_datetime(raw["date"])


def prices(sym, col, as_of=None):
    s = raw[raw.symbol == sym].set_index("date")[col].dropna()
    return s[:as_of] if as_of else s


def sheet(p, as_of=None, b=None):
    """The tear sheet of closes p (a Series on dates), against closes b."""
    iso = lambda d: d.strftime("%Y-%m-%d")
    r = p.pct_change().dropna()
    lr = np.log(p).diff().dropna()
    days = (p.index[-1] - p.index[0]).days
    out = {"start_time": iso(p.index[0]), "end_time": iso(p.index[-1]), "rows": str(len(p)),
           "total_return": p.iloc[-1] / p.iloc[0] - 1,
           "cagr": (p.iloc[-1] / p.iloc[0]) ** (365.25 / days) - 1 if days > 0 else np.nan,
           "volatility": lr.std() * np.sqrt(252),
           "sharpe": r.mean() / r.std() * np.sqrt(252),
           "sortino": r.mean() / np.sqrt((r[r < 0] ** 2).sum() / len(r)) * np.sqrt(252)}
    hwm = p.cummax()
    dd = p / hwm - 1
    out["max_drawdown"] = dd.min()
    trough = dd.idxmin()  # the first row at the deepest fall
    before = p[:trough]
    out["peak_time"] = iso(before[before == hwm[trough]].index[-1])  # the last row at that high
    out["trough_time"] = iso(trough)
    back = p[trough:][p[trough:] >= hwm[trough]]
    out["recovery_time"] = iso(back.index[0]) if len(back) else None
    out["calmar"] = out["cagr"] / abs(out["max_drawdown"])
    # calendar years: year-end closes; the first year has no close before
    # it, and the last counts only when it had ended (its Dec 31 on or
    # before as_of, or the last date)
    ye = p.groupby(p.index.year).last()
    yr = ye.pct_change().dropna()
    end = pd.Timestamp(as_of) if as_of else p.index[-1]
    if len(yr) and end < pd.Timestamp("%d-12-31" % yr.index[-1]):
        yr = yr.iloc[:-1]
    out["best_year"], out["best_year_label"] = (yr.max(), str(yr.idxmax())) if len(yr) else (np.nan, None)
    out["worst_year"], out["worst_year_label"] = (yr.min(), str(yr.idxmin())) if len(yr) else (np.nan, None)
    if b is not None:
        j = pd.concat([p.rename("v"), b.rename("b")], axis=1, join="inner")
        rv, rb = j.v.pct_change().dropna(), j.b.pct_change().dropna()
        out["beta"] = np.cov(rv, rb)[0, 1] / rb.var()
        out["correlation"] = rv.corr(rb)
        active = rv - rb
        out["information_ratio"] = active.mean() / active.std() * np.sqrt(252)

        def growth(x):  # annualised compound return over the pairs, empyrical's annual_return
            return np.prod(1 + x) ** (252 / len(x)) - 1
        out["up_capture"] = growth(rv[rb > 0]) / growth(rb[rb > 0])
        out["down_capture"] = growth(rv[rb < 0]) / growth(rb[rb < 0])
    return out


# ------------------------------------------------------------ the extension, function by function
def functions(series, sym, key, col, as_of=None, bench=None, bkey=None):
    """The same figures from the extension's aggregates and tables, each
    run on its own: the aggregates on sym's rows of prices, the tables on
    series (a table name, read for key, or SQL text with key None)."""
    lit = lambda s: "'" + s.replace("'", "''") + "'"
    where, plain = [], []
    if key:
        where.append("key = %s" % lit(key))
    if as_of:
        where.append("as_of = %s" % lit(as_of))
    if col != "close":
        where.append("value_column = %s" % lit(col))
    w = (" WHERE " + " AND ".join(where)) if where else ""
    a = " AND ".join(where) if where else "1"
    rows = ("SELECT date, %s AS v FROM prices WHERE symbol = %s AND %s IS NOT NULL%s ORDER BY date"
            % (col, lit(sym), col, " AND date <= %s" % lit(as_of) if as_of else ""))
    out = sql("SELECT min(date) AS start_time, max(date) AS end_time, count(v) AS rows, %s AS total_return, "
              "%s AS cagr, %s AS volatility, %s AS sharpe, %s AS sortino, %s AS mdd, %s AS calmar FROM (%s);"
              % (F("fin_total_return(date, v)"), F("fin_cagr(date, v)"), F("fin_volatility(v)"), F("fin_sharpe(v)"),
                 F("fin_sortino(v)"), F("fin_max_drawdown(date, v)"), F("fin_calmar(date, v)"), rows)).iloc[0].to_dict()
    d = sql("SELECT %s AS max_drawdown, peak_time, trough_time, recovery_time FROM fin_drawdowns(%s)%s "
            "ORDER BY depth, peak_time LIMIT 1;" % (F("depth"), lit(series), w))
    out.update(d.iloc[0].to_dict() if len(d) else {"max_drawdown": 0.0, "peak_time": None, "trough_time": None,
                                                    "recovery_time": None})
    for name, order in (("best", "DESC"), ("worst", "ASC")):
        y = sql("SELECT %s AS r, period FROM fin_calendar_returns(%s, 'year') WHERE %s AND partial = 0 "
                "ORDER BY period_return %s, period LIMIT 1;" % (F("period_return"), lit(series), a, order))
        out[name + "_year"], out[name + "_year_label"] = (y.r.iloc[0], txt(y.period.iloc[0])) if len(y) else (np.nan, None)
    if bench:
        bw = w + (" AND " if w else " WHERE ") + "benchmark_key = %s" % lit(bkey) if bkey else w
        out.update(sql("SELECT %s AS beta, %s AS correlation, %s AS information_ratio, %s AS up_capture, "
                       "%s AS down_capture FROM fin_relative(%s, %s)%s;"
                       % (F("fin_beta(value_return, benchmark_return)"),
                          F("fin_correlation(value_return, benchmark_return)"),
                          F("fin_information_ratio(value_return, benchmark_return)"),
                          F("fin_up_capture(value_return, benchmark_return)"),
                          F("fin_down_capture(value_return, benchmark_return)"), lit(series), lit(bench), bw)).iloc[0].to_dict())
    return out


def summary(q):
    return sql("SELECT %s FROM %s;" % (COLS, q))


def compare(name, row, fns, pd_sheet, bench, bkey=None):
    """One test per column: the table's value against the function's and
    pandas'; bench: the benchmark columns too, benchmark_key = bkey."""
    cols = ["start_time", "end_time", "rows", "total_return", "cagr", "volatility", "sharpe", "sortino",
            "max_drawdown", "peak_time", "trough_time", "recovery_time", "calmar", "best_year",
            "best_year_label", "worst_year", "worst_year_label"]
    if bench:
        cols += ["beta", "correlation", "information_ratio", "up_capture", "down_capture"]
    for c in cols:
        have = row[c]
        if c in REAL:
            g1, e1 = same_num(have, fns[c])
            g2, e2 = same_num(have, pd_sheet[c])
            if c == "max_drawdown":  # fin_drawdowns' deepest, and fin_max_drawdown(time, price)
                g1 = g1 and same_num(have, fns["mdd"])[0]
            ok(g1 and g2, "%s: %s = %.10g; relative error against the function %.1e, against pandas %.1e"
               % (name, c, num(have), e1, e2), "function: %r" % fns[c], "pandas: %r" % pd_sheet[c])
        else:
            h, f, p = txt(have), txt(fns[c]), txt(pd_sheet[c])
            ok(h == f == p, "%s: %s = %s (the function and pandas agree)" % (name, c, h),
               "function: %r" % f, "pandas: %r" % p)
    if bench:
        ok(txt(row["benchmark_key"]) == bkey, "%s: benchmark_key = %s" % (name, txt(row["benchmark_key"])))


CASES = [  # (name, key, value column, as_of, benchmark key)
    ("RUT vs GSPC, close", "RUT", "close", None, "GSPC"),
    ("RUT vs GSPC, close, as of 2020-06-30 (2020 is partial)", "RUT", "close", "2020-06-30", "GSPC"),
    ("RUT vs GSPC, close, as of 2008-12-31 (2008 is whole, and the worst)", "RUT", "close", "2008-12-31", "GSPC"),
    ("RUT vs GSPC, close, as of 2008-12-30 (2008 is partial)", "RUT", "close", "2008-12-30", "GSPC"),
    ("IJR vs SPY, adj_close", "IJR", "adj_close", None, "SPY"),
    ("IJR vs SPY, adj_close, as of 2024-10-16", "IJR", "adj_close", "2024-10-16", "SPY"),
]
for name, key, col, as_of, bkey in CASES:
    where = "key = '%s' AND benchmark_key = '%s'" % (key, bkey)
    if as_of:
        where += " AND as_of = '%s'" % as_of
    if col != "close":
        where += " AND value_column = '%s'" % col
    got = summary("fin_summary('prices', 'prices') WHERE " + where)
    ok(len(got) == 1 and got.key.iloc[0] == key, "%s: one row, for the key" % name, got)
    if len(got) != 1:
        continue
    fns = functions("prices", key, key, col, as_of, "prices", bkey)
    want = sheet(prices(key, col, as_of), as_of, prices(bkey, col, as_of))
    compare(name, got.iloc[0], fns, want, True, bkey)
    if as_of and as_of.startswith("2008-12"):  # the last year counts only once it has ended
        label = txt(got.worst_year_label.iloc[0])
        ok((label == "2008") == (as_of == "2008-12-31"), "%s: the worst year is %s" % (name, label))

# unkeyed: the series and the benchmark as SQL text of (date, close)
RUT_SQL = "SELECT date, close FROM prices WHERE symbol = 'RUT'"
GSPC_SQL = "SELECT date, close FROM prices WHERE symbol = 'GSPC'"
got = summary("fin_summary(%s, %s)" % ("'" + RUT_SQL.replace("'", "''") + "'", "'" + GSPC_SQL.replace("'", "''") + "'"))
ok(len(got) == 1 and pd.isna(got.key.iloc[0]), "unkeyed RUT vs GSPC: one row, key NULL", got)
fns = functions(RUT_SQL, "RUT", None, "close", None, GSPC_SQL, None)
compare("unkeyed RUT vs GSPC (SQL text)", got.iloc[0], fns, sheet(prices("RUT", "close"), None,
                                                                 prices("GSPC", "close")), True)
keyed = summary("fin_summary('prices', 'prices') WHERE key = 'RUT' AND benchmark_key = 'GSPC'").iloc[0]
ok(all(txt(keyed[c]) == txt(got.iloc[0][c]) for c in TEXT + REAL if c not in ("key", "benchmark_key")),
   "the unkeyed read equals the keyed one, column for column")

# every key at once, no benchmark: one row per key, benchmark columns NULL
every = summary("fin_summary('prices') ORDER BY key")
ok(list(every.key) == sorted(SYMS), "fin_summary('prices'): one row per key, %s" % list(every.key))
for _, row in every.iterrows():
    fns = functions("prices", row.key, row.key, "close")
    compare("%s alone, close" % row.key, row, fns, sheet(prices(row.key, "close")), False)
    ok(all(pd.isna(row[c]) for c in ("benchmark_key", "beta", "correlation", "information_ratio", "up_capture",
                                     "down_capture")), "%s alone: the benchmark columns are NULL" % row.key)

# ------------------------------------------------------------ part 2: keys and as_of in plain SQL
def rows_of(q):
    return summary(q).sort_values("key").reset_index(drop=True).astype(str)


allk = rows_of("fin_summary('prices')")
ok(rows_of("fin_summary('prices') WHERE key IN ('RUT', 'IJR')").equals(allk[allk.key.isin(["RUT", "IJR"])].reset_index(drop=True)),
   "key IN (...) gives the rows of the whole read")
ok(rows_of("(SELECT 'SPY' AS s UNION ALL SELECT 'GSPC') w JOIN fin_summary('prices') f ON f.key = w.s")
   .equals(allk[allk.key.isin(["SPY", "GSPC"])].reset_index(drop=True)), "a key from a join gives the rows of the whole read")
j = sql("SELECT x.d, %s AS cagr, best_year_label, %s AS best FROM (SELECT '2019-12-31' AS d UNION ALL SELECT '2020-06-30') x "
        "JOIN fin_summary('prices') s ON s.key = 'RUT' AND s.as_of = x.d ORDER BY x.d;" % (F("s.cagr"), F("s.best_year")))
sep = [summary("fin_summary('prices') WHERE key = 'RUT' AND as_of = '%s'" % d).iloc[0] for d in ("2019-12-31", "2020-06-30")]
ok(len(j) == 2 and all(num(j.cagr[i]) == num(sep[i].cagr) and num(j.best[i]) == num(sep[i].best_year) for i in range(2)),
   "as_of from a join: each date's sheet as asked one by one")
ok(rows_of("fin_summary('prices', 'prices') WHERE benchmark_key IN ('GSPC', 'SPY') AND key = 'RUT'").shape[0] == 2,
   "benchmark_key IN (...): one row per benchmark")

# ------------------------------------------------------------ part 3 and 4: small tables, errors
def run(q):
    p = subprocess.run(realdata.SQLITE3 + ["-batch", "-bail", ":memory:"], input=".load %s\n%s\n" % (realdata.LIB, q),
                       capture_output=True, text=True)
    return p.returncode, p.stdout.strip(), p.stderr.strip()


SMALL = """CREATE TABLE s(k TEXT, d, v REAL);
INSERT INTO s VALUES ('one', '2024-01-02', 100), ('none', '2024-01-02', NULL), ('none', '2024-01-03', NULL),
  ('tie', '2020-01-02', 100), ('tie', '2020-01-03', 90), ('tie', '2020-01-06', 100), ('tie', '2020-01-07', 90),
  ('tie', '2020-01-08', 100), ('open', '2020-01-02', 100), ('open', '2020-01-03', 80), ('open', '2020-01-06', 90),
  ('open', '2020-01-07', 80), ('years', '2019-12-31', 100), ('years', '2020-12-31', 200), ('years', '2021-12-31', 400),
  ('years', '2022-06-30', 300);
CREATE TABLE n(t INTEGER, v REAL);
INSERT INTO n VALUES (1, 100), (2, 110), (3, 99), (4, 120);
CREATE TABLE j(t REAL, v REAL);
INSERT INTO j VALUES (2458849.5, 100), (2459215.5, 120), (2459580.5, 90), (2459581.5, 95);
"""


def check(name, q, want):
    rc, out, err = run(SMALL + q)
    ok(rc == 0 and not err and out == want, name, "query: " + q, "got: " + out, "want: " + want, "stderr: " + err)


def check_error(name, q, want):
    rc, out, err = run(SMALL + q)
    ok(rc != 0 and err.endswith(want), name, "query: " + q, "want an error ending: " + want, "stderr: " + err)


check("one value: total return 0, max drawdown 0; CAGR, volatility, ratios, episode and years NULL",
      "SELECT rows, total_return, quote(cagr), quote(volatility), quote(sharpe), quote(sortino), max_drawdown, "
      "quote(peak_time), quote(calmar), quote(best_year) FROM fin_summary('s') WHERE key = 'one';",
      "1|0.0|NULL|NULL|NULL|NULL|0.0|NULL|NULL|NULL")
check("a key without a value has no row (unasked)", "SELECT group_concat(key) FROM (SELECT key FROM fin_summary('s') ORDER BY key);",
      "one,open,tie,years")
check("equal depths: the earlier episode, as fin_drawdowns ORDER BY depth, peak_time gives it",
      "SELECT max_drawdown, peak_time, trough_time, recovery_time FROM fin_summary('s') WHERE key = 'tie'; "
      "SELECT depth, peak_time, trough_time, recovery_time FROM fin_drawdowns('s') WHERE key = 'tie' ORDER BY depth, peak_time LIMIT 1;",
      "-0.1|2020-01-02|2020-01-03|2020-01-06\n-0.1|2020-01-02|2020-01-03|2020-01-06")
check("the deepest episode still open: no recovery; its trough the first row at the low",
      "SELECT max_drawdown, peak_time, trough_time, quote(recovery_time) FROM fin_summary('s') WHERE key = 'open';",
      "-0.2|2020-01-02|2020-01-03|NULL")
check("years: 2020 and 2021 both doubled (the earlier is best and worst), 2019 first, 2022 partial",
      "SELECT best_year, best_year_label, worst_year, worst_year_label FROM fin_summary('s') WHERE key = 'years'; "
      "SELECT period, period_return, partial FROM fin_calendar_returns('s', 'year') WHERE key = 'years';",
      "1.0|2020|1.0|2020\n2019|0.0|1\n2020|1.0|0\n2021|1.0|0\n2022|-0.25|1")
check("as of 2022-12-31 the last year is whole and the worst",
      "SELECT best_year_label, worst_year, worst_year_label FROM fin_summary('s') WHERE key = 'years' AND as_of = '2022-12-31';",
      "2020|-0.25|2022")
check("numeric times that are not dates: CAGR over their difference as days (fin_cagr), no years",
      "SELECT rows, cagr = (SELECT fin_cagr(t, v) FROM n), quote(best_year), quote(best_year_label), peak_time, "
      "trough_time, recovery_time FROM fin_summary('n');",
      "4|1|NULL|NULL|2|3|4")
check("Julian day numbers are dates: 2021 whole, 2022 whole as of 2023-01-01",
      "SELECT best_year_label, round(best_year, 6), worst_year_label, round(worst_year, 6) FROM fin_summary('j') "
      "WHERE as_of = 2459945.5; SELECT best_year_label, worst_year_label FROM fin_summary('j');",
      "2021|0.2|2022|-0.208333\n2021|2021")

check_error("keyed benchmark without benchmark_key", "SELECT * FROM fin_summary('s', 's');",
            "fin_summary(): benchmark has keys (key, time, value): choose its series with benchmark_key = ...")
check_error("benchmark_key without a benchmark", "SELECT * FROM fin_summary('s') WHERE benchmark_key = 'one';",
            "fin_summary(): benchmark_key = text 'one' needs a benchmark (the benchmark argument)")
check_error("the series is required", "SELECT * FROM fin_summary WHERE key = 'one';",
            "fin_summary(): the first argument, series, is required")
check_error("as_of of another kind than the times", "SELECT * FROM fin_summary('s') WHERE as_of = 5;",
            "fin_summary(): as_of is a number but the time values are ISO-8601 text")
check_error("as_of with another operator than =", "SELECT * FROM fin_summary('s') WHERE as_of < '2024-01-01';",
            "fin_summary(): as_of is an argument of the table: give it with = (as_of = ...), not <; "
            "for the series as it stood at several dates, join a list of dates on as_of = x.date")
check_error("a value column that is not there",
            "CREATE TABLE q(symbol, date, close); SELECT * FROM fin_summary('q') WHERE value_column = 'high';",
            "fin_summary(): series has no value column 'high' (value_column): its columns are symbol, date, close")
check_error("a bad value names its row", "SELECT * FROM fin_summary('SELECT d, -v FROM s WHERE k = ''tie''');",
            "fin_summary(): value must be > 0, got -100.0 at time text '2020-01-02'")
check_error("benchmark times of another kind", "SELECT * FROM fin_summary('n', 'SELECT d, v FROM s WHERE k = ''one''');",
            "fin_summary(): the benchmark's times are ISO-8601 text but the series' are numbers")

print("1..%d" % T[0])

#!/usr/bin/python3
"""fin_calendar_returns reads only each period's first and last rows when it
can seek them (an index on (key, time), or the packed copy): those answers
must equal a full read of every row, on the real data (all seven symbols,
by sql/load_csv.sh) and on made-up edges.

Full read: the same rows as SQL text with NOT INDEXED, which no seek can
serve. Seeks: the prices table (its primary key), a view over it, and the
packed copy. Every period (year, quarter, month, week), keyed and unkeyed,
with and without a benchmark, as of several dates (a date, a date with a
time of day, which turns the seeks off, a day before the first row, after
the last), then edges: NULL and '' values at a period's ends, a key of
NULLs, a key of one row, numeric (Julian day) times, a value that is not a
price between a period's ends (not read by the seeks: the documented
difference, shown here so a read that skips nothing is caught), and a
period end that SQL orders differently (mixed formats)."""
import os, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import realdata

SYMS = ["GSPC", "IJR", "IWM", "NDX", "RUT", "SPY"]
sql = realdata.setup(SYMS)
from realdata import T, ok


def run(q, db=None):
    return realdata.shell(q, db or sql.db)


FULL = "'SELECT symbol, date, close FROM prices NOT INDEXED'"
run("CREATE VIEW closes_v AS SELECT symbol, date, close FROM prices;"
    "CREATE TABLE packed AS SELECT * FROM prices;"
    "CREATE UNIQUE INDEX packed_key ON packed(symbol, date);"
    "SELECT fin_pack('packed', 'close');")
SEEKS = {"the table": "'prices'", "a view": "'closes_v'", "the packed copy": "'packed'"}


def answer(series, period, where, bench=None):
    q = "SELECT * FROM fin_calendar_returns(%s, '%s'%s) WHERE %s ORDER BY key, period;" % (
        series, period, ", " + bench if bench else "", where)
    return run(q)


cases = 0
bad = []
for period in ["year", "quarter", "month", "week"]:
    for where in ["1", "key = 'RUT'", "as_of = '2020-12-31'", "as_of = '2022-06-15'", "key = 'IJR' AND as_of = '2008-11-20'",
                  "as_of = '2020-03-23 12:00'", "as_of = '1900-01-01'", "as_of = '2100-01-01'", "key IN ('IWM', 'NDX') AND as_of = '2019-07-04'"]:
        want = answer(FULL, period, where)
        for label, series in SEEKS.items():
            got = answer(series, period, where)
            cases += 1
            if got != want:
                bad.append("%s, %s, %s: %s\nexpected %s" % (label, period, where, got[1][:300] + got[2], want[1][:300] + want[2]))
ok(not bad, "%d calendar tables by seeks equal the full read" % cases, *bad[:3])

bad = []
for period in ["year", "month"]:
    for where in ["key = 'IJR' AND benchmark_key = 'SPY'", "benchmark_key = 'GSPC' AND as_of = '2015-05-05'"]:
        want = answer(FULL, period, where, bench=FULL)
        for label, series in SEEKS.items():
            got = answer(series, period, where, bench=series)
            if got != want:
                bad.append("%s, %s, %s: %s\nexpected %s" % (label, period, where, got[1][:300] + got[2], want[1][:300] + want[2]))
ok(not bad, "with a benchmark, by seeks, equal the full read", *bad[:3])

rc, out, err = run("SELECT count(*), count(DISTINCT key) FROM fin_calendar_returns('prices', 'year') WHERE as_of = '2020-12-31';")
rc2, out2, err2 = run("SELECT count(*), count(DISTINCT symbol) FROM (SELECT DISTINCT symbol, substr(date, 1, 4) FROM prices "
                      "WHERE close IS NOT NULL AND date <= '2020-12-31');")
ok(rc == 0 and out == out2 and out.strip().endswith("|6"), "as of a day, every key has its years (not only the first key)",
   out + err, out2 + err2)

# ---- edges, on a small table of its own
EDGE = """
CREATE TABLE e(symbol TEXT, date TEXT, close, PRIMARY KEY (symbol, date)) WITHOUT ROWID;
INSERT INTO e VALUES
  ('A', '2023-12-29', NULL), ('A', '2024-01-02', 10), ('A', '2024-01-03', ''), ('A', '2024-01-31', NULL),
  ('A', '2024-02-01', 11), ('A', '2024-02-29', 12), ('A', '2024-03-01', ''), ('A', '2024-12-31', 13),
  ('B', '2024-05-05', NULL), ('B', '2024-05-06', NULL),
  ('C', '2024-06-28', 20),
  ('D', '2024-01-02', 5), ('D', '2024-01-15', 6), ('D', '2024-03-29', 7), ('D', '2025-01-02', NULL), ('D', '2025-01-03', 8);
CREATE TABLE j(date REAL PRIMARY KEY, close);
INSERT INTO j SELECT julianday(date), close FROM e WHERE symbol = 'D';
"""
run(EDGE)
bad = []
for period in ["year", "quarter", "month", "week"]:
    for where in ["1", "key = 'A'", "key = 'C'", "key = 'D' AND as_of = '2024-12-31'", "as_of = '2024-02-15'"]:
        want = answer("'SELECT * FROM e NOT INDEXED'", period, where)
        got = answer("'e'", period, where)
        if got != want:
            bad.append("%s, %s: %s\nexpected %s" % (period, where, got[1] + got[2], want[1] + want[2]))
    want = answer("'SELECT * FROM j NOT INDEXED'", period, "1")
    got = answer("'j'", period, "1")
    if got != want:
        bad.append("Julian days, %s: %s\nexpected %s" % (period, got[1] + got[2], want[1] + want[2]))
ok(not bad, "NULL and '' at a period's ends, a key of NULLs, one row, Julian days: as the full read", *bad[:3])
rc, out, err = run("SELECT * FROM fin_calendar_returns('e', 'year') WHERE key = 'B';")
ok(rc != 0 and "key B has no close: its 2 rows hold NULL there" in err, "a key of NULLs asked for is an error by seeks too, its rows counted", err)

# a value that is no price between a period's first and last rows: the
# full read stops on it; the seeks do not read it (docs/tables.md)
run("CREATE TABLE s(symbol TEXT, date TEXT, close, PRIMARY KEY (symbol, date));"
    "INSERT INTO s VALUES ('X', '2024-01-02', 10), ('X', '2024-01-03', 'n/a'), ('X', '2024-01-31', 11);")
rc, out, err = run("SELECT period, period_return FROM fin_calendar_returns('s', 'month');")
rc2, out2, err2 = run("SELECT period, period_return FROM fin_calendar_returns('SELECT * FROM s NOT INDEXED', 'month');")
ok(rc == 0 and out.strip() == "2024-01|0.1" and rc2 != 0 and "'n/a'" in err2,
   "the rows between a period's ends are not read by the seeks (and are by a full read)", out + err, out2 + err2)
rc, out, err = run("SELECT count(*) FROM fin_series('s');")
ok(rc != 0 and "'n/a'" in err, "fin_series reads every row and reports it", err)

# a time whose text SQL orders apart from the calendar: refused, not skipped
run("CREATE TABLE m(symbol TEXT, date TEXT, close, PRIMARY KEY (symbol, date));"
    "INSERT INTO m VALUES ('X', '2024-01-02', 10), ('X', '2024-02-01', 11), ('X', '2024-1-15', 12);")
rc, out, err = run("SELECT * FROM fin_calendar_returns('m', 'month');")
ok(rc != 0 and "fin_calendar_returns()" in err, "times in mixed formats are an error, by seeks too", out + err)

print("1..%d" % T[0])

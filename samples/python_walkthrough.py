#!/usr/bin/env python3
"""Python walkthrough: sqlite-fin from Python's built-in sqlite3 module.

    python3 samples/python_walkthrough.py [path/to/fin]

Loads the extension, loads the sample CSV with the csv module, and asks three
questions, passing the series to a table-valued function as a bound
parameter. Some Python builds (pyenv's default, some macOS builds) have no
loadable-extension support; this script says so and what to do instead of
failing with an AttributeError.
"""
import csv
import os
import sqlite3
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LIB = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("FIN_LIB", os.path.join(ROOT, "dist", "fin"))

NO_EXTENSIONS = """\
This Python ({exe}) was built without loadable SQLite extension support:
sqlite3.Connection has no enable_load_extension(). Any of these works:
  - Debian/Ubuntu's own interpreter: /usr/bin/python3 (apt-get install python3)
  - pip install apsw, then conn = apsw.Connection(path);
    conn.enable_load_extension(True); conn.load_extension("{lib}")
  - pyenv: PYTHON_CONFIGURE_OPTS="--enable-loadable-sqlite-extensions" pyenv install <version>
"""


def connect(path=":memory:"):
    conn = sqlite3.connect(path)
    if not hasattr(conn, "enable_load_extension"):
        sys.stderr.write(NO_EXTENSIONS.format(exe=sys.executable, lib=LIB))
        sys.exit(2)
    conn.enable_load_extension(True)
    conn.load_extension(LIB)
    conn.enable_load_extension(False)  # no SQL can load others afterwards
    return conn


def load_csv(conn, symbol, path):
    """Vendor CSV (Date,Open,High,Low,Close,Adj Close,Volume) into prices."""
    with open(os.path.join(ROOT, "sql", "schema.sql")) as f:
        conn.executescript(f.read())
    num = lambda s: float(s) if s else None
    with open(path, newline="") as f:
        rows = [(symbol, r[0], num(r[1]), num(r[2]), num(r[3]), num(r[4]), num(r[5]),
                 int(r[6]) if r[6] else None) for r in list(csv.reader(f))[1:]]
    conn.executemany("INSERT INTO prices VALUES (?,?,?,?,?,?,?,?)", rows)
    return len(rows)


def show(title, cur):
    print(title)
    names = [d[0] for d in cur.description]
    rows = [["" if v is None else str(round(v, 4) if isinstance(v, float) else v) for v in r] for r in cur]
    widths = [max(len(x) for x in col) for col in zip(names, *rows)]
    for r in [names] + rows:
        print("  " + "  ".join(x.ljust(w) for x, w in zip(r, widths)))
    print()


def main():
    conn = connect()
    print("fin", conn.execute("SELECT fin_version()").fetchone()[0], "on SQLite", sqlite3.sqlite_version)
    n = load_csv(conn, "SMALL", os.path.join(ROOT, "samples", "data", "SMALL.csv"))
    print("loaded", n, "rows\n")
    # The series is named (the closes view of sql/schema.sql); the symbol
    # is a bound parameter, and the tables read only its rows.
    show("Deepest drawdowns (the symbol is a bound parameter):", conn.execute(
        "SELECT peak_time, trough_time, recovery_time, depth, length FROM fin_drawdowns('closes', 0.15) "
        "WHERE key = ? ORDER BY depth LIMIT 3", ("SMALL",)))
    show("Runs of 4+ sessions with gains of at least 1%, and the month after:", conn.execute(
        "SELECT s.start_time, s.end_time, s.length, s.total_return, f.forward_return AS next_month "
        "FROM fin_streaks('closes', 0.01, 4) s "
        "LEFT JOIN fin_forward_returns('closes', 21) f ON f.key = s.key AND f.event_time = s.end_time "
        "WHERE s.key = ? ORDER BY s.start_time", ("SMALL",)))
    show("Year to date and the 5-session return, as window functions:", conn.execute(
        "SELECT date, close, fin_ytd_return(date, close) OVER w AS ytd, fin_rolling_return(close, 5) OVER w AS r5 "
        "FROM prices WHERE symbol = ? WINDOW w AS (ORDER BY date) ORDER BY date DESC LIMIT 1", ("SMALL",)))


if __name__ == "__main__":
    main()

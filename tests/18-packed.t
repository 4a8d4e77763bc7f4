#!/usr/bin/python3
"""The packed copy (fin_pack): every table answers from it exactly as from
the rows, and no write by any client can make it answer from stale data.

The same questions are asked of a price table before fin_pack, after it,
and after writes made by the plain sqlite3 shell WITHOUT the extension
loaded (an append, a revised close, a deleted row, a new symbol, a rolled
back transaction, a second process writing a WAL database while a reader
holds it open); each time the answers must equal those of the rows, which
are read by naming a view of the same table (views are never packed). A
process killed while fin_pack rebuilds leaves a database whose answers are
still exact. fin_unpack leaves no trace. Skips without the real data."""
import os, shlex, shutil, signal, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LIB = os.environ.get("FIN_LIB", os.path.join(ROOT, "dist", "fin"))
SQLITE3 = shlex.split(os.environ.get("SQLITE3", "sqlite3"))
DATA = os.environ.get("FIN_DATA_DIR", os.path.join(ROOT, "..", "shared", "data"))
SYMS = ["SPY", "IWM", "IJR"]
if not all(os.path.exists(os.path.join(DATA, s + ".csv")) for s in SYMS):
    print("1..0 # SKIP no real data in %s" % DATA)
    sys.exit(0)
TMP = tempfile.mkdtemp()
DB = os.path.join(TMP, "p.db")
T = [0]
FAIL = [0]


def ok(good, name, diag=""):
    T[0] += 1
    print("%s %d - %s" % ("ok" if good else "not ok", T[0], name))
    if not good:
        FAIL[0] += 1
        for line in diag.splitlines()[:16]:
            print("# " + line, file=sys.stderr)


def sql(q, load=True, db=DB):
    p = subprocess.run(SQLITE3 + ["-batch", "-bail", db], input=(".load %s\n" % LIB if load else "") + q + "\n",
                       capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def plain(q, db=DB):
    """A write by a client without the extension (the shell, no .load)."""
    rc, out, err = sql(q, load=False, db=db)
    if rc:
        print("Bail out! plain write failed: " + err)
        sys.exit(1)


for s in SYMS:
    subprocess.run([os.path.join(ROOT, "sql", "load_csv.sh"), DB, s, os.path.join(DATA, s + ".csv")],
                   check=True, capture_output=True)
# the rows, read through views (a view is never packed)
plain("CREATE VIEW rows_close AS SELECT symbol, date, close FROM prices;"
      "CREATE VIEW rows_adj AS SELECT symbol, date, adj_close FROM prices;"
      "CREATE VIEW rows_high AS SELECT symbol, date, high FROM prices;")

# Questions: %s the series; the packed table reads its column by value_column.
QUESTIONS = [
    "SELECT * FROM fin_series('%s', 5) WHERE %w",
    "SELECT * FROM fin_drawdowns('%s') WHERE %w",
    "SELECT * FROM fin_streaks('%s', 0.01, 3) WHERE %w",
    "SELECT * FROM fin_calendar_returns('%s', 'year', '%s') WHERE %w AND benchmark_key = 'SPY'",
    "SELECT * FROM fin_calendar_returns('%s', 'month') WHERE %w",
    "SELECT * FROM fin_forward_returns('%s', '5, 1 month') WHERE %w AND event_time IN ('2008-10-10', '2020-03-23', '2026-08-20')",
    "SELECT count(*), sum(forward_return), sum(max_loss) FROM fin_forward_returns('%s', 21) WHERE %w",
    "SELECT * FROM fin_relative('%s', '%s') WHERE %w AND benchmark_key = 'SPY'",
    "SELECT * FROM fin_swings('%s', 0.1) WHERE %w",
    "SELECT * FROM fin_trailing_returns('%s', '1 month, ytd, 1 year, inception') WHERE %w",
    "SELECT * FROM fin_summary('%s', '%s') WHERE %w AND benchmark_key = 'SPY'",
]
WHERES = ["1", "key = 'IWM'", "key IN ('IJR', 'SPY')", "key = 'IWM' AND as_of = '2024-10-16'",
          "as_of = '2020-12-31'"]
VIEWS = {"close": "rows_close", "adj_close": "rows_adj", "high": "rows_high"}


def answers(series_of, where):
    out = []
    for col, view in VIEWS.items():
        for q in QUESTIONS:
            series = series_of(col, view)
            text = q.replace("%w", where + ("" if series == view else " AND value_column = '%s'" % col))
            text = text.replace("%s", series)
            rc, o, e = sql(text + ";")
            out.append((col, q[:40], rc, o if rc == 0 else e.strip()))
    return out


def same(label, wheres=WHERES[1:3]):
    """Every question on the packed table equals the same on the rows."""
    bad = []
    n = 0
    for where in wheres:
        packed = answers(lambda col, view: "prices", where)
        rows = answers(lambda col, view: view, where)
        for (col, q, rc1, o1), (_, _, rc2, o2) in zip(packed, rows):
            n += 1
            if rc1 != rc2 or o1 != o2:
                bad.append("%s / %s / %s: packed %s\n%s\nrows %s\n%s" % (where, col, q, rc1, o1[:200], rc2, o2[:200]))
    ok(not bad, "%s: %d answers from the packed copy equal the rows'" % (label, n), "\n".join(bad[:3]))


rc, out, err = sql("SELECT fin_pack('prices');")
ok(rc == 0 and out.startswith("packed prices: 3 keys (0 read from the rows), 21629 rows, 6 columns: "
                              "open,high,low,close,adj_close,volume"), "fin_pack reports what it packed", out + err)
rc, out, err = sql("SELECT name FROM sqlite_schema WHERE name LIKE 'fin\\_pack%' ESCAPE '\\' OR name = 'fin_packs' ORDER BY 1;")
ok(out.split() == ["fin_pack_prices_chunks", "fin_pack_prices_del", "fin_pack_prices_dirty", "fin_pack_prices_ins",
                   "fin_pack_prices_keys", "fin_pack_prices_upd", "fin_packs"],
   "its shadow tables and triggers, in the table's database", out + err)
same("just packed", WHERES)

# ---- writes by a client without the extension
plain("INSERT INTO prices(symbol, date, open, high, low, close, adj_close, volume) "
      "VALUES ('IWM', '2026-09-01', 250.0, 252.0, 249.0, 251.0, 251.0, 1000);")
rc, out, err = sql("SELECT count(*) FROM fin_pack_prices_dirty;")
ok(out.strip() == "0", "an append is not a change to the copy (read after it, from the rows)", out + err)
same("after an append")
plain("UPDATE prices SET close = close * 1.5 WHERE symbol = 'SPY' AND date = '2020-03-23';")
same("after a revised close")
plain("DELETE FROM prices WHERE symbol = 'IJR' AND date = '2020-03-16';")
same("after a deleted row")
plain("INSERT INTO prices(symbol, date, close) VALUES ('NEW', '2024-01-02', 10.0), ('NEW', '2024-01-03', 11.0);")
same("after a new symbol")
plain("INSERT INTO prices(symbol, date, close) VALUES ('IWM', '1999-01-04', 10.0);")
same("after a row inserted before the packed end")
plain("BEGIN; UPDATE prices SET close = 1 WHERE symbol = 'IWM'; ROLLBACK;")
same("after a rolled-back transaction")
rc, out, err = sql("SELECT key FROM fin_pack_prices_dirty ORDER BY 1;")
ok(out.split() == ["IJR", "IWM", "NEW", "SPY"], "the written keys are marked, the rolled-back write left no mark", out)

# ---- rebuilt: clean again
rc, out, err = sql("SELECT fin_pack('prices');")
ok(rc == 0 and "4 keys (0 read from the rows)" in out, "fin_pack again rebuilds the copy", out + err)
same("rebuilt", WHERES)

# ---- WAL: a second process writes while a reader holds the database open
plain("PRAGMA journal_mode = WAL;")
reader = subprocess.Popen(SQLITE3 + ["-batch", DB], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True)
reader.stdin.write(".load %s\nSELECT sum(value) FROM fin_series('prices') WHERE key = 'SPY';\n" % LIB)
reader.stdin.flush()
first = reader.stdout.readline()
plain("UPDATE prices SET close = close + 1 WHERE symbol = 'SPY' AND date = '2024-07-16';")
reader.stdin.write("SELECT sum(value) FROM fin_series('prices') WHERE key = 'SPY';\n"
                   "SELECT sum(value) FROM fin_series('rows_close') WHERE key = 'SPY';\n")
reader.stdin.close()
rest = reader.stdout.read().split()
reader.wait()
ok(len(rest) == 2 and rest[0] == rest[1] and abs(float(rest[0]) - float(first) - 1) < 1e-6,
   "a reader open across another process's write on WAL answers from the new rows",
   "%s %s %s" % (first, rest, reader.stderr.read() if reader.stderr else ""))
same("after a write from another process on WAL")

# ---- a process killed while the copy is rebuilt
plain("PRAGMA journal_mode = DELETE;")
sql("SELECT fin_pack('prices');")
big = os.path.join(TMP, "big.db")
shutil.copy(DB, big)
# enough rows that fin_pack takes a while
plain("INSERT INTO prices(symbol, date, close) SELECT 'K' || (value % 400), date('1900-01-01', '+' || (value / 400) || ' days'), "
      "100 + (value % 97) FROM generate_series(1, 1200000);", db=big)
sql("SELECT fin_pack('prices');", db=big)
before = sql("SELECT count(*), sum(value) FROM fin_series('prices');", db=big)
# kill it at a moment the rebuild is under way: its journal is then on disk
killed_mid = False
for wait in (0.1, 0.2, 0.4, 0.8, 1.6):
    proc = subprocess.Popen(SQLITE3 + ["-batch", big], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, text=True)
    proc.stdin.write(".load %s\nUPDATE prices SET close = close + 1 WHERE symbol = 'SPY';\n"
                     "SELECT fin_pack('prices');\n" % LIB)
    proc.stdin.flush()
    time.sleep(wait)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    if os.path.exists(big + "-journal"):
        killed_mid = True
        break
ok(killed_mid, "a fin_pack was killed mid-way (its journal left behind)")
after = sql("SELECT count(*), sum(value) FROM fin_series('prices');", db=big)
rows = sql("SELECT count(*), sum(value) FROM fin_series('rows_close');", db=big)
ok(after[0] == 0 and after[1] == rows[1] and rows[1] != "",
   "a process killed while fin_pack rebuilds leaves answers equal to the rows'",
   "%s %s %s" % (before, after, rows))

# ---- the copy is trusted only as it was written
plain("DROP TRIGGER fin_pack_prices_upd;")
plain("UPDATE prices SET close = close * 2 WHERE symbol = 'IWM' AND date = '2024-10-16';")
same("with a trigger dropped (the copy is not trusted; the rows are read)")
sql("SELECT fin_pack('prices');")
plain("UPDATE fin_pack_prices_chunks SET data = x'0102' WHERE rowid = (SELECT min(rowid) FROM fin_pack_prices_chunks);")
rc, out, err = sql("SELECT count(*) FROM fin_series('prices');")
ok(rc != 0 and "the packed copy of prices is not as fin_pack wrote it: run SELECT fin_pack('prices') again" in err,
   "a chunk written over is an error, not a guess", err)

# ---- errors
for q, want in [
        ("SELECT fin_pack('rows_close');", "fin_pack(): table must be a table of the database, got 'rows_close' (a view: pack the table it reads)"),
        ("SELECT fin_pack('nope');", "fin_pack(): table must be a table of the database, got 'nope' (no such table)"),
        ("SELECT fin_pack('prices', 'close, nope');", "fin_pack(): columns: prices has no column 'nope' to pack"),
        ("SELECT fin_pack(42);", "fin_pack(): table must be the name of a table ('prices' or 'main.prices'), got 42"),
        ("SELECT fin_pack('x; DROP TABLE prices');", "fin_pack(): table must be the name of a table"),
        ("CREATE TABLE nulls(symbol, date, close); INSERT INTO nulls VALUES (NULL, '2024-01-02', 1); SELECT fin_pack('nulls');",
         "fin_pack(): nulls has rows whose symbol is NULL: give every row a key first"),
        ("CREATE TABLE nodate(a, b); SELECT fin_pack('nodate');", "fin_pack(): nodate: no time column"),
        ("CREATE VIEW v AS SELECT fin_pack('prices'); SELECT * FROM v;", "unsafe use of fin_pack()")]:
    rc, out, err = sql(q)
    ok(rc != 0 and want in err, "error: " + want[:70], err)
rc, out, err = sql("CREATE TABLE timed(date, close); INSERT INTO timed VALUES ('2024-01-02 10:00', 1), ('2024-01-02 11:00', 2); "
                   "SELECT fin_pack('timed'); SELECT count(*) FROM fin_series('timed');")
ok(rc == 0 and "1 keys (1 read from the rows)" in out and out.strip().endswith("2"),
   "a series with times of day is not packed, and reads from its rows", out + err)

# ---- fin_unpack leaves no trace
rc, out, err = sql("SELECT fin_unpack('prices'); SELECT fin_unpack('timed'); "
                   "SELECT count(*) FROM sqlite_schema WHERE name LIKE 'fin\\_pack%' ESCAPE '\\' OR name = 'fin_packs';")
ok(rc == 0 and out.split()[-1] == "0" and "unpacked prices" in out, "fin_unpack removes every object", out + err)
same("unpacked")
print("1..%d" % T[0])
shutil.rmtree(TMP, ignore_errors=True)
sys.exit(1 if FAIL[0] else 0)

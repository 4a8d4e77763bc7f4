#!/usr/bin/python3
"""Any price table: the tables read a seven-column price table by its
column names (date, open, high, low, close, adj_close, volume, with or
without a symbol column) as three tools make it from SPY.csv and IWM.csv:

- sqlite-utils' CSV import (`sqlite-utils insert --csv --detect-types`,
  run here when installed: FLOAT columns, an empty field kept as '');
- DB Browser for SQLite's Import CSV, whose table this test makes the way
  its ImportCsvDialog does (header names as they are, a type guessed from
  the first 20 rows, every field bound as text so the column's affinity
  converts it, an empty field NULL);
- sql/schema.sql's prices table, loaded by sql/load_csv.sh.

Every table must answer on each of them, by table name, keyed (WHERE key =)
and unkeyed, exactly as on the schema's views (closes, adj_closes, and a
view of the high column), and on the high column through value_column.
Skips without the real data or the sqlite3 shell."""
import csv, os, shlex, shutil, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LIB = os.environ.get("FIN_LIB", os.path.join(ROOT, "dist", "fin"))
SQLITE3 = shlex.split(os.environ.get("SQLITE3", "sqlite3"))
DATA = os.environ.get("FIN_DATA_DIR", os.path.join(ROOT, "..", "shared", "data"))
SYMS = ["SPY", "IWM"]
if not all(os.path.exists(os.path.join(DATA, s + ".csv")) for s in SYMS):
    print("1..0 # SKIP no real data in %s" % DATA)
    sys.exit(0)
TMP = tempfile.mkdtemp()
T = [0]
FAIL = [0]


def ok(good, name, diag=""):
    T[0] += 1
    print("%s %d - %s" % ("ok" if good else "not ok", T[0], name))
    if not good:
        FAIL[0] += 1
        for line in diag.splitlines()[:20]:
            print("# " + line, file=sys.stderr)


def sql(db, q):
    p = subprocess.run(SQLITE3 + ["-batch", "-bail", db], input=".load %s\n%s\n" % (LIB, q),
                       capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


# ---- the schema's prices table, by the project's loader
schema_db = os.path.join(TMP, "schema.db")
for s in SYMS:
    subprocess.run([os.path.join(ROOT, "sql", "load_csv.sh"), schema_db, s, os.path.join(DATA, s + ".csv")],
                   check=True, capture_output=True)
sql(schema_db, "CREATE VIEW highs AS SELECT symbol, date, high FROM prices;")

# ---- DB Browser's Import CSV: header names, types from the first 20 rows
def db4s_type(values):
    t = ""
    for v in values:
        if t == "TEXT":
            break
        try:
            int(v)
            is_int = True
        except ValueError:
            is_int = False
        try:
            float(v)
            is_real = True
        except ValueError:
            is_real = False
        # its rules, including that two reals in a row make INTEGER (affinity
        # still keeps 101.5 a REAL)
        if t == "INTEGER" and not is_int and is_real:
            t = "REAL"
        elif t == "" and is_int:
            t = "INTEGER"
        elif t == "" and is_real:
            t = "REAL"
        elif t == "REAL" and is_real:
            t = "INTEGER"
        elif t == "INTEGER" and is_int:
            t = "INTEGER"
        else:
            t = "TEXT"
    return t or "TEXT"


def db4s_import(db, table, path):
    rows = list(csv.reader(open(path, newline="")))
    head, body = rows[0], rows[1:]
    types = [db4s_type([r[i] for r in body[:20]]) for i in range(len(head))]
    cols = ", ".join('"%s" %s' % (h, t) for h, t in zip(head, types))
    script = ['CREATE TABLE "%s"(%s);' % (table, cols), "BEGIN;"]
    for r in body:
        vals = ", ".join("NULL" if v == "" else "'%s'" % v.replace("'", "''") for v in r)
        script.append('INSERT INTO "%s" VALUES (%s);' % (table, vals))
    script.append("COMMIT;")
    rc, out, err = sql(db, "\n".join(script))
    if rc:
        print("Bail out! DB Browser-style import: " + err)
        sys.exit(1)


dbb_db = os.path.join(TMP, "dbbrowser.db")
for s in SYMS:
    db4s_import(dbb_db, s.lower(), os.path.join(DATA, s + ".csv"))

# ---- sqlite-utils
have_su = shutil.which("sqlite-utils") is not None
su_db = os.path.join(TMP, "sqlite-utils.db")
if have_su:
    for s in SYMS:
        subprocess.run(["sqlite-utils", "insert", su_db, s.lower(), os.path.join(DATA, s + ".csv"), "--csv",
                        "--detect-types"], check=True, capture_output=True)

# A keyed table of both (symbol + the seven columns), made from each import.
KEYED = "CREATE TABLE px AS SELECT 'SPY' AS symbol, * FROM spy UNION ALL SELECT 'IWM', * FROM iwm;"
sql(dbb_db, KEYED)
if have_su:
    sql(su_db, KEYED)

# Each table, its question on the schema's views and on a seven-column
# table (%s: the series; %b: the benchmark; %w: extra WHERE terms).
QUESTIONS = [
    ("fin_drawdowns", "SELECT * FROM fin_drawdowns('%s') WHERE %w"),
    ("fin_series", "SELECT * FROM fin_series('%s', 5) WHERE %w"),
    ("fin_streaks", "SELECT * FROM fin_streaks('%s', 0.01, 3) WHERE %w"),
    ("fin_down_streaks", "SELECT * FROM fin_down_streaks('%s', 0.01, 3) WHERE %w"),
    ("fin_forward_returns", "SELECT * FROM fin_forward_returns('%s', '5, 1 month') WHERE %w AND event_time IN ('2008-10-10', '2020-03-23', '2024-07-16')"),
    ("fin_forward_returns, every row", "SELECT count(*), sum(forward_return) FROM fin_forward_returns('%s', 21) WHERE %w"),
    ("fin_calendar_returns", "SELECT * FROM fin_calendar_returns('%s', 'month', '%b') WHERE %w %B"),
    ("fin_relative", "SELECT * FROM fin_relative('%s', '%b') WHERE %w %B"),
    ("fin_swings", "SELECT * FROM fin_swings('%s', 0.1) WHERE %w"),
    ("fin_trailing_returns", "SELECT * FROM fin_trailing_returns('%s', '1 month, ytd, 1 year, 5 years, inception', '%b') WHERE %w AND as_of = '2024-10-16' %B"),
    ("fin_summary", "SELECT * FROM fin_summary('%s', '%b') WHERE %w %B"),
]
# Where the answer is read, and how each way names SPY and the benchmark IWM:
# (database, series name, benchmark name, key term, benchmark key)
def ways(column):
    view = {"close": "closes", "adj_close": "adj_closes", "high": "highs"}[column]
    yield "schema view", schema_db, view, view, "key = 'SPY'", "AND benchmark_key = 'IWM'", None
    for label, db, ok_ in (("DB Browser", dbb_db, True), ("sqlite-utils", su_db, have_su)):
        if not ok_:
            continue
        vc = None if column == "close" else column
        yield label + ", unkeyed", db, "spy", "iwm", "1", "", vc
        yield label + ", keyed", db, "px", "px", "key = 'SPY'", "AND benchmark_key = 'IWM'", vc


def ask(db, q, series, bench, where, bkey, vc):
    if vc:
        where += " AND value_column = '%s'" % vc
    text = q.replace("%s", series).replace("%b", bench).replace("%w", where).replace("%B", bkey)
    # the key column differs (NULL unkeyed): compare the rest
    return sql(db, text + ";")


def strip_key(out):
    """The key columns differ (NULL unkeyed): the rest must not."""
    return "\n".join((line.split("|", 1)[1] if "|" in line else line).replace("|IWM|", "||")
                     for line in out.splitlines())


for column in ("close", "adj_close", "high"):
    for name, q in QUESTIONS:
        answers = []
        for label, db, series, bench, where, bkey, vc in ways(column):
            rc, out, err = ask(db, q, series, bench, where, bkey, vc)
            answers.append((label, rc, out, err))
        base = answers[0]
        good = base[1] == 0 and base[2].strip() != ""
        bad = [] if good else ["the schema view: exit %d, %s" % (base[1], base[3].strip())]
        for label, rc, out, err in answers[1:]:
            if rc != 0 or strip_key(out) != strip_key(base[2]):
                good = False
                bad.append("%s: exit %d %s\ngot: %s\nwanted: %s" % (label, rc, err.strip(), out[:300],
                                                                    base[2][:300]))
        ok(good, "%s on %s: %d ways answer alike (%d lines)" % (name, column, len(answers),
                                                               len(base[2].splitlines())),
           "\n".join(bad))

# A table whose names do not say which column is the value: an error that
# lists the columns.
rc, out, err = sql(dbb_db, "CREATE TABLE two(date, open, high); SELECT * FROM fin_drawdowns('two');")
ok(rc != 0 and "fin_drawdowns(): series must have 2 columns (time, value) or 3 (key, time, value), or "
   "name them" in err and "found no close column in its 3 columns: date, open, high" in err,
   "no close and two other columns: an error listing them", err)
rc, out, err = sql(dbb_db, "SELECT * FROM fin_drawdowns('spy') WHERE value_column = 'Adj_Close_x';")
ok(rc != 0 and "fin_drawdowns(): series has no value column 'Adj_Close_x' (value_column): its columns "
   "are date, open, high, low, close, adj_close, volume" in err, "an unknown value_column lists the columns", err)
rc, out, err = sql(dbb_db, "CREATE TABLE twokeys(symbol, ticker, date, close); SELECT * FROM fin_series('twokeys');")
ok(rc != 0 and "found two key columns in its 4 columns: symbol, ticker, date, close" in err,
   "two key columns: an error listing them", err)
rc, out, err = sql(dbb_db, "SELECT count(*) FROM fin_series('spy') WHERE value_column = 'Adj Close';")
ok(rc == 0 and out.strip() == str(len(open(os.path.join(DATA, "SPY.csv")).readlines()) - 1),
   "value_column names match without case, spaces or underscores ('Adj Close' is adj_close)", err + out)
rc, out, err = sql(schema_db, "SELECT * FROM fin_calendar_returns('adj_closes', 'year') WHERE key = 'NOPE';")
ok(rc == 0 and out == "", "a key the table does not have is no rows", err)
sql(schema_db, "INSERT INTO prices(symbol, date, close) VALUES ('STOOQ', '2024-01-02', 100), ('STOOQ', '2024-01-03', 101);")
rc, out, err = sql(schema_db, "SELECT * FROM fin_calendar_returns('adj_closes', 'year') WHERE key = 'STOOQ';")
ok(rc != 0 and "fin_calendar_returns(): key STOOQ has no adj_close: its 2 rows hold NULL there" in err,
   "a total-return question on a symbol without adjusted closes names the symbol and the column", err)
print("1..%d" % T[0])
shutil.rmtree(TMP, ignore_errors=True)
sys.exit(1 if FAIL[0] else 0)

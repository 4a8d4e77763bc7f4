#!/usr/bin/env python3
"""make bench: each capability computed several ways on the same SQLite file,
each way checked to give the same answer, each timed as a whole process
(median, min and max of --runs runs, and peak memory), then the scaling
tables, the targets, and RESULTS.md.

    python3 tests/bench/bench.py [--runs 3] [--quick] [--out tests/bench/RESULTS.md] [--only plain|risk|peers|measures]

Ways: the extension's window or aggregate function, the extension's table
function, SQLite's limits (the ordered scan of the rows; the built-in
sum() OVER on the same frame), the pure-SQL way with built-in window
functions only, and pandas (read from SQLite, then compute). The data are
made by build/tools/genprices into bench-data/ (ignored), once.
--quick uses 100k rows and one run, to check the harness itself.
"""
import argparse, datetime, os, platform, shlex, shutil, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LIB = os.path.join(ROOT, "dist", "fin")
GEN = os.path.join(ROOT, "build", "tools", "genprices")
DATA = os.path.join(ROOT, "bench-data")
SQLITE3 = os.environ.get("SQLITE3", "sqlite3")
PYTHON = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable

W = "WINDOW w AS (PARTITION BY symbol ORDER BY date)"
CHK = "count(x), printf('%.9e', sum(x))"  # the answer every way must agree on
RUNS_SQL = """runs AS (
  SELECT symbol, count(*) AS len, min(prev) AS lo, max(close) AS hi, max(date) AS end_date FROM (
    SELECT *, sum(NOT up) OVER (PARTITION BY symbol ORDER BY date ROWS UNBOUNDED PRECEDING) AS grp FROM (
      SELECT symbol, date, close, prev, close / prev - 1 >= 0.01 - 1e-12 AS up FROM (
        SELECT symbol, date, close, lag(close) OVER w AS prev FROM prices """ + W + """)
      WHERE prev IS NOT NULL))
  WHERE up GROUP BY symbol, grp HAVING count(*) >= 5)"""

# The ordered scan reads the three columns every table reads (key, time,
# value); length() makes SQLite fetch the text, as the tables must.
SCAN = ("SELECT count(*), printf('%.9e', sum(close)), sum(length(symbol)), sum(length(date)) "
        "FROM (SELECT symbol, date, close FROM prices ORDER BY symbol, date)")
SCAN_CLOSE = "SELECT count(*), printf('%.9e', sum(close)) FROM (SELECT close FROM prices ORDER BY symbol, date)"

# capability -> list of (way, kind, sql or pandas task); kind: "ext", "limit", "sql", "pandas".
# A "limit" way is SQLite's own speed on the same rows and frame; its answer differs.
CAPS = [
    ("5-session rolling return", [
        ("extension window function", "ext", f"SELECT {CHK} FROM (SELECT fin_rolling_return(close, 5) OVER w x FROM prices {W})"),
        ("extension table (fin_series)", "ext", f"SELECT {CHK} FROM (SELECT rolling_return x FROM fin_series('closes', 5))"),
        ("SQLite sum() OVER, same frame", "limit", f"SELECT {CHK} FROM (SELECT sum(close) OVER w x FROM prices {W})"),
        ("pure SQL: lag()", "sql", f"SELECT {CHK} FROM (SELECT close / lag(close, 5) OVER w - 1 x FROM prices {W})"),
        ("pandas", "pandas", "r5"),
    ]),
    ("drawdown from the running high", [
        ("extension window function", "ext", f"SELECT {CHK} FROM (SELECT fin_drawdown(close) OVER w x FROM prices {W})"),
        ("extension table (fin_series)", "ext", f"SELECT {CHK} FROM (SELECT drawdown x FROM fin_series('closes'))"),
        ("SQLite sum() OVER, same frame", "limit", f"SELECT {CHK} FROM (SELECT sum(close) OVER w x FROM prices {W})"),
        ("pure SQL: max() OVER", "sql", f"SELECT {CHK} FROM (SELECT close / max(close) OVER w - 1 x FROM prices {W})"),
        ("pandas", "pandas", "dd"),
    ]),
    ("max drawdown per series", [
        ("extension aggregate fin_max_drawdown(date, close)", "ext", f"SELECT {CHK} FROM (SELECT fin_max_drawdown(date, close) x FROM prices GROUP BY symbol)"),
        ("extension table (fin_drawdowns)", "ext", f"SELECT {CHK} FROM (SELECT min(depth) x FROM fin_drawdowns('closes') GROUP BY key)"),
        ("SQLite sum() GROUP BY", "limit", f"SELECT {CHK} FROM (SELECT sum(close) x FROM prices GROUP BY symbol)"),
        ("pure SQL: max() OVER + min()", "sql", f"SELECT {CHK} FROM (SELECT min(dd) x FROM (SELECT symbol, close / max(close) OVER w - 1 dd FROM prices {W}) GROUP BY symbol)"),
        ("pandas", "pandas", "mdd"),
    ]),
    ("drawdown episodes", [
        ("extension table (fin_drawdowns)", "ext", "SELECT count(*), printf('%.9e', sum(depth)), sum(length) FROM fin_drawdowns('closes')"),
        ("ordered scan", "limit", SCAN),
        ("pure SQL: gaps and islands", "sql", f"""
WITH b AS (SELECT symbol, date, close, row_number() OVER w rn, count(*) OVER (PARTITION BY symbol) n,
             close >= max(close) OVER (w ROWS UNBOUNDED PRECEDING) hi FROM prices {W}),
g AS (SELECT *, sum(hi) OVER (PARTITION BY symbol ORDER BY date ROWS UNBOUNDED PRECEDING) grp FROM b),
e AS (SELECT min(rn) peak_rn, max(rn) last_rn, max(n) n, min(close) FILTER (WHERE NOT hi) trough,
             max(close) FILTER (WHERE hi) peak FROM g GROUP BY symbol, grp HAVING sum(NOT hi) > 0)
SELECT count(*), printf('%.9e', sum(trough / peak - 1)), sum(CASE WHEN last_rn < n THEN last_rn + 1 ELSE last_rn END - peak_rn) FROM e"""),
        ("pandas", "pandas", "episodes"),
    ]),
    ("runs of >=1% gains, length >= 5", [
        ("extension table (fin_streaks)", "ext", "SELECT count(*), sum(length), printf('%.9e', sum(total_return)) FROM fin_streaks('closes', 0.01, 5)"),
        ("ordered scan", "limit", SCAN),
        ("pure SQL: gaps and islands", "sql", f"WITH {RUNS_SQL} SELECT count(*), sum(len), printf('%.9e', sum(hi / lo - 1)) FROM runs"),
        ("pandas", "pandas", "runs"),
    ]),
    ("forward returns 21 sessions after those runs (event study)", [
        ("extension table (fin_forward_returns + fin_streaks)", "ext", "SELECT count(forward_return), printf('%.9e', sum(forward_return)) FROM fin_forward_returns('closes', 21, 'SELECT key, end_time FROM fin_streaks(''closes'', 0.01, 5)')"),
        ("ordered scan", "limit", SCAN),
        ("pure SQL: runs + lead()", "sql", f"WITH {RUNS_SQL}, f AS (SELECT symbol, date, lead(close, 21) OVER w / close - 1 fwd FROM prices {W}) "
                                          "SELECT count(fwd), printf('%.9e', sum(fwd)) FROM runs JOIN f ON f.symbol = runs.symbol AND f.date = runs.end_date"),
        ("pandas", "pandas", "events"),
    ]),
    ("every session of a >=1% run of 3 or more, return 21 sessions later (event study)", [
        ("extension table (fin_forward_returns, min_gain + min_length)", "ext",
         "SELECT count(forward_return), printf('%.9e', sum(forward_return)) FROM fin_forward_returns('closes', 21) WHERE min_gain = 0.01 AND min_length = 3"),
        ("ordered scan", "limit", SCAN),
        ("extension: fin_up_streak() OVER + lead() OVER", "win",
         f"SELECT count(f), printf('%.9e', sum(f)) FROM (SELECT fin_up_streak(close, 0.01) OVER w st, lead(close, 21) OVER w / close - 1 f FROM prices {W}) WHERE st >= 3"),
        ("pure SQL: gaps and islands + lead()", "sql", f"""
SELECT count(f), printf('%.9e', sum(f)) FROM (
  SELECT up, f, count(*) OVER (PARTITION BY symbol, grp ORDER BY date ROWS UNBOUNDED PRECEDING) - 1 AS len FROM (
    SELECT symbol, date, up, f, sum(NOT up) OVER (PARTITION BY symbol ORDER BY date ROWS UNBOUNDED PRECEDING) AS grp FROM (
      SELECT symbol, date, coalesce(close / lag(close) OVER w - 1 >= 0.01 - 1e-12, 0) AS up,
             lead(close, 21) OVER w / close - 1 AS f FROM prices {W})))
WHERE up AND len >= 3"""),
        ("pandas", "pandas", "events3"),
    ]),
    ("yearly calendar returns", [
        ("extension table (fin_calendar_returns)", "ext", "SELECT count(*), printf('%.9e', sum(period_return)) FROM fin_calendar_returns('closes', 'year')"),
        ("ordered scan", "limit", SCAN),
        ("pure SQL: row_number() + lag()", "sql", """
WITH t AS (SELECT symbol, substr(date, 1, 4) yr, close,
             row_number() OVER (PARTITION BY symbol, substr(date, 1, 4) ORDER BY date DESC) rl,
             row_number() OVER (PARTITION BY symbol ORDER BY date) ra FROM prices),
l AS (SELECT symbol, yr, close FROM t WHERE rl = 1),
f AS (SELECT symbol, close FROM t WHERE ra = 1),
r AS (SELECT l.close / coalesce(lag(l.close) OVER (PARTITION BY l.symbol ORDER BY yr), f.close) - 1 ret FROM l JOIN f USING (symbol))
SELECT count(*), printf('%.9e', sum(ret)) FROM r"""),
        ("pandas", "pandas", "yearly"),
    ]),
    ("rolling 252-row max drawdown (sliding frame)", [
        ("extension window function", "ext", f"SELECT {CHK} FROM (SELECT fin_max_drawdown(close) OVER (w ROWS 251 PRECEDING) x FROM prices {W})"),
        ("SQLite sum() OVER, same frame", "limit", f"SELECT {CHK} FROM (SELECT sum(close) OVER (w ROWS 251 PRECEDING) x FROM prices {W})"),
        ("pandas rolling().apply()", "pandas", "rolling_mdd"),
    ]),
    ("fall from the 52-week high (sliding frame)", [
        ("extension window function", "ext", f"SELECT {CHK} FROM (SELECT fin_drawdown(close) OVER (w ROWS 251 PRECEDING) x FROM prices {W})"),
        ("SQLite sum() OVER, same frame", "limit", f"SELECT {CHK} FROM (SELECT sum(close) OVER (w ROWS 251 PRECEDING) x FROM prices {W})"),
        ("pure SQL: max() OVER the frame", "sql", f"SELECT {CHK} FROM (SELECT close / max(close) OVER (w ROWS 251 PRECEDING) - 1 x FROM prices {W})"),
        ("pandas", "pandas", "dd52"),
    ]),
]

# Returns in pairs for fin_beta: a row's return and the one before it, both
# NULL until both exist (so every way counts the same pairs).
PAIRS = (f"(SELECT symbol, date, CASE WHEN lag(close, 2) OVER w IS NOT NULL THEN close / lag(close) OVER w - 1 END AS a, "
         f"lag(close) OVER w / lag(close, 2) OVER w - 1 AS b FROM prices {W})")
F252 = "WINDOW f AS (PARTITION BY symbol ORDER BY date ROWS 251 PRECEDING)"
BENCH_KEY = "(SELECT min(symbol) FROM prices)"
# Reading the two series fin_relative reads: every row in order, and the
# benchmark's rows once for each key.
SCAN_TWO = ("SELECT count(*), printf('%.9e', sum(close)), sum(length(symbol)), sum(length(date)) FROM ("
            "SELECT * FROM (SELECT symbol, date, close FROM prices ORDER BY symbol, date) UNION ALL "
            f"SELECT * FROM (SELECT k.symbol, p.date, p.close FROM (SELECT DISTINCT symbol FROM prices) k "
            f"JOIN prices p ON p.symbol = {BENCH_KEY} ORDER BY k.symbol, p.date))")

RISK_CAPS = [
    ("rolling 252-row volatility (sliding frame)", [
        ("extension window function", "ext", f"SELECT {CHK} FROM (SELECT fin_volatility(close) OVER (w ROWS 251 PRECEDING) x FROM prices {W})"),
        ("SQLite sum() OVER, same frame", "limit", f"SELECT {CHK} FROM (SELECT sum(close) OVER (w ROWS 251 PRECEDING) x FROM prices {W})"),
        ("pure SQL: sums of squares OVER the frame", "sql",
         f"SELECT {CHK} FROM (SELECT CASE WHEN count(r) OVER g >= 2 THEN sqrt((sum(r * r) OVER g - sum(r) OVER g * sum(r) OVER g / count(r) OVER g)"
         f" / (count(r) OVER g - 1) * 252) END x FROM (SELECT symbol, date, ln(close / lag(close) OVER w) r FROM prices {W})"
         " WINDOW g AS (PARTITION BY symbol ORDER BY date ROWS 250 PRECEDING))"),
        ("pandas", "pandas", "vol252"),
    ]),
    ("rolling 252-row beta (sliding frame)", [
        ("extension window function", "ext", f"SELECT {CHK} FROM (SELECT fin_beta(a, b) OVER f x FROM {PAIRS} {F252})"),
        ("SQLite sum() OVER, same frame", "limit", f"SELECT {CHK} FROM (SELECT sum(a) OVER f x FROM {PAIRS} {F252})"),
        ("pure SQL: sums of products OVER the frame", "sql",
         f"SELECT {CHK} FROM (SELECT CASE WHEN count(b) OVER f >= 2 THEN (sum(a * b) OVER f - sum(a) OVER f * sum(b) OVER f / count(b) OVER f)"
         f" / nullif(sum(b * b) OVER f - sum(b) OVER f * sum(b) OVER f / count(b) OVER f, 0) END x FROM {PAIRS} {F252})"),
        ("pandas", "pandas", "beta252"),
    ]),
    ("a series against a benchmark: the ratio", [
        ("extension table (fin_relative)", "ext", f"SELECT count(ratio), printf('%.9e', sum(ratio)) FROM fin_relative('closes', 'closes') WHERE benchmark_key = {BENCH_KEY}"),
        ("reading the two series", "limit", SCAN_TWO),
        ("pure SQL: join on dates + first_value()", "sql",
         f"SELECT count(x), printf('%.9e', sum(x)) FROM (SELECT r / first_value(r) OVER (PARTITION BY symbol ORDER BY date) x FROM ("
         f"SELECT a.symbol, a.date, a.close / b.close r FROM prices a JOIN prices b ON b.symbol = {BENCH_KEY} AND b.date = a.date))"),
        ("pandas", "pandas", "relative"),
    ]),
    ("the tear sheet of every series (CAGR, volatility, Sharpe, Sortino, max drawdown, Calmar, best and worst year)", [
        ("extension table (fin_summary)", "ext",
         "SELECT count(*), " + ", ".join("printf('%%.9e', sum(%s))" % c for c in (
             "cagr", "volatility", "sharpe", "sortino", "max_drawdown", "calmar", "best_year", "worst_year"))
         + " FROM fin_summary('closes')"),
        ("ordered scan", "limit", SCAN),
        ("pandas (quantstats-style)", "pandas", "summary"),
    ]),
]
# The other risk window functions against sum() OVER on the same frame.
RISK_FNS = [("fin_sharpe(close)", "prices " + W.replace("WINDOW w AS", "WINDOW f AS")[:-1] + " ROWS 251 PRECEDING)"),
            ("fin_sortino(close)", "prices " + W.replace("WINDOW w AS", "WINDOW f AS")[:-1] + " ROWS 251 PRECEDING)"),
            ("fin_correlation(a, b)", PAIRS + " " + F252)]
# The benchmark measures on the same pairs, and the range estimators on the
# bars (every form; the geometric alpha keeps a second queue).
RISK_FNS += [(f, PAIRS + " " + F252) for f in (
    "fin_tracking_error(a, b)", "fin_information_ratio(a, b)", "fin_treynor(a, b)", "fin_alpha(a, b)",
    "fin_alpha(a, b, 0, 252, 'geometric')", "fin_up_capture(a, b)", "fin_down_capture(a, b)",
    "fin_up_beta(a, b)", "fin_down_beta(a, b)")]
RISK_FNS += [(f, RISK_FNS[0][1]) for f in (
    "fin_parkinson(high, low)", "fin_garman_klass(open, high, low, close)",
    "fin_rogers_satchell(open, high, low, close)", "fin_yang_zhang(open, high, low, close)")]

# The indicators: the recursions over the default frame from each series'
# first row, the frame measures over a sliding frame of 252 rows; each
# beside sum() OVER the same frame.
WS = W.replace("WINDOW w AS", "WINDOW f AS")
INDICATOR_FNS = [("fin_ema(close, 10)", "prices " + WS), ("fin_rsi(close)", "prices " + WS),
                 ("fin_macd(close)", "prices " + WS), ("fin_macd(close, 12, 26, 9, 'histogram')", "prices " + WS),
                 ("fin_bollinger(close, 20)", "prices " + WS), ("fin_atr(high, low, close)", "prices " + WS),
                 ("fin_zscore(close)", "prices " + WS[:-1] + " ROWS 251 PRECEDING)"),
                 ("fin_percent_rank(close)", "prices " + WS[:-1] + " ROWS 251 PRECEDING)")]

# The measures (docs/measures.md) against sum() OVER on the same frame.
F252_PRICES = "prices " + F252
MEASURE_FNS = ["fin_skewness(close)", "fin_kurtosis(close)", "fin_var(close, 0.95)",
               "fin_cvar(close, 0.95)", "fin_var(close, 0.95, 'cornish-fisher')",
               "fin_cvar(close, 0.95, 'cornish-fisher')", "fin_tail_ratio(close)", "fin_omega(close)",
               "fin_win_rate(close)", "fin_profit_factor(close)", "fin_payoff_ratio(close)",
               "fin_best_return(close)", "fin_worst_return(close)", "fin_calmar(date, close)",
               "fin_recovery_factor(close)", "fin_ulcer_index(close)", "fin_pain_index(close)",
               "fin_drawdown_length(close)", "fin_drawdown_days(date, close)",
               "fin_longest_drawdown_length(close)", "fin_longest_drawdown_days(date, close)",
               "fin_best_return(date, close, 'month')"]

TABLES = [
    ("fin_series", "SELECT count(*), printf('%.9e', sum(drawdown)) FROM fin_series('closes', 5)"),
    ("fin_drawdowns", "SELECT count(*), printf('%.9e', sum(depth)) FROM fin_drawdowns('closes')"),
    ("fin_streaks", "SELECT count(*), sum(length) FROM fin_streaks('closes', 0.01, 5)"),
    ("fin_forward_returns", "SELECT count(forward_return), printf('%.9e', sum(forward_return)) FROM fin_forward_returns('closes', '5,21,63,126,252')"),
    ("fin_calendar_returns", "SELECT count(*), printf('%.9e', sum(period_return)) FROM fin_calendar_returns('closes', 'year')"),
    ("fin_relative", f"SELECT count(ratio), printf('%.9e', sum(ratio)) FROM fin_relative('closes', 'closes') WHERE benchmark_key = {BENCH_KEY}"),
]


# The peers section: the tasks an analyst would otherwise hand to DuckDB,
# each as (task, the CAPS capability it is, the DuckDB/pandas task name).
# The extension's ways are that capability's tables and aggregates.
PEER_TASKS = [
    ("5-session return of every row", "5-session rolling return", "r5"),
    ("drawdown from the running high", "drawdown from the running high", "dd"),
    ("max drawdown per symbol", "max drawdown per series", "mdd"),
    ("drawdown episodes", "drawdown episodes", "episodes"),
    ("runs of >=1% gains, length >= 5", "runs of >=1% gains, length >= 5", "runs"),
    ("event study: return 21 sessions after each such run",
     "forward returns 21 sessions after those runs (event study)", "events"),
    ("event study: every session of a >=1% run of 3 or more, return 21 sessions later",
     "every session of a >=1% run of 3 or more, return 21 sessions later (event study)", "events3"),
    ("yearly calendar returns", "yearly calendar returns", "yearly"),
]
DUCKDB_VERSION = "1.5.6-r.1"  # @duckdb/node-api, pinned: DuckDB 1.5.6 (its versions are
                               # semver prereleases, which no range matches)
BENCH_NODE = os.path.join(ROOT, "build", "bench-node")
SLOW = 10.0  # a way slower than this (s) on its first run is run only once


def run_once(cmd, env=None):
    """Runs cmd as a whole process; returns (seconds, stdout)."""
    t0 = time.perf_counter()
    p = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, text=True, env=env)
    secs = time.perf_counter() - t0
    if p.returncode != 0:
        raise RuntimeError("%s failed: %s" % (" ".join(cmd)[:200], p.stderr.strip()[:400]))
    return secs, p.stdout.strip()


def measure(cmd, runs, env=None, slow=None):
    """Median, min and max seconds over runs, and the output (the same every
    run). With slow, a first run longer than slow seconds is the only one."""
    times, outs = [], set()
    for _ in range(runs):
        secs, out = run_once(cmd, env)
        times.append(secs)
        outs.add(out)
        if slow is not None and secs > slow:
            break
    if len(outs) != 1:
        raise RuntimeError("%s gave different answers across runs: %s" % (" ".join(cmd)[:200], outs))
    times.sort()
    return {"med": times[len(times) // 2], "min": times[0], "max": times[-1], "out": outs.pop()}


def peak_rss(cmd):
    """Peak RSS (MiB) of one run of cmd, through GNU time when present."""
    if not os.path.exists("/usr/bin/time"):
        return None
    p = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, capture_output=True, text=True)
    try:
        return int(p.stderr.strip().splitlines()[-1]) / 1024.0
    except (ValueError, IndexError):
        return None


def sqlite_cmd(db, sql):
    return [*shlex.split(SQLITE3), "-bail", db, ".load " + LIB, sql.strip()]


def pandas_cmd(db, task):
    return [PYTHON, os.path.join(ROOT, "tests", "bench", "pandas_tasks.py"), task, db]


def same(a, b):
    """Answers agree: same counts, sums equal to 1e-9 relative."""
    fa, fb = a.split("|"), b.split("|")
    if len(fa) != len(fb):
        return False
    for x, y in zip(fa, fb):
        try:
            fx, fy = float(x), float(y)
        except ValueError:
            return False
        if abs(fx - fy) > 1e-9 * max(1.0, abs(fx), abs(fy)):
            return False
    return True


def ensure_db(name, symbols, days, start):
    path = os.path.join(DATA, name + ".db")
    if not os.path.exists(path):
        os.makedirs(DATA, exist_ok=True)
        t0 = time.time()
        subprocess.run([GEN, "--db", path + ".tmp", "--symbols", str(symbols), "--days", str(days),
                        "--start", start, "--seed", "7"], check=True)
        os.replace(path + ".tmp", path)
        print("  generated %s (%d x %d rows) in %.0f s" % (name, symbols, days, time.time() - t0), flush=True)
    return path


def ensure_rowid(path):
    """The same rows as a rowid table with a unique index on (symbol, date),
    written symbol by symbol as sql/load_csv.sh writes one file per symbol."""
    out = path[:-3] + "_rowid.db"
    if not os.path.exists(out):
        t0 = time.time()
        if os.path.exists(out + ".tmp"):
            os.remove(out + ".tmp")
        subprocess.run([*shlex.split(SQLITE3), out + ".tmp",
                        "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; ATTACH %s AS s;"
                        "CREATE TABLE prices(symbol TEXT NOT NULL, date TEXT NOT NULL, open REAL, high REAL,"
                        " low REAL, close REAL, adj_close REAL, volume INTEGER);"
                        "INSERT INTO prices SELECT * FROM s.prices ORDER BY symbol, date;"
                        "CREATE UNIQUE INDEX prices_symbol_date ON prices(symbol, date);"
                        "CREATE VIEW closes AS SELECT symbol, date, close FROM prices;" % sql_text(path)],
                       check=True, capture_output=True)
        os.replace(out + ".tmp", out)
        print("  made %s in %.0f s" % (os.path.basename(out), time.time() - t0), flush=True)
    return out


def sql_text(s):
    return "'" + s.replace("'", "''") + "'"


def find_duckdb():
    """The path of @duckdb/node-api, installed from npm into build/bench-node
    when absent; (None, why) when it cannot be had."""
    mod = os.environ.get("DUCKDB_NODE_API") or os.path.join(BENCH_NODE, "node_modules", "@duckdb", "node-api")
    if not shutil.which("node"):
        return None, "node absent (apt-get install nodejs)"
    if not os.path.exists(os.path.join(mod, "package.json")) and not os.environ.get("DUCKDB_NODE_API"):
        os.makedirs(BENCH_NODE, exist_ok=True)
        p = subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--prefix", BENCH_NODE,
                            "@duckdb/node-api@" + DUCKDB_VERSION], capture_output=True, text=True)
        if p.returncode != 0:
            return None, "`npm install @duckdb/node-api@%s` failed: %s" % (DUCKDB_VERSION, (p.stdout + p.stderr).strip()[-200:])
    env = dict(os.environ, DUCKDB_NODE_API=mod)
    p = subprocess.run(["node", "-e", "const d = require(process.env.DUCKDB_NODE_API);"
                        "d.DuckDBInstance.create(':memory:').then(i => i.connect()).then(c => c.runAndReadAll('SELECT version()'))"
                        ".then(r => console.log(r.getRows()[0][0]))"], capture_output=True, text=True, env=env)
    if p.returncode != 0:
        return None, "@duckdb/node-api does not load: %s" % p.stderr.strip()[-200:]
    return env, p.stdout.strip()


def ensure_duckdb(path, env):
    """A DuckDB file of the same rows (symbol, date as DATE, close), made
    through a CSV that keeps every close exactly (17 significant digits)."""
    out = path[:-3] + ".duckdb"
    if not os.path.exists(out):
        t0 = time.time()
        csv = out + ".csv"
        with open(csv, "w") as f:
            subprocess.run([*shlex.split(SQLITE3), "-csv", path,
                            "SELECT symbol, date, printf('%!.17g', close) FROM prices ORDER BY symbol, date"],
                           check=True, stdout=f)
        for x in (out + ".tmp", out + ".tmp.wal"):
            if os.path.exists(x):
                os.remove(x)
        subprocess.run(["node", DUCK_JS, "--load", csv, out + ".tmp"], check=True, env=env)
        os.remove(csv)
        os.replace(out + ".tmp", out)
        print("  made %s in %.0f s" % (os.path.basename(out), time.time() - t0), flush=True)
    return out


DUCK_JS = os.path.join(ROOT, "tests", "bench", "duckdb_tasks.cjs")


def ensure_packed(path):
    """A copy of the file with the packed copy of its prices table's close
    (SELECT fin_pack('prices', 'close')); returns (path, seconds to build,
    bytes the copy added). The build is timed on a fresh copy each time the
    file is made."""
    out = path[:-3] + "_packed.db"
    meta = out + ".build"
    if not os.path.exists(out) or not os.path.exists(meta):
        for x in (out, out + ".tmp", meta):
            if os.path.exists(x):
                os.remove(x)
        shutil.copyfile(path, out + ".tmp")
        secs, _ = run_once(sqlite_cmd(out + ".tmp", "SELECT fin_pack('prices', 'close')"))
        grown = os.path.getsize(out + ".tmp") - os.path.getsize(path)
        os.replace(out + ".tmp", out)
        with open(meta, "w") as f:
            f.write("%r %d\n" % (secs, grown))
        print("  packed %s in %.1f s" % (os.path.basename(out), secs), flush=True)
    secs, grown = open(meta).read().split()
    return out, float(secs), int(grown)


def by_name(q):
    """The query on the table by name, so that the packed copy serves it."""
    return q.replace("''closes''", "''prices''").replace("'closes'", "'prices'")


def peers(md, targets, sizes, runs, has_pandas):
    """Each task the way this extension does it, on a WITHOUT ROWID table and
    on a rowid table with an index, beside the ordered read of the same rows,
    pure SQL, pandas and DuckDB, at each size; every way must agree."""
    env, duck = find_duckdb()
    md.append("## Against DuckDB, pandas and pure SQL, at 1M and 10M rows, on two table layouts\n")
    md.append("The same rows stored three ways: the `genprices` table (`PRIMARY KEY (symbol, date) WITHOUT ROWID`); "
              "a rowid table with a unique index on (symbol, date), written symbol by symbol, one "
              "file per symbol (*rowid + index*: how tables made without `sql/schema.sql`, which makes the "
              "WITHOUT ROWID one, usually are); and a DuckDB file "
              "(`prices(symbol VARCHAR, date DATE, close DOUBLE)` in (symbol, date) order). "
              "The extension and the ordered read run on both SQLite layouts; pure SQL runs on the rowid "
              "table, pandas reads the rowid table and computes. DuckDB %s runs the same window-function "
              "SQL as the pure-SQL way (tests/bench/duckdb_tasks.cjs) through `@duckdb/node-api` in Node, "
              "with its defaults: it uses all %d cores, SQLite one. Ways slower than %.0f s are run "
              "once. *vs read* divides the extension's time by the ordered read of the same layout; "
              "*vs DuckDB* is DuckDB's time over the extension's (above 1: the extension is faster).\n"
              % (duck if env else "(absent: %s)" % duck, os.cpu_count(), SLOW))
    for label, db in sizes:
        rowid = ensure_rowid(db)
        ddb = ensure_duckdb(db, env) if env else None
        layouts = [("WITHOUT ROWID", db), ("rowid + index", rowid)]
        packs = [ensure_packed(db), ensure_packed(rowid)]
        packed = [("WITHOUT ROWID, packed", packs[0][0]), ("rowid + index, packed", packs[1][0])]
        read = {}
        for lay, path in layouts:
            print("peers %s: ordered read, %s" % (label, lay), flush=True)
            read[lay] = (measure(sqlite_cmd(path, SCAN), runs), measure(sqlite_cmd(path, SCAN_CLOSE), runs))
        md.append("### %s\n" % label)
        md.append("Ordered read (symbol, date and close, as the tables read them; the close alone in brackets): "
                  + "; ".join("%s %s s (%s s)" % (lay, fmt(read[lay][0]["med"]), fmt(read[lay][1]["med"]))
                              for lay, _ in layouts) + ".\n")
        md.append("The packed copy of the close (`SELECT fin_pack('prices', 'close')`): built in %s s on the "
                  "WITHOUT ROWID file and %s s on the rowid one; it adds %.0f MiB and %.0f MiB to files of "
                  "%.0f MiB and %.0f MiB. The *packed* columns run each table on the table by name "
                  "(`'prices'`, which the copy serves) instead of the view.\n" % (
                      fmt(packs[0][1]), fmt(packs[1][1]), packs[0][2] / 2**20, packs[1][2] / 2**20,
                      os.path.getsize(db) / 2**20, os.path.getsize(rowid) / 2**20))
        md.append("| task | extension way | WITHOUT ROWID s | vs read | rowid + index s | vs read | "
                  "WITHOUT ROWID, packed s | rowid + index, packed s | pure SQL s | pandas s | DuckDB s | "
                  "vs DuckDB (the four layouts) | answer |")
        md.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
        best = {}
        for task, cap, name in PEER_TASKS:
            print("peers %s: %s" % (label, task), flush=True)
            ways = dict((w, (k, q)) for w, k, q in dict(CAPS)[cap])
            sqlq = next(q for w, (k, q) in ways.items() if k == "sql")
            sql = measure(sqlite_cmd(rowid, sqlq), runs, slow=SLOW)
            pd_ = measure(pandas_cmd(rowid, name), runs, slow=SLOW) if has_pandas else None
            dk = measure(["node", DUCK_JS, name, ddb], runs, env=env, slow=SLOW) if ddb else None
            answer = sql["out"]
            peers_ok = (pd_ is None or same(pd_["out"], answer)) and (dk is None or same(dk["out"], answer))
            for w, (k, q) in ways.items():
                if k != "ext" or not ("table" in w or "aggregate" in w):
                    continue
                r = [measure(sqlite_cmd(path, q), runs, slow=SLOW) for _, path in layouts]
                # the packed copy serves the tables; an aggregate reads the rows as before
                rp = [measure(sqlite_cmd(path, by_name(q)), runs, slow=SLOW) for _, path in packed] if "table" in w else []
                ok = peers_ok and all(same(x["out"], answer) for x in r + rp)
                vs = [x["med"] / read[lay][0]["med"] for x, (lay, _) in zip(r, layouts)]
                allr = r + rp
                md.append("| %s | %s | %s | %.2f | %s | %.2f | %s | %s | %s | %s | %s | %s | %s |" % (
                    task, w.replace("extension ", ""), fmt(r[0]["med"]), vs[0], fmt(r[1]["med"]), vs[1],
                    fmt(rp[0]["med"]) if rp else "-", fmt(rp[1]["med"]) if rp else "-", fmt(sql["med"]),
                    fmt(pd_["med"]) if pd_ else "-", fmt(dk["med"]) if dk else "-",
                    " / ".join("%.2f" % (dk["med"] / x["med"]) for x in allr) if dk else "-",
                    "same answer" if ok else "DIFFERENT: ext %s, SQL %s, pandas %s, DuckDB %s" % (
                        "/".join(x["out"] for x in allr), answer, pd_["out"] if pd_ else "-", dk["out"] if dk else "-")))
                if not ok:
                    targets.append(("%s, %s: every way gives the same answer" % (label, task), False, ""))
                for (lay, _), x, v in zip(layouts, r, vs):
                    if "table" in w:
                        targets.append(("%s, %s, %s: %s within 1.5x of the ordered read" % (label, lay, task, w.split("(")[-1].split(",")[0].rstrip(")")),
                                        v <= 1.5, "%.2fx" % v))
                for (lay, _), x in zip(layouts + packed, allr):
                    if dk:
                        targets.append(("%s, %s, %s: %s faster than DuckDB" % (label, lay, task, w.replace("extension ", "")),
                                        x["med"] < dk["med"], "%.2fx DuckDB's speed (%s s vs %s s)" % (dk["med"] / x["med"], fmt(x["med"]), fmt(dk["med"]))))
                for (lay, _), x in zip(packed, rp):
                    b = best.setdefault((task, lay), [None, dk])
                    if b[0] is None or x["med"] < b[0]["med"]:
                        b[0] = x
        md.append("")
        for (task, lay), (x, dk) in best.items():
            if dk:
                targets.append(("%s, %s, %s: with the packed copy, faster than DuckDB" % (label, lay, task),
                                x["med"] < dk["med"], "%.2fx DuckDB's speed (%s s vs %s s)" % (dk["med"] / x["med"], fmt(x["med"]), fmt(dk["med"]))))
        # handing out rows: fin_series with one column from the copy, against
        # the cost of SQLite handing out as many rows from a virtual table
        nrows = int(measure(sqlite_cmd(db, "SELECT count(*) FROM prices"), 1)["out"])
        gs = measure(sqlite_cmd(db, "SELECT count(*), sum(value) FROM generate_series(1, %d)" % nrows), runs)
        one = [measure(sqlite_cmd(path, "SELECT count(*), printf('%.9e', sum(value)) FROM fin_series('prices')"), runs)
               for _, path in packed]
        md.append("Handing out the rows: `SELECT count(*), sum(value) FROM generate_series(1, %d)` (SQLite's "
                  "own virtual table) takes %s s; `fin_series('prices')` read for its value alone from the "
                  "packed copy takes %s s (WITHOUT ROWID) and %s s (rowid + index): %s times as long.\n" % (
                      nrows, fmt(gs["med"]), fmt(one[0]["med"]), fmt(one[1]["med"]),
                      " and ".join("%.2f" % (x["med"] / gs["med"]) for x in one)))
        for (lay, _), x in zip(packed, one):
            targets.append(("%s, %s: fin_series with one column within 1.5x of generate_series handing out as many rows" % (label, lay),
                            x["med"] <= 1.5 * gs["med"], "%.2fx" % (x["med"] / gs["med"])))
        if not env:
            targets.append(("%s: DuckDB measured" % label, False, duck))


def instructions(cmd):
    """Instructions one run of cmd executes, counted by callgrind."""
    out = os.path.join(DATA, "callgrind.out")
    p = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out] + cmd,
                       capture_output=True, text=True)
    os.remove(out) if os.path.exists(out) else None
    for line in p.stderr.splitlines():
        if "Collected :" in line:
            return int(line.split(":")[-1].strip())
    raise RuntimeError("callgrind gave no count: " + p.stderr[-300:])


def callgrind_counts(md, targets, db):
    """Each table's instructions beside the ordered read's (deterministic,
    so the ratio does not depend on the machine's load)."""
    if not shutil.which("valgrind"):
        md.append("## Instruction counts\n\nvalgrind absent: not measured.\n")
        return
    print("callgrind", flush=True)
    base = instructions(sqlite_cmd(db, "SELECT 1"))  # the shell starting and loading the extension
    rd = instructions(sqlite_cmd(db, SCAN)) - base
    rd_close = instructions(sqlite_cmd(db, SCAN_CLOSE)) - base
    md.append("## Instruction counts (callgrind, 100k rows)\n")
    md.append("Instructions per row of each query, less those of the shell starting and loading the "
              "extension (`SELECT 1`), beside the ordered read of the same rows (%.0f per row; the close "
              "alone: %.0f).\n" % (rd / 1e5, rd_close / 1e5))
    md.append("| query | instructions per row | vs ordered read | vs reading the close alone |\n|---|---|---|---|")
    rd_two = None
    for name, q in [("fin_series, one column", "SELECT count(rolling_return), printf('%.9e', sum(rolling_return)) FROM fin_series('closes', 5)")] + TABLES:
        if name == "fin_forward_returns":  # one horizon: a row out for each row in, as the others
            name, q = "fin_forward_returns, one horizon", q.replace("'5,21,63,126,252'", "21")
        n = instructions(sqlite_cmd(db, q)) - base
        if name == "fin_relative":  # it reads two series: compare with reading both
            rd_two = instructions(sqlite_cmd(db, SCAN_TWO)) - base
            md.append("| %s | %.0f | %.2f of reading the two series | %.2f |" % (name, n / 1e5, n / rd_two, n / rd_close))
            targets.append(("%s: instructions within 1.5x of reading the two series" % name, n <= 1.5 * rd_two, "%.2fx" % (n / rd_two)))
            continue
        md.append("| %s | %.0f | %.2f | %.2f |" % (name, n / 1e5, n / rd, n / rd_close))
        targets.append(("%s: instructions within 1.5x of the ordered read's" % name, n <= 1.5 * rd, "%.2fx" % (n / rd)))
    md.append("")


def plain_sql(md, targets, db, runs, nsym):
    """One symbol of many in the WHERE key = ? form, against the same query
    without the push-down and against the string form with the filter
    inside; an event study of 100 events by join against the events
    argument."""
    sym = "S%03d" % (nsym // 2)
    reps = max(3 * runs, 9)  # answers in milliseconds: more runs steady the median
    # 100 events: the 5,000th session of 100 symbols, stored once in the file.
    subprocess.run(sqlite_cmd(db, "CREATE TABLE IF NOT EXISTS bench_events AS SELECT symbol, "
                              "(SELECT date FROM prices p WHERE p.symbol = s.symbol ORDER BY date LIMIT 1 OFFSET 5000) AS date "
                              "FROM (SELECT DISTINCT symbol FROM prices ORDER BY symbol LIMIT 100) s"), check=True,
                   capture_output=True)
    md.append("## Plain SQL: one symbol of %d, and event studies by join\n" % nsym)
    md.append("The same file holds %d symbols of 10,000 days. *No push-down* is the same query with `+key`, "
              "which SQLite cannot hand to the table, so the table reads every symbol and SQLite filters "
              "afterwards (what `WHERE key = ...` cost before the key was pushed into the read). The "
              "event study takes 100 events (the 5,000th session of 100 symbols) from a table.\n" % nsym)
    md.append("| question | way | median s (min-max) | ratio | answer |\n|---|---|---|---|---|")
    for table, cols in (("fin_drawdowns('closes')", "count(*), printf('%.9e', sum(depth))"),
                        ("fin_series('closes', 5)", "count(rolling_return), printf('%.9e', sum(rolling_return))")):
        inner = "'SELECT symbol, date, close FROM prices WHERE symbol = ''" + sym + "'''"
        string = table.replace("'closes'", inner)
        ways = [("WHERE key = '%s'" % sym, "SELECT %s FROM %s WHERE key = '%s'" % (cols, table, sym)),
                ("no push-down (+key)", "SELECT %s FROM %s WHERE +key = '%s'" % (cols, table, sym)),
                ("string form, filter inside", "SELECT %s FROM %s" % (cols, string))]
        r = [measure(sqlite_cmd(db, q), reps) for _, q in ways]
        name = table.split("(")[0]
        for (way, _), x in zip(ways, r):
            md.append("| %s | %s | %s (%s-%s) | %.1fx | %s |" % (name, way, fmt(x["med"]), fmt(x["min"]), fmt(x["max"]),
                                                               x["med"] / r[0]["med"],
                                                               "same answer" if same(x["out"], r[0]["out"]) else "DIFFERENT: " + x["out"]))
        targets.append(("%s: one symbol of %d by WHERE key at least 100x faster than without the push-down" % (name, nsym),
                        r[1]["med"] >= 100 * r[0]["med"], "%.0fx" % (r[1]["med"] / r[0]["med"])))
        targets.append(("%s: WHERE key within 1.5x of the string form with the filter inside" % name,
                        r[0]["med"] <= 1.5 * r[2]["med"], "%.2fx" % (r[0]["med"] / r[2]["med"])))
        targets.append(("%s: the three ways give the same answer" % name,
                        same(r[1]["out"], r[0]["out"]) and same(r[2]["out"], r[0]["out"]), ""))
    cols = "count(f.forward_return), printf('%.9e', sum(f.forward_return))"
    ways = [("events by join", "SELECT %s FROM bench_events e JOIN fin_forward_returns('closes', '5,21,63') f "
                               "ON f.key = e.symbol AND f.event_time = e.date" % cols),
            ("events argument", "SELECT %s FROM fin_forward_returns('closes', '5,21,63', 'bench_events') f" % cols)]
    r = [measure(sqlite_cmd(db, q), reps) for _, q in ways]
    for (way, _), x in zip(ways, r):
        md.append("| 100 events, horizons 5, 21, 63 | %s | %s (%s-%s) | %.1fx | %s |" % (
            way, fmt(x["med"]), fmt(x["min"]), fmt(x["max"]), x["med"] / r[0]["med"],
            "same answer" if same(x["out"], r[0]["out"]) else "DIFFERENT: " + x["out"]))
    md.append("")
    targets.append(("event study by join: 100 events on %d rows in under 0.1 s (whole process)" % (nsym * 10000),
                    r[0]["med"] < 0.1, "%.3f s, %.0fx faster than the events argument" % (r[0]["med"], r[1]["med"] / r[0]["med"])))
    targets.append(("event study by join gives the events argument's answer", same(r[0]["out"], r[1]["out"]), ""))


def fmt(x):
    return "%.3f" % x if x < 10 else "%.2f" % x


def print_section(section):
    """--only: one section, printed with its targets; RESULTS.md untouched."""
    md, targets = [], []
    section(md, targets)
    print("\n".join(md))
    for name, ok, val in targets:
        print("%s: %s %s" % ("met" if ok else "MISSED", name, val))
    return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--out", default=os.path.join(ROOT, "tests", "bench", "RESULTS.md"))
    ap.add_argument("--only", choices=["plain", "risk", "indicators", "peers", "measures"],
                    help="run one section and print it (RESULTS.md untouched)")
    a = ap.parse_args()
    runs = 1 if a.quick else a.runs
    has_pandas = subprocess.run([PYTHON, "-c", "import pandas"], capture_output=True).returncode == 0
    if a.quick:
        small = ensure_db("q100k", 10, 10000, "1960-01-04")
        big = ensure_db("q1m", 10, 100000, "1700-01-04")
        long1 = ensure_db("q1x100k", 1, 100000, "1700-01-04")
    else:
        small = ensure_db("p1m", 100, 10000, "1960-01-04")
        big = ensure_db("p10m", 100, 100000, "1700-01-04")
        long1 = ensure_db("p1x1m", 1, 1000000, "1000-01-02")
    # 1,000 symbols x 10,000 days (10M rows) for the plain-SQL section.
    nsym = 100 if a.quick else 1000
    many = ensure_db("q100x10k" if a.quick else "p1000x10k", nsym, 10000, "1960-01-04")
    sizes = [("1M rows (%d x 10,000 days)" % (10 if a.quick else 100), small),
             ("10M rows (%d x 10,000 days)" % nsym, many)]
    if a.quick:
        sizes = [("100k rows (10 x 10,000 days)", small), ("1M rows (100 x 10,000 days)", many)]
    if a.only == "peers":
        return print_section(lambda md, targets: peers(md, targets, sizes, runs, has_pandas))
    if a.only == "plain":
        return print_section(lambda md, targets: plain_sql(md, targets, many, runs, nsym))
    if a.only == "indicators":
        return print_section(lambda md, targets: indicator_frames(md, targets, small, runs))

    md, targets = [], []
    started = datetime.datetime.now(datetime.timezone.utc)
    sqlite_version = subprocess.run(shlex.split(SQLITE3) + ["-version"], capture_output=True, text=True).stdout.split()[0]
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.machine())
    md.append("# Benchmark results\n")
    md.append("Made by `make bench` (tests/bench/bench.py, %d runs per way, whole processes: the "
              "`sqlite3` shell loading the extension, or `python3` with pandas) on %s UTC." % (runs, started.strftime("%Y-%m-%d %H:%M")))
    md.append("Machine: %s, %d cores, %.0f GiB; SQLite %s shell; pandas %s.\n" % (
        cpu, os.cpu_count(), os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, sqlite_version,
        subprocess.run([PYTHON, "-c", "import pandas; print(pandas.__version__)"], capture_output=True, text=True).stdout.strip() if has_pandas else "absent"))
    md.append("Data: `genprices` tables of daily closes (`prices`, key (symbol, date), read through the "
              "view `closes`): %s. Times are medians in seconds (min-max in brackets); *vs scan* divides "
              "by the ordered scan of the same rows, *vs SQL* is how many times faster than the pure-SQL "
              "way. Every way of a capability gave the same answer (to 1e-9) unless the table says "
              "otherwise; SQLite's own reference ways compute something else on the same rows and frame.\n"
              % ("100 series x 10,000 days = 1M rows" if not a.quick else "quick mode, 10 x 10,000 rows"))

    print("scan", flush=True)
    scan = measure(sqlite_cmd(small, SCAN), runs)
    scan_close = measure(sqlite_cmd(small, SCAN_CLOSE), runs)
    md.append("Ordered scan of the rows, reading the symbol, date and close that every table reads "
              "(`%s`): **%s s**. Reading the close alone (`%s`) takes %s s; the window-function "
              "machinery is compared with SQLite's own `sum() OVER` instead.\n"
              % (SCAN, fmt(scan["med"]), SCAN_CLOSE, fmt(scan_close["med"])))

    if a.only == "risk":
        return print_section(lambda md, targets: (caps(md, targets, RISK_CAPS, small, runs, scan, has_pandas),
                                                  risk_frames(md, targets, small, runs)))
    if a.only == "measures":
        return print_section(lambda md, targets: measure_frames(md, targets, small, runs))
    caps(md, targets, CAPS + RISK_CAPS, small, runs, scan, has_pandas)
    risk_frames(md, targets, small, runs)
    indicator_frames(md, targets, small, runs)
    measure_frames(md, targets, small, runs)
    peers(md, targets, sizes, runs, has_pandas)
    callgrind_counts(md, targets, ensure_db("q100k", 10, 10000, "1960-01-04"))

    md_tail(md, targets, small, big, long1, many, runs, nsym, a)
    return 0


def caps(md, targets, caplist, small, runs, scan, has_pandas):
    for cap, ways in caplist:
        print(cap, flush=True)
        rows, answer, sql_time, pandas_time, limit_time = [], None, None, None, None
        ext_times = {}
        for way, kind, q in ways:
            if kind == "pandas" and not has_pandas:
                rows.append((way, None, "pandas absent (apt-get install python3-pandas)"))
                continue
            cmd = pandas_cmd(small, q) if kind == "pandas" else sqlite_cmd(small, q)
            r = measure(cmd, 1 if kind == "pandas" and q == "rolling_mdd" else runs)
            check = ""
            if kind != "limit":
                if answer is None:
                    answer = r["out"]
                check = "same answer" if same(r["out"], answer) else "DIFFERENT: %s vs %s" % (r["out"], answer)
            else:
                check = "reference"
            rows.append((way, r, check))
            if kind == "sql":
                sql_time = r["med"]
            elif kind == "pandas":
                pandas_time = r["med"]
            elif kind == "limit":
                limit_time = r["med"]
            else:
                ext_times[way] = r["med"]
        md.append("## %s\n" % cap)
        md.append("| way | median s (min-max) | vs scan | vs SQL | answer |")
        md.append("|---|---|---|---|---|")
        for way, r, check in rows:
            if r is None:
                md.append("| %s | - | - | - | %s |" % (way, check))
                continue
            vs_sql = "%.1fx" % (sql_time / r["med"]) if sql_time else "-"
            md.append("| %s | %s (%s-%s) | %.2f | %s | %s |" % (way, fmt(r["med"]), fmt(r["min"]), fmt(r["max"]),
                                                                r["med"] / scan["med"], vs_sql, check))
            if "DIFFERENT" in check:
                targets.append(("%s: %s gives the same answer" % (cap, way), False, check))
        md.append("")
        for way, t in ext_times.items():
            if "fin_relative" in way:
                targets.append(("%s: %s within 2x of reading the two series" % (cap, way), t <= 2 * limit_time,
                                "%.2fx" % (t / limit_time)))
            elif "table" in way:
                targets.append(("%s: %s within 2x the ordered scan" % (cap, way), t <= 2 * scan["med"],
                                "%.2fx" % (t / scan["med"])))
                if cap in ("drawdown episodes", "runs of >=1% gains, length >= 5") or cap.startswith("forward"):
                    targets.append(("%s: %s at least 10x faster than pure SQL" % (cap, way),
                                    sql_time is not None and sql_time >= 10 * t, "%.1fx" % (sql_time / t) if sql_time else "-"))
            elif limit_time and "window" in way:
                targets.append(("%s: %s within 1.3x SQLite's sum() OVER" % (cap, way), t <= 1.3 * limit_time,
                                "%.2fx" % (t / limit_time)))
            if pandas_time:
                targets.append(("%s: %s faster than pandas" % (cap, way), t < pandas_time,
                                "%.1fx faster" % (pandas_time / t)))



def risk_frames(md, targets, small, runs):
    """The risk window functions beside sum() OVER on the same rows and frame."""
    print("risk window functions", flush=True)
    md.append("## The other risk window functions over a sliding frame of 252 rows\n")
    md.append("| function | median s (min-max) | vs sum() OVER the same frame |\n|---|---|---|")
    for fn, src in RISK_FNS:
        arg = fn[fn.index("(") + 1:fn.index(",")] if "," in fn else "close"
        base = measure(sqlite_cmd(small, "SELECT %s FROM (SELECT sum(%s) OVER f x FROM %s)" % (CHK, arg, src)), runs)
        r = measure(sqlite_cmd(small, "SELECT %s FROM (SELECT %s OVER f x FROM %s)" % (CHK, fn, src)), runs)
        md.append("| %s | %s (%s-%s) | %.2f |" % (fn, fmt(r["med"]), fmt(r["min"]), fmt(r["max"]), r["med"] / base["med"]))
        targets.append(("rolling 252-row %s: within 1.3x SQLite's sum() OVER" % fn, r["med"] <= 1.3 * base["med"],
                        "%.2fx" % (r["med"] / base["med"])))
    md.append("")


def indicator_frames(md, targets, small, runs):
    """The indicators beside sum() OVER on the same rows and frame."""
    print("indicators", flush=True)
    md.append("## The technical indicators\n")
    md.append("The recursions run from each series' first row (the default frame), fin_zscore and "
              "fin_percent_rank over a sliding frame of 252 rows; each beside SQLite's `sum(close)` "
              "over the same frame.\n")
    md.append("| function | frame | median s (min-max) | vs sum() OVER the same frame |\n|---|---|---|---|")
    for fn, src in INDICATOR_FNS:
        frame = "ROWS 251 PRECEDING" if "ROWS" in src else "default"
        base = measure(sqlite_cmd(small, "SELECT %s FROM (SELECT sum(close) OVER f x FROM %s)" % (CHK, src)), runs)
        r = measure(sqlite_cmd(small, "SELECT %s FROM (SELECT %s OVER f x FROM %s)" % (CHK, fn, src)), runs)
        md.append("| %s | %s | %s (%s-%s) | %.2f |" % (fn, frame, fmt(r["med"]), fmt(r["min"]), fmt(r["max"]),
                                                      r["med"] / base["med"]))
        targets.append(("%s over the %s frame: within 1.3x SQLite's sum() OVER" % (fn, frame),
                        r["med"] <= 1.3 * base["med"], "%.2fx" % (r["med"] / base["med"])))
def measure_frames(md, targets, small, runs):
    """The measures over a sliding frame of 252 rows beside sum() OVER on the
    same rows and frame."""
    print("measures", flush=True)
    md.append("## The measures over a sliding frame of 252 rows\n")
    md.append("| function | median s (min-max) | vs sum() OVER the same frame |\n|---|---|---|")
    base = measure(sqlite_cmd(small, "SELECT %s FROM (SELECT sum(close) OVER f x FROM %s)" % (CHK, F252_PRICES)), runs)
    for fn in MEASURE_FNS:
        r = measure(sqlite_cmd(small, "SELECT %s FROM (SELECT %s OVER f x FROM %s)" % (CHK, fn, F252_PRICES)), runs)
        md.append("| %s | %s (%s-%s) | %.2f |" % (fn, fmt(r["med"]), fmt(r["min"]), fmt(r["max"]), r["med"] / base["med"]))
        targets.append(("rolling 252-row %s: within 1.3x SQLite's sum() OVER" % fn, r["med"] <= 1.3 * base["med"],
                        "%.2fx" % (r["med"] / base["med"])))
    md.append("")


def md_tail(md, targets, small, big, long1, many, runs, nsym, a):
    # fin_series against the same columns from window functions.
    print("fin_series vs window functions", flush=True)
    cols = ("fin_rolling_return(close, 5) OVER w, fin_drawdown(close) OVER w, fin_since_peak(close) OVER w, "
            "fin_up_streak(close) OVER w, fin_down_streak(close) OVER w, fin_ytd_return(date, close) OVER w")
    win = measure(sqlite_cmd(small, "SELECT count(*), printf('%%.9e', sum(dd)) FROM (SELECT fin_drawdown(close) OVER w dd, %s FROM prices %s)" % (cols, W)), runs)
    tab = measure(sqlite_cmd(small, "SELECT count(*), printf('%.9e', sum(drawdown)) FROM (SELECT rolling_return, drawdown, since_peak, up_streak, down_streak, ytd_return FROM fin_series('closes', 5))"), runs)
    md.append("## fin_series against the same columns from window functions\n")
    md.append("| way | median s (min-max) | answer |\n|---|---|---|")
    md.append("| six window functions over one window | %s (%s-%s) | %s |" % (fmt(win["med"]), fmt(win["min"]), fmt(win["max"]), win["out"]))
    md.append("| fin_series, the same six columns | %s (%s-%s) | %s |\n" % (fmt(tab["med"]), fmt(tab["min"]), fmt(tab["max"]), tab["out"]))
    targets.append(("fin_series at least 3x faster than the same columns from window functions",
                    win["med"] >= 3 * tab["med"], "%.1fx" % (win["med"] / tab["med"])))
    targets.append(("fin_series and the window functions agree", same(win["out"], tab["out"]), ""))

    # Scaling: rows.
    print("scaling: rows", flush=True)
    md.append("## Scaling with rows: 1M -> 10M (100 series of 10,000 -> 100,000 days)\n")
    md.append("| query | 1M rows s | 10M rows s | time ratio | peak MiB 1M | peak MiB 10M | memory ratio |")
    md.append("|---|---|---|---|---|---|---|")
    for name, q in [("ordered scan", SCAN)] + TABLES:
        r1, r10 = measure(sqlite_cmd(small, q), runs), measure(sqlite_cmd(big, q), runs)
        m1, m10 = peak_rss(sqlite_cmd(small, q)), peak_rss(sqlite_cmd(big, q))
        ratio = r10["med"] / r1["med"]
        md.append("| %s | %s | %s | %.1f | %s | %s | %s |" % (
            name, fmt(r1["med"]), fmt(r10["med"]), ratio, "%.1f" % m1 if m1 else "-", "%.1f" % m10 if m10 else "-",
            "%.2f" % (m10 / m1) if m1 and m10 else "-"))
        if name != "ordered scan":
            targets.append(("%s: 10x the rows takes at most ~10x the time (<= 11x)" % name, ratio <= 11.0, "%.1fx" % ratio))
            if m1 and m10:
                targets.append(("%s: peak memory at 10M rows within 10%% of 1M" % name, m10 <= 1.10 * m1, "%.2fx" % (m10 / m1)))
    md.append("")

    # One long series.
    print("one long series", flush=True)
    md.append("## One long series (%s rows in one key)\n" % ("1,000,000" if not a.quick else "100,000"))
    md.append("| query | median s | peak MiB |\n|---|---|---|")
    for name, q in [("ordered scan", SCAN)] + TABLES:
        r = measure(sqlite_cmd(long1, q), runs)
        m = peak_rss(sqlite_cmd(long1, q))
        md.append("| %s | %s | %s |" % (name, fmt(r["med"]), "%.1f" % m if m else "-"))
    md.append("")

    print("plain SQL", flush=True)
    plain_sql(md, targets, many, runs, nsym)

    # Scaling: window size.
    print("scaling: window", flush=True)
    md.append("## Sliding frames: window 20 -> 2000 rows (1M rows)\n")
    md.append("SQLite's own frame handling gets slower with wider frames, so each function's growth "
              "is also given relative to `sum()`'s on the same frames.\n")
    md.append("| function | ROWS 19 PRECEDING s | ROWS 1999 PRECEDING s | ratio | ratio / sum()'s ratio |\n|---|---|---|---|---|")
    grow = {}
    for fn in ("sum(close)", "max(close)", "fin_drawdown(close)", "fin_since_peak(close)", "fin_max_drawdown(close)",
               "fin_total_return(close)", "fin_compound(sin(close) / 100)", "fin_median(close)",
               "fin_quantile(close, 0.9)"):
        t = []
        for n in (19, 1999):
            q = "SELECT count(x), sum(x) FROM (SELECT %s OVER (w ROWS %d PRECEDING) x FROM prices %s)" % (fn, n, W)
            t.append(measure(sqlite_cmd(small, q), runs)["med"])
        grow[fn] = t[1] / t[0]
        md.append("| %s | %s | %s | %.2f | %.2f |" % (fn, fmt(t[0]), fmt(t[1]), grow[fn], grow[fn] / grow["sum(close)"]))
        if fn.startswith(("fin_median", "fin_quantile")):
            # The frame is kept sorted: a row costs a binary search and a
            # move of at most the frame, so wider frames cost more.
            targets.append(("%s: window 2000 within 2x of window 20 (sorted frame, no sort per row)" % fn,
                            grow[fn] <= 2.0, "%.2fx (sum(): %.2fx)" % (grow[fn], grow["sum(close)"])))
        elif fn.startswith("fin_"):
            targets.append(("%s: window 2000 within 1.2x of window 20" % fn, grow[fn] <= 1.2, "%.2fx (sum(): %.2fx)" % (grow[fn], grow["sum(close)"])))
    md.append("")

    md.append("## Targets\n")
    md.append("| target | met | measured |\n|---|---|---|")
    for name, ok, val in targets:
        md.append("| %s | %s | %s |" % (name, "yes" if ok else "**no**", val))
    missed = [t for t in targets if not t[1]]
    md.append("\n%d of %d targets met.\n" % (len(targets) - len(missed), len(targets)))
    if not a.quick:
        open(a.out, "w").write("\n".join(md) + "\n")
    print("\n".join(md))
    return 0


if __name__ == "__main__":
    sys.exit(main())

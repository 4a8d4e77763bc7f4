#!/usr/bin/python3
"""The range volatility estimators (range_volatility.c).

Part 1, hand-worked, on bars whose logs are round (prices 100 * exp(x)):
  bar  ln O   ln H   ln L   ln C    ln(H/L)  ln(C/O)  overnight  RS term
  1    0.01   0.02   0      0.015   0.02     0.005    -          0.005*0.01 + 0.015*0.01 = 0.0002
  2    0.03   0.04   0.01   0.02    0.03    -0.01     0.015      0.02*0.01 + 0.01*0.02 = 0.0004
  3    0.01   0.02   0      0.02    0.02     0.01    -0.01       0 + 0.02*0.01 = 0.0002
  at 1 period a year over the three bars:
  Parkinson sqrt(mean(ln(H/L)^2) / (4 ln 2)) = sqrt(0.0017 / 3 / 2.7725887) = 0.014296
    (one bar: 0.02 / sqrt(2.7725887) = 0.012011; at 252 a year 0.226945);
  Garman-Klass: 0.5 ln(H/L)^2 - (2 ln 2 - 1) ln(C/O)^2 = 0.00019034, 0.00041137,
    0.00016137: sqrt(mean) = 0.015949;
  Rogers-Satchell sqrt(0.0008 / 3) = 0.016330;
  Yang-Zhang: the first bar gives its close, sessions 2 and 3 (n = 2):
    var(overnight) = var(0.015, -0.01) = 0.0003125, var(C/O) = var(-0.01, 0.01)
    = 0.0002, RS mean 0.0003, k = 0.34 / (1.34 + 3 / 1) = 0.078341:
    sqrt(0.0003125 + k 0.0002 + (1 - k) 0.0003) = 0.024590.

Part 2, against R's TTR volatility() with calc "parkinson", "garman.klass",
"rogers.satchell" and "yang.zhang", N = 252, n = 21, 63 and 252, on the
real RUT, GSPC and SPY bars: TTR's n-row window is ROWS n - 1 PRECEDING,
and for Yang-Zhang (which needs the previous close) ROWS n PRECEDING.
Skips with the reason without Rscript or TTR.

Part 3, numpy: the same estimators computed afresh for every frame of 21,
63 and 252 rows (the shorter frames at the start included) and over the
whole series. Agreement is to 1e-12 relative; GSPC's bars before 1962 are
flat (O = H = L = C), where every estimator but Yang-Zhang is exactly 0.
"""
import io, os, shutil, subprocess, sys, tempfile, warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import realdata

from realdata import T, ok


def run(sql, db=":memory:"):
    p = subprocess.run(realdata.SQLITE3 + ["-batch", "-bail", db], input=".load %s\n%s\n" % (realdata.LIB, sql),
                       capture_output=True, text=True)
    return p.returncode, p.stdout.strip(), p.stderr.strip()


SETUP = """CREATE TABLE bars(t INTEGER, o REAL, h REAL, l REAL, c REAL);
INSERT INTO bars VALUES (1, 100 * exp(0.01), 100 * exp(0.02), 100, 100 * exp(0.015)),
  (2, 100 * exp(0.03), 100 * exp(0.04), 100 * exp(0.01), 100 * exp(0.02)),
  (3, 100 * exp(0.01), 100 * exp(0.02), 100, 100 * exp(0.02));
"""
ALL4 = "round(fin_garman_klass(o, h, l, c, 1), 6), round(fin_rogers_satchell(o, h, l, c, 1), 6), " \
       "round(fin_yang_zhang(o, h, l, c, 1), 6)"


def check(name, sql, want):
    rc, out, err = run(SETUP + sql)
    ok(rc == 0 and not err and out == want, name, "query: " + sql, "got: " + out, "want: " + want, "stderr: " + err)


def check_error(name, sql, want):
    rc, out, err = run(SETUP + sql)
    ok(rc != 0 and want in err, name, "query: " + sql, "want an error containing: " + want, "stderr: " + err)


# ------------------------------------------------------------ part 1: by hand
check("fin_parkinson: one bar, three bars, annualised by 252 by default",
      "SELECT round(fin_parkinson(h, l, 1), 6) FROM bars WHERE t = 1;"
      "SELECT round(fin_parkinson(h, l, 1), 6), round(fin_parkinson(h, l), 6) FROM bars;",
      "0.012011\n0.014296|0.226945")
check("fin_garman_klass, fin_rogers_satchell, fin_yang_zhang over the three bars",
      "SELECT %s FROM (SELECT * FROM bars ORDER BY t);" % ALL4, "0.015949|0.01633|0.02459")
check("Yang-Zhang: the first row gives its close only; NULL before 2 sessions",
      "SELECT quote(fin_yang_zhang(o, h, l, c)), quote(round(fin_rogers_satchell(o, h, l, c, 1), 6)) FROM bars"
      " WHERE t = 1;"
      "SELECT t, quote(round(fin_yang_zhang(o, h, l, c, 1) OVER w, 6)) FROM bars WINDOW w AS (ORDER BY t);",
      "NULL|0.014142\n1|NULL\n2|NULL\n3|0.02459")
check("a flat bar has no range: 0, not NULL",
      "SELECT fin_parkinson(p, p), fin_garman_klass(p, p, p, p), fin_rogers_satchell(p, p, p, p),"
      " fin_yang_zhang(p, p, p, p) FROM (SELECT 100 AS p UNION ALL SELECT 100 UNION ALL SELECT 100);",
      "0.0|0.0|0.0|0.0")
check("no rows: NULL",
      "SELECT quote(fin_parkinson(h, l)), quote(fin_garman_klass(o, h, l, c)), quote(fin_yang_zhang(o, h, l, c))"
      " FROM bars WHERE 0;", "NULL|NULL|NULL")
check("a row with any NULL price is skipped; Yang-Zhang's previous close spans it",
      "SELECT round(fin_parkinson(h, l, 1), 6) FROM (SELECT h, l FROM bars UNION ALL SELECT NULL, 5);"
      "SELECT %s FROM (SELECT * FROM bars UNION ALL SELECT 4, 1, NULL, 1, 1 ORDER BY t);"
      "SELECT round(fin_yang_zhang(o, h, l, c, 1), 6) FROM (SELECT t, iif(t = 2, NULL, o) AS o, h, l, c FROM bars"
      " UNION ALL SELECT 4, 100 * exp(0.02), 100 * exp(0.03), 100, 100 * exp(0.01) ORDER BY t);"
      "SELECT round(fin_yang_zhang(o, h, l, c, 1), 6) FROM (SELECT * FROM bars WHERE t <> 2"
      " UNION ALL SELECT 4, 100 * exp(0.02), 100 * exp(0.03), 100, 100 * exp(0.01) ORDER BY t);" % ALL4,
      "0.014296\n0.015949|0.01633|0.02459\n0.017455\n0.017455")
check("sliding frames: each row's value is the aggregate of its frame's rows",
      "SELECT t, quote(round(fin_rogers_satchell(o, h, l, c, 1) OVER w, 6)), quote(round(fin_yang_zhang(o, h, l, c, 1)"
      " OVER (ORDER BY t ROWS 2 PRECEDING), 6)) FROM (SELECT * FROM bars UNION ALL SELECT t + 3, o, h, l, c FROM bars)"
      " WINDOW w AS (ORDER BY t ROWS 1 PRECEDING);"
      "SELECT round(fin_rogers_satchell(o, h, l, c, 1), 6) FROM bars WHERE t IN (2, 3);"
      "SELECT round(fin_yang_zhang(o, h, l, c, 1), 6) FROM (SELECT * FROM bars WHERE t = 3 UNION ALL"
      " SELECT 4, o, h, l, c FROM bars WHERE t = 1 UNION ALL SELECT 5, o, h, l, c FROM bars WHERE t = 2 ORDER BY t);",
      "1|0.014142|NULL\n2|0.017321|NULL\n3|0.017321|0.02459\n4|0.014142|0.013613\n5|0.017321|0.02445\n"
      "6|0.017321|0.02459\n0.017321\n0.02445")
check("PARTITION BY and GROUP BY: one answer per key",
      "SELECT k, round(fin_garman_klass(o, h, l, c, 1), 6) FROM (SELECT 'a' AS k, * FROM bars UNION ALL"
      " SELECT 'b', t, o * 2, h * 2, l * 2, c * 2 FROM bars ORDER BY k, t) GROUP BY k;",
      "a|0.015949\nb|0.015949")
check("a plain aggregate of 75,000 bars (the three 25,000 times) keeps summaries, not rows, past 65,536; Yang-Zhang"
      " over 74,999 sessions: 25,000 of bar 2 (overnight 0.015), 25,000 of bar 3 and 24,999 of bar 1 (-0.01 each)",
      "WITH RECURSIVE i(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM i WHERE n < 24999)"
      " SELECT %s, round(fin_parkinson(h, l, 1), 6) FROM (SELECT bars.* FROM i, bars ORDER BY n, t);" % ALL4,
      "0.015949|0.01633|0.019424|0.014296")
check_error("a frame that slides after holding more than 65,536 rows before its first result is an error",
      "WITH RECURSIVE i(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM i WHERE n < 70000) SELECT count(*) FROM"
      " (SELECT fin_yang_zhang(n, n, n, n) OVER (ORDER BY n ROWS BETWEEN CURRENT ROW AND 70000 FOLLOWING) FROM i);",
      "fin_yang_zhang(): this window frame held more than 65536 rows before its first result and then slid")
check("every function and form works inside a view under trusted_schema=OFF (pure: deterministic, innocuous)",
      "PRAGMA trusted_schema=OFF;"
      "CREATE VIEW v AS SELECT fin_parkinson(h, l) a, fin_parkinson(h, l, 12) a2, fin_garman_klass(o, h, l, c) b,"
      " fin_garman_klass(o, h, l, c, 12) b2, fin_rogers_satchell(o, h, l, c) d, fin_rogers_satchell(o, h, l, c, 12) d2,"
      " fin_yang_zhang(o, h, l, c) e, fin_yang_zhang(o, h, l, c, 12) e2 FROM (SELECT * FROM bars ORDER BY t);"
      "CREATE VIEW w AS SELECT t, fin_yang_zhang(o, h, l, c) OVER (ORDER BY t) x FROM bars;"
      "SELECT count(*) FROM v WHERE a > 0 AND b > 0 AND d > 0 AND e > 0 AND a2 < a; SELECT count(x) FROM w;"
      "SELECT count(DISTINCT name), count(*), sum((flags & 0x800) != 0), sum((flags & 0x200000) != 0) FROM pragma_function_list"
      " WHERE name IN ('fin_parkinson', 'fin_garman_klass', 'fin_rogers_satchell', 'fin_yang_zhang');",
      "1\n1\n4|8|8|8")
check_error("high below low", "SELECT fin_parkinson(99, 100);", "fin_parkinson(): high must be >= low (100), got 99")
check_error("open above high", "SELECT fin_garman_klass(102, 101, 99, 100);",
            "fin_garman_klass(): open must be between low (99) and high (101), got 102")
check_error("close below low", "SELECT fin_yang_zhang(100, 101, 99, 98.5);",
            "fin_yang_zhang(): close must be between low (99) and high (101), got 98.5")
check_error("a price of 0", "SELECT fin_rogers_satchell(o, h, 0, c) FROM bars;",
            "fin_rogers_satchell(): low must be > 0, got 0")
check_error("a text price", "SELECT fin_parkinson('101', l) FROM bars;",
            "fin_parkinson(): high must be a number, got text '101'")
check_error("periods_per_year must be > 0", "SELECT fin_yang_zhang(o, h, l, c, -252) FROM bars;",
            "fin_yang_zhang(): periods_per_year must be a number > 0, got -252")
check_error("periods_per_year NULL", "SELECT fin_parkinson(h, l, NULL) FROM bars;",
            "fin_parkinson(): periods_per_year must be a number > 0, got NULL")
check_error("periods_per_year is constant", "SELECT fin_garman_klass(o, h, l, c, t) FROM bars;",
            "fin_garman_klass(): periods_per_year must be the same for every row, got 2 after 1")

# ------------------------------------------------------- parts 2 and 3: real data
SYMS = ["RUT", "GSPC", "SPY"]
FRAMES = [21, 63, 252]
TOL = 1e-12
FNS = [("parkinson", "fin_parkinson(high, low)"), ("garman.klass", "fin_garman_klass(open, high, low, close)"),
       ("rogers.satchell", "fin_rogers_satchell(open, high, low, close)"),
       ("yang.zhang", "fin_yang_zhang(open, high, low, close)")]
skip = realdata.missing(SYMS)
if skip:
    ok(True, "real data # SKIP " + skip)
    print("1..%d" % T[0])
    sys.exit(0)
import numpy as np
import pandas as pd
from numpy.lib.stride_tricks import sliding_window_view as windows

sql = realdata.setup(SYMS)
warnings.simplefilter("ignore")
np.seterr(all="ignore")


def agree(have, want, name):
    """NaN must meet NaN; errors relative to the reference (exact where it is 0)."""
    have = np.asarray(have, dtype=float)
    want = np.asarray(want, dtype=float)
    if have.shape != want.shape:
        ok(False, "%s: %d values, want %d" % (name, have.size, want.size))
        return
    nan_ok = np.array_equal(np.isnan(have), np.isnan(want))
    m = ~np.isnan(want) & ~np.isnan(have)
    err = np.where(want[m] == 0, np.abs(have[m]) * 1e300, np.abs(have[m] - want[m]) / np.abs(np.where(want[m] == 0, 1, want[m])))
    worst = err.max() if err.size else 0.0
    diag = []
    if not nan_ok:
        bad = np.nonzero(np.isnan(have) != np.isnan(want))[0]
        diag.append("NULL differs at %s: have %s want %s" % (bad[:5], have[bad[:5]], want[bad[:5]]))
    if worst > TOL:
        i = np.argmax(err)
        diag.append("worst at %d: have %r want %r" % (i, have[m][i], want[m][i]))
    ok(nan_ok and worst <= TOL and m.sum() > 0,
       "%s: %d values (%d zero), worst relative error %.1e" % (name, m.sum(), (want[m] == 0).sum(), worst), *diag)


def F(expr):
    return "iif((%s) IS NULL, NULL, printf('%%.17g', %s))" % (expr, expr)


def ours(sym, N):
    """Each function over frames of TTR's n = N sessions (N + 1 rows for Yang-Zhang)."""
    cols = ", ".join("%s AS \"%s\"" % (F("%s OVER (ORDER BY date ROWS %d PRECEDING)" % (e, N if c == "yang.zhang" else N - 1)), c)
                     for c, e in FNS)
    return sql("SELECT date, %s FROM prices WHERE symbol = '%s' ORDER BY date;" % (cols, sym)).apply(pd.to_numeric, errors="coerce")


bars = {s: sql("SELECT date, open, high, low, close FROM prices WHERE symbol = '%s' ORDER BY date;" % s) for s in SYMS}

# ---- part 2: TTR
have_ttr = shutil.which("Rscript") and subprocess.run(["Rscript", "-e", "suppressMessages(library(TTR))"],
                                                      capture_output=True).returncode == 0
if not have_ttr:
    ok(True, "TTR # SKIP Rscript or its TTR package is not installed")
else:
    tmp = tempfile.mkdtemp()
    R = """suppressMessages(library(TTR))
a <- commandArgs(TRUE)
d <- read.csv(a[1])
m <- as.matrix(d[, c("open", "high", "low", "close")])
out <- data.frame(date = d$date)
for (n in c(%s)) for (calc in c(%s))
  out[[paste(calc, n)]] <- sprintf("%%.17g", as.numeric(volatility(m, n = n, calc = calc, N = 252)))
write.csv(out, a[2], row.names = FALSE)
""" % (", ".join(map(str, FRAMES)), ", ".join('"%s"' % c for c, _ in FNS))
    open(os.path.join(tmp, "ttr.R"), "w").write(R)
    for s in SYMS:
        bars[s].to_csv(os.path.join(tmp, s + ".csv"), index=False)
        subprocess.run(["Rscript", os.path.join(tmp, "ttr.R"), os.path.join(tmp, s + ".csv"), os.path.join(tmp, s + "_ttr.csv")],
                       check=True, capture_output=True)
        ttr = pd.read_csv(os.path.join(tmp, s + "_ttr.csv"), na_values=["NA"])
        for N in FRAMES:
            g = ours(s, N)
            for c, e in FNS:
                want = ttr["%s %d" % (c, N)].to_numpy()
                # TTR is NA until a full window: the shorter frames at the start are part 3's
                full = ~np.isnan(want)
                ok(full.sum() > 0 and np.isnan(want[:np.argmax(full)]).all(),
                   "TTR %s %s n = %d: NA for the first %d rows only" % (s, c, N, np.argmax(full)))
                agree(g[c].to_numpy()[full], want[full], "%s, TTR volatility(calc = \"%s\", n = %d, N = 252) = %s OVER"
                      " (ROWS %d PRECEDING)" % (s, c, N, e, N if c == "yang.zhang" else N - 1))


# ---- part 3: numpy, every frame from its own rows
def ln(a, b):
    """ln(a / b) as log1p((a - b) / b): a - b is exact for close prices, so a
    ratio near 1 keeps its digits (log(a / b) rounds the ratio first, an
    error of 1e-16 on a log of 1e-5: 1e-11 relative; TTR's full windows
    average it away to 1e-13)."""
    return np.log1p((a - b) / b)


def estimators(o, h, l, c, prev):
    """The four estimators over frames (2-D, one frame a row; prev: each
    bar's previous close) at 252 a year: Parkinson, Garman-Klass,
    Rogers-Satchell over all the frame's bars, Yang-Zhang over its bars but
    the first."""
    hl, co = ln(h, l), ln(c, o)
    rs = ln(h, c) * ln(h, o) + ln(l, c) * ln(l, o)
    out = {"parkinson": np.sqrt(252 * np.mean(hl ** 2, axis=1) / (4 * np.log(2))),
           "garman.klass": np.sqrt(252 * np.mean(0.5 * hl ** 2 - (2 * np.log(2) - 1) * co ** 2, axis=1)),
           "rogers.satchell": np.sqrt(252 * np.mean(rs, axis=1))}
    ov = ln(o[:, 1:], prev[:, 1:])
    n = ov.shape[1]
    if n < 2:
        out["yang.zhang"] = np.full(o.shape[0], np.nan)
    else:
        k = 0.34 / (1.34 + (n + 1) / (n - 1))
        out["yang.zhang"] = np.sqrt(252 * (ov.var(axis=1, ddof=1) + k * co[:, 1:].var(axis=1, ddof=1)
                                           + (1 - k) * rs[:, 1:].mean(axis=1)))
    return out


for s in SYMS:
    b = bars[s]
    o, h, l, c = (b[x].to_numpy() for x in ("open", "high", "low", "close"))
    prev = np.r_[np.nan, c[:-1]]
    # whole series: plain aggregates over the rows in date order
    w = sql("SELECT %s FROM (SELECT * FROM prices WHERE symbol = '%s' ORDER BY date);"
            % (", ".join("%s AS \"%s\"" % (F(e), cn) for cn, e in FNS), s)).apply(pd.to_numeric, errors="coerce").iloc[0]
    ref = estimators(o[None], h[None], l[None], c[None], prev[None])
    for cn, e in FNS:
        agree([w[cn]], ref[cn], "%s whole series (%d bars): %s" % (s, len(o), e))
    for N in FRAMES:
        g = ours(s, N)
        for cn, e in FNS:
            rows = N + 1 if cn == "yang.zhang" else N
            want = np.full(len(o), np.nan)
            for i in range(min(rows - 1, len(o))):  # the shorter frames at the start
                want[i] = estimators(o[None, :i + 1], h[None, :i + 1], l[None, :i + 1], c[None, :i + 1],
                                     prev[None, :i + 1])[cn][0]
            want[rows - 1:] = estimators(windows(o, rows), windows(h, rows), windows(l, rows), windows(c, rows),
                                         windows(prev, rows))[cn]
            agree(g[cn], want, "%s, frames of %d rows, numpy: %s" % (s, rows, e))

print("1..%d" % T[0])

#!/usr/bin/python3
"""The technical indicators (indicators.c): hand-worked edges, every error
verbatim, then the real series against their anchors:

- R's TTR (Rscript): EMA, RSI, MACD (percent = FALSE), BBands, ATR, on RUT,
  GSPC and SPY closes and IJR's adjusted closes (ATR on each symbol's
  high, low and close: IJR's closes have 1,217 empty rows, which TTR is
  given without and fin_atr skips). Whole series, 1e-12 relative, from the
  first defined value, except fin_macd: TA-Lib seeds its fast EMA on the
  slow-th price where TTR seeds it on the fast-th, so fin_macd is compared
  with TTR from the 400th price on (the seed's weight is then below 1e-12;
  errors relative to the price, as the line is a difference of two
  averages of prices), and from the first value with TA-Lib's algorithm
  written out below in Python; TTR's own MACD is fin_ema's composition,
  compared from the first value.
- numpy: Bollinger bands (two-pass mean and population sd of every window)
  and width; numpy/pandas: fin_zscore (two-pass mean and sample sd of every
  frame) and fin_percent_rank (pandas' rank(method='min')), over ROWS 251
  PRECEDING and the default frame, on the same series and on IJR's closes
  with their empty rows. Dimensionless values (z, %b, percent rank) are
  compared within 1e-12 of max(1, |value|).

Without Rscript and TTR, the TTR checks are skipped with the reason; without
pandas or the real data, all real-data checks are."""
import os, shutil, subprocess, sys, tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import realdata

ROOT, LIB, SQLITE3, DATA = realdata.ROOT, realdata.LIB, realdata.SQLITE3, realdata.DATA
TMP = tempfile.mkdtemp()
T = [0]
FAILED = [0]


def ok(good, name):
    T[0] += 1
    FAILED[0] += not good
    print("%s %d - %s" % ("ok" if good else "not ok", T[0], name))
    sys.stdout.flush()


def skip(name, why):
    T[0] += 1
    print("ok %d - %s # SKIP %s" % (T[0], name, why))


def diag(*lines):
    for l in lines:
        for part in str(l).splitlines() or [""]:
            print("# " + part, file=sys.stderr)


def shell(sql, db=":memory:", setup=""):
    p = subprocess.run(SQLITE3 + ["-batch", "-bail", db], input=".load %s\n%s\n%s\n" % (LIB, setup, sql),
                       capture_output=True, text=True)
    return p.returncode, p.stdout.rstrip("\n"), p.stderr.strip()


# ------------------------------------------------------------ hand-worked
# A: 10, 11, 12, 11, 13, 14, 13, 15, high = close + 1, low = close - 1.
#  EMA(3): the mean of the first 3 (11), then + 0.5 * (price - EMA).
#  RSI(3), changes +1 +1 -1: gains 2/3, losses 1/3 -> 66.67; then +2:
#     gain (2/3 * 2 + 2) / 3 = 10/9, loss 2/9 -> 83.33 ...
#  ATR(3): no true range on the first bar; 2, 2, 2 -> 2; then the gap from
#     11 to a 12..14 bar, 3: (2 * 2 + 3) / 3 = 2.333 ...
#  MACD(2, 3, 2): on the 3rd price slow = mean(10, 11, 12) = 11, fast =
#     mean(11, 12) = 11.5: line 0.5; 4th: fast 11.5 - 0.5 * 2/3 = 11.1667,
#     slow 11: line 0.1667, signal mean(0.5, 0.1667) = 0.3333, histogram
#     -0.1667.
#  Bollinger(3, 2) on 10, 11, 12: mean 11, population sd sqrt(2/3) =
#     0.8165: bands 9.367 and 12.633, %b (12 - 9.367) / 3.266 = 0.8062,
#     width 3.266 / 11 = 0.2969. At k = 1: %b 0.5 + 1 / 1.633 = 1.1124;
#     on 11, 12, 11: sd sqrt(2/9) = 0.4714, 0.5 - (1/3) / 0.9428 = 0.1464.
#  z-score over ROWS 2 PRECEDING: (11 - 10.5) / sd(10, 11) = 0.7071; (12 -
#     11) / 1 = 1; 11 in (11, 12, 11): -0.3333 / 0.5774 = -0.5774.
#  percent rank over ROWS 2 PRECEDING: 11 in (10, 11): 1 of 1 below = 1;
#     11 in (11, 12, 11): none below = 0; 14 in (11, 13, 14): 2 of 2 = 1.
# B: 10, NULL, 11, 12, 13: the NULL row is not a row: EMA(3) from the 4th;
#     ROWS 2 PRECEDING on the 4th row holds NULL, 11, 12: two values,
#     z (12 - 11.5) / 0.7071 = 0.7071.
# -0.02, 0.01, -0.03: mean -0.01333, sample sd 0.020817: z of -0.03 is
#     -0.016667 / 0.020817 = -0.8006.
SETUP = """CREATE TABLE p(k TEXT, t INTEGER, c REAL, h REAL, l REAL);
INSERT INTO p SELECT 'A', t, c, c + 1, c - 1 FROM (SELECT 1 t, 10 c UNION ALL SELECT 2, 11 UNION ALL
  SELECT 3, 12 UNION ALL SELECT 4, 11 UNION ALL SELECT 5, 13 UNION ALL SELECT 6, 14 UNION ALL
  SELECT 7, 13 UNION ALL SELECT 8, 15);
INSERT INTO p VALUES ('B', 1, 10, 11, 9), ('B', 2, NULL, NULL, NULL), ('B', 3, 11, 12, 10),
  ('B', 4, 12, 13, 11), ('B', 5, 13, 14, 12);
CREATE TABLE flat(t INTEGER, c REAL);
INSERT INTO flat VALUES (1, 5), (2, 5), (3, 5), (4, 5);
.mode list
.nullvalue NULL"""


def check(name, sql, want):
    rc, out, err = shell(sql, setup=SETUP)
    good = rc == 0 and not err and out == want
    ok(good, name)
    if not good:
        diag("query: " + sql, "got:", out, "expected:", want, "exit: %d" % rc, "stderr: " + err)


def check_error(name, sql, msg):
    rc, out, err = shell(sql, setup=SETUP)
    good = rc != 0 and msg in err
    ok(good, name)
    if not good:
        diag("query: " + sql, "expected an error containing: " + msg, "exit: %d" % rc, "stderr: " + err,
             "stdout: " + out)


A = "FROM p WHERE k = 'A' WINDOW w AS (ORDER BY t)"
check("fin_ema: NULL until the n-th price, then the mean of the first n, then alpha 2/(n+1)",
      "SELECT t, fin_ema(c, 3) OVER w %s;" % A,
      "1|NULL\n2|NULL\n3|11.0\n4|11.0\n5|12.0\n6|13.0\n7|13.0\n8|14.0")
check("fin_ema(x, 1) is x",
      "SELECT group_concat(e = c) FROM (SELECT c, fin_ema(c, 1) OVER w e %s);" % A, "1,1,1,1,1,1,1,1")
check("fin_ema takes any number: returns, the MACD line (to smooth it into a signal)",
      "SELECT round(fin_ema(x, 2) OVER (ORDER BY t), 6) FROM (SELECT 1 t, -0.02 x UNION ALL SELECT 2, 0.01"
      " UNION ALL SELECT 3, 0 UNION ALL SELECT 4, NULL UNION ALL SELECT 5, -0.03);", "NULL\n-0.005\n-0.001667\nNULL\n-0.020556")
check("fin_rsi: Wilder's averages of n changes, from the (n+1)-th price",
      "SELECT t, round(fin_rsi(c, 3) OVER w, 6) %s;" % A,
      "1|NULL\n2|NULL\n3|NULL\n4|66.666667\n5|83.333333\n6|87.878788\n7|62.365591\n8|79.885057")
check("fin_atr: the first bar has no true range; Wilder's average of the next n",
      "SELECT t, round(fin_atr(h, l, c, 3) OVER w, 6) %s;" % A,
      "1|NULL\n2|NULL\n3|NULL\n4|2.0\n5|2.333333\n6|2.222222\n7|2.148148\n8|2.432099")
check("fin_macd: the line from the slow-th price (TA-Lib's seeds), signal and histogram from the (slow + signal - 1)-th",
      "SELECT t, round(fin_macd(c, 2, 3, 2) OVER w, 6), round(fin_macd(c, 2, 3, 2, 'signal') OVER w, 6),"
      " round(fin_macd(c, 2, 3, 2, 'Histogram') OVER w, 6) %s LIMIT 4;" % A,
      "1|NULL|NULL|NULL\n2|NULL|NULL|NULL\n3|0.5|NULL|NULL\n4|0.166667|0.333333|-0.166667")
check("fin_macd(price) is fin_macd(price, 12, 26, 9, 'line'): NULL for 25 prices",
      "WITH RECURSIVE s(t, c) AS (SELECT 1, 100.0 UNION ALL SELECT t + 1, 100 + t % 7 FROM s WHERE t < 40)"
      " SELECT count(m), sum(m IS d), min(t) FILTER (WHERE m IS NOT NULL) FROM"
      " (SELECT t, fin_macd(c) OVER w m, fin_macd(c, 12, 26, 9, 'line') OVER w d FROM s WINDOW w AS (ORDER BY t));",
      "15|40|26")
check("fin_bollinger: lower, middle, upper, %b (the default) and width over the last n prices, population sd",
      "SELECT t, round(fin_bollinger(c, 3, 2, 'lower') OVER w, 6), round(fin_bollinger(c, 3, 2, 'middle') OVER w, 6),"
      " round(fin_bollinger(c, 3, 2, 'upper') OVER w, 6), round(fin_bollinger(c, 3) OVER w, 6),"
      " round(fin_bollinger(c, 3, 2, 'width') OVER w, 6) %s LIMIT 3;" % A,
      "1|NULL|NULL|NULL|NULL|NULL\n2|NULL|NULL|NULL|NULL|NULL\n3|9.367007|11.0|12.632993|0.806186|0.296908")
check("fin_bollinger: k scales the bands: %b at k = 1 is 0.5 + (price - mean) / (2 sd)",
      "SELECT round(fin_bollinger(c, 3, 1) OVER w, 6) %s LIMIT 2 OFFSET 2;" % A, "1.112372\n0.146447")
check("a NULL price is not a row: it gives NULL and does not count towards n",
      "SELECT t, fin_ema(c, 3) OVER w, round(fin_rsi(c, 2) OVER w, 6), fin_atr(h, l, c, 2) OVER w"
      " FROM p WHERE k = 'B' WINDOW w AS (ORDER BY t);",
      "1|NULL|NULL|NULL\n2|NULL|NULL|NULL\n3|NULL|NULL|NULL\n4|11.0|100.0|2.0\n5|12.0|100.0|2.0")
check("each partition starts afresh",
      "SELECT k, group_concat(coalesce(e, '-'), ' ') FROM (SELECT k, t, fin_ema(c, 2) OVER (PARTITION BY k ORDER BY t) e"
      " FROM p ORDER BY k, t) GROUP BY k;", "A|- 10.5 11.5 11.1666666666667 12.3888888888889 13.462962962963 13.1543209876543 14.3847736625514\n"
      "B|- - 10.5 11.5 12.5")
check("undefined is NULL: RSI and %b of a flat series; its width is 0",
      "SELECT t, fin_rsi(c, 2) OVER w, fin_bollinger(c, 2) OVER w, fin_bollinger(c, 2, 2, 'width') OVER w"
      " FROM flat WINDOW w AS (ORDER BY t);", "1|NULL|NULL|NULL\n2|NULL|NULL|0.0\n3|NULL|NULL|0.0\n4|NULL|NULL|0.0")
check("fin_zscore over ROWS 2 PRECEDING: sample sd; one value is NULL",
      "SELECT t, round(fin_zscore(c) OVER (ORDER BY t ROWS 2 PRECEDING), 6) FROM p WHERE k = 'A' LIMIT 4;",
      "1|NULL\n2|0.707107\n3|1.0\n4|-0.57735")
check("fin_percent_rank over ROWS 2 PRECEDING: values below / (values - 1), ties rank lowest",
      "SELECT t, fin_percent_rank(c) OVER (ORDER BY t ROWS 2 PRECEDING) FROM p WHERE k = 'A';",
      "1|NULL\n2|1.0\n3|1.0\n4|0.0\n5|1.0\n6|1.0\n7|0.0\n8|1.0")
check("fin_percent_rank is SQL's percent_rank() of the current row among the rows so far (the default frame)",
      "WITH f AS (SELECT r.t AS upto, q.t AS qt, percent_rank() OVER (PARTITION BY r.t ORDER BY q.c) AS b"
      " FROM p r JOIN p q ON q.k = 'A' AND q.t <= r.t WHERE r.k = 'A'),"
      " s AS (SELECT t, fin_percent_rank(c) OVER (ORDER BY t) AS a FROM p WHERE k = 'A')"
      " SELECT count(*), sum(abs(a - b) < 1e-15) FROM s JOIN f ON f.upto = s.t AND f.qt = s.t WHERE s.t > 1;", "7|7")
check("fin_zscore and fin_percent_rank: a NULL in the frame is not a value; the NULL row is NULL",
      "SELECT t, round(fin_zscore(c) OVER w, 6), fin_percent_rank(c) OVER w FROM p WHERE k = 'B'"
      " WINDOW w AS (ORDER BY t ROWS 2 PRECEDING);",
      "1|NULL|NULL\n2|NULL|NULL\n3|0.707107|1.0\n4|0.707107|1.0\n5|1.0|1.0")
check("fin_zscore of equal values is NULL (no spread)",
      "SELECT group_concat(coalesce(z, '-')) FROM (SELECT fin_zscore(c) OVER (ORDER BY t) z FROM flat);", "-,-,-,-")
check("fin_zscore and fin_percent_rank take any number (returns, negatives)",
      "SELECT round(fin_zscore(x) OVER w, 6), fin_percent_rank(x) OVER w FROM"
      " (SELECT 1 t, -0.02 x UNION ALL SELECT 2, 0.01 UNION ALL SELECT 3, -0.03) WINDOW w AS (ORDER BY t) LIMIT 1 OFFSET 2;",
      "-0.800641|0.0")
check("fin_zscore on a frame that slides past a wide range: no drift (1e12, then small values)",
      "SELECT round(fin_zscore(x) OVER (ORDER BY t ROWS 2 PRECEDING), 9) FROM (SELECT 1 t, 1e12 x UNION ALL"
      " SELECT 2, 3 UNION ALL SELECT 3, 1 UNION ALL SELECT 4, 2 UNION ALL SELECT 5, 4) LIMIT 2 OFFSET 3;", "0.0\n1.091089451")
check("the same answer whatever the frame's start once it covers the series: UNBOUNDED and ROWS 100 PRECEDING",
      "SELECT group_concat(a IS b) FROM (SELECT fin_zscore(c) OVER (ORDER BY t) a, fin_zscore(c) OVER"
      " (ORDER BY t ROWS 100 PRECEDING) b FROM p WHERE k = 'A');", "1,1,1,1,1,1,1,1")

check("the indicators are deterministic and innocuous (flags 0x800|0x200000) and work in a view under trusted_schema=OFF",
      "SELECT count(*), sum((flags & 0x800) != 0), sum((flags & 0x200000) != 0) FROM pragma_function_list WHERE name IN"
      " ('fin_ema', 'fin_rsi', 'fin_macd', 'fin_bollinger', 'fin_atr', 'fin_zscore', 'fin_percent_rank');\n"
      "PRAGMA trusted_schema=OFF;\nCREATE VIEW v AS SELECT t, fin_ema(c, 2) OVER w a, fin_rsi(c, 2) OVER w b,"
      " fin_macd(c, 2, 3, 2, 'signal') OVER w m, fin_bollinger(c, 2) OVER w d, fin_atr(h, l, c, 2) OVER w e,"
      " fin_zscore(c) OVER w f, fin_percent_rank(c) OVER w g FROM p WHERE k = 'A' WINDOW w AS (ORDER BY t);\n"
      "SELECT count(a), count(b), count(m), count(d), count(e), count(f), count(g) FROM v;",
      "13|13|13\n7|6|5|7|6|7|7")

# ------------------------------------------------------------------- errors
SLIDE = "fin_ema(): needs a window frame that starts at UNBOUNDED PRECEDING (the default); of the indicators only fin_zscore and fin_percent_rank work on sliding frames"
for name, sql, msg in [
    ("n below 1", "SELECT fin_ema(c, 0) OVER w %s;" % A, "fin_ema(): n must be between 1 and 10000000, got 0"),
    ("n not whole", "SELECT fin_rsi(c, 2.5) OVER w %s;" % A, "fin_rsi(): n must be a whole number, got 2.5"),
    ("n NULL", "SELECT fin_atr(h, l, c, NULL) OVER w %s;" % A, "fin_atr(): n must be a whole number, got NULL"),
    ("n changes from row to row", "SELECT fin_ema(c, t) OVER w %s;" % A,
     "fin_ema(): n must be the same for every row, got 2 after 1"),
    ("a text price", "SELECT fin_rsi('101.5') OVER ();",
     "fin_rsi(): price must be a number, got text '101.5' (a number stored as text, as .import stores every CSV"
     " field; load files with sql/load_csv.sh, or pass CAST(price AS REAL))"),
    ("a price of 0", "SELECT fin_macd(0) OVER ();", "fin_macd(): price must be > 0, got 0"),
    ("a negative price", "SELECT fin_bollinger(-3, 20) OVER ();", "fin_bollinger(): price must be > 0, got -3"),
    ("an infinite value", "SELECT fin_ema(1e999, 2) OVER ();", "fin_ema(): x must be finite, got Inf"),
    ("text for fin_ema", "SELECT fin_ema('1', 2) OVER ();", "fin_ema(): x must be a number, got text '1'"),
    ("a sliding frame for a recursion", "SELECT fin_ema(c, 2) OVER (ORDER BY t ROWS 2 PRECEDING) %s;" % A, SLIDE),
    ("fin_macd under a sliding frame", "SELECT fin_macd(c) OVER (ORDER BY t ROWS 2 PRECEDING) %s;" % A,
     SLIDE.replace("fin_ema", "fin_macd")),
    ("FOLLOWING", "SELECT fin_rsi(c) OVER (ORDER BY t ROWS BETWEEN UNBOUNDED PRECEDING AND 1 FOLLOWING) %s;" % A,
     "fin_rsi(): needs a window frame that ends at the current row (no FOLLOWING) and no FILTER clause; to leave rows out, pass NULL for them: fin_rsi(CASE WHEN ... THEN price END)"),
    ("FOLLOWING for fin_zscore", "SELECT fin_zscore(c) OVER (ORDER BY t ROWS BETWEEN 2 PRECEDING AND 1 FOLLOWING) %s;" % A,
     "fin_zscore(): needs a window frame that ends at the current row (no FOLLOWING) and no FILTER clause; to leave"
     " rows out, pass NULL for them: fin_zscore(CASE WHEN ... THEN price END)"),
    ("FILTER", "SELECT fin_percent_rank(c) FILTER (WHERE c > 11) OVER (ORDER BY t) %s;" % A,
     "fin_percent_rank(): needs a window frame that ends at the current row (no FOLLOWING) and no FILTER clause; to"
     " leave rows out, pass NULL for them: fin_percent_rank(CASE WHEN ... THEN price END)"),
    ("used as a plain aggregate", "SELECT fin_ema(c, 3) FROM p;",
     "fin_ema(): is a window function: use fin_ema(x, n) OVER (PARTITION BY ... ORDER BY time), without EXCLUDE"),
    ("fin_zscore as a plain aggregate", "SELECT fin_zscore(c) FROM p;",
     "fin_zscore(): is a window function: use fin_zscore(x) OVER (PARTITION BY ... ORDER BY time), without EXCLUDE"),
    ("under EXCLUDE", "SELECT fin_atr(h, l, c) OVER (ORDER BY t ROWS UNBOUNDED PRECEDING EXCLUDE CURRENT ROW) %s;" % A,
     "fin_atr(): is a window function: use fin_atr(high, low, close [, n]) OVER (PARTITION BY ... ORDER BY time), without EXCLUDE"),
    ("fin_macd: slow must exceed fast", "SELECT fin_macd(c, 26, 12, 9) OVER w %s;" % A,
     "fin_macd(): slow must be greater than fast (26), got 12"),
    ("fin_macd: signal below 1", "SELECT fin_macd(c, 12, 26, 0) OVER w %s;" % A,
     "fin_macd(): signal must be between 1 and 10000000, got 0"),
    ("fin_macd: an unknown part", "SELECT fin_macd(c, 12, 26, 9, 'hist') OVER w %s;" % A,
     "fin_macd(): part must be 'line', 'signal' or 'histogram', got text 'hist'"),
    ("fin_macd: a part that is not text", "SELECT fin_macd(c, 12, 26, 9, 1) OVER w %s;" % A,
     "fin_macd(): part must be 'line', 'signal' or 'histogram', got 1"),
    ("fin_macd: the part changes", "SELECT fin_macd(c, 2, 3, 2, CASE WHEN t < 3 THEN 'line' ELSE 'signal' END) OVER w %s;" % A,
     "fin_macd(): part must be the same for every row, got 'signal' after 'line'"),
    ("fin_macd: two arguments", "SELECT fin_macd(c, 12) OVER w %s;" % A, "wrong number of arguments to function fin_macd()"),
    ("fin_bollinger: n of 1", "SELECT fin_bollinger(c, 1) OVER w %s;" % A,
     "fin_bollinger(): n must be between 2 and 10000000, got 1"),
    ("fin_bollinger: k of 0", "SELECT fin_bollinger(c, 20, 0) OVER w %s;" % A, "fin_bollinger(): k must be a number > 0, got 0"),
    ("fin_bollinger: k NULL", "SELECT fin_bollinger(c, 20, NULL) OVER w %s;" % A,
     "fin_bollinger(): k must be a number > 0, got NULL"),
    ("fin_bollinger: k as text", "SELECT fin_bollinger(c, 20, '2') OVER w %s;" % A,
     "fin_bollinger(): k must be a number, got text '2'"),
    ("fin_bollinger: k changes", "SELECT fin_bollinger(c, 2, t) OVER w %s;" % A,
     "fin_bollinger(): k must be the same for every row, got 2 after 1"),
    ("fin_bollinger: an unknown part", "SELECT fin_bollinger(c, 20, 2, '%%b') OVER w %s;" % A,
     "fin_bollinger(): part must be 'lower', 'middle', 'upper', 'percent_b' or 'width', got text '%b'"),
    ("fin_atr: low above high", "SELECT fin_atr(100, 101, 100.5) OVER ();",
     "fin_atr(): low must be <= high (100), got 101"),
    ("fin_atr: a text close", "SELECT fin_atr(h, l, 'x') OVER w %s;" % A, "fin_atr(): close must be a number, got text 'x'"),
    ("fin_atr: a high of 0", "SELECT fin_atr(0, l, c) OVER w %s;" % A, "fin_atr(): high must be > 0, got 0"),
    ("fin_zscore: text", "SELECT fin_zscore('a') OVER ();", "fin_zscore(): x must be a number, got text 'a'"),
    ("fin_percent_rank: a blob", "SELECT fin_percent_rank(x'00') OVER ();", "fin_percent_rank(): x must be a number, got a blob"),
    ("fin_percent_rank: infinite", "SELECT fin_percent_rank(-1e999) OVER ();", "fin_percent_rank(): x must be finite, got -Inf"),
]:
    check_error("error: " + name, sql, msg)

# ---------------------------------------------------------------- real data
# (symbol, the series' column): the fourth is IJR's total-return series.
SERIES = [("RUT", "close"), ("GSPC", "close"), ("SPY", "close"), ("IJR", "adj_close")]
TOL = 1e-12
N_TTR, N_OTHER = 17, 12  # checks a series: against TTR, against numpy, pandas and TA-Lib's algorithm
EXPECTED = T[0] + len(SERIES) * (N_TTR + N_OTHER) + 2  # and 2 on IJR's closes

R_SCRIPT = r"""
suppressMessages(library(TTR))
a <- commandArgs(TRUE)
d <- read.csv(a[1])
f <- function(v) ifelse(is.na(v), "NA", sprintf("%.17g", v))
x <- d$x
o <- data.frame(date = d$date)
o$ema10 <- f(EMA(x, 10)); o$ema200 <- f(EMA(x, 200))
o$rsi14 <- f(RSI(x)); o$rsi2 <- f(RSI(x, 2))
m <- MACD(x, percent = FALSE); o$macd <- f(m[, "macd"]); o$macd_signal <- f(m[, "signal"])
m <- MACD(x, 5, 35, 5, percent = FALSE); o$macd2 <- f(m[, "macd"]); o$macd2_signal <- f(m[, "signal"])
b <- BBands(x, 20, sd = 2); o$bb_dn <- f(b[, "dn"]); o$bb_mavg <- f(b[, "mavg"]); o$bb_up <- f(b[, "up"]); o$bb_pctb <- f(b[, "pctB"])
b <- BBands(x, 50, sd = 1.5); o$bb2_pctb <- f(b[, "pctB"])
full <- !is.na(d$h) & !is.na(d$l) & !is.na(d$c)
hlc <- cbind(d$h[full], d$l[full], d$c[full])
o$atr14 <- "NA"; o$atr14[full] <- f(ATR(hlc)[, "atr"])
o$atr5 <- "NA"; o$atr5[full] <- f(ATR(hlc, 5)[, "atr"])
write.csv(o, a[2], row.names = FALSE, quote = FALSE)
"""


def have_ttr():
    if not shutil.which("Rscript"):
        return "Rscript is not installed (apt-get install r-base-core r-cran-ttr)"
    p = subprocess.run(["Rscript", "-e", "library(TTR)"], capture_output=True, text=True)
    return None if p.returncode == 0 else "R has no TTR package (apt-get install r-cran-ttr)"


def F(expr):  # every digit of a double (the shell's CSV prints 15), NULL kept
    return "iif((%s) IS NULL, NULL, printf('%%.17g', %s))" % (expr, expr)


COLS = [("ema10", "fin_ema(x, 10)"), ("ema200", "fin_ema(x, 200)"), ("rsi14", "fin_rsi(x)"), ("rsi2", "fin_rsi(x, 2)"),
        ("macd", "fin_macd(x)"), ("macd_signal", "fin_macd(x, 12, 26, 9, 'signal')"),
        ("macd_hist", "fin_macd(x, 12, 26, 9, 'histogram')"),
        ("macd2", "fin_macd(x, 5, 35, 5)"), ("macd2_signal", "fin_macd(x, 5, 35, 5, 'signal')"),
        ("bb_dn", "fin_bollinger(x, 20, 2, 'lower')"), ("bb_mavg", "fin_bollinger(x, 20, 2, 'middle')"),
        ("bb_up", "fin_bollinger(x, 20, 2, 'upper')"), ("bb_pctb", "fin_bollinger(x, 20)"),
        ("bb_width", "fin_bollinger(x, 20, 2, 'width')"), ("bb2_pctb", "fin_bollinger(x, 50, 1.5)"),
        ("atr14", "fin_atr(h, l, c)"), ("atr5", "fin_atr(h, l, c, 5)"),
        ("z252", "fin_zscore(x) OVER f252"), ("z_all", "fin_zscore(x) OVER w"),
        ("pr252", "fin_percent_rank(x) OVER f252"), ("pr_all", "fin_percent_rank(x) OVER w")]


def query(db, sym, col):
    sel = ", ".join("%s AS %s" % (F(e if " OVER " in e else e + " OVER w"), n) for n, e in COLS)
    sql = (".mode csv\n.headers on\nSELECT date, x, h, l, c, %s, %s AS ttr_line FROM (SELECT date, %s AS x, high AS h, low AS l, "
           "close AS c FROM prices WHERE symbol = '%s') WINDOW w AS (ORDER BY date), "
           "f252 AS (ORDER BY date ROWS 251 PRECEDING) ORDER BY date;"
           % (sel, F("fin_ema(x, 12) OVER w - fin_ema(x, 26) OVER w"), col, sym))
    # TTR's MACD from fin_ema: the line of two EMAs seeded on their own
    # starts, and its signal an EMA of the line (whose NULLs it skips).
    sig = (".mode csv\n.headers on\nSELECT date AS date2, %s AS ttr_signal FROM (SELECT date, fin_ema(x, 12) OVER w - fin_ema(x, 26) OVER w AS line"
           " FROM (SELECT date, %s AS x FROM prices WHERE symbol = '%s') WINDOW w AS (ORDER BY date))"
           " WINDOW w AS (ORDER BY date) ORDER BY date;" % (F("fin_ema(line, 9) OVER w"), col, sym))
    import io, pandas as pd
    frames = []
    for q in (sql, sig):
        rc, out, err = shell(q, db)
        if rc or err:
            print("Bail out! %s" % err)
            sys.exit(1)
        frames.append(pd.read_csv(io.StringIO(out), float_precision="round_trip"))
    d = pd.concat(frames, axis=1)
    if not (d["date"] == d["date2"]).all():
        print("Bail out! the two queries' rows differ")
        sys.exit(1)
    return d


def agree(have, want, name, scale=None, start=0, dimensionless=False):
    """have, want: arrays; NaN must meet NaN; errors relative to scale (the
    reference itself unless given; max(1, |want|) when dimensionless),
    from row start on."""
    import numpy as np
    have = np.asarray(have, dtype=float)[start:]
    want = np.asarray(want, dtype=float)[start:]
    nan_ok = np.array_equal(np.isnan(have), np.isnan(want))
    m = ~np.isnan(want) & ~np.isnan(have)
    if scale is not None:
        sc = np.abs(np.asarray(scale, dtype=float)[start:][m])
    elif dimensionless:
        sc = np.maximum(np.abs(want[m]), 1.0)
    else:
        sc = np.abs(want[m])
    err = np.abs(have[m] - want[m]) / np.maximum(sc, 1e-300)
    worst = err.max() if err.size else 0.0
    if not nan_ok:
        bad = np.nonzero(np.isnan(have) != np.isnan(want))[0]
        diag("NULL differs at rows %s: have %s want %s" % (bad[:5] + start, have[bad[:5]], want[bad[:5]]))
    good = nan_ok and worst <= TOL and m.sum() > 0
    ok(good, "%s: %d values, worst relative error %.1e" % (name, m.sum(), worst))
    if not good and err.size:
        i = int(np.argmax(err))
        diag("worst at row %d: have %.17g want %.17g" % (np.nonzero(m)[0][i] + start, have[m][i], want[m][i]))


def talib_macd(x, fast, slow, signal):
    """TA-Lib's MACD (ta_MACD.c, default compatibility), written out: both
    EMAs seeded on the slow-th price with the means of the last fast and
    slow prices, the signal with the mean of the first signal lines."""
    import numpy as np
    n = len(x)
    line, sig = np.full(n, np.nan), np.full(n, np.nan)
    kf, ks, kg = 2.0 / (fast + 1), 2.0 / (slow + 1), 2.0 / (signal + 1)
    if n < slow:
        return line, sig
    f, s = sum(x[slow - fast:slow]) / fast, sum(x[:slow]) / slow
    line[slow - 1] = f - s
    for i in range(slow, n):
        f = (x[i] - f) * kf + f
        s = (x[i] - s) * ks + s
        line[i] = f - s
    first = slow - 1 + signal - 1
    if n > first:
        g = sum(line[slow - 1:first + 1]) / signal
        sig[first] = g
        for i in range(first + 1, n):
            g = (line[i] - g) * kg + g
            sig[i] = g
    return line, sig


def frame_stats(x, width):
    """Per row: the two-pass mean and sample sd of the frame's non-NULL
    values (ROWS width-1 PRECEDING; width None: from the first row), and
    their count."""
    import numpy as np
    from numpy.lib.stride_tricks import sliding_window_view as windows
    n = len(x)
    if width is None:  # every frame from the first row, in long double
        v = np.where(np.isnan(x), 0, x).astype(np.longdouble)
        cnt = np.cumsum(~np.isnan(x))
        s1, s2 = np.cumsum(v), np.cumsum(v * v)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = s1 / cnt
            var = (s2 - s1 * mean) / (cnt - 1)
        return mean.astype(float), np.sqrt(np.maximum(var, 0)).astype(float), cnt
    w = windows(np.concatenate([np.full(width - 1, np.nan), x]), width)
    cnt = (~np.isnan(w)).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"), __import__("warnings").catch_warnings():
        __import__("warnings").simplefilter("ignore")
        mean = np.nanmean(w, axis=1)
        sd = np.nanstd(w, axis=1, ddof=1)
    return mean, sd, cnt


def zscore_ref(x, width):
    import numpy as np
    mean, sd, cnt = frame_stats(x, width)
    with np.errstate(invalid="ignore", divide="ignore"):
        z = (x - mean) / sd
    z[(cnt < 2) | ~(sd > 0)] = np.nan
    return z


def prank_ref(x, width):
    import numpy as np, pandas as pd
    s = pd.Series(x)
    r = s.expanding() if width is None else s.rolling(width, min_periods=1)
    rank, cnt = r.rank(method="min").to_numpy(), r.count().to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        p = (rank - 1) / (cnt - 1)
    p[cnt < 2] = np.nan
    return p


def bands_ref(x, n, k):
    """numpy: the two-pass mean and population sd of each window of n."""
    import numpy as np
    from numpy.lib.stride_tricks import sliding_window_view as windows
    mean, sd = np.full(len(x), np.nan), np.full(len(x), np.nan)
    w = windows(x, n)
    mean[n - 1:] = w.mean(axis=1)
    sd[n - 1:] = w.std(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        pctb = np.where(sd > 0, (x - (mean - k * sd)) / (2 * k * sd), np.nan)
    return mean - k * sd, mean, mean + k * sd, pctb, 2 * k * sd / mean


REAL = realdata.missing([s for s, _ in SERIES])
TTR = have_ttr()


def real_checks(db, sym, col):
    import numpy as np, pandas as pd
    d = query(db, sym, col)
    x = d["x"].to_numpy(dtype=float)
    name = "%s %s" % (sym, col)
    if TTR:
        for _ in range(N_TTR):
            skip("%s: against TTR" % name, TTR)
    else:
        src, dst = os.path.join(TMP, sym + ".in.csv"), os.path.join(TMP, sym + ".ttr.csv")
        d[["date", "x", "h", "l", "c"]].to_csv(src, index=False, float_format="%.17g")
        p = subprocess.run(["Rscript", "-e", R_SCRIPT, src, dst], capture_output=True, text=True)
        if p.returncode:
            print("Bail out! Rscript failed: %s" % p.stderr.strip()[-400:])
            sys.exit(1)
        r = pd.read_csv(dst, float_precision="round_trip", na_values=["NA"])
        for c, fn, ttr in [("ema10", "fin_ema(x, 10)", "EMA(x, 10)"), ("ema200", "fin_ema(x, 200)", "EMA(x, 200)"),
                           ("rsi14", "fin_rsi(x)", "RSI(x)"), ("rsi2", "fin_rsi(x, 2)", "RSI(x, 2)"),
                           ("atr14", "fin_atr(h, l, c)", "ATR(HLC)"), ("atr5", "fin_atr(h, l, c, 5)", "ATR(HLC, 5)"),
                           ("bb_dn", "fin_bollinger(x, 20, 2, 'lower')", "BBands dn"),
                           ("bb_mavg", "fin_bollinger(x, 20, 2, 'middle')", "BBands mavg"),
                           ("bb_up", "fin_bollinger(x, 20, 2, 'upper')", "BBands up")]:
            agree(d[c], r[c], "%s: %s vs TTR's %s" % (name, fn, ttr))
        agree(d["bb_pctb"], r["bb_pctb"], "%s: fin_bollinger(x, 20) vs TTR's BBands pctB" % name, dimensionless=True)
        agree(d["bb2_pctb"], r["bb2_pctb"], "%s: fin_bollinger(x, 50, 1.5) vs TTR's BBands(x, 50, sd = 1.5) pctB" % name,
              dimensionless=True)
        agree(d["ttr_line"], r["macd"], "%s: fin_ema(x, 12) - fin_ema(x, 26) is TTR's MACD line" % name, scale=x)
        agree(d["ttr_signal"], r["macd_signal"], "%s: fin_ema of that line is TTR's signal" % name, scale=x)
        for c in ("macd", "macd_signal", "macd2", "macd2_signal"):
            agree(d[c], r[c], "%s: fin_macd %s vs TTR after the seed (from the 400th price)" % (name, c), scale=x, start=400)
    line, sig = talib_macd(x, 12, 26, 9)
    agree(d["macd"], line, "%s: fin_macd line vs TA-Lib's algorithm" % name, scale=x)
    agree(d["macd_signal"], sig, "%s: fin_macd signal vs TA-Lib's algorithm" % name, scale=x)
    agree(d["macd_hist"], line - sig, "%s: fin_macd histogram vs TA-Lib's algorithm" % name, scale=x)
    line, sig = talib_macd(x, 5, 35, 5)
    agree(d["macd2"], line, "%s: fin_macd(x, 5, 35, 5) vs TA-Lib's algorithm" % name, scale=x)
    lo, mid, up, pctb, width = bands_ref(x, 20, 2)
    agree(d["bb_mavg"], mid, "%s: fin_bollinger middle vs numpy" % name)
    agree(d["bb_up"], up, "%s: fin_bollinger upper vs numpy (population sd)" % name)
    agree(d["bb_pctb"], pctb, "%s: fin_bollinger %%b vs numpy" % name, dimensionless=True)
    agree(d["bb_width"], width, "%s: fin_bollinger width vs numpy" % name)
    zscore_prank(d, x, name)


def zscore_prank(d, x, name):
    agree(d["z252"], zscore_ref(x, 252), "%s: fin_zscore over ROWS 251 PRECEDING vs numpy" % name, dimensionless=True)
    agree(d["z_all"], zscore_ref(x, None), "%s: fin_zscore from the first row vs numpy" % name, dimensionless=True)
    agree(d["pr252"], prank_ref(x, 252), "%s: fin_percent_rank over ROWS 251 PRECEDING vs pandas" % name, dimensionless=True)
    agree(d["pr_all"], prank_ref(x, None), "%s: fin_percent_rank from the first row vs pandas" % name, dimensionless=True)


if REAL:
    for _ in range(EXPECTED - T[0]):
        skip("real data", REAL)
else:
    db = os.path.join(TMP, "real.db")
    for sym, _ in SERIES:
        subprocess.run([os.path.join(ROOT, "sql", "load_csv.sh"), db, sym, os.path.join(DATA, sym + ".csv")],
                       check=True, capture_output=True)
    for sym, col in SERIES:
        real_checks(db, sym, col)
    # IJR's closes, with their 1,217 empty rows: NULLs in the frames.
    d = query(db, "IJR", "close")
    x = d["x"].to_numpy(dtype=float)
    agree(d["z252"], zscore_ref(x, 252), "IJR close (NULL rows): fin_zscore over ROWS 251 PRECEDING vs numpy",
          dimensionless=True)
    agree(d["pr252"], prank_ref(x, 252), "IJR close (NULL rows): fin_percent_rank over ROWS 251 PRECEDING vs pandas",
          dimensionless=True)

shutil.rmtree(TMP, ignore_errors=True)
if T[0] != EXPECTED:
    ok(False, "ran %d checks, expected %d" % (T[0], EXPECTED))
print("1..%d" % T[0])
sys.exit(1 if FAILED[0] else 0)

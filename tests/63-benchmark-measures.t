#!/usr/bin/python3
"""The benchmark measures (benchmark_measures.c).

Part 1, hand-worked. Pairs (ret, benchmark_ret), one with a NULL skipped:
  (0.03, 0.01) (-0.01, -0.02) (0.02, 0.02) (NULL, 0.5) (-0.03, -0.01) (0.01, 0)
  active a = ret - benchmark_ret: 0.02, 0.01, 0, -0.02, 0.01; mean 0.004,
    squared deviations 2.56e-4 + 3.6e-5 + 1.6e-5 + 5.76e-4 + 3.6e-5 = 9.2e-4,
    sample sd sqrt(2.3e-4) = 0.0151658: tracking error at 1 a year, and
    information ratio 0.004 / 0.0151658 = 0.263752.
  beta: mean ret 0.004, mean benchmark 0; cov sum 0.0012, var sum 0.001: 1.2.
  risk_free 2.01% a year at 2 periods a year is rf = sqrt(1.0201) - 1 = 1% a
    period: alpha (0.004 - 0.01 - 1.2 (0 - 0.01)) * 2 = 0.012; arithmetic
    Treynor (0.004 - 0.01) * 2 / 1.2 = -0.01; compound alpha at rf 0 and 2 a
    year: 1.004^2 - 1 = 0.008016.
  at 5 periods a year over the 5 pairs G(x) = prod(1 + x) - 1:
    G(ret) = 1.03 * 0.99 * 1.02 * 0.97 * 1.01 - 1 = 0.0189800918,
    G(benchmark) = 1.01 * 0.98 * 1.02 * 0.99 - 1 = -0.00049996;
    geometric Treynor 0.0189800918 / 1.2 = 0.015817; geometric alpha
    0.0189800918 + 1.2 * 0.00049996 = 0.019580; geometric information ratio
    (0.0189800918 + 0.00049996) / (0.0151658 * sqrt(5)) = 0.574435.
  up side (benchmark > 0): (0.03, 0.01), (0.02, 0.02); 0 is on neither side.
    arithmetic capture 0.025 / 0.015 = 1.666667; cumulative
    (1.03 * 1.02 - 1) / (1.01 * 1.02 - 1) = 0.0506 / 0.0302 = 1.675497, the
    geometric one at 2 a year (exponent 2 / 2 = 1); at 1 a year
    (sqrt(1.0506) - 1) / (sqrt(1.0302) - 1) = 1.667222; up beta
    (0.02 - 0.03) / (0.02 - 0.01) = -1.
  down side: (-0.01, -0.02), (-0.03, -0.01): arithmetic capture
    -0.02 / -0.015 = 1.333333; cumulative (0.99 * 0.97 - 1) / (0.98 * 0.99 - 1)
    = -0.0397 / -0.0298 = 1.332215; down beta -0.02 / 0.01 = -2.
  A return of -1 makes a product 0 (G = -1); one of -2 makes it negative:
    no annualised root (NULL), but a cumulative growth: (-1 * 1.02 - 1) /
    0.0302 = -66.887417.

Part 2: numpy/pandas on the real adjusted closes, RUT against GSPC and IJR
against SPY, returns on their common dates (an inner join, then
pct_change), whole series and sliding frames of 21, 63 and 252 rows; each
frame's reference computed afresh from its own rows by the anchors'
definitions (PerformanceAnalytics, empyrical, quantstats), to 1e-12 relative
to the size of the terms (see agree). Skips with the reason when pandas or
the data is missing.
"""
import io, os, subprocess, sys, tempfile, warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import realdata

from realdata import T, ok


def run(sql, db=":memory:"):
    p = subprocess.run(realdata.SQLITE3 + ["-batch", "-bail", db], input=".load %s\n%s\n" % (realdata.LIB, sql),
                       capture_output=True, text=True)
    return p.returncode, p.stdout.strip(), p.stderr.strip()


SETUP = """CREATE TABLE xy(t INTEGER, r REAL, b REAL);
INSERT INTO xy VALUES (1, 0.03, 0.01), (2, -0.01, -0.02), (3, 0.02, 0.02), (4, NULL, 0.5),
                      (5, -0.03, -0.01), (6, 0.01, 0);
"""


def check(name, sql, want):
    rc, out, err = run(SETUP + sql)
    ok(rc == 0 and not err and out == want, name, "query: " + sql, "got: " + out, "want: " + want, "stderr: " + err)


def check_error(name, sql, want):
    rc, out, err = run(SETUP + sql)
    ok(rc != 0 and want in err, name, "query: " + sql, "want an error containing: " + want, "stderr: " + err)


# ------------------------------------------------------------ part 1: by hand
check("fin_tracking_error: sample sd of ret - benchmark_ret, times sqrt(periods a year); NULL pair skipped",
      "SELECT round(fin_tracking_error(r, b, 1), 6), round(fin_tracking_error(r, b), 6) FROM xy;",
      "0.015166|0.240749")
check("fin_information_ratio: mean active over its sd; 'geometric': annualised growth apart over the tracking error",
      "SELECT round(fin_information_ratio(r, b, 1), 6), round(fin_information_ratio(r, b, 5, 'geometric'), 6) FROM xy;",
      "0.263752|0.574435")
check("fin_alpha: Jensen's alpha with risk_free compounded to the period, arithmetic and compound",
      "SELECT round(fin_alpha(r, b, 0.0201, 2), 12), round(fin_alpha(r, b, 0, 2, 'compound'), 12),"
      " round(fin_alpha(r, b), 12) FROM xy;",
      "0.012|0.008016|1.008")
check("fin_alpha 'geometric' and fin_treynor (geometric by default) on annualised growth",
      "SELECT round(fin_alpha(r, b, 0, 5, 'geometric'), 6), round(fin_treynor(r, b, 0, 5), 6),"
      " round(fin_treynor(r, b, 0.0201, 2, 'arithmetic'), 12) FROM xy;",
      "0.01958|0.015817|-0.01")
check("fin_up_capture: geometric, cumulative, arithmetic; 0 is not an up move",
      "SELECT round(fin_up_capture(r, b, 2), 6), round(fin_up_capture(r, b, 1), 6),"
      " round(fin_up_capture(r, b, 252, 'cumulative'), 6), round(fin_up_capture(r, b, 252, 'arithmetic'), 6) FROM xy;",
      "1.675497|1.667222|1.675497|1.666667")
check("fin_down_capture: on benchmark_ret < 0",
      "SELECT round(fin_down_capture(r, b, 2), 6), round(fin_down_capture(r, b, 2, 'Cumulative'),"
      " 6), round(fin_down_capture(r, b, 1, 'ARITHMETIC'), 6) FROM xy;",
      "1.332215|1.332215|1.333333")
check("fin_up_beta and fin_down_beta: beta of each side's pairs; fin_beta of all is 1.2",
      "SELECT round(fin_up_beta(r, b), 12), round(fin_down_beta(r, b), 12), round(fin_beta(r, b), 12) FROM xy;",
      "-1.0|-2.0|1.2")
check("a return of -1 makes G -1; one of -2 a negative product: no annualised root, a cumulative growth",
      "SELECT round(fin_up_capture(r, b, 2), 6), round(fin_up_capture(r, b, 2, 'cumulative'), 6) FROM"
      " (SELECT -1 AS r, 0.01 AS b UNION ALL SELECT 0.02, 0.02);"
      "SELECT quote(fin_up_capture(r, b, 2)), round(fin_up_capture(r, b, 2, 'cumulative'), 6) FROM"
      " (SELECT -2 AS r, 0.01 AS b UNION ALL SELECT 0.02, 0.02);",
      "-33.112583|-33.112583\nNULL|-66.887417")
check("the factors' signs are counted in a sliding frame: defined again once the -2 has left",
      "SELECT t, quote(round(fin_up_capture(r, b, 2) OVER w, 6)), quote(round(fin_treynor(r, b, 0, 2) OVER w, 6))"
      " FROM (SELECT 1 AS t, -2 AS r, 0.01 AS b UNION ALL SELECT 2, 0.02, 0.02 UNION ALL SELECT 3, 0.01, 0.03"
      " UNION ALL SELECT 4, 0.03, 0.01) WINDOW w AS (ORDER BY t ROWS 1 PRECEDING);",
      "1|NULL|NULL\n2|NULL|NULL\n3|0.596838|-0.0302\n4|1.0|-0.0403")
check("undefined is NULL: one pair, no up move, a flat benchmark (beta), a zero tracking error, no rows",
      "SELECT quote(fin_tracking_error(r, b)), quote(fin_information_ratio(r, b)), quote(fin_alpha(r, b)),"
      " quote(fin_up_beta(r, b)) FROM xy WHERE t = 1;"
      "SELECT quote(fin_up_capture(r, b)), quote(fin_up_beta(r, b)), round(fin_down_capture(r, b, 1, 'arithmetic'), 6)"
      " FROM xy WHERE b < 0;"
      "SELECT quote(fin_treynor(r, b)), quote(fin_alpha(r, b)), quote(fin_up_beta(r, b)) FROM"
      " (SELECT 0.01 AS r, 0.01 AS b UNION ALL SELECT 0.02, 0.01);"
      "SELECT quote(fin_information_ratio(r, r)), fin_tracking_error(r, r) FROM xy;"
      "SELECT quote(fin_tracking_error(r, b)), quote(fin_up_capture(r, b)), quote(fin_down_beta(r, b)) FROM xy WHERE 0;",
      "NULL|NULL|NULL|NULL\nNULL|NULL|1.333333\nNULL|NULL|NULL\nNULL|0.0\nNULL|NULL|NULL")
check("a sliding frame of 3 rows (one NULL) is the aggregate of its pairs; up/down keep their side's pairs",
      "SELECT t, quote(round(fin_tracking_error(r, b, 1) OVER w, 6)), quote(round(fin_up_capture(r, b, 1, 'arithmetic')"
      " OVER w, 6)), quote(round(fin_down_capture(r, b, 1, 'arithmetic') OVER w, 6)) FROM xy"
      " WINDOW w AS (ORDER BY t ROWS 2 PRECEDING);"
      "SELECT round(fin_tracking_error(r, b, 1), 6) FROM xy WHERE t IN (3, 5);",
      "1|NULL|3.0|NULL\n2|0.007071|3.0|0.5\n3|0.01|1.666667|0.5\n4|0.007071|1.0|0.5\n5|0.014142|1.0|3.0\n"
      "6|0.021213|NULL|3.0\n0.014142")
check("frames that end before the row, and PARTITION BY: one answer per key",
      "SELECT t, quote(round(fin_alpha(r, b, 0, 1) OVER (ORDER BY t ROWS BETWEEN 3 PRECEDING AND 1 PRECEDING), 6))"
      " FROM xy;"
      "SELECT k, round(fin_information_ratio(r, b, 1), 6) FROM (SELECT 'a' AS k, r, b FROM xy UNION ALL"
      " SELECT 'b', r * 2, b * 2 FROM xy) GROUP BY k;",
      "1|NULL\n2|NULL\n3|0.016667\n4|0.010385\n5|0.005\n6|-0.013333\na|0.263752\nb|0.263752")
check("every function under a sliding frame equals its plain aggregate on the frame's rows",
      "SELECT count(*) FROM (SELECT t, fin_information_ratio(r, b, 3, 'geometric') OVER w AS a,"
      " fin_alpha(r, b, 0.05, 12, 'compound') OVER w AS c, fin_down_capture(r, b, 12) OVER w AS d"
      " FROM xy WINDOW w AS (ORDER BY t ROWS 3 PRECEDING)) s WHERE t = 6 AND"
      " abs(a - (SELECT fin_information_ratio(r, b, 3, 'geometric') FROM xy WHERE t >= 3)) < 1e-15 AND"
      " abs(c - (SELECT fin_alpha(r, b, 0.05, 12, 'compound') FROM xy WHERE t >= 3)) < 1e-15 AND"
      " d IS (SELECT fin_down_capture(r, b, 12) FROM xy WHERE t >= 3);",
      "1")
check("a plain aggregate of 100,000 pairs (the six rows 20,000 times) keeps summaries, not rows, past 65,536:"
      " beta, alpha, captures and side betas as before; sd sqrt(20,000 * 9.2e-4 / 99,999)",
      "WITH RECURSIVE i(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM i WHERE n < 19999)"
      " SELECT round(fin_beta(r, b), 12), round(fin_alpha(r, b, 0, 1), 12), round(fin_up_capture(r, b, 2), 6),"
      " round(fin_down_beta(r, b), 12), round(fin_up_beta(r, b), 12), round(fin_tracking_error(r, b, 1), 8),"
      " round(fin_information_ratio(r, b, 1), 6), round(fin_down_capture(r, b, 2), 6) FROM i, xy;",
      "1.2|0.004|1.675497|-2.0|-1.0|0.01356473|0.294882|1.332215")
check_error("a frame that slides after holding more than 65,536 rows before its first result is an error",
      "WITH RECURSIVE i(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM i WHERE n < 69999) SELECT count(*) FROM"
      " (SELECT fin_up_beta(n, n) OVER (ORDER BY n ROWS BETWEEN CURRENT ROW AND 70000 FOLLOWING) FROM i);",
      "fin_up_beta(): this window frame held more than 65536 rows before its first result and then slid")
check("every function and form works inside a view under trusted_schema=OFF (pure: deterministic, innocuous)",
      "PRAGMA trusted_schema=OFF;"
      "CREATE VIEW v AS SELECT fin_tracking_error(r, b) a, fin_tracking_error(r, b, 12) a2,"
      " fin_information_ratio(r, b) c, fin_information_ratio(r, b, 12) c2, fin_information_ratio(r, b, 12, 'geometric') c3,"
      " fin_treynor(r, b) d, fin_treynor(r, b, 0.01) d2, fin_treynor(r, b, 0.01, 12) d3, fin_treynor(r, b, 0, 12, 'arithmetic') d4,"
      " fin_alpha(r, b) e, fin_alpha(r, b, 0.01) e2, fin_alpha(r, b, 0.01, 12) e3, fin_alpha(r, b, 0, 12, 'compound') e4,"
      " fin_up_capture(r, b) f, fin_up_capture(r, b, 12) f2, fin_up_capture(r, b, 12, 'arithmetic') f3,"
      " fin_down_capture(r, b) g, fin_down_capture(r, b, 12) g2, fin_down_capture(r, b, 12, 'cumulative') g3,"
      " fin_up_beta(r, b) h, fin_down_beta(r, b) i FROM xy;"
      "CREATE VIEW w AS SELECT t, fin_alpha(r, b) OVER (ORDER BY t ROWS 2 PRECEDING) x FROM xy;"
      "SELECT count(*) FROM v WHERE a > 0 AND d IS NOT NULL AND round(h, 9) = -1; SELECT count(x) FROM w;"
      "SELECT count(DISTINCT name), count(*), sum((flags & 0x800) != 0), sum((flags & 0x200000) != 0) FROM pragma_function_list"
      " WHERE name IN ('fin_tracking_error', 'fin_information_ratio', 'fin_treynor', 'fin_alpha', 'fin_up_capture',"
      " 'fin_down_capture', 'fin_up_beta', 'fin_down_beta');",
      "1\n5\n8|21|21|21")
check_error("a text return", "SELECT fin_tracking_error(r, '0.01') FROM xy;",
            "fin_tracking_error(): benchmark_ret must be a number, got text '0.01'")
check_error("a blob", "SELECT fin_alpha(x'00', b) FROM xy;", "fin_alpha(): ret must be a number, got a blob")
check_error("Inf", "SELECT fin_up_beta(1e999, 0.1);", "fin_up_beta(): ret must be finite, got Inf")
check_error("ret - benchmark_ret overflows", "SELECT fin_information_ratio(1.5e308, -1.5e308);",
            "fin_information_ratio(): ret - benchmark_ret must be finite, got 1.5e+308 - -1.5e+308")
check_error("periods_per_year must be > 0", "SELECT fin_tracking_error(r, b, 0) FROM xy;",
            "fin_tracking_error(): periods_per_year must be a number > 0, got 0")
check_error("risk_free must be > -1", "SELECT fin_treynor(r, b, -1) FROM xy;",
            "fin_treynor(): risk_free must be a number > -1, got -1")
check_error("risk_free NULL", "SELECT fin_alpha(r, b, NULL) FROM xy;",
            "fin_alpha(): risk_free must be a number > -1, got NULL")
check_error("an unknown method", "SELECT fin_alpha(r, b, 0, 252, 'log') FROM xy;",
            "fin_alpha(): method must be 'arithmetic', 'geometric' or 'compound', got text 'log'")
check_error("capture's methods", "SELECT fin_down_capture(r, b, 252, NULL) FROM xy;",
            "fin_down_capture(): method must be 'geometric', 'cumulative' or 'arithmetic', got NULL")
check_error("the method is constant", "SELECT fin_information_ratio(r, b, 252, CASE WHEN t < 3 THEN 'arithmetic' ELSE"
            " 'geometric' END) FROM xy;",
            "fin_information_ratio(): method must be the same for every row, got 'geometric' after 'arithmetic'")
check_error("periods_per_year is constant, NULL rows included", "SELECT fin_treynor(r, b, 0, t) FROM xy;",
            "fin_treynor(): periods_per_year must be the same for every row, got 2 after 1")

# ------------------------------------------------------- part 2: real data
PAIRS = [("RUT", "GSPC"), ("IJR", "SPY")]
SYMS = sorted({s for p in PAIRS for s in p})
FRAMES = [21, 63, 252]
TOL = 1e-12
skip = realdata.missing(SYMS)
if skip:
    ok(True, "real data # SKIP " + skip)
    print("1..%d" % T[0])
    sys.exit(0)
import numpy as np
import pandas as pd
from numpy.lib.stride_tricks import sliding_window_view as windows

sql = realdata.setup(SYMS)
warnings.simplefilter("ignore")  # NaN means and fractional powers of negatives: undefined, as NULL is
np.seterr(all="ignore")
RF, PPY = 0.03, 252
RFP = (1 + RF) ** (1 / PPY) - 1  # the period's risk-free return, as fin_sharpe compounds it


def agree(have, want, name, scale=None):
    """have, want: arrays; NaN must meet NaN (NULL: undefined); scale: the
    size of the terms the answer is made of (default: the answer itself)."""
    have = np.asarray(have, dtype=float)
    want = np.asarray(want, dtype=float)
    if have.shape != want.shape:
        ok(False, "%s: %d values, want %d" % (name, have.size, want.size))
        return
    nan_ok = np.array_equal(np.isnan(have), np.isnan(want))
    m = ~np.isnan(want) & ~np.isnan(have)
    sc = np.abs(want[m]) if scale is None else np.broadcast_to(np.abs(scale), want.shape)[m]
    err = np.abs(have[m] - want[m]) / np.maximum(sc, 1e-300)
    worst = err.max() if err.size else 0.0
    diag = []
    if not nan_ok:
        bad = np.nonzero(np.isnan(have) != np.isnan(want))[0]
        diag.append("NULL differs at %s: have %s want %s" % (bad[:5], have[bad[:5]], want[bad[:5]]))
    if worst > TOL:
        i = np.argmax(err)
        diag.append("worst at %d: have %r want %r" % (i, have[m][i], want[m][i]))
    ok(nan_ok and worst <= TOL and m.sum() > 0, "%s: %d values, worst relative error %.1e" % (name, m.sum(), worst),
       *diag)


# ---- the references, on 2-D arrays (one frame a row), written from the
# anchors' definitions; mask: the frame's pairs that count (a side)
def masked(x, mask):
    return np.where(mask, x, np.nan)


def mean(x, mask):
    return np.nanmean(masked(x, mask), axis=1)


def sd(x, mask):
    return np.nanstd(masked(x, mask), axis=1, ddof=1)


def beta(r, b, mask):
    rr, bb = masked(r, mask), masked(b, mask)
    rd, bd = rr - np.nanmean(rr, axis=1, keepdims=True), bb - np.nanmean(bb, axis=1, keepdims=True)
    n = mask.sum(axis=1)
    cov, var = np.nansum(rd * bd, axis=1), np.nansum(bd * bd, axis=1)
    return np.where((n >= 2) & (var > 0), cov / np.where(var > 0, var, 1), np.nan)


def growth(x, mask):
    """prod(1 + x) over the counted pairs, and their number."""
    return np.where(mask, 1 + x, 1.0).prod(axis=1), mask.sum(axis=1)


def G(x, mask):
    """Annualised compound growth, PerformanceAnalytics' Return.annualized and
    empyrical's annual_return: prod(1 + x)^(252 / n) - 1."""
    p, n = growth(x, mask)
    return np.where(n > 0, p ** (PPY / np.maximum(n, 1)) - 1, np.nan)


def cumulative(x, mask):
    """PerformanceAnalytics' Return.cumulative: prod(1 + x) - 1."""
    p, n = growth(x, mask)
    return np.where(n > 0, p - 1, np.nan)


def nz(x):
    return np.where(x != 0, x, np.nan)


def measures(r, b):
    """Every measure over frames r, b (2-D): {column: (value, scale)}."""
    allp = np.ones_like(r, dtype=bool)
    up, down = b > 0, b < 0
    a = r - b
    te = sd(a, allp) * np.sqrt(PPY)
    bt = beta(r, b, allp)
    t1, t2 = mean(r, allp) - RFP, bt * (mean(b, allp) - RFP)
    alpha_p = t1 - t2
    gr, gb = G(r, allp), G(b, allp)
    grf = G(r - RFP, allp)
    absr = mean(np.abs(r), allp)
    out = {
        # PerformanceAnalytics' TrackingError: sd(Ra - Rb) * sqrt(scale)
        "te": (te, None),
        # quantstats' information_ratio and empyrical's excess_sharpe,
        # mean(active) / sd(active), annualised by sqrt(252) as fin_sharpe is
        "ir": (mean(a, allp) / nz(te) * PPY, mean(np.abs(a), allp) / te * PPY),
        # PerformanceAnalytics' InformationRatio: ActivePremium / TrackingError
        "ir_g": ((gr - gb) / nz(te), (np.abs(gr) + np.abs(gb) + (1 + np.abs(gr) + np.abs(gb)) * PPY * absr) / te),
        # PerformanceAnalytics' TreynorRatio: Return.annualized(Ra - Rf) / beta
        "tr": (grf / nz(bt), (np.abs(grf) + (1 + np.abs(grf)) * PPY * absr) / np.abs(bt)),
        "tr_a": ((mean(r, allp) - RFP) * PPY / nz(bt), (absr + RFP) * PPY / np.abs(bt)),
        # Jensen's alpha: quantstats' greeks (arithmetic), empyrical's alpha
        # (compound), PerformanceAnalytics' CAPM.jensenAlpha (geometric)
        "al": (alpha_p * PPY, (absr + np.abs(t2) + RFP) * PPY),
        "al_c": ((1 + alpha_p) ** PPY - 1, (absr + np.abs(t2) + RFP) * PPY * (1 + np.abs((1 + alpha_p) ** PPY))),
        "al_g": (gr - RF - bt * (gb - RF), (1 + np.abs(gr)) * PPY * absr + np.abs(bt) * (1 + np.abs(gb)) * PPY
                 * mean(np.abs(b), allp) + RF * (1 + np.abs(bt))),
        "ub": (beta(r, b, up), None),
        "db": (beta(r, b, down), None),
    }
    for side, mask in (("u", up), ("d", down)):
        gs_r, gs_b = G(r, mask), G(b, mask)
        cs_r, cs_b = cumulative(r, mask), cumulative(b, mask)
        n = np.maximum(mask.sum(axis=1), 1)
        absl = mean(np.abs(np.log1p(r)), mask)
        # empyrical's up_capture / down_capture: annual_return over the side
        out[side + "c"] = (gs_r / nz(gs_b), (np.abs(gs_r) + (1 + np.abs(gs_r)) * PPY * absl) / np.abs(gs_b))
        # PerformanceAnalytics' UpDownRatios, Capture, geometric = TRUE and FALSE
        out[side + "c_c"] = (cs_r / nz(cs_b), (np.abs(cs_r) + (1 + np.abs(cs_r)) * n * absl) / np.abs(cs_b))
        out[side + "c_a"] = (mean(r, mask) / nz(mean(b, mask)), mean(np.abs(r), mask) / np.abs(mean(b, mask)))
    return out


COLS = [("te", "fin_tracking_error(r, b)"), ("ir", "fin_information_ratio(r, b)"),
        ("ir_g", "fin_information_ratio(r, b, 252, 'geometric')"), ("tr", "fin_treynor(r, b, 0.03)"),
        ("tr_a", "fin_treynor(r, b, 0.03, 252, 'arithmetic')"), ("al", "fin_alpha(r, b, 0.03)"),
        ("al_c", "fin_alpha(r, b, 0.03, 252, 'compound')"), ("al_g", "fin_alpha(r, b, 0.03, 252, 'geometric')"),
        ("uc", "fin_up_capture(r, b)"), ("uc_c", "fin_up_capture(r, b, 252, 'cumulative')"),
        ("uc_a", "fin_up_capture(r, b, 252, 'arithmetic')"), ("dc", "fin_down_capture(r, b)"),
        ("dc_c", "fin_down_capture(r, b, 252, 'cumulative')"), ("dc_a", "fin_down_capture(r, b, 252, 'arithmetic')"),
        ("ub", "fin_up_beta(r, b)"), ("db", "fin_down_beta(r, b)")]


def F(expr):  # every digit of a double, NULL kept
    return "iif((%s) IS NULL, NULL, printf('%%.17g', %s))" % (expr, expr)


px = {s: sql("SELECT date, adj_close FROM adj_closes WHERE symbol = '%s' AND adj_close IS NOT NULL ORDER BY date;"
             % s).set_index("date")["adj_close"] for s in SYMS}
for v, bm in PAIRS:
    # the pairs in plain SQL: the two series joined on date, each one's return from its previous common date
    sql("CREATE VIEW pairs_%s AS SELECT date, v / lag(v) OVER (ORDER BY date) - 1 AS r, w / lag(w) OVER (ORDER BY date) - 1"
        " AS b FROM (SELECT a.date, a.adj_close AS v, c.adj_close AS w FROM prices a JOIN prices c ON c.symbol = '%s'"
        " AND c.date = a.date WHERE a.symbol = '%s' AND a.adj_close IS NOT NULL AND c.adj_close IS NOT NULL);"
        "SELECT count(*) AS n FROM pairs_%s;" % (v, bm, v, v))
    j = pd.concat([px[v].rename("v"), px[bm].rename("w")], axis=1, join="inner").sort_index()
    r, b = j.v.pct_change().to_numpy()[1:], j.w.pct_change().to_numpy()[1:]
    name = "%s on %s" % (v, bm)

    g = sql("SELECT %s FROM pairs_%s;" % (", ".join("%s AS %s" % (F(e), c) for c, e in COLS), v))
    g = g.apply(pd.to_numeric, errors="coerce").iloc[0]
    ref = measures(r[None, :], b[None, :])
    for c, e in COLS:
        agree([g[c]], ref[c][0], "%s, %d pairs, whole series: %s" % (name, len(r), e),
              None if ref[c][1] is None else ref[c][1])

    for N in FRAMES:
        g = sql("SELECT %s FROM pairs_%s WINDOW w AS (ORDER BY date ROWS %d PRECEDING);"
                % (", ".join("%s AS %s" % (F(e + " OVER w"), c) for c, e in COLS), v, N - 1))
        g = g.apply(pd.to_numeric, errors="coerce")
        # row i (from 1) holds pairs max(0, i - N)..i - 1: fewer than N at the start
        vals = {c: np.full(len(r) + 1, np.nan) for c, _ in COLS}
        scales = {c: np.full(len(r) + 1, np.nan) for c, _ in COLS}
        for i in range(1, min(N, len(r) + 1)):
            m = measures(r[None, :i], b[None, :i])
            for c, _ in COLS:
                vals[c][i] = m[c][0][0]
                scales[c][i] = m[c][0][0] if m[c][1] is None else m[c][1][0]
        m = measures(windows(r, N), windows(b, N))
        for c, _ in COLS:
            vals[c][N:] = m[c][0]
            scales[c][N:] = m[c][0] if m[c][1] is None else m[c][1]
        for c, e in COLS:
            agree(g[c], vals[c], "%s, frames of %d rows: %s" % (name, N, e), scales[c])

print("1..%d" % T[0])

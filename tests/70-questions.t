#!/bin/sh
# Every query of the question library (sql/q*.sql) on the real closes in
# $FIN_DATA_DIR, checked against what public commentary quoted and against
# plain-SQL computations with built-in window functions.
. "$(dirname "$0")/lib.sh"
[ -r "$FIN_DATA_DIR/RUT.csv" ] && [ -r "$FIN_DATA_DIR/GSPC.csv" ] || skip_all "no real data in FIN_DATA_DIR=$FIN_DATA_DIR"
DB="$T_TMP/q.db"
OTHERS=""
for s in RUT GSPC NDX IWM SPY IJR; do
  [ -r "$FIN_DATA_DIR/$s.csv" ] || continue
  "$ROOT/sql/load_csv.sh" "$DB" "$s" "$FIN_DATA_DIR/$s.csv" >/dev/null || { echo "Bail out! cannot load $s"; exit 1; }
  case $s in RUT|GSPC) ;; *) OTHERS="$OTHERS $s" ;; esac
done
n_others=$(echo $OTHERS | wc -w)
plan $((31 + 3 * n_others))

# ask FILE SYMBOL [.param lines...]: runs a library query, sets OUT/ERR/RC.
ask() {
  f=$1 s=$2
  shift 2
  SETUP=".param set @symbol \"'$s'\"
$(printf '%s\n' "$@")
.read $ROOT/sql/$f.sql"
  run_sql ""
}
# same QUERY-NAME EXPECTED: the last ask's output must equal EXPECTED.
same() {
  if [ "$RC" = 0 ] && [ -z "$ERR" ] && [ "$OUT" = "$2" ]; then tap_ok 0 "$1"; else
    tap_ok 1 "$1"; diag "got:" "$OUT" "expected:" "$2" "stderr: $ERR"; fi
}
# sql QUERY: plain SQL (no library query), output in $OUT.
sql() { SETUP="" run_sql "$1"; }

# The figures of the commentary, each asked as of its day and checked
# against plain SQL (window functions over prices, no fin_ table).
R5="SELECT date d, close / lag(close, 5) OVER (ORDER BY date) - 1 r FROM prices WHERE symbol = 'RUT'"
ask q01_biggest_gains RUT ".param set @as_of \"'2024-07-16'\""
got=$(echo "$OUT" | tail -1)
sql "SELECT round(100 * r, 2) || '|gains|' || (SELECT max(d) FROM ($R5) WHERE d < '2024-07-16' AND r > x.r) FROM ($R5) x WHERE d = '2024-07-16';"
RC=0 ERR="" OUT=$got same "q01 as of 2024-07-16: RUT rose $(echo "$OUT" | cut -d'|' -f1)% in five sessions, the biggest since $(echo "$OUT" | cut -d'|' -f3)" "2024-07-16|$OUT|13.25"
ask q01_biggest_gains RUT ".param set @as_of \"'2024-07-24'\""
got=$(echo "$OUT" | tail -1)
sql "SELECT round(100 * r, 2) || '|losses|' || (SELECT max(d) FROM ($R5) WHERE d < '2024-07-24' AND r < x.r) FROM ($R5) x WHERE d = '2024-07-24';"
RC=0 ERR="" OUT=$(echo "$got" | cut -d'|' -f1-4) same "q01 on a down day compares losses: the last larger 5-session loss" "2024-07-24|$OUT"
ask q01_biggest_gains RUT ".param set @as_of \"'2024-07-16'\""
RC=0 ERR="" OUT=$(echo "$OUT" | head -1) same "q01: the largest 5-session gain up to 2024-07-16 ended on 2008-11-28, from the close of 2008-11-20" "2008-11-28|22.79|2008-11-20"

ask q02_gain_runs RUT ".param set @as_of \"'2024-07-16'\""
same "q02 as of 2024-07-16: runs of five 1% gains: July 2024's, and only four before it" "1998-10-14|1998-10-20|5|1998-10-20|320.33|358.31|11.86
2000-01-13|2000-01-21|6|2000-01-20|490.04|533.94|8.96
2009-09-03|2009-09-10|5|2009-09-10|555.83|594.9|7.03
2020-04-22|2020-04-29|6|2020-04-28|1185.09|1360.76|14.82
2024-07-10|2024-07-16|5|2024-07-16|2029.47|2263.67|11.54"

# The sessions at which five 1% gains in a row were reached, in plain SQL.
EV="WITH g AS (SELECT date, close, close / lag(close) OVER (ORDER BY date) - 1 AS g FROM prices WHERE symbol = 'RUT'),
 h AS (SELECT date, g >= 0.01 AND lag(g, 1) OVER w >= 0.01 AND lag(g, 2) OVER w >= 0.01 AND lag(g, 3) OVER w >= 0.01
   AND lag(g, 4) OVER w >= 0.01 AND NOT coalesce(lag(g, 5) OVER w >= 0.01, 0) AS hit FROM g WINDOW w AS (ORDER BY date))
 SELECT date FROM h WHERE hit AND date < '2024-07-16'"
ask q05_runs_forward RUT ".param set @as_of \"'2024-07-16'\""
got=$OUT
sql "WITH f AS (SELECT date, close, lead(close, 21) OVER (ORDER BY date) m21 FROM prices WHERE symbol = 'RUT' AND date <= '2024-07-16'),
 m AS (SELECT e.date, (SELECT close FROM prices WHERE symbol = 'RUT' AND date >= date(e.date, '+1 month') ORDER BY date LIMIT 1)
   / (SELECT close FROM prices WHERE symbol = 'RUT' AND date = e.date) - 1 AS r FROM ($EV) e)
 SELECT count(*) || '|' || count(*) || '|' || round(100 * avg(m21 / close - 1), 2)
   || ' ' || (SELECT round(100 * avg(r), 2) FROM m)
   || ' ' || (SELECT round(100 * avg(m21 / close - 1), 2) FROM f WHERE m21 IS NOT NULL)
 FROM f WHERE date IN ($EV);"
want=$OUT
RC=0 ERR="" OUT="$(echo "$got" | grep '^21|' | cut -d'|' -f2-4) $(echo "$got" | grep '^1 month|' | cut -d'|' -f4) $(echo "$got" | grep '^21|' | cut -d'|' -f8)" \
  same "q05 as of 2024-07-16: four earlier runs; 21 sessions after, 1 calendar month after, and every session's 21 (plain SQL: $want)" "$want"
RC=0 ERR="" OUT=$(echo "$got" | grep '^1 month|' | cut -d'|' -f1-4) same "q05: after those, it averaged +5.9% over the following month" "1 month|4|4|5.93"
RC=0 ERR="" OUT=$(echo "$got" | cut -d'|' -f1 | tr '\n' ',') same "q05: sessions, then calendar horizons, shortest first" "5,21,63,126,252,1 week,1 month,3 months,6 months,1 year,"

for d in 2024-07-16 2024-07-17; do
  ask q03_below_peak RUT ".param set @as_of \"'$d'\""
  got=$OUT
  sql "SELECT (SELECT close FROM prices WHERE symbol = 'RUT' AND date = '$d') || '|' || max(close) || '|' || (SELECT date FROM prices WHERE symbol = 'RUT' AND date <= '$d' ORDER BY close DESC LIMIT 1)
        || '|' || round(100 * ((SELECT close FROM prices WHERE symbol = 'RUT' AND date = '$d') / max(close) - 1), 2) FROM prices WHERE symbol = 'RUT' AND date <= '$d';"
  RC=0 ERR="" OUT=$(echo "$got" | cut -d'|' -f2-5) same "q03 as of $d: RUT $(echo "$OUT" | cut -d'|' -f4 | tr -d -)% below its 2021 peak" "$OUT"
done

YTD() { # YTD SYMBOL DATE COLUMN: plain SQL year to date
  echo "round(100 * ((SELECT $3 FROM prices WHERE symbol = '$1' AND date <= '$2' AND $3 IS NOT NULL ORDER BY date DESC LIMIT 1)
    / (SELECT $3 FROM prices WHERE symbol = '$1' AND date < '${2%%-*}-01-01' AND $3 IS NOT NULL ORDER BY date DESC LIMIT 1) - 1), 2)"
}
ask q08_relative RUT ".param set @other \"'GSPC'\"" ".param set @as_of \"'2024-07-17'\""
got=$OUT
sql "SELECT $(YTD RUT 2024-07-17 close) || '|GSPC|' || $(YTD GSPC 2024-07-17 close);"
RC=0 ERR="" OUT=$(echo "$got" | cut -d'|' -f1-6) same "q08 as of 2024-07-17: RUT $(echo "$OUT" | cut -d'|' -f1)% year to date against $(echo "$OUT" | cut -d'|' -f3)% for the S&P 500" "2023-12-29|2024-07-17|RUT|$OUT"
ask q07_ytd GSPC ".param set @as_of \"'2024-07-17'\""
got=$(echo "$OUT" | head -1 | cut -d'|' -f3)
sql "SELECT $(YTD GSPC 2024-07-17 close);"
RC=0 ERR="" OUT=$got same "q07 as of 2024-07-17: the S&P 500 up $OUT% year to date" "$OUT"
ask q08_relative IJR ".param set @other \"'SPY'\"" ".param set @as_of \"'2024-10-16'\"" ".param set @basis total"
got=$OUT
sql "SELECT $(YTD IJR 2024-10-16 adj_close) || '|SPY|' || $(YTD SPY 2024-10-16 adj_close);"
RC=0 ERR="" OUT=$(echo "$got" | cut -d'|' -f1-6) same "q08 total return as of 2024-10-16: IJR $(echo "$OUT" | cut -d'|' -f1)% this year against $(echo "$OUT" | cut -d'|' -f3)% for SPY" "2023-12-29|2024-10-16|IJR|$OUT"
sql "SELECT $(YTD IJR 2024-10-16 adj_close) || ' ' || $(YTD IJR 2024-10-16 close);"
want=$OUT
ask q07_ytd IJR ".param set @as_of \"'2024-10-16'\"" ".param set @basis total"
got=$(echo "$OUT" | head -1 | cut -d'|' -f3)
ask q07_ytd IJR ".param set @as_of \"'2024-10-16'\""
RC=0 ERR="" OUT="$got $(echo "$OUT" | head -1 | cut -d'|' -f3)" same "q07 IJR on 2024-10-16: total return, then price return, year to date ($want)" "$want"

ask q04_record_after_drawdown RUT
got=$(echo "$OUT" | head -1 | cut -d'|' -f1-3,6)
sql "SELECT min(date) FROM prices WHERE symbol = 'RUT' AND date > '2021-11-08' AND close >= (SELECT close FROM prices WHERE symbol = 'RUT' AND date = '2021-11-08');"
first=$OUT
sql "SELECT (SELECT max(close) FROM prices WHERE symbol = 'RUT' AND date < '2022-01-01') || '|' || count(*) FROM prices WHERE symbol = 'RUT' AND date > '2021-11-08' AND date <= '$first';"
RC=0 ERR="" OUT=$got same "q04: the first record close since 2021 was on $first, ${OUT#*|} sessions after the peak" "$first|2021-11-08|$OUT"

ask q06_since_low RUT ".param set @year 2025" ".param set @since \"'2025-01-01'\""
same "q06: RUT is up 43.43% since its April 2025 low, 13.23% since the end of 2024" "low of 2025|2025-04-08|1760.71|2026-03-06|2525.3|43.43
close of 2024-12-31|2024-12-31|2230.16|2026-03-06|2525.3|13.23"

ask q07_ytd RUT
got=$OUT
sql "SELECT round(100 * ((SELECT close FROM prices WHERE symbol = 'RUT' ORDER BY date DESC LIMIT 1) / (SELECT close FROM prices WHERE symbol = 'RUT' AND date < '2026-01-01' ORDER BY date DESC LIMIT 1) - 1), 2);"
RC=0 ERR="" OUT=$(echo "$got" | head -1) same "q07: RUT year to date: $OUT%" "2026-03-06|2525.3|$OUT"
RC=0 ERR="" OUT=$(echo "$got" | sed -n '2p;/^2024|/p' ; echo "$got" | wc -l) same "q07: yearly returns, the first one marked partial; 2024 from the 2023 close" "1987|1987-09-10|1987-12-31|-28.73|partial: from the first close
2024|2023-12-29|2024-12-31|10.02|
41"

ask q08_relative RUT ".param set @other \"'GSPC'\"" ".param set @since \"'2025-01-01'\""
got=$OUT
sql "SELECT (SELECT round(100 * (a.close / b.close - 1), 2) FROM prices a, prices b WHERE a.symbol = 'RUT' AND a.date = '2026-02-27' AND b.symbol = 'RUT' AND b.date = '2024-12-31') || '|' ||
            (SELECT round(100 * (a.close / b.close - 1), 2) FROM prices a, prices b WHERE a.symbol = 'GSPC' AND a.date = '2026-02-27' AND b.symbol = 'GSPC' AND b.date = '2024-12-31');"
RC=0 ERR="" OUT=$got same "q08: RUT against the S&P 500 since 2025, over their common dates" "2024-12-31|2026-02-27|RUT|${OUT%|*}|GSPC|${OUT#*|}|1.08"
ask q08_relative RUT ".param set @other \"'GSPC'\""
same "q08: year to date by default" "2025-12-31|2026-02-27|RUT|6.06|GSPC|0.49|5.57"

ask q09_deepest_drawdowns RUT ".param set @top 3"
same "q09: RUT's deepest drawdowns since 1987, depth to two decimals, durations in sessions and days" "2007-07-13|855.77|2009-03-09|343.26|-59.89|416|605|2011-04-27|539|779|1384
2000-03-09|606.05|2002-10-09|327.04|-46.04|648|944|2004-04-05|374|544|1488
2018-08-31|1740.75|2020-03-18|991.16|-43.06|387|565|2020-11-13|168|240|805"
sql "SELECT (SELECT count(*) FROM prices WHERE symbol = 'GSPC' AND date > '1929-09-16' AND date <= '1932-06-01') || '|' ||
            (SELECT count(*) FROM prices WHERE symbol = 'GSPC' AND date > '1932-06-01' AND date <= '1954-09-22');"
rows=$OUT
ask q09_deepest_drawdowns GSPC ".param set @top 1"
same "q09: the S&P 500's deepest drawdown is 1929-1932's, recovered in 1954" "1929-09-16|31.86|1932-06-01|4.4|-86.19|${rows%|*}|989|1954-09-22|${rows#*|}|8148|9137"

# Small against large: the ratio, the yearly table, the rolling risk, each
# against plain SQL on the same common dates.
RATIO="WITH c AS (SELECT a.date d, a.adj_close / b.adj_close r FROM prices a JOIN prices b ON b.symbol = 'SPY' AND b.date = a.date
  WHERE a.symbol = 'IJR' AND a.date <= '2024-10-16' AND a.adj_close IS NOT NULL AND b.adj_close IS NOT NULL),
  n AS (SELECT * FROM c ORDER BY d DESC LIMIT 1)"
ask q10_relative_strength IJR ".param set @other \"'SPY'\"" ".param set @as_of \"'2024-10-16'\"" ".param set @basis total"
got=$OUT
sql "$RATIO SELECT n.d || '|IJR|SPY|' || (SELECT min(d) FROM c) || '|' || round(n.r / (SELECT r FROM c ORDER BY d LIMIT 1), 4) || '|' ||
     (SELECT max(d) FROM c WHERE d < n.d AND r < n.r) || '|' || (SELECT d FROM c ORDER BY r DESC, d DESC LIMIT 1) || '|' ||
     round(100 * (n.r / (SELECT max(r) FROM c) - 1), 2) || '|' || (SELECT count(*) FROM c WHERE d > (SELECT d FROM c ORDER BY r DESC, d DESC LIMIT 1)) FROM n;"
RC=0 ERR="" OUT=$got same "q10 total return as of 2024-10-16: IJR relative to SPY, lowest since $(echo "$OUT" | cut -d'|' -f6), $(echo "$OUT" | cut -d'|' -f8)% below the ratio's record" "$OUT"

YEAR_END="WITH y AS (SELECT max(date) d FROM prices WHERE symbol = 'RUT' AND date <= '2025-12-31' GROUP BY substr(date, 1, 4)),
  v AS (SELECT y.d, (SELECT close FROM prices WHERE symbol = 'RUT' AND date = y.d) a,
               (SELECT close FROM prices WHERE symbol = 'GSPC' AND date <= y.d ORDER BY date DESC LIMIT 1) b FROM y)"
ask q12_yearly_vs_benchmark RUT ".param set @other \"'GSPC'\"" ".param set @as_of \"'2025-12-31'\""
got=$(echo "$OUT" | tail -n +2)
sql "$YEAR_END SELECT substr(d, 1, 4) || '|' || lag(d) OVER w || '|' || d || '|' || round(100 * (a / lag(a) OVER w - 1), 2) || '|' ||
     round(100 * (b / lag(b) OVER w - 1), 2) || '|' || round(100 * ((a / lag(a) OVER w - 1) - (b / lag(b) OVER w - 1)), 2) || '|'
     FROM v WINDOW w AS (ORDER BY d) ORDER BY d LIMIT -1 OFFSET 1;"
RC=0 ERR="" OUT=$got same "q12: RUT minus GSPC every year 1988-2025 equals plain SQL on year-end closes ($(echo "$OUT" | grep -c '|-') years behind)" "$OUT"

ROLL="WITH c AS (SELECT a.date d, a.close x, b.close y FROM prices a JOIN prices b ON b.symbol = 'GSPC' AND b.date = a.date
  WHERE a.symbol = 'RUT' AND a.date <= '2024-12-31'),
  r AS (SELECT d, ln(x / lag(x) OVER w) lx, ln(y / lag(y) OVER w) ly, x / lag(x) OVER w - 1 sx, y / lag(y) OVER w - 1 sy
        FROM c WINDOW w AS (ORDER BY d) ORDER BY d DESC LIMIT 252),
  m AS (SELECT avg(lx) mlx, avg(ly) mly, avg(sx) msx, avg(sy) msy FROM r),
  s AS (SELECT sum((lx - mlx) * (lx - mlx)) vx, sum((ly - mly) * (ly - mly)) vy, sum((sx - msx) * (sy - msy)) cxy,
               sum((sy - msy) * (sy - msy)) syy, sum((sx - msx) * (sx - msx)) sxx FROM r, m)"
ask q11_rolling_risk RUT ".param set @other \"'GSPC'\"" ".param set @as_of \"'2024-12-31'\""
got=$(echo "$OUT" | tail -1)
sql "$ROLL SELECT '2024-12-31|' || round(100 * sqrt(vx / 251 * 252), 2) || '|' || round(100 * sqrt(vy / 251 * 252), 2) || '|' ||
     round(sqrt(vx / vy), 2) || '|' || round(cxy / syy, 2) || '|' || round(cxy / sqrt(sxx * syy), 2) FROM s;"
RC=0 ERR="" OUT=$got same "q11 as of 2024-12-31: RUT's one-year volatility $(echo "$OUT" | cut -d'|' -f2)% against $(echo "$OUT" | cut -d'|' -f3)%, beta $(echo "$OUT" | cut -d'|' -f5), as two-pass plain SQL" "$OUT"
ask q11_rolling_risk RUT ".param set @other \"'GSPC'\""
RC=0 ERR="" OUT=$(echo "$OUT" | cut -d'|' -f1 | tr '\n' ' ' | cut -c1-33) same "q11: one row per year end, from the first common year" "1987-12-31 1988-12-30 1989-12-29 "
ask q12_yearly_vs_benchmark RUT ".param set @other \"'GSPC'\""
RC=0 ERR="" OUT=$(echo "$OUT" | tail -1 | cut -d'|' -f1,5,7) same "q12: a year past the benchmark's last close says so" "2026||no close of the benchmark at one end"

# The other symbols: every query runs; answers agree with plain SQL.
for s in $OTHERS; do
  ask q03_below_peak "$s"
  got=$(echo "$OUT" | cut -d'|' -f3)
  sql "SELECT max(close) FROM prices WHERE symbol = '$s';"
  RC=0 ERR="" OUT=$got same "q03 $s: record close equals max(close) = $OUT" "$OUT"
  ask q07_ytd "$s"
  got=$(echo "$OUT" | tail -n +2 | grep -vc partial)
  sql "SELECT count(DISTINCT substr(date, 1, 4)) - 1 - (max(date) < substr(max(date), 1, 4) || '-12-31') FROM prices WHERE symbol = '$s' AND close IS NOT NULL;"
  RC=0 ERR="" OUT=$got same "q07 $s: one full year per calendar year after the first, less a last year not ended ($OUT)" "$OUT"
  fails=0
  for q in "$ROOT"/sql/q0*.sql; do
    ask "$(basename "$q" .sql)" "$s" ".param set @other \"'RUT'\""
    [ "$RC" = 0 ] && [ -z "$ERR" ] || { fails=$((fails + 1)); diag "$q: $ERR"; }
  done
  RC=0 ERR="" OUT=$fails same "every library query runs on $s" "0"
done
# No silent empty answers: a parameter that is missing, or that the shell's
# .param set turned into arithmetic, stops every library query with a
# message naming it and showing how to set it.
missing=0
for q in "$ROOT"/sql/q0*.sql; do
  SETUP=".read $q" run_sql ""
  case "$ERR" in *"parameter @symbol is not set: in the sqlite3 shell, .param set @symbol \"'RUT'\""*) [ "$RC" != 0 ] || missing=$((missing + 1)) ;;
    *) missing=$((missing + 1)); diag "$q without @symbol: exit $RC, $ERR" ;; esac
done
RC=0 ERR="" OUT=$missing same "every library query without @symbol stops with a message naming it" "0"
ask q01_biggest_gains RUT ".param set @as_of '2024-07-16'"
case "$ERR" in *"parameter @as_of must be a date written 'YYYY-MM-DD', got 2001: in the sqlite3 shell, .param set @as_of \"'2024-07-16'\""*) [ "$RC" != 0 ] && tap_ok 0 "q01: a date the shell turned into 2001 is an error, not an empty answer" ;;
  *) tap_ok 1 "q01: mangled date"; diag "exit $RC" "$ERR" "$OUT" ;; esac
ask q03_below_peak XYZ
case "$ERR" in *"parameter @symbol matches no rows, got text 'XYZ'"*) [ "$RC" != 0 ] && tap_ok 0 "q03: an unknown symbol is an error, not an empty answer" ;;
  *) tap_ok 1 "q03: unknown symbol"; diag "exit $RC" "$ERR" "$OUT" ;; esac
ask q07_ytd SPY ".param set @basis tr"
case "$ERR" in *"parameter @basis must be one of 'price|total', got text 'tr'"*) [ "$RC" != 0 ] && tap_ok 0 "q07: a basis other than price or total is an error" ;;
  *) tap_ok 1 "q07: bad basis"; diag "exit $RC" "$ERR" "$OUT" ;; esac
ask q02_gain_runs RUT ".param set @len 'five'"
case "$ERR" in *"parameter @len must be a whole number, got text 'five'"*) tap_ok 0 "q02: a length that is not a number is an error" ;;
  *) tap_ok 1 "q02: bad length"; diag "exit $RC" "$ERR" ;; esac
done_testing

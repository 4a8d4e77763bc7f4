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
plan $((17 + 3 * n_others))

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

ask q01_biggest_gains RUT ".param set @date \"'2024-07-16'\""
got=$(echo "$OUT" | tail -1)
sql "SELECT max(d) FROM (SELECT date d, close / lag(close, 5) OVER (ORDER BY date) - 1 r FROM prices WHERE symbol = 'RUT')
     WHERE d < '2024-07-16' AND r > (SELECT r FROM (SELECT date d, close / lag(close, 5) OVER (ORDER BY date) - 1 r FROM prices WHERE symbol = 'RUT') WHERE d = '2024-07-16');"
RC=0 ERR="" OUT=$got same "q01: RUT rose 11.54% in five sessions to 2024-07-16, the biggest since $OUT" "2024-07-16|11.54|$OUT|13.25"
ask q01_biggest_gains RUT
RC=0 ERR="" OUT=$(echo "$OUT" | head -1) same "q01: the largest 5-session gain ended on 2008-11-28" "2008-11-28|22.79"

ask q02_gain_runs RUT
same "q02: runs of five 1% gains: July 2024, and only four before it" "1998-10-14|1998-10-20|5|320.33|358.31|11.86
2000-01-13|2000-01-21|6|490.04|533.94|8.96
2009-09-03|2009-09-10|5|555.83|594.9|7.03
2020-04-22|2020-04-29|6|1185.09|1360.76|14.82
2024-07-10|2024-07-16|5|2029.47|2263.67|11.54"

ask q03_below_peak RUT
got=$OUT
sql "SELECT round(100 * ((SELECT close FROM prices WHERE symbol = 'RUT' ORDER BY date DESC LIMIT 1) / max(close) - 1), 2) FROM prices WHERE symbol = 'RUT';"
RC=0 ERR="" OUT=$got same "q03: RUT is $OUT% below its record close of 2026-01-22" "2026-03-06|2525.3|2718.77|2026-01-22|$OUT|30"

ask q04_record_after_drawdown RUT
RC=0 ERR="" OUT=$(echo "$OUT" | head -1) same "q04: the first record close since 2021 was on 2025-09-18" "2025-09-18|2021-11-08|2442.74|2023-10-27|-32.99|968|1410"

ask q05_runs_forward RUT
got=$OUT
sql "WITH r AS (SELECT date, close, lead(close, 21) OVER (ORDER BY date) m1, lead(close, 252) OVER (ORDER BY date) y1 FROM prices WHERE symbol = 'RUT')
     SELECT round(100 * avg(m1 / close - 1), 2), round(100 * avg(y1 / close - 1), 2) FROM r WHERE date IN ('1998-10-20', '2000-01-20', '2009-09-10', '2020-04-28', '2024-07-16');"
m1=${OUT%|*} y1=${OUT#*|}
RC=0 ERR="" OUT=$(echo "$got" | sed -n '2p;5p' | cut -d'|' -f1-4) same "q05: after the fifth gain of the five runs, +$m1% a month later, +$y1% a year later (plain SQL agrees)" "21|1 month|5|$m1
252|12 months|5|$y1"
RC=0 ERR="" OUT=$(echo "$got" | cut -d'|' -f1,3) same "q05: every horizon, 1 week to 12 months, has all five runs" "5|5
21|5
63|5
126|5
252|5"

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

# The other symbols: every query runs; answers agree with plain SQL.
for s in $OTHERS; do
  ask q03_below_peak "$s"
  got=$(echo "$OUT" | cut -d'|' -f3)
  sql "SELECT max(close) FROM prices WHERE symbol = '$s';"
  RC=0 ERR="" OUT=$got same "q03 $s: record close equals max(close) = $OUT" "$OUT"
  ask q07_ytd "$s"
  got=$(echo "$OUT" | tail -n +2 | grep -vc partial)
  sql "SELECT count(DISTINCT substr(date, 1, 4)) - 1 FROM prices WHERE symbol = '$s' AND close IS NOT NULL;"
  RC=0 ERR="" OUT=$got same "q07 $s: one full year per calendar year after the first ($OUT)" "$OUT"
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
ask q01_biggest_gains RUT ".param set @date '2024-07-16'"
case "$ERR" in *"parameter @date must be a date written 'YYYY-MM-DD', got 2001: in the sqlite3 shell, .param set @date \"'2024-07-16'\""*) [ "$RC" != 0 ] && tap_ok 0 "q01: a date the shell turned into 2001 is an error, not an empty answer" ;;
  *) tap_ok 1 "q01: mangled date"; diag "exit $RC" "$ERR" "$OUT" ;; esac
ask q02_gain_runs RUT ".param set @len 'five'"
case "$ERR" in *"parameter @len must be a whole number, got text 'five'"*) tap_ok 0 "q02: a length that is not a number is an error" ;;
  *) tap_ok 1 "q02: bad length"; diag "exit $RC" "$ERR" ;; esac
done_testing

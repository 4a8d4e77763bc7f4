#!/bin/sh
# The ready queries this family added or fixed, on the real closes in
# $FIN_DATA_DIR, each against plain SQL (built-in window functions and
# aggregates over prices, no fin_ table): q01's distinct moves, the one
# @since rule of q06 and q08, q11's 252 returns, and q13 (market phases),
# q14 (the factsheet), q15 (record closes per year).
. "$(dirname "$0")/lib.sh"
for s in RUT GSPC IJR SPY; do [ -r "$FIN_DATA_DIR/$s.csv" ] || skip_all "no real data in FIN_DATA_DIR=$FIN_DATA_DIR"; done
DB="$T_TMP/q.db"
load_real "$DB" RUT GSPC IJR SPY
plan 20

# ask FILE SYMBOL [.param lines...]: runs a library query, sets OUT/ERR/RC.
ask() {
  f=$1 s=$2
  shift 2
  SETUP=".param set @symbol \"'$s'\"
$(printf '%s\n' "$@")
.read $ROOT/sql/$f.sql"
  run_sql ""
}
same() {
  if [ "$RC" = 0 ] && [ -z "$ERR" ] && [ "$OUT" = "$2" ]; then tap_ok 0 "$1"; else
    tap_ok 1 "$1"; diag "got:" "$OUT" "expected:" "$2" "stderr: $ERR"; fi
}
sql() { SETUP="" run_sql "$1"; }

# ---- q01: one row per distinct move. Checked by what makes the list: no
# two listed windows share a session, gains come largest first, and every
# window larger than the tenth that is not listed shares a session with a
# larger one that is (so nothing was left out that should be in).
ask q01_biggest_gains RUT ".param set @as_of \"'2024-07-16'\""
listed=$(echo "$OUT" | head -10)
vals=$(echo "$listed" | awk -F'|' '{printf "%s(%d, '\''%s'\'')", (NR > 1 ? ", " : ""), NR, $1}')
W="WITH x AS (SELECT row_number() OVER (ORDER BY date) i, date d, close / lag(close, 5) OVER (ORDER BY date) - 1 r
   FROM prices WHERE symbol = 'RUT' AND date <= '2024-07-16' AND close IS NOT NULL),
 l(k, d) AS (VALUES $vals), lx AS (SELECT l.k, x.* FROM l JOIN x USING (d))"
sql "$W SELECT (SELECT count(*) FROM lx a JOIN lx b ON a.k < b.k AND abs(a.i - b.i) < 5) || '|' ||
       (SELECT count(*) FROM lx a JOIN lx b ON a.k < b.k AND a.r < b.r) || '|' ||
       (SELECT count(*) FROM x WHERE r > (SELECT min(r) FROM lx) AND d NOT IN (SELECT d FROM l)
          AND NOT EXISTS (SELECT 1 FROM lx WHERE lx.r > x.r AND abs(lx.i - x.i) < 5)) || '|' ||
       (SELECT count(*) FROM x WHERE r > (SELECT min(r) FROM lx) AND d NOT IN (SELECT d FROM l)) || '|' ||
       (SELECT group_concat(round(100 * r, 2)) FROM (SELECT r FROM lx ORDER BY k));"
want=$OUT
RC=0 ERR="" OUT="0|0|0|${want#0|0|0|}" same "q01 RUT as of 2024-07-16: ten distinct 5-session moves, none sharing a session, each larger window left out overlapping a larger one listed (${want#0|0|0|})" "$want"
RC=0 ERR="" OUT=$(echo "$listed" | grep -c '^2008-11-2[0-9]') same "q01: 2008-11-28 is listed, not 2008-11-26 beside it" "1"
fromok=$(echo "$listed" | awk -F'|' '{print $3}' | tr '\n' ' ')
sql "$W SELECT group_concat(b.d, ' ') || ' ' FROM (SELECT * FROM lx ORDER BY k) a JOIN x b ON b.i = a.i - 5;"
RC=0 ERR="" OUT=$fromok same "q01: from_date is the close five sessions before each" "$OUT"

# ---- @since: the close on that day, or the last before it, in q06 and q08
for since in 2025-04-08 2025-01-01 2024-11-09; do
  ask q06_since_low RUT ".param set @since \"'$since'\""
  a=$(echo "$OUT" | tail -1 | cut -d'|' -f2)
  ask q08_relative RUT ".param set @other \"'GSPC'\"" ".param set @since \"'$since'\""
  b=$(echo "$OUT" | cut -d'|' -f1)
  sql "SELECT max(date) FROM prices WHERE symbol = 'RUT' AND date <= '$since';"
  RC=0 ERR="" OUT="$a $b" same "@since $since: q06 and q08 take the same base, the last close on or before it ($OUT)" "$OUT $OUT"
done

# ---- q11: every year end, beta and correlation over the same 252 returns
# as the volatilities (one-pass sums over ROWS 251 PRECEDING of returns;
# volatility from the log returns of 253 closes)
ask q11_rolling_risk RUT ".param set @other \"'GSPC'\""
got=$(echo "$OUT" | awk -F'|' '$1 >= "1988-12"' )
sql "WITH c AS (SELECT a.date d, a.close x, b.close y FROM prices a JOIN prices b ON b.symbol = 'GSPC' AND b.date = a.date WHERE a.symbol = 'RUT'),
 r AS (SELECT d, x / lag(x) OVER w - 1 sx, y / lag(y) OVER w - 1 sy, ln(x / lag(x) OVER w) lx, ln(y / lag(y) OVER w) ly, lead(d) OVER w nd FROM c WINDOW w AS (ORDER BY d)),
 m AS (SELECT d, nd, count(sx) OVER f n, sum(sx) OVER f a, sum(sy) OVER f b, sum(sx * sy) OVER f ab, sum(sx * sx) OVER f aa, sum(sy * sy) OVER f bb,
              sum(lx) OVER f la, sum(ly) OVER f lb, sum(lx * lx) OVER f laa, sum(ly * ly) OVER f lbb FROM r WINDOW f AS (ORDER BY d ROWS 251 PRECEDING))
 SELECT d || '|' || round(100 * sqrt((laa - la * la / n) / (n - 1) * 252), 2) || '|' || round(100 * sqrt((lbb - lb * lb / n) / (n - 1) * 252), 2) || '|' ||
        round(sqrt((laa - la * la / n) / (lbb - lb * lb / n)), 2) || '|' || round((ab - a * b / n) / (bb - b * b / n), 2) || '|' ||
        round((ab - a * b / n) / sqrt((aa - a * a / n) * (bb - b * b / n)), 2)
 FROM m WHERE d >= '1988-12' AND (nd IS NULL OR substr(nd, 1, 4) <> substr(d, 1, 4)) ORDER BY d;"
RC=0 ERR="" OUT=$got same "q11: volatility, beta and correlation at $(echo "$OUT" | wc -l) year ends, each over the same 252 returns (plain-SQL sums)" "$OUT"
RC=0 ERR="" OUT=$(echo "$got" | grep '^2004-12-31' | cut -d'|' -f5) same "q11: RUT on GSPC, beta 1.42 at 2004-12-31 (1.4163 on 252 returns)" "1.42"

# ---- q13: the phases, each between the extreme closes of its span, and
# the phase now against plain SQL
ask q13_market_phases RUT ".param set @top 100"
phases=$(echo "$OUT" | awk -F'|' '$1 == "bull" || $1 == "bear"')
now=$(echo "$OUT" | tail -1)
vals=$(echo "$phases" | awk -F'|' '{printf "%s('\''%s'\'', '\''%s'\'', '\''%s'\'', %s)", (NR > 1 ? ", " : ""), $1, $2, $4, $6}')
sql "WITH l(m, a, b, pct) AS (VALUES $vals),
 e AS (SELECT l.*, (SELECT close FROM prices WHERE symbol = 'RUT' AND date = a) ca, (SELECT close FROM prices WHERE symbol = 'RUT' AND date = b) cb,
              (SELECT min(close) FROM prices WHERE symbol = 'RUT' AND date BETWEEN a AND b) lo, (SELECT max(close) FROM prices WHERE symbol = 'RUT' AND date BETWEEN a AND b) hi,
              (SELECT min(close) FROM prices WHERE symbol = 'RUT' AND date <= b) lo0, (SELECT max(close) FROM prices WHERE symbol = 'RUT' AND date <= b) hi0,
              lag(m) OVER (ORDER BY a) pm, lead(a) OVER (ORDER BY a) na, min(a) OVER () fa FROM l)
 SELECT count(*) || '|' || sum(CASE m WHEN 'bull' THEN (na IS NULL OR (cb = hi AND cb / ca - 1 >= 0.2)) AND (a > fa OR ca = lo0)
                                      ELSE (na IS NULL OR (cb = lo AND cb / ca - 1 <= -0.2)) AND (a > fa OR ca = hi0) END
                                 AND (pm IS NULL OR pm <> m) AND (na IS NULL OR na = b) AND round(100 * (cb / ca - 1), 2) = pct) FROM e;"
n=${OUT%|*}
[ "${n:-0}" -ge 10 ] || n="too few: '$OUT'"
RC=0 ERR="" OUT=${OUT#*|} same "q13 RUT: $n phases since 1987, bull and bear alternating, each ending at the extreme close of its span (the first starting at the extreme before it), 20% or more, joined end to start" "$n"
RC=0 ERR="" OUT=$(echo "$phases" | grep '^bear|2024-11-25' | cut -d'|' -f1-6,9) same "q13 RUT: the 2025 bear market, -27.9% from 2024-11-25 to 2025-04-08, entered on 2025-04-03" "bear|2024-11-25|2442.03|2025-04-08|1760.71|-27.9|2025-04-03"
sql "WITH s AS (SELECT * FROM prices WHERE symbol = 'RUT' AND date >= '2025-04-08')
 SELECT (SELECT max(date) FROM s) || '|bull market|2025-04-08|' || round(100 * ((SELECT close FROM s ORDER BY date DESC LIMIT 1) / (SELECT close FROM s ORDER BY date LIMIT 1) - 1), 2) || '|' ||
        (SELECT date FROM s ORDER BY close DESC LIMIT 1) || '|' || round(100 * ((SELECT close FROM s ORDER BY date DESC LIMIT 1) / (SELECT max(close) FROM s) - 1), 2);"
RC=0 ERR="" OUT=$(echo "$now" | cut -d'|' -f1-3,5-7) same "q13 RUT now: a bull market since the 2025-04-08 low, up and below its high as plain SQL says" "$OUT"
ask q13_market_phases GSPC ".param set @as_of \"'2025-12-31'\""
RC=0 ERR="" OUT="$(echo "$OUT" | grep -c '^bear|2025') $(echo "$OUT" | grep '^correction|2025-02-19' | cut -d'|' -f2-6)" \
  same "q13 GSPC: no bear market in 2025, a correction of -18.9% from 2025-02-19 to 2025-04-08" "0 2025-02-19|6144.15|2025-04-08|4982.77|-18.9"

# ---- q14: the factsheet against plain SQL: each base the last close on or
# before the end date less the period, months clamped to the month's end
ask q14_factsheet IJR ".param set @other \"'SPY'\"" ".param set @as_of \"'2024-10-16'\"" ".param set @basis total"
got=$(echo "$OUT" | cut -d'|' -f1,2,5,6,8,9)
B() { # B SYMBOL TARGET-EXPRESSION: the last adjusted close on or before it
  echo "(SELECT adj_close FROM prices WHERE symbol = '$1' AND date <= $2 AND adj_close IS NOT NULL ORDER BY date DESC LIMIT 1)"
}
D() { echo "(SELECT max(date) FROM prices WHERE symbol = 'IJR' AND date <= $1 AND adj_close IS NOT NULL)"; }
M() { echo "min(date('2024-10-16', '-$1 months'), date('2024-10-16', 'start of month', '-$1 months', '+1 month', '-1 day'))"; }
row() { # row LABEL TARGET [YEARS]
  y=${3:-}
  ann=""; bann=""
  [ -n "$y" ] && ann="round(100 * (pow($(B IJR "'2024-10-16'") / $(B IJR "$2"), 1.0 / $y) - 1), 2)" && bann="round(100 * (pow($(B SPY "'2024-10-16'") / $(B SPY "$2"), 1.0 / $y) - 1), 2)"
  echo "SELECT '$1|' || $(D "$2") || '|' || round(100 * ($(B IJR "'2024-10-16'") / $(B IJR "$2") - 1), 2) || '|' || ${ann:-''} || '|' ||
        round(100 * ($(B SPY "'2024-10-16'") / $(B SPY "$2") - 1), 2) || '|' || ${bann:-''};"
}
sql "$(row '1 week' "date('2024-10-16', '-7 days')")
$(row '1 month' "$(M 1)")
$(row '3 months' "$(M 3)")
$(row '6 months' "$(M 6)")
$(row 'ytd' "'2023-12-31'")
$(row '1 year' "$(M 12)")
$(row '3 years' "$(M 36)" 3)
$(row '5 years' "$(M 60)" 5)
$(row '10 years' "$(M 120)" 10)
$(row 'inception' "'2000-05-26'" "((julianday('2024-10-16') - julianday('2000-05-26')) / 365.25)")"
RC=0 ERR="" OUT=$got same "q14 IJR against SPY, total return to 2024-10-16: every period of the factsheet as plain SQL ($(echo "$OUT" | grep '^1 month' | cut -d'|' -f3,5) over the month)" "$OUT"

# ---- q15: record closes per year, counted in plain SQL
for s in GSPC RUT; do
  ask q15_record_closes $s
  got=$(echo "$OUT" | cut -d'|' -f1-3)
  sql "WITH x AS (SELECT date, close > max(close) OVER (ORDER BY date ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) rec
                  FROM prices WHERE symbol = '$s' AND close IS NOT NULL)
       SELECT substr(date, 1, 4) || '|' || count(CASE WHEN rec THEN 1 END) || '|' || ifnull(max(CASE WHEN rec THEN date END), '') FROM x GROUP BY substr(date, 1, 4) ORDER BY 1;"
  RC=0 ERR="" OUT=$got same "q15 $s: record closes in each of $(echo "$OUT" | wc -l) years and the last of each, as plain SQL ($(echo "$OUT" | grep '^2024|' | cut -d'|' -f2) in 2024)" "$OUT"
done
ask q15_record_closes GSPC
RC=0 ERR="" OUT=$(echo "$OUT" | grep -E '^(2023|2024)\|' | cut -d'|' -f1-5) same "q15 GSPC: 57 record closes in 2024, none in 2023 (the record of 2022-01-03 standing)" "2023|0||4796.56|2022-01-03
2024|57|2024-12-06|6090.27|2024-12-06"

# ---- every new query runs on the other symbols (IJR has no close before
# 2005: NULL rows), and stops with a message on a missing or bad parameter
fails=0
for s in IJR SPY GSPC; do
  for q in q13_market_phases q14_factsheet q15_record_closes; do
    ask $q "$s" ".param set @other \"'RUT'\""
    { [ "$RC" = 0 ] && [ -z "$ERR" ] && [ -n "$OUT" ]; } || { fails=$((fails + 1)); diag "$q $s: exit $RC, $ERR"; }
  done
done
RC=0 ERR="" OUT=$fails same "q13, q14 and q15 answer on IJR, SPY and GSPC" "0"
missing=0
for q in q13_market_phases q14_factsheet q15_record_closes; do
  SETUP=".read $ROOT/sql/$q.sql" run_sql ""
  case "$ERR" in *"parameter @symbol is not set: in the sqlite3 shell, .param set @symbol \"'RUT'\""*) [ "$RC" != 0 ] || missing=$((missing + 1)) ;;
    *) missing=$((missing + 1)); diag "$q without @symbol: exit $RC, $ERR" ;; esac
done
RC=0 ERR="" OUT=$missing same "q13, q14 and q15 without @symbol stop with a message naming it" "0"
ask q14_factsheet IJR ".param set @other \"'SPY'\"" ".param set @periods \"'1 month, 1 fortnight'\""
case "$ERR" in *"fin_trailing_returns(): periods must be session counts, calendar offsets"*"got '1 month, 1 fortnight'"*) [ "$RC" != 0 ] && tap_ok 0 "q14: a period it does not know stops it, with the table's message" ;;
  *) tap_ok 1 "q14: a bad period"; diag "exit $RC" "$ERR" "$OUT" ;; esac
ask q13_market_phases RUT ".param set @threshold 20"
case "$ERR" in *"fin_swings(): threshold must be > 0 and < 1"*"got 20"*) [ "$RC" != 0 ] && tap_ok 0 "q13: a threshold of 20 (percent for a fraction) stops it" ;;
  *) tap_ok 1 "q13: a threshold of 20"; diag "exit $RC" "$ERR" "$OUT" ;; esac
done_testing

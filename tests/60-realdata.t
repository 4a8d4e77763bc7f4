#!/bin/sh
# On the real closes in $FIN_DATA_DIR (RUT.csv, GSPC.csv): the extension
# against independent plain-SQL computations with built-in window functions.
. "$(dirname "$0")/lib.sh"
[ -r "$FIN_DATA_DIR/RUT.csv" ] && [ -r "$FIN_DATA_DIR/GSPC.csv" ] ||
  skip_all "no real data in FIN_DATA_DIR=$FIN_DATA_DIR"
plan 13
DB="$T_TMP/real.db"
for s in RUT GSPC; do
  "$ROOT/sql/load_csv.sh" "$DB" "$s" "$FIN_DATA_DIR/$s.csv" >/dev/null || { echo "Bail out! cannot load $s"; exit 1; }
done
SETUP=""

check "rows loaded" "SELECT symbol, count(close) FROM prices GROUP BY symbol;" "GSPC|24656
RUT|9695"
check "5-session returns equal close/lag(close, 5) - 1 on every row" \
  "SELECT count(*), sum(a IS NULL AND b IS NULL), sum(abs(a - b) <= 1e-12 * abs(b)) FROM (
     SELECT fin_rolling_return(close, 5) OVER w a, close / lag(close, 5) OVER w - 1 b
     FROM prices WINDOW w AS (PARTITION BY symbol ORDER BY date));" "34351|10|34341"
check "drawdown from the running high equals close/max(close) - 1" \
  "SELECT count(*), sum(abs(a - b) <= 1e-15) FROM (
     SELECT fin_drawdown(close) OVER w a, close / max(close) OVER (w ROWS UNBOUNDED PRECEDING) - 1 b
     FROM prices WINDOW w AS (PARTITION BY symbol ORDER BY date));" "34351|34351"
check "fall from the 52-week high (sliding frame) equals close/max over 252 rows - 1" \
  "SELECT count(*), sum(abs(a - b) <= 1e-15) FROM (
     SELECT fin_drawdown(close) OVER w a, close / max(close) OVER w - 1 b
     FROM prices WINDOW w AS (PARTITION BY symbol ORDER BY date ROWS 251 PRECEDING));" "34351|34351"
check "max drawdown per symbol equals the deepest running drawdown" \
  "SELECT a.symbol, round(a.m, 12) = round(b.m, 12), round(a.m, 4) FROM
     (SELECT symbol, fin_max_drawdown(date, close) m FROM prices GROUP BY symbol) a JOIN
     (SELECT symbol, min(close / rm - 1) m FROM (SELECT symbol, close, max(close) OVER (PARTITION BY symbol ORDER BY date) rm FROM prices) GROUP BY symbol) b USING (symbol) ORDER BY 1;" \
  "GSPC|1|-0.8619
RUT|1|-0.5989"
check "rolling one-year max drawdown (sliding) equals a brute-force one on sampled rows" \
  "CREATE TEMP TABLE r(rn INTEGER PRIMARY KEY, close, m);
   INSERT INTO r SELECT row_number() OVER w, close, fin_max_drawdown(close) OVER (w ROWS 251 PRECEDING) FROM prices WHERE symbol = 'RUT' WINDOW w AS (ORDER BY date);
   WITH s AS (SELECT * FROM r WHERE rn % 97 = 0),
   b AS (SELECT s.rn, min(x.close / (SELECT max(y.close) FROM r y WHERE y.rn BETWEEN s.rn - 251 AND x.rn) - 1) m FROM s JOIN r x ON x.rn BETWEEN s.rn - 251 AND s.rn GROUP BY s.rn)
   SELECT count(*), sum(abs(s.m - b.m) <= 1e-15) FROM s JOIN b USING (rn);" "99|99"

# Drawdown episodes in plain SQL (gaps and islands): a row is at the high
# when close >= the running max; each at-high row opens a group; a group
# with rows under water is an episode whose peak is its first row, trough
# its lowest (earliest) row, and recovery the first row of the next group.
REF="WITH b AS (SELECT symbol, date, close, row_number() OVER w rn,
         close >= max(close) OVER (w ROWS UNBOUNDED PRECEDING) hi
       FROM prices WINDOW w AS (PARTITION BY symbol ORDER BY date)),
  g AS (SELECT *, sum(hi) OVER (PARTITION BY symbol ORDER BY date ROWS UNBOUNDED PRECEDING) grp FROM b),
  e AS (SELECT symbol, grp, min(rn) peak_rn, max(rn) last_rn, min(close) FILTER (WHERE NOT hi) trough
        FROM g GROUP BY symbol, grp HAVING sum(NOT hi) > 0),
  t AS (SELECT e.*, (SELECT min(rn) FROM g WHERE g.symbol = e.symbol AND g.grp = e.grp AND g.close = e.trough) trough_rn,
               (SELECT min(rn) FROM g WHERE g.symbol = e.symbol AND g.grp = e.grp + 1) rec_rn FROM e)
  SELECT t.symbol, p.date, p.close, q.date, t.trough, r.date, round(t.trough / p.close - 1, 12),
         t.trough_rn - t.peak_rn, t.rec_rn - t.trough_rn, coalesce(t.rec_rn, t.last_rn) - t.peak_rn
  FROM t JOIN g p ON p.symbol = t.symbol AND p.rn = t.peak_rn JOIN g q ON q.symbol = t.symbol AND q.rn = t.trough_rn
  LEFT JOIN g r ON r.symbol = t.symbol AND r.rn = t.rec_rn"
MINE="SELECT key, peak_time, peak, trough_time, trough, recovery_time, round(depth, 12), to_trough, to_recovery, length FROM fin_drawdowns('closes')"
run_sql "SELECT count(*) FROM ($REF);"
check "fin_drawdowns agrees row for row with plain SQL (RUT and GSPC: $OUT episodes)" \
  "SELECT (SELECT count(*) FROM ($MINE)), (SELECT count(*) FROM ($MINE EXCEPT SELECT * FROM ($REF))), (SELECT count(*) FROM (SELECT * FROM ($REF) EXCEPT $MINE));" \
  "$OUT|0|0"
check "RUT: deepest drawdowns since 1987 and their recoveries" \
  "SELECT peak_time, trough_time, ifnull(recovery_time, 'open'), round(100 * depth, 1) FROM fin_drawdowns('SELECT date, close FROM prices WHERE symbol = ''RUT''', 0.35) ORDER BY depth LIMIT 4;" \
  "2007-07-13|2009-03-09|2011-04-27|-59.9
2000-03-09|2002-10-09|2004-04-05|-46.0
2018-08-31|2020-03-18|2020-11-13|-43.1
1987-10-05|1987-10-28|1989-06-02|-38.5"
check "RUT: runs of five 1% gains include July 2024, +11.5% in five sessions; four before it" \
  "SELECT start_time, end_time, length, round(100 * total_return, 2) FROM fin_streaks('SELECT date, close FROM prices WHERE symbol = ''RUT''', 0.01, 5);" \
  "1998-10-14|1998-10-20|5|11.86
2000-01-13|2000-01-21|6|8.96
2009-09-03|2009-09-10|5|7.03
2020-04-22|2020-04-29|6|14.82
2024-07-10|2024-07-16|5|11.54"
check "every session of a run of three or more 1% gains and its return 21 sessions later: min_gain/min_length in one pass equal fin_up_streak and lead()" \
  "SELECT a.n = b.n AND a.c = b.c AND abs(a.s - b.s) <= 1e-12 * abs(b.s), a.n > 100 FROM
     (SELECT count(*) n, count(forward_return) c, sum(forward_return) s FROM fin_forward_returns('closes', 21) WHERE min_gain = 0.01 AND min_length = 3) a,
     (SELECT count(*) n, count(f) c, sum(f) s FROM (SELECT fin_up_streak(close, 0.01) OVER w st, lead(close, 21) OVER w / close - 1 f
        FROM prices WHERE close IS NOT NULL WINDOW w AS (PARTITION BY symbol ORDER BY date)) WHERE st >= 3) b;" "1|1"
check "fin_streaks equals a plain-SQL count of consecutive 1% gains" \
  "SELECT (SELECT count(*) FROM fin_streaks('SELECT date, close FROM prices WHERE symbol = ''RUT''', 0.01, 3)),
     (SELECT count(*) FROM (SELECT g, count(*) n FROM (SELECT up, sum(NOT up) OVER (ORDER BY date) g FROM (SELECT date, close / lag(close) OVER (ORDER BY date) - 1 >= 0.01 - 1e-12 up FROM prices WHERE symbol = 'RUT')) WHERE up GROUP BY g HAVING n >= 3));" "62|62"
check "RUT: the last 5-session gain larger than July 2024's was in April 2020" \
  "SELECT max(time) FROM fin_series('SELECT date, close FROM prices WHERE symbol = ''RUT''', 5) WHERE time < '2024-07-16' AND rolling_return > (SELECT rolling_return FROM fin_series('SELECT date, close FROM prices WHERE symbol = ''RUT''', 5) WHERE time = '2024-07-16');" "2020-04-29"
check "yearly returns equal close / previous year's last close - 1" \
  "SELECT count(*), sum(abs(c.period_return - (y.last / y.prev - 1)) < 1e-12) FROM fin_calendar_returns('closes', 'year') c
   JOIN (SELECT symbol, yr, last, lag(last) OVER (PARTITION BY symbol ORDER BY yr) prev FROM
          (SELECT symbol, substr(date, 1, 4) yr, close last, row_number() OVER (PARTITION BY symbol, substr(date, 1, 4) ORDER BY date DESC) r FROM prices) WHERE r = 1) y
   ON y.symbol = c.key AND y.yr = c.period WHERE y.prev IS NOT NULL;" "138|138"
done_testing

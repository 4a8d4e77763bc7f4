#!/bin/sh
# The table-valued functions on hand-built series, every value worked out
# by hand (r = round(x, 6)).
#  X: 01-02 100 | 01-03 110 | 01-04 110 (equal high) | 01-05 99 | 01-08 88 |
#     01-09 88 (equal low) | 01-10 100 | 01-11 121 (recovery) | 01-12 120 |
#     01-15 NULL (skipped) | 01-16 121 (recovers on the last row)
#  Y: 01-02 50 | 01-03 55 | 01-04 60.5 | 01-05 54.45 (under water at the end)
#  Z: 2023-12-29 10 | 01-02 10.1 | 01-03 10.2 | 01-04 10.3 (a run to the end)
. "$(dirname "$0")/lib.sh"
plan 48
SETUP="CREATE TABLE s(k TEXT, d TEXT, c REAL);
INSERT INTO s VALUES ('X','2024-01-02',100),('X','2024-01-03',110),('X','2024-01-04',110),
 ('X','2024-01-05',99),('X','2024-01-08',88),('X','2024-01-09',88),('X','2024-01-10',100),
 ('X','2024-01-11',121),('X','2024-01-12',120),('X','2024-01-15',NULL),('X','2024-01-16',121),
 ('Y','2024-01-02',50),('Y','2024-01-03',55),('Y','2024-01-04',60.5),('Y','2024-01-05',54.45),
 ('Z','2023-12-29',10),('Z','2024-01-02',10.1),('Z','2024-01-03',10.2),('Z','2024-01-04',10.3);
CREATE VIEW x AS SELECT d, c FROM s WHERE k = 'X';
CREATE TABLE shuffled AS SELECT * FROM s ORDER BY c DESC;"

DD="key, peak_time, peak, trough_time, trough, ifnull(recovery_time, '-'), round(depth, 6), to_trough, ifnull(to_recovery, '-'), length, days"
check "fin_drawdowns: equal highs, first low, recovery at an equal value, open episode" \
  "SELECT $DD FROM fin_drawdowns('SELECT k, d, c FROM s');" \
  "X|2024-01-04|110.0|2024-01-08|88.0|2024-01-11|-0.2|2|3|5|7
X|2024-01-11|121.0|2024-01-12|120.0|2024-01-16|-0.008264|1|1|2|5
Y|2024-01-04|60.5|2024-01-05|54.45|-|-0.1|1|-|1|1"
check "fin_drawdowns: calendar days peak to trough and trough to recovery" \
  "SELECT key, peak_time, days_to_trough, ifnull(days_to_recovery, '-'), days FROM fin_drawdowns('SELECT k, d, c FROM s');" \
  "X|2024-01-04|4|3|7
X|2024-01-11|1|4|5
Y|2024-01-04|1|-|1"
check "fin_series: peak_time is the last row at the high (NULL rows listed with NULL)" \
  "SELECT group_concat(time || '>' || ifnull(peak_time, '-'), ' ') FROM fin_series('x');" \
  "2024-01-02>2024-01-02 2024-01-03>2024-01-03 2024-01-04>2024-01-04 2024-01-05>2024-01-04 2024-01-08>2024-01-04 2024-01-09>2024-01-04 2024-01-10>2024-01-04 2024-01-11>2024-01-11 2024-01-12>2024-01-11 2024-01-15>- 2024-01-16>2024-01-16"
check "fin_drawdowns min_depth 0.1 keeps falls of 10% or more" \
  "SELECT key, peak_time, round(depth, 6) FROM fin_drawdowns('SELECT k, d, c FROM s', 0.1);" \
  "X|2024-01-04|-0.2
Y|2024-01-04|-0.1"
check "fin_drawdowns orders the rows itself" \
  "SELECT count(*), sum(depth) = (SELECT sum(depth) FROM fin_drawdowns('SELECT k, d, c FROM s')) FROM fin_drawdowns('shuffled');" "3|1"
check "fin_drawdowns of a view by name, without key" \
  "SELECT quote(key), peak_time, trough_time FROM fin_drawdowns('x');" "NULL|2024-01-04|2024-01-08
NULL|2024-01-11|2024-01-12"
check "a schema-qualified name" "SELECT count(*) FROM fin_drawdowns('main.x');" "2"
check "named arguments through hidden columns" "SELECT count(*) FROM fin_drawdowns WHERE series = 'x' AND min_depth = 0.1;" "1"
check "numeric times: days is NULL" "SELECT peak_time, trough_time, quote(days) FROM fin_drawdowns('SELECT julianday(d) - 2460311.5, c FROM x') LIMIT 1;" "2.0|6.0|NULL"
check "an empty series gives no rows" "SELECT count(*) FROM fin_drawdowns('SELECT d, c FROM x WHERE 0'); SELECT count(*) FROM fin_series('SELECT d, c FROM x WHERE 0');" "0
0"

# Only the columns asked for are computed (colUsed): each column read alone
# equals the same column read with all the others, row by row.
COLS_Q="CREATE TEMP TABLE full AS SELECT rowid AS r, * FROM fin_series('SELECT k, d, c FROM s', 2);"
COLS_WANT=""
for col in key time value change rolling_return peak drawdown since_peak up_streak down_streak ytd_return peak_time; do
  COLS_Q="$COLS_Q
SELECT '$col', count(*), sum(x.v IS NOT f.$col) FROM (SELECT rowid AS r, $col AS v FROM fin_series('SELECT k, d, c FROM s', 2)) x JOIN full f ON f.r = x.r;"
  COLS_WANT="$COLS_WANT${COLS_WANT:+
}$col|19|0"
done
check "fin_series: each column read alone equals it read with all the others" "$COLS_Q" "$COLS_WANT"

check "fin_forward_returns min_gain 10%: every session of a run of 10% gains is an event (exactly 10% counts)" \
  "SELECT event_time, round(forward_return, 6) FROM fin_forward_returns('x', 1) WHERE min_gain = 0.1;" \
  "2024-01-03|0.0
2024-01-10|0.21
2024-01-11|-0.008264"
check "fin_forward_returns min_gain, min_length 2: from the second gain of a run on; event_time then only filters" \
  "SELECT event_time, anchor_time FROM fin_forward_returns('x', 1, NULL, NULL, 0.1, 2);
   SELECT count(*) FROM fin_forward_returns('x', 1) WHERE min_length = 2 AND event_time IN ('2024-01-03', '2024-01-11');" \
  "2024-01-11|2024-01-11
1"
check_error "fin_forward_returns: events and min_length together" \
  "SELECT * FROM fin_forward_returns('x', 1, 'SELECT d FROM x', NULL, NULL, 2);" "fin_forward_returns(): events and min_gain/min_length both choose the events: give one"
check_error "fin_forward_returns: min_length 0" \
  "SELECT * FROM fin_forward_returns('x', 1) WHERE min_length = 0;" "fin_forward_returns(): min_length must be"
ST="key, start_time, end_time, length, start_value, end_value, round(total_return, 6)"
check "fin_streaks: runs of gains, the last one ending the series" \
  "SELECT $ST FROM fin_streaks('SELECT k, d, c FROM s');" \
  "X|2024-01-03|2024-01-03|1|100.0|110.0|0.1
X|2024-01-10|2024-01-11|2|88.0|121.0|0.375
X|2024-01-16|2024-01-16|1|120.0|121.0|0.008333
Y|2024-01-03|2024-01-04|2|50.0|60.5|0.21
Z|2024-01-02|2024-01-04|3|10.0|10.3|0.03"
check "fin_streaks min_gain 10%, min_length 2 (exact 10% gains count)" \
  "SELECT $ST FROM fin_streaks('SELECT k, d, c FROM s', 0.1, 2);" \
  "X|2024-01-10|2024-01-11|2|88.0|121.0|0.375
Y|2024-01-03|2024-01-04|2|50.0|60.5|0.21"
check "fin_streaks: the period at which a run reached min_length (qualify_time, qualify_value)" \
  "SELECT key, start_time, end_time, qualify_time, qualify_value FROM fin_streaks('SELECT k, d, c FROM s', NULL, 2);
SELECT key, start_time, qualify_time, qualify_value FROM fin_streaks('SELECT k, d, c FROM s') WHERE key = 'Z';
SELECT key, start_time, qualify_time, qualify_value FROM fin_down_streaks('SELECT k, d, c FROM s', NULL, 2);" \
  "X|2024-01-10|2024-01-11|2024-01-11|121.0
Y|2024-01-03|2024-01-04|2024-01-04|60.5
Z|2024-01-02|2024-01-04|2024-01-03|10.2
Z|2024-01-02|2024-01-02|10.1
X|2024-01-05|2024-01-08|88.0"
check "fin_streaks with NULL min_gain is strict" "SELECT count(*) FROM fin_streaks('SELECT k, d, c FROM s', NULL, 2);" "3"
check "fin_down_streaks" "SELECT $ST FROM fin_down_streaks('SELECT k, d, c FROM s');" \
  "X|2024-01-05|2024-01-08|2|110.0|88.0|-0.2
X|2024-01-12|2024-01-12|1|121.0|120.0|-0.008264
Y|2024-01-05|2024-01-05|1|60.5|54.45|-0.1"
check "fin_down_streaks min_loss 5%" "SELECT key, start_time, length FROM fin_down_streaks('SELECT k, d, c FROM s', 0.05);" "X|2024-01-05|2
Y|2024-01-05|1"

FR="key, event_time, ifnull(anchor_time, '-'), horizon, ifnull(start_value, '-'), ifnull(end_value, '-'), ifnull(round(forward_return, 6), '-'), ifnull(round(max_gain, 6), '-'), ifnull(round(max_loss, 6), '-')"
check "fin_forward_returns: events before, on and between rows; horizons past the end" \
  "SELECT $FR FROM fin_forward_returns('SELECT k, d, c FROM s', '3, 1', 'VALUES (''2024-01-03''), (''2024-01-01''), (''2024-01-06'')');" \
  "X|2024-01-01|-|1|-|-|-|-|-
X|2024-01-01|-|3|-|-|-|-|-
X|2024-01-03|2024-01-03|1|110.0|110.0|0.0|0.0|0.0
X|2024-01-03|2024-01-03|3|110.0|88.0|-0.2|0.0|-0.2
X|2024-01-06|2024-01-05|1|99.0|88.0|-0.111111|0.0|-0.111111
X|2024-01-06|2024-01-05|3|99.0|100.0|0.010101|0.010101|-0.111111
Y|2024-01-01|-|1|-|-|-|-|-
Y|2024-01-01|-|3|-|-|-|-|-
Y|2024-01-03|2024-01-03|1|55.0|60.5|0.1|0.1|0.0
Y|2024-01-03|2024-01-03|3|55.0|-|-|-|-
Y|2024-01-06|2024-01-05|1|54.45|-|-|-|-
Y|2024-01-06|2024-01-05|3|54.45|-|-|-|-
Z|2024-01-01|2023-12-29|1|10.0|10.1|0.01|0.01|0.0
Z|2024-01-01|2023-12-29|3|10.0|10.3|0.03|0.03|0.0
Z|2024-01-03|2024-01-03|1|10.2|10.3|0.009804|0.009804|0.0
Z|2024-01-03|2024-01-03|3|10.2|-|-|-|-
Z|2024-01-06|2024-01-04|1|10.3|-|-|-|-
Z|2024-01-06|2024-01-04|3|10.3|-|-|-|-"
check "fin_forward_returns: keyed events; keys absent from the series are ignored" \
  "SELECT $FR FROM fin_forward_returns('SELECT k, d, c FROM s', 2, 'VALUES (''X'', ''2024-01-08''), (''Q'', ''2024-01-02''), (''Z'', ''2024-01-02'')');" \
  "X|2024-01-08|2024-01-08|2|88.0|100.0|0.136364|0.136364|0.0
Z|2024-01-02|2024-01-02|2|10.1|10.3|0.019802|0.019802|0.0"
check "fin_forward_returns: without events every row is an event" \
  "SELECT count(*), count(forward_return), round(sum(forward_return), 9) = (SELECT round(sum(n / c - 1), 9) FROM (SELECT c, lead(c) OVER (PARTITION BY k ORDER BY d) n FROM s WHERE c IS NOT NULL)) FROM fin_forward_returns('SELECT k, d, c FROM s', '1');" "18|15|1"
# Events from a join: event_time = x makes x an event (anchored as in the
# events argument), found by seeking the series at its anchor.
EVT="CREATE TABLE ev(k TEXT, t TEXT); INSERT INTO ev SELECT k, t FROM (SELECT DISTINCT k FROM s), (SELECT '2024-01-03' t UNION ALL SELECT '2024-01-01' UNION ALL SELECT '2024-01-06') UNION ALL SELECT 'Q', '2024-01-02';"
check "fin_forward_returns: events by join give the events argument's rows (before, on, between rows; keys absent)" \
  "$EVT SELECT $FR FROM ev JOIN fin_forward_returns('SELECT k, d, c FROM s', '3, 1') f ON f.key = ev.k AND f.event_time = ev.t ORDER BY 1, 2, 4;" \
  "$(SETUP="$SETUP" run_sql "SELECT $FR FROM fin_forward_returns('SELECT k, d, c FROM s', '3, 1', 'VALUES (''2024-01-03''), (''2024-01-01''), (''2024-01-06'')');"; echo "$OUT")"
check "fin_forward_returns: WHERE event_time = a day without a session: every key, anchored at its session before" \
  "SELECT $FR FROM fin_forward_returns('SELECT k, d, c FROM s', 1) WHERE event_time = '2024-01-06';" \
  "X|2024-01-06|2024-01-05|1|99.0|88.0|-0.111111|0.0|-0.111111
Y|2024-01-06|2024-01-05|1|54.45|-|-|-|-
Z|2024-01-06|2024-01-04|1|10.3|-|-|-|-"
check "fin_forward_returns: key and event_time IN; an event on a NULL price anchors at the price before" \
  "SELECT $FR FROM fin_forward_returns('SELECT k, d, c FROM s', '1,2') WHERE key = 'X' AND event_time IN ('2024-01-15', '2024-01-12') ORDER BY 2, 4;" \
  "X|2024-01-12|2024-01-12|1|120.0|121.0|0.008333|0.008333|0.0
X|2024-01-12|2024-01-12|2|120.0|-|-|-|-
X|2024-01-15|2024-01-12|1|120.0|121.0|0.008333|0.008333|0.0
X|2024-01-15|2024-01-12|2|120.0|-|-|-|-"
check "fin_forward_returns: event_time on a series without keys, numeric times, and = NULL" \
  "SELECT $FR FROM fin_forward_returns('x', 2) WHERE event_time = '2024-01-07';
SELECT event_time, anchor_time, end_value FROM fin_forward_returns('SELECT julianday(d) - 2460311.5, c FROM x', 1) WHERE event_time IN (4.5, 0);
SELECT count(*) FROM fin_forward_returns('x', 2) WHERE event_time = NULL;" \
  "|2024-01-07|2024-01-05|2|99.0|88.0|-0.111111|0.0|-0.111111
0|0.0|110.0
4.5|3.0|88.0
0"
check "fin_forward_returns: with the events argument, event_time = x only filters; a NULL events is no events" \
  "SELECT count(*) FROM fin_forward_returns('SELECT k, d, c FROM s', 1, 'VALUES (''2024-01-03'')') WHERE event_time = '2024-01-06';
SELECT group_concat(key || anchor_time || coalesce(end_value, '-'), ' ') FROM fin_forward_returns('SELECT k, d, c FROM s', 1, NULL) WHERE event_time = '2024-01-06';
SELECT group_concat(key || anchor_time || coalesce(end_value, '-'), ' ') FROM fin_forward_returns('SELECT k, d, c FROM s', 1) WHERE event_time = '2024-01-06';" "0
X2024-01-0588.0 Y2024-01-05- Z2024-01-04-
X2024-01-0588.0 Y2024-01-05- Z2024-01-04-"
check "fin_forward_returns: horizons repeated and unordered" "SELECT group_concat(horizon) FROM fin_forward_returns('x', '5,1,5') WHERE event_time = '2024-01-02';" "1,5"
check "event study from fin_streaks, summarised with fin_median" \
  "SELECT horizon, count(*), round(avg(forward_return), 6), round(fin_median(forward_return), 6) FROM fin_forward_returns('SELECT k, d, c FROM s', '1', 'SELECT key, end_time FROM fin_streaks(''SELECT k, d, c FROM s'')') GROUP BY horizon;" \
  "1|5|-0.036088|-0.008264"

CR="key, period, start_time, end_time, start_value, end_value, round(period_return, 6), partial"
check "fin_calendar_returns by ISO week; the first week and the unfinished last one are partial" \
  "SELECT $CR FROM fin_calendar_returns('x', 'week');" \
  "|2024-W01|2024-01-02|2024-01-05|100.0|99.0|-0.01|1
|2024-W02|2024-01-05|2024-01-12|99.0|120.0|0.212121|0
|2024-W03|2024-01-12|2024-01-16|120.0|121.0|0.008333|1"
check "fin_calendar_returns by year, anchored at the previous year's last close; 2024 to 01-04 is partial" \
  "SELECT $CR FROM fin_calendar_returns('SELECT k, d, c FROM s WHERE k = ''Z''', 'year');" \
  "Z|2023|2023-12-29|2023-12-29|10.0|10.0|0.0|1
Z|2024|2023-12-29|2024-01-04|10.0|10.3|0.03|1"
check "fin_calendar_returns: the last period is whole once as_of reaches its last day (Sunday for a week)" \
  "SELECT group_concat(as_of || ':' || period || '=' || partial, ' ') FROM (SELECT '2024-01-20' a UNION ALL SELECT '2024-01-21' UNION ALL SELECT '2024-01-21T00:00' UNION ALL SELECT '2024-01-12' UNION ALL SELECT '2024-01-14')
   JOIN fin_calendar_returns('x', 'week') ON as_of = a WHERE period >= '2024-W02';" \
  "2024-01-20:2024-W02=0 2024-01-20:2024-W03=1 2024-01-21:2024-W02=0 2024-01-21:2024-W03=0 2024-01-21T00:00:2024-W02=0 2024-01-21T00:00:2024-W03=0 2024-01-12:2024-W02=1 2024-01-14:2024-W02=0"
check "fin_calendar_returns: a last row on the period's last day ends it (Julian days too)" \
  "SELECT period, partial FROM fin_calendar_returns('VALUES (''2024-01-30'', 1), (''2024-01-31'', 2), (''2024-02-29'', 3)', 'month');
   SELECT period, partial FROM fin_calendar_returns('SELECT julianday(d), c FROM s WHERE k = ''X'' AND d <= ''2024-01-12''', 'week');
   SELECT period, partial FROM fin_calendar_returns('SELECT julianday(d), c FROM s WHERE k = ''X'' AND d <= ''2024-01-12''', 'week') WHERE as_of = julianday('2024-01-14');" \
  "2024-01|1
2024-02|0
2024-W01|1
2024-W02|1
2024-W01|1
2024-W02|0"
check "fin_calendar_returns by month and quarter" \
  "SELECT period, round(period_return, 6) FROM fin_calendar_returns('SELECT k, d, c FROM s WHERE k = ''Z''', 'Month'); SELECT period FROM fin_calendar_returns('SELECT k, d, c FROM s WHERE k = ''Z''', 'quarter');" \
  "2023-12|0.0
2024-01|0.03
2023-Q4
2024-Q1"
check "fin_calendar_returns with Julian-day times" "SELECT period, start_time, end_time FROM fin_calendar_returns('SELECT julianday(d), c FROM x', 'year');" "2024|2460311.5|2460325.5"

SE="key, time, ifnull(value, '-'), ifnull(round(change, 6), '-'), ifnull(round(rolling_return, 6), '-'), ifnull(peak, '-'), ifnull(round(drawdown, 6), '-'), ifnull(since_peak, '-'), ifnull(up_streak, '-'), ifnull(down_streak, '-'), ifnull(round(ytd_return, 6), '-')"
check "fin_series: every column, n = 2" "SELECT $SE FROM fin_series('SELECT k, d, c FROM s WHERE k = ''Y''', 2);" \
  "Y|2024-01-02|50.0|-|-|50.0|0.0|0|0|0|-
Y|2024-01-03|55.0|0.1|-|55.0|0.0|0|1|0|-
Y|2024-01-04|60.5|0.1|0.21|60.5|0.0|0|2|0|-
Y|2024-01-05|54.45|-0.1|-0.01|60.5|-0.1|1|0|1|-"
check "fin_series: a NULL value is listed and skipped; ytd_return across a year" \
  "SELECT $SE FROM fin_series('SELECT k, d, c FROM s WHERE k IN (''X'', ''Z'')') WHERE time >= '2024-01-12' OR key = 'Z';" \
  "X|2024-01-12|120.0|-0.008264|-0.008264|121.0|-0.008264|1|0|1|-
X|2024-01-15|-|-|-|-|-|-|-|-|-
X|2024-01-16|121.0|0.008333|0.008333|121.0|0.0|0|1|0|-
Z|2023-12-29|10.0|-|-|10.0|0.0|0|0|0|-
Z|2024-01-02|10.1|0.01|0.01|10.1|0.0|0|1|0|0.01
Z|2024-01-03|10.2|0.009901|0.009901|10.2|0.0|0|2|0|0.02
Z|2024-01-04|10.3|0.009804|0.009804|10.3|0.0|0|3|0|0.03"
check "fin_series agrees with the window functions" \
  "SELECT count(*) FROM fin_series('SELECT k, d, c FROM s', 3) f JOIN (SELECT k, d, fin_rolling_return(c, 3) OVER w r, fin_drawdown(c) OVER w dd, fin_since_peak(c) OVER w sp, fin_up_streak(c) OVER w us, fin_down_streak(c) OVER w ds, fin_ytd_return(d, c) OVER w y FROM s WINDOW w AS (PARTITION BY k ORDER BY d)) w ON w.k = f.key AND w.d = f.time WHERE f.rolling_return IS w.r AND f.drawdown IS w.dd AND f.since_peak IS w.sp AND f.up_streak IS w.us AND f.down_streak IS w.ds AND f.ytd_return IS w.y;" "19"
check "the argument can come from a join (one plan per outer row)" \
  "SELECT n.k, count(*) FROM (SELECT DISTINCT k FROM s) n, fin_streaks('SELECT d, c FROM s WHERE k = ''' || n.k || '''') GROUP BY n.k;" "X|3
Y|1
Z|1"
check "a table name that needs quoting" "CREATE TABLE \"my\$prices\"(d, c); INSERT INTO \"my\$prices\" VALUES ('2024-01-02', 1), ('2024-01-03', 2); SELECT count(*) FROM fin_series('my\$prices');" "2"
# Every argument may come from another table of the FROM clause (each row
# of args runs the table once), not only the series: a later argument from
# a join was once dropped. The join form gives the literal form's rows.
A="CREATE TABLE args(series, n, min_depth, min_gain, min_length, period, horizons);
INSERT INTO args VALUES ('SELECT k, d, c FROM s', 2, 0.1, 0.05, 2, 'year', '1,3');"
EV="'SELECT key, end_time FROM fin_streaks(''SELECT k, d, c FROM s'')'"
check "fin_series: n from a join (and the series too)" "$A SELECT (SELECT count(*) FROM args a, fin_series(a.series, a.n)) = 19, (SELECT group_concat(ifnull(rolling_return, '-')) FROM args a, fin_series('SELECT k, d, c FROM s', a.n)) = (SELECT group_concat(ifnull(rolling_return, '-')) FROM fin_series('SELECT k, d, c FROM s', 2)), (SELECT count(*) FROM args a, fin_series('SELECT k, d, c FROM s', a.n));" "1|1|19"
check "fin_drawdowns: min_depth from a join" "$A SELECT (SELECT group_concat(depth) FROM args a, fin_drawdowns('SELECT k, d, c FROM s', a.min_depth)) = (SELECT group_concat(depth) FROM fin_drawdowns('SELECT k, d, c FROM s', 0.1)), (SELECT count(*) FROM args a, fin_drawdowns('SELECT k, d, c FROM s', a.min_depth));" "1|2"
check "fin_streaks: min_gain and min_length from a join" "$A SELECT (SELECT group_concat(end_time) FROM args a, fin_streaks('SELECT k, d, c FROM s', a.min_gain, a.min_length)) = (SELECT group_concat(end_time) FROM fin_streaks('SELECT k, d, c FROM s', 0.05, 2)), (SELECT count(*) FROM args a, fin_streaks('SELECT k, d, c FROM s', a.min_gain, a.min_length));" "1|2"
check "fin_down_streaks: min_loss and min_length from a join" "$A SELECT (SELECT group_concat(end_time) FROM args a, fin_down_streaks('SELECT k, d, c FROM s', a.min_gain, a.min_length)) IS (SELECT group_concat(end_time) FROM fin_down_streaks('SELECT k, d, c FROM s', 0.05, 2)), (SELECT count(*) FROM args a, fin_down_streaks('SELECT k, d, c FROM s', a.min_gain, 1));" "1|2"
check "fin_calendar_returns: period from a join" "$A SELECT (SELECT group_concat(period_return) FROM args a, fin_calendar_returns('SELECT k, d, c FROM s', a.period)) = (SELECT group_concat(period_return) FROM fin_calendar_returns('SELECT k, d, c FROM s', 'year')), (SELECT count(*) FROM args a, fin_calendar_returns('SELECT k, d, c FROM s', a.period));" "1|4"
check "fin_forward_returns: horizons and events from a join" "$A SELECT (SELECT group_concat(ifnull(forward_return, '-')) FROM args a, fin_forward_returns('SELECT k, d, c FROM s', a.horizons, $EV)) = (SELECT group_concat(ifnull(forward_return, '-')) FROM fin_forward_returns('SELECT k, d, c FROM s', '1,3', $EV)), (SELECT count(*) FROM args a, fin_forward_returns('SELECT k, d, c FROM s', a.horizons, $EV));" "1|10"
done_testing

#!/bin/sh
# as_of: every table answers as the series stood at that close. The rows
# after as_of are never read, so the answer is the one the same table gives
# on the series cut there by hand (WHERE date <= as_of), on every table,
# for one key, for all keys and for a key that begins after as_of.
. "$(dirname "$0")/lib.sh"
[ -f "$FIN_DATA_DIR/RUT.csv" ] || skip_all "no real data in $FIN_DATA_DIR"
plan 28
DB="$T_TMP/all.db"
load_real "$DB" RUT GSPC NDX SPY IWM IJR
for t in "fin_series('closes', 5)" "fin_drawdowns('closes', 0.05)" "fin_streaks('closes', 0.01, 3)" \
         "fin_down_streaks('closes', 0.01, 3)" "fin_calendar_returns('closes', 'year')" \
         "fin_forward_returns('closes', '5,21')" "fin_swings('closes', 0.1)" \
         "fin_trailing_returns('closes', '1 week, 3 months, ytd, 1 year, 5 years, inception, 21')" \
         "fin_summary('closes')"; do
  for d in 2024-07-16 1995-06-30; do
    cut=$(echo "$t" | sed "s/'closes'/'SELECT symbol, date, close FROM prices WHERE date <= ''$d'''/")
    check "${t%%(*}: as_of = '$d' gives the rows of the series cut at that date (one key, all keys)" "SELECT
 (SELECT count(*) FROM (SELECT * FROM $t WHERE key = 'RUT' AND as_of = '$d' EXCEPT SELECT * FROM $cut WHERE key = 'RUT')),
 (SELECT count(*) FROM (SELECT * FROM $cut WHERE key = 'RUT' EXCEPT SELECT * FROM $t WHERE key = 'RUT' AND as_of = '$d')),
 (SELECT count(*) FROM (SELECT * FROM $t WHERE as_of = '$d' EXCEPT SELECT * FROM $cut)),
 (SELECT count(*) FROM $t WHERE as_of = '$d') = (SELECT count(*) FROM $cut),
 (SELECT count(*) FROM $t WHERE key = 'IJR' AND as_of = '$d') = (SELECT count(*) FROM $cut WHERE key = 'IJR'),
 (SELECT count(*) FROM $cut) > 0;" "0|0|0|1|1|1"
  done
done
check "as_of is a column: it shows the value asked for; positional after the arguments" "SELECT DISTINCT as_of FROM fin_series('closes') WHERE key = 'RUT' AND as_of = '2024-07-16';
SELECT max(time) FROM fin_series('closes', 5, '2024-07-16') WHERE key = 'RUT';" "2024-07-16
2024-07-16"
check "as_of from a join: one row per date asked, each the year to date of plain SQL" "SELECT count(*), sum(abs(c.period_return - (
   (SELECT close FROM prices WHERE symbol = 'RUT' AND date <= d.x ORDER BY date DESC LIMIT 1)
 / (SELECT close FROM prices WHERE symbol = 'RUT' AND date < substr(d.x, 1, 4) || '-01-01' ORDER BY date DESC LIMIT 1) - 1)) < 1e-12)
 FROM (SELECT '2024-07-17' x UNION ALL SELECT '2024-10-16' UNION ALL SELECT '2020-03-23') d
 JOIN fin_calendar_returns('closes', 'year') c ON c.key = 'RUT' AND c.as_of = d.x AND c.period = substr(d.x, 1, 4);" "3|3"
check "an event after as_of has not happened: no row by join, none from the events argument" "SELECT
 (SELECT count(*) FROM fin_forward_returns('closes', '5') WHERE key = 'RUT' AND as_of = '2024-07-16' AND event_time = '2024-07-17'),
 (SELECT count(*) FROM fin_forward_returns('closes', '5') WHERE key = 'RUT' AND as_of = '2024-07-16' AND event_time = '2024-07-16'),
 (SELECT count(*) FROM fin_forward_returns('closes', '5', 'SELECT ''2024-07-15'' UNION ALL SELECT ''2024-07-16'' UNION ALL SELECT ''2024-07-17''') WHERE key = 'RUT' AND as_of = '2024-07-16');" "0|1|2"
check "forward returns as of a date stop there: a horizon that ends after it is NULL" "SELECT event_time, horizon, forward_return IS NULL FROM fin_forward_returns('closes', '1,5') WHERE key = 'RUT' AND as_of = '2024-07-16' AND event_time IN ('2024-07-09', '2024-07-15') ORDER BY 1, 2;" "2024-07-09|1|0
2024-07-09|5|0
2024-07-15|1|0
2024-07-15|5|1"
SETUP="CREATE TEMP TABLE ticks(t, v); INSERT INTO ticks VALUES ('2024-01-02 10:00', 1), ('2024-01-02T15:30', 2), ('2024-01-03 09:00', 3), ('2024-01-03 16:00', 4);
CREATE TEMP TABLE nums(t, v); INSERT INTO nums VALUES (1, 10), (2, 11), (3, 12.5);"
check "a date as_of covers its whole day; a time of day is a bound included" "SELECT group_concat(value) FROM fin_series('ticks') WHERE as_of = '2024-01-02';
SELECT group_concat(value) FROM fin_series('ticks') WHERE as_of = '2024-01-03 09:00';
SELECT group_concat(value) FROM fin_series('ticks') WHERE as_of = '2024-01-03 08:59:59';" "1.0,2.0
1.0,2.0,3.0
1.0,2.0"
check "numbers as times: as_of is a number, included" "SELECT group_concat(value) FROM fin_series('nums') WHERE as_of = 2;
SELECT count(*) FROM fin_series('nums') WHERE as_of = 0.5;" "10.0,11.0
0"
check_error "as_of NULL is an error, not an empty answer" "SELECT * FROM fin_series('nums') WHERE as_of = NULL;" \
  "fin_series(): as_of must be a date (ISO-8601 text) or a number, got NULL"
check_error "as_of that is not a time" "SELECT * FROM fin_drawdowns('ticks') WHERE as_of = 'July 16';" \
  "fin_drawdowns(): as_of must be ISO-8601 text (YYYY-MM-DD) or a number, got text 'July 16'"
check_error "as_of of another kind than the times" "SELECT * FROM fin_streaks('nums') WHERE as_of = '2024-01-02';" \
  "fin_streaks(): as_of is ISO-8601 text but the time values are numbers"
check_error "as_of of another kind than the events times" "SELECT * FROM fin_forward_returns('nums', 1, 'SELECT 2') WHERE as_of = 2 AND 0;
SELECT * FROM fin_forward_returns('ticks', 1, 'SELECT 2') WHERE as_of = '2024-01-03';" \
  "fin_forward_returns(): as_of is ISO-8601 text but the events time values are numbers"
done_testing

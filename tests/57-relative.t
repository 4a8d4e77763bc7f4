#!/bin/sh
# fin_relative and the benchmark of fin_forward_returns and
# fin_calendar_returns, on hand-built series, every value worked out by hand.
#  s (key, d, c):
#   A: 01-02 100 | 01-03 110 | 01-04 99 | 01-05 NULL | 01-08 121 | 01-09 120 | 01-11 130 | 01-12 132
#   B: 01-02 50 | 01-03 50 | 01-04 55
#   G: 01-02 200 | 01-03 200 | 01-04 220 | 01-05 210 | 01-08 220 | 01-10 230 | 01-12 264
#  g: G as a view without key; g_short: G up to 01-04.
#  Common times of A and G: 01-02, 01-03, 01-04, 01-08, 01-12; skipped after
#  the first: 01-05 (A NULL), 01-09 (no G), 01-10 (no A), 01-11 (no G).
. "$(dirname "$0")/lib.sh"
plan 24
SETUP="CREATE TABLE s(k TEXT, d TEXT, c REAL);
INSERT INTO s VALUES ('A','2024-01-02',100),('A','2024-01-03',110),('A','2024-01-04',99),
 ('A','2024-01-05',NULL),('A','2024-01-08',121),('A','2024-01-09',120),('A','2024-01-11',130),
 ('A','2024-01-12',132),
 ('B','2024-01-02',50),('B','2024-01-03',50),('B','2024-01-04',55),
 ('G','2024-01-02',200),('G','2024-01-03',200),('G','2024-01-04',220),('G','2024-01-05',210),
 ('G','2024-01-08',220),('G','2024-01-10',230),('G','2024-01-12',264);
CREATE VIEW g AS SELECT d, c FROM s WHERE k = 'G';
CREATE VIEW g_short AS SELECT d, c FROM s WHERE k = 'G' AND d <= '2024-01-04';
CREATE VIEW a AS SELECT d, c FROM s WHERE k = 'A';
CREATE VIEW ab AS SELECT k, d, c FROM s WHERE k IN ('A', 'B');"

R="key, time, value, quote(benchmark_key), benchmark_value, round(ratio, 6), quote(round(value_return, 6)), quote(round(benchmark_return, 6)), quote(round(excess_return, 6)), round(ratio_drawdown, 6), ratio_since_peak, skipped"
check "fin_relative: common times only, ratio rebased to 1, returns between common times, skipped counted, ties make the later row the peak" \
  "SELECT $R FROM fin_relative('ab', 'g') WHERE key = 'A';" \
  "A|2024-01-02|100.0|NULL|200.0|1.0|NULL|NULL|NULL|0.0|0|0
A|2024-01-03|110.0|NULL|200.0|1.1|0.1|0.0|0.1|0.0|0|0
A|2024-01-04|99.0|NULL|220.0|0.9|-0.1|0.1|-0.2|-0.181818|1|0
A|2024-01-08|121.0|NULL|220.0|1.1|0.222222|0.0|0.222222|0.0|0|1
A|2024-01-12|132.0|NULL|264.0|1.0|0.090909|0.2|-0.109091|-0.090909|1|4"
check "fin_relative: an unkeyed benchmark applies to every key, each merged from the benchmark's start" \
  "SELECT key, count(*), round(min(ratio), 6), round(max(ratio), 6), max(skipped) FROM fin_relative('ab', 'g') GROUP BY key;" \
  "A|5|0.9|1.1|4
B|3|1.0|1.0|0"
check "fin_relative: a keyed benchmark chosen with benchmark_key, shown in its column" \
  "SELECT key, benchmark_key, count(*), round(sum(ratio), 6) FROM fin_relative('s', 's') WHERE key = 'A' AND benchmark_key = 'G';" \
  "A|G|5|5.1"
check "fin_relative: benchmark_key from a join (one benchmark per row of the other table)" \
  "CREATE TEMP TABLE pairs(small, large); INSERT INTO pairs VALUES ('A', 'G'), ('B', 'G');
   SELECT p.small, r.benchmark_key, count(*) FROM pairs p JOIN fin_relative('s', 's') r ON r.key = p.small AND r.benchmark_key = p.large GROUP BY 1, 2;" \
  "A|G|5
B|G|3"
check "fin_relative: an unkeyed series against a keyed benchmark" \
  "SELECT quote(key), count(*), round(sum(ratio), 6) FROM fin_relative('a', 's') WHERE benchmark_key = 'G';" \
  "NULL|5|5.1"
check "fin_relative: named arguments, as_of ends both series" \
  "SELECT count(*), max(time) FROM fin_relative WHERE series = 'ab' AND benchmark = 'g' AND key = 'A' AND as_of = '2024-01-08';" \
  "4|2024-01-08"
check "fin_relative: the lowest ratio (relative strength at its low)" \
  "SELECT time, round(ratio, 6) FROM fin_relative('ab', 'g') WHERE key = 'A' ORDER BY ratio LIMIT 1;" \
  "2024-01-04|0.9"
check "fin_relative: no common time gives no rows" \
  "SELECT count(*) FROM fin_relative('SELECT d, c FROM a WHERE d > ''2024-01-12''', 'g');" "0"
check_error "fin_relative: the benchmark is required" \
  "SELECT * FROM fin_relative('ab');" "fin_relative(): the second argument, benchmark, is required"
check_error "fin_relative: a keyed benchmark needs benchmark_key" \
  "SELECT * FROM fin_relative('ab', 's');" "fin_relative(): benchmark has keys (key, time, value): choose its series with benchmark_key = ..."
check_error "fin_relative: benchmark_key on an unkeyed benchmark" \
  "SELECT * FROM fin_relative('ab', 'g') WHERE benchmark_key = 'G';" "fin_relative(): benchmark has no key column (time, value), so benchmark_key = text 'G' matches none of its rows"
check_error "fin_relative: times of two kinds" \
  "SELECT * FROM fin_relative('ab', 'SELECT julianday(d), c FROM g');" "fin_relative(): the benchmark's times are numbers but the series' are ISO-8601 text"
check_error "fin_relative: a bad benchmark price names the benchmark" \
  "SELECT * FROM fin_relative('ab', 'SELECT d, -c FROM g');" "fin_relative(): benchmark value must be > 0, got -200.0 at time text '2024-01-02'"
check_error "fin_relative: a benchmark of one column" \
  "SELECT * FROM fin_relative('ab', 'SELECT d FROM g');" "fin_relative(): benchmark must have 2 columns (time, value) or 3 (key, time, value), or name them"

# A against g over 1 and 2 rows: the benchmark as of the anchor and the end
# (01-09 has no g: its close of 01-08 stands).
FWD_A="2024-01-02|1|0.1|NULL|0.0|0.1
2024-01-02|2|-0.01|NULL|0.1|-0.11
2024-01-04|1|0.222222|NULL|0.0|0.222222
2024-01-04|2|0.212121|NULL|0.0|0.212121
2024-01-08|1|-0.008264|NULL|0.0|-0.008264
2024-01-08|2|0.07438|NULL|0.045455|0.028926"
F="event_time, horizon, round(forward_return, 6), quote(benchmark_key), quote(round(benchmark_return, 6)), quote(round(excess_return, 6))"
check "fin_forward_returns with a benchmark: its return over the same window, as of the anchor and the end" \
  "SELECT $F FROM fin_forward_returns('ab', '1,2') WHERE key = 'A' AND benchmark = 'g' AND event_time IN ('2024-01-02', '2024-01-04', '2024-01-08');" \
  "$FWD_A"
check "fin_forward_returns: the same answers for every event at once (no event_time: one pass)" \
  "SELECT $F FROM fin_forward_returns('ab', '1,2', NULL, 'g') WHERE key = 'A' AND event_time IN ('2024-01-02', '2024-01-04', '2024-01-08');" \
  "$FWD_A"
check "fin_forward_returns: past the benchmark's last row its return is NULL, not stale" \
  "SELECT event_time, horizon, quote(round(benchmark_return, 6)) FROM fin_forward_returns('ab', '1', NULL, 'g_short') WHERE key = 'A' AND event_time <= '2024-01-08';" \
  "2024-01-02|1|0.0
2024-01-03|1|0.1
2024-01-04|1|NULL
2024-01-08|1|NULL"
check "fin_forward_returns: a keyed benchmark by benchmark_key, every key of the series" \
  "SELECT key, benchmark_key, count(benchmark_return), round(sum(excess_return), 6) FROM fin_forward_returns('ab', '1') WHERE benchmark = 's' AND benchmark_key = 'G' GROUP BY key;" \
  "A|G|6|0.019395
B|G|2|0.0"
check "fin_forward_returns: a seek with a keyed benchmark answers as the full read" \
  "SELECT group_concat(round(excess_return, 6)) FROM fin_forward_returns('s', '1,2') WHERE key = 'A' AND event_time = '2024-01-08' AND benchmark = 's' AND benchmark_key = 'G';" \
  "-0.008264,0.028926"
check_error "fin_forward_returns: benchmark_key without a benchmark" \
  "SELECT * FROM fin_forward_returns('ab', '1') WHERE benchmark_key = 'G';" "fin_forward_returns(): benchmark_key = text 'G' needs a benchmark (the benchmark argument)"

C="key, period, start_time, end_time, round(period_return, 6), quote(round(benchmark_return, 6)), quote(round(excess_return, 6)), partial"
check "fin_calendar_returns with a benchmark: both returns and the difference per week" \
  "SELECT $C FROM fin_calendar_returns('ab', 'week', 'g') WHERE key = 'A';" \
  "A|2024-W01|2024-01-02|2024-01-04|-0.01|0.1|-0.11|1
A|2024-W02|2024-01-04|2024-01-12|0.333333|0.2|0.133333|1"
check "fin_calendar_returns: a keyed benchmark, named arguments" \
  "SELECT key, period, benchmark_key, round(excess_return, 6) FROM fin_calendar_returns WHERE series = 's' AND period_name = 'week' AND benchmark = 's' AND benchmark_key = 'G' AND key = 'B';" \
  "B|2024-W01|G|0.0"
check "fin_calendar_returns: a period past the benchmark's end has no benchmark return" \
  "SELECT period, quote(round(benchmark_return, 6)) FROM fin_calendar_returns('ab', 'week', 'g_short') WHERE key = 'A';" \
  "2024-W01|0.1
2024-W02|NULL"
check_error "fin_calendar_returns: a keyed benchmark needs benchmark_key" \
  "SELECT * FROM fin_calendar_returns('ab', 'week', 's');" "fin_calendar_returns(): benchmark has keys"
done_testing

#!/bin/sh
# fin_swings and fin_trailing_returns on hand-built series, every value
# worked out by hand (r = round(x, 6)), then their errors.
#  A: 01-02 100 | 01-03 90 | 01-04 90 (equal low: the first stays) | 01-05 108
#     (+20% from 90: an up leg from 01-03, confirmed here) | 01-08 120 |
#     01-09 120 (equal high: the end moves here) | 01-10 NULL | 01-11 96 (-20%
#     from 120: the up leg ended 01-09, a down leg confirmed here) | 01-12 90 |
#     01-15 100 (the down leg goes on: its low so far is 01-12's 90)
#  B: 50 | 55 | 52: never moves 20%, no leg
#  C: 01-02 100 | 01-03 100 (the running high moves here) | 01-04 80 (-20%: down
#     from 01-03) | 01-05 80 (equal low: 01-04 stays the low) | 01-08 96 (+20%
#     from 80: up from 01-04, going on)
#  T: 2023-12-29 100 | 2024-01-02 101 | 01-31 110 | 02-29 121 | 03-29 110 |
#     03-31 132 (the end); G: 2023-12-29 50 | 2024-02-29 55 | 03-31 60
. "$(dirname "$0")/lib.sh"
plan 29
SETUP="CREATE TABLE s(k TEXT, d TEXT, c REAL);
INSERT INTO s VALUES ('A','2024-01-02',100),('A','2024-01-03',90),('A','2024-01-04',90),('A','2024-01-05',108),
 ('A','2024-01-08',120),('A','2024-01-09',120),('A','2024-01-10',NULL),('A','2024-01-11',96),('A','2024-01-12',90),
 ('A','2024-01-15',100),('B','2024-01-02',50),('B','2024-01-03',55),('B','2024-01-04',52),
 ('C','2024-01-02',100),('C','2024-01-03',100),('C','2024-01-04',80),('C','2024-01-05',80),('C','2024-01-08',96),
 ('T','2023-12-29',100),('T','2024-01-02',101),('T','2024-01-31',110),('T','2024-02-29',121),('T','2024-03-29',110),
 ('T','2024-03-31',132),('G','2023-12-29',50),('G','2024-02-29',55),('G','2024-03-31',60);
CREATE VIEW a AS SELECT d, c FROM s WHERE k = 'A';"

SW="key, direction, start_time, start_value, end_time, end_value, round(change, 6), sessions, days, confirm_time, confirm_value, ongoing, extreme_time, extreme_value"
check "fin_swings at 20%: the first leg from the first row at the low, an equal high moves the end, the last leg going on" \
  "SELECT $SW FROM fin_swings('s', 0.2) WHERE key = 'A';" \
  "A|up|2024-01-03|90.0|2024-01-09|120.0|0.333333|4|6|2024-01-05|108.0|0|2024-01-09|120.0
A|down|2024-01-09|120.0|2024-01-15|100.0|-0.166667|3|6|2024-01-11|96.0|1|2024-01-12|90.0"
check "fin_swings: a series that never moves the threshold has no leg" "SELECT count(*) FROM fin_swings('s', 0.2) WHERE key = 'B';" "0"
check "fin_swings: the first turning point is the last row at the high; an equal low keeps the first row" \
  "SELECT $SW FROM fin_swings('s', 0.2) WHERE key = 'C';" \
  "C|down|2024-01-03|100.0|2024-01-04|80.0|-0.2|1|1|2024-01-04|80.0|0|2024-01-04|80.0
C|up|2024-01-04|80.0|2024-01-08|96.0|0.2|2|4|2024-01-08|96.0|1|2024-01-08|96.0"
check "fin_swings at 10%: more legs; at 35% none on A" \
  "SELECT group_concat(direction || ':' || start_time || '>' || end_time, ' ') FROM fin_swings('a', 0.1);
   SELECT count(*) FROM fin_swings('a', 0.35);" \
  "down:2024-01-02>2024-01-03 up:2024-01-03>2024-01-09 down:2024-01-09>2024-01-12 up:2024-01-12>2024-01-15
0"
check "fin_swings: as_of ends the series there, the leg then open" \
  "SELECT $SW FROM fin_swings('s', 0.2) WHERE key = 'A' AND as_of = '2024-01-10';" \
  "A|up|2024-01-03|90.0|2024-01-09|120.0|0.333333|4|6|2024-01-05|108.0|1|2024-01-09|120.0"
check "fin_swings: keys from a join, named arguments, and the answer of the whole series filtered" \
  "SELECT count(*), sum(f.change) = (SELECT sum(change) FROM fin_swings('s', 0.2) WHERE key IN ('A', 'C'))
     FROM (SELECT 'A' AS k UNION ALL SELECT 'C') w JOIN fin_swings('s', 0.2) f ON f.key = w.k;
   SELECT count(*) FROM fin_swings WHERE series = 's' AND threshold = 0.2 AND key = 'C';" \
  "4|1
2"
check "fin_swings: the threshold from a join, one run per row" \
  "SELECT t, count(f.direction) FROM (SELECT 0.1 AS t UNION ALL SELECT 0.2 UNION ALL SELECT 0.35) x LEFT JOIN fin_swings('a', x.t) f GROUP BY t ORDER BY t;" \
  "0.1|4
0.2|2
0.35|0"
check "fin_swings on numeric times: days are NULL" \
  "SELECT start_time, end_time, sessions, quote(days) FROM fin_swings('SELECT julianday(d) - 2460311.5, c FROM a', 0.2);" \
  "1.0|7.0|4|NULL
7.0|13.0|3|NULL"

TR="period, start_time, start_value, end_time, end_value, round(period_return, 6), quote(round(annualized_return, 6))"
check "fin_trailing_returns: months clamped to the month's end, the to-date periods, sessions, and a period before the first close" \
  "SELECT $TR FROM fin_trailing_returns('s', '1 month, 2 months, mtd, qtd, ytd, 1 year, inception, 2, 5, 6') WHERE key = 'T';" \
  "1 month|2024-02-29|121.0|2024-03-31|132.0|0.090909|NULL
2 months|2024-01-31|110.0|2024-03-31|132.0|0.2|NULL
mtd|2024-02-29|121.0|2024-03-31|132.0|0.090909|NULL
qtd|2023-12-29|100.0|2024-03-31|132.0|0.32|NULL
ytd|2023-12-29|100.0|2024-03-31|132.0|0.32|NULL
1 year|||2024-03-31|132.0||NULL
inception|2023-12-29|100.0|2024-03-31|132.0|0.32|NULL
2|2024-02-29|121.0|2024-03-31|132.0|0.090909|NULL
5|2023-12-29|100.0|2024-03-31|132.0|0.32|NULL
6|||2024-03-31|132.0||NULL"
check "fin_trailing_returns: rows in the order written, repeats dropped, labels normalised" \
  "SELECT group_concat(period, ',') FROM fin_trailing_returns('s', 'YTD, 1 Months,12 months, 1 year , 21, 21') WHERE key = 'T';" \
  "ytd,1 month,12 months,21"
check "fin_trailing_returns: as_of moves the end to the last close on or before it" \
  "SELECT period, start_time, end_time, round(period_return, 6) FROM fin_trailing_returns('s', '1 month, ytd') WHERE key = 'T' AND as_of = '2024-03-30';" \
  "1 month|2024-02-29|2024-03-29|-0.090909
ytd|2023-12-29|2024-03-29|0.1"
check "fin_trailing_returns: annualized past a year (3 years over 3, 13 months over 13/12, inception over its days / 365.25), not at a year; a sparse series' base is still the last close on or before" \
  "SELECT period, round(period_return, 6), quote(round(annualized_return, 6)) FROM fin_trailing_returns('VALUES (''2020-01-01'', 100), (''2023-01-01'', 133.1)', '1 year, 2 years, 3 years, 36 months, 13 months, inception, 1');" \
  "1 year|0.331|NULL
2 years|0.331|0.15369
3 years|0.331|0.1
13 months|0.331|0.302045
inception|0.331|0.099976
1|0.331|NULL"
check "fin_trailing_returns: sessions annualize past 252, at 252 a year; inception on numeric times over their span as days / 365.25" \
  "SELECT period, round(period_return, 6), quote(round(annualized_return, 6)) FROM fin_trailing_returns('WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 504) SELECT i, 1 + i / 504.0 FROM n', '252, 504, inception');" \
  "252|0.333333|NULL
504|1.0|0.414214
inception|1.0|0.65256"
check "fin_trailing_returns against a keyed benchmark: its values as of the same dates" \
  "SELECT period, benchmark_key, round(benchmark_return, 6), round(excess_return, 6) FROM fin_trailing_returns('s', '1 month, ytd, 2', 's') WHERE key = 'T' AND benchmark_key = 'G';" \
  "1 month|G|0.090909|0.0
ytd|G|0.2|0.12
2|G|0.090909|0.0"
check "fin_trailing_returns: a benchmark with no value at the base gives NULL" \
  "SELECT period, quote(benchmark_return) FROM fin_trailing_returns('s', 'inception', 'SELECT d, c FROM s WHERE k = ''G'' AND d > ''2024''') WHERE key = 'T';" \
  "inception|NULL"
check "fin_trailing_returns: periods from a join; a key with no value has no rows" \
  "SELECT x.p, f.key, round(f.period_return, 6) FROM (SELECT 'ytd' AS p UNION ALL SELECT '2') x JOIN fin_trailing_returns('s', x.p) f ON f.key = 'T';
   SELECT count(*) FROM fin_trailing_returns('SELECT ''Z'', ''2024-01-02'', NULL', 'ytd');" \
  "ytd|T|0.32
2|T|0.090909
0"
check "fin_trailing_returns: sessions and inception on numeric times" \
  "SELECT period, start_time, round(period_return, 6) FROM fin_trailing_returns('SELECT julianday(d), c FROM s WHERE k = ''T''', '2, inception');" \
  "2|2460369.5|0.090909
inception|2460307.5|0.32"

check_error "fin_swings: threshold is required" "SELECT * FROM fin_swings('s');" \
  "fin_swings(): threshold is required: > 0 and < 1 (a fraction: 0.2 for bull and bear markets, 0.1 for corrections)"
check_error "fin_swings: threshold 0" "SELECT * FROM fin_swings('s', 0);" \
  "fin_swings(): threshold must be > 0 and < 1 (a fraction: 0.2 for bull and bear markets, 0.1 for corrections), got 0"
check_error "fin_swings: threshold 1" "SELECT * FROM fin_swings('s', 1);" "fin_swings(): threshold must be > 0 and < 1"
check_error "fin_swings: a negative threshold" "SELECT * FROM fin_swings('s', -0.2);" "fin_swings(): threshold must be > 0 and < 1 (a fraction: 0.2 for bull and bear markets, 0.1 for corrections), got -0.2"
check_error "fin_swings: threshold NULL" "SELECT * FROM fin_swings('s', NULL);" "fin_swings(): threshold must be > 0 and < 1 (a fraction: 0.2 for bull and bear markets, 0.1 for corrections), got NULL"
check_error "fin_swings: threshold as text" "SELECT * FROM fin_swings('s', '0.2');" "fin_swings(): threshold must be a number, got text '0.2'"
check_error "fin_trailing_returns: periods is required" "SELECT * FROM fin_trailing_returns('s');" \
  "fin_trailing_returns(): periods is required, such as '1 month, 3 months, ytd, 1 year, 3 years, inception' or '5, 21'"
check_error "fin_trailing_returns: an unknown word" "SELECT * FROM fin_trailing_returns('s', '1 month, since');" \
  "fin_trailing_returns(): periods must be session counts, calendar offsets, 'mtd', 'qtd', 'ytd' or 'inception' separated by commas, such as '1 month, 3 months, ytd, 1 year, 3 years, inception' or '5, 21', got '1 month, since'"
check_error "fin_trailing_returns: an unknown unit" "SELECT * FROM fin_trailing_returns('s', '1 fortnight');" \
  "fin_trailing_returns(): periods must be session counts, calendar offsets, 'mtd', 'qtd', 'ytd' or 'inception' separated by commas"
check_error "fin_trailing_returns: zero sessions" "SELECT * FROM fin_trailing_returns('s', '5, 0');" \
  "fin_trailing_returns(): period must be between 1 and 10000000 sessions, got '0'"
check_error "fin_trailing_returns: a calendar period on numeric times" "SELECT * FROM fin_trailing_returns('SELECT julianday(d), c FROM a', '5, 1 month');" \
  "fin_trailing_returns(): the calendar period '1 month' needs times that are ISO-8601 dates (YYYY-MM-DD); the series times are numbers"
check_error "fin_trailing_returns: benchmark_key without a benchmark" "SELECT * FROM fin_trailing_returns('s', 'ytd') WHERE benchmark_key = 'G';" \
  "fin_trailing_returns(): benchmark_key = text 'G' needs a benchmark (the benchmark argument)"
done_testing

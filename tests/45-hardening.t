#!/bin/sh
# Regressions from the adversarial run (issue 14): each reproduction is kept
# here, with the answer it must give now.
. "$(dirname "$0")/lib.sh"
plan 28
SETUP="CREATE TABLE x(d TEXT, c REAL);
INSERT INTO x VALUES ('2024-01-02', 100), ('2024-01-03', 110), ('2024-01-04', 99);"
NEST="fin_series(): tables are nested more than 8 deep (does a series read the table that reads it?)"

# 1. A series text that reads itself: an error, never a stack overflow.
check_error "a series text that quotes itself" "SELECT count(*) FROM fin_series(replace('SELECT key,time,value FROM fin_series(replace(@,char(64),quote(@)))', char(64), quote('SELECT key,time,value FROM fin_series(replace(@,char(64),quote(@)))')));" "$NEST"
check_error "a series text stored in a table that reads itself" "CREATE TABLE q(s TEXT); INSERT INTO q VALUES ('SELECT key, time, value FROM fin_series((SELECT s FROM q))');
SELECT * FROM fin_series((SELECT s FROM q));" "$NEST"
check_error "the same through a bound parameter" ".param set @s \"'SELECT key, time, value FROM fin_series((SELECT s FROM q))'\"
CREATE TABLE q(s TEXT); INSERT INTO q VALUES (@s);
SELECT * FROM fin_series(@s);" "$NEST"
check_error "an events text that reads itself" "CREATE TABLE q(s TEXT); INSERT INTO q VALUES ('SELECT event_time FROM fin_forward_returns(''x'', 1, (SELECT s FROM q))');
SELECT * FROM fin_forward_returns('x', 1, (SELECT s FROM q));" "fin_forward_returns(): tables are nested more than 8 deep"
check "nesting within the limit still works" "SELECT count(*) FROM fin_series('SELECT time, value FROM fin_series(''SELECT time, value FROM fin_series(''''x'''')'')');" "3"

# 2. A statement that writes to the table being read finishes, with
# SQLite's semantics: the series is read whole before the first row.
P="CREATE TABLE p(t INTEGER PRIMARY KEY, c REAL); INSERT INTO p VALUES (1, 10), (2, 11), (3, 12);"
check "INSERT INTO p SELECT ... FROM fin_series('p') ends (unbounded)" "$P
INSERT INTO p SELECT time + 1000000, value FROM fin_series('SELECT t, c FROM p');
SELECT count(*), max(t) FROM p;" "6|1000003"
check "INSERT INTO p SELECT ... FROM fin_series('p') WHERE ... ends (bounded)" "$P
INSERT INTO p SELECT time + 1000000, value FROM fin_series('SELECT t, c FROM p') WHERE time < 3;
SELECT count(*), max(t) FROM p;" "5|1000002"
check "a table read inside an INSERT gives the rows a SELECT gives" "CREATE TABLE o AS SELECT * FROM fin_drawdowns('SELECT ''A'', d, c FROM x UNION ALL SELECT ''B'', d, 200 - c FROM x') WHERE 0;
INSERT INTO o SELECT * FROM fin_drawdowns('SELECT ''A'', d, c FROM x UNION ALL SELECT ''B'', d, 200 - c FROM x');
SELECT (SELECT count(*) FROM (SELECT * FROM o EXCEPT SELECT * FROM fin_drawdowns('SELECT ''A'', d, c FROM x UNION ALL SELECT ''B'', d, 200 - c FROM x'))), (SELECT count(*) FROM o);" "0|2"

# 6. Answers that were wrong or inconsistent.
check "keyed events match integer keys above 2^53 exactly" "SELECT key, start_value FROM fin_forward_returns('VALUES (9007199254740992, 1, 10), (9007199254740993, 1, 20)', 1, 'VALUES (9007199254740993, 1)');" "9007199254740993|20.0"
check "a key whose prices are all NULL lists its events unanchored, first key" "SELECT group_concat(key || ':' || ifnull(anchor_time, '-')) FROM fin_forward_returns('VALUES (''A'', 1, NULL), (''A'', 2, NULL), (''B'', 1, 10), (''B'', 2, 11)', 1, 'VALUES (2)');" "A:-,B:2"
check "... and a later key alike" "SELECT group_concat(key || ':' || ifnull(anchor_time, '-')) FROM fin_forward_returns('VALUES (''A'', 1, 10), (''A'', 2, 11), (''B'', 1, NULL), (''B'', 2, NULL)', 1, 'VALUES (2)');" "A:2,B:-"
check_error "a running function under a frame that ends after the current row" "SELECT fin_drawdown(c) OVER (ORDER BY d ROWS BETWEEN UNBOUNDED PRECEDING AND 1 FOLLOWING) FROM x;" "fin_drawdown(): needs a window frame that ends at the current row (no FOLLOWING) and no FILTER clause"
check_error "... and under UNBOUNDED FOLLOWING" "SELECT fin_rolling_return(c, 1) OVER (ORDER BY d ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) FROM x;" "fin_rolling_return(): needs a window frame that ends at the current row"
check_error "a running function with FILTER" "SELECT fin_up_streak(c) FILTER (WHERE c > 100) OVER (ORDER BY d) FROM x;" "fin_up_streak(): needs a window frame that ends at the current row (no FOLLOWING) and no FILTER clause; to leave rows out, pass NULL for them"
check_error "a year 10000 reached through an offset is refused" "SELECT * FROM fin_calendar_returns('VALUES (''9999-12-31T23:00:00-05:00'', 1)', 'year');" "fin_calendar_returns(): time must be a time of the years 0001 to 9999 (UTC), got text '9999-12-31T23:00:00-05:00'"
check_error "so is year 0000 (its first days have no ISO week label)" "SELECT * FROM fin_calendar_returns('VALUES (''0000-01-01'', 1)', 'week');" "fin_calendar_returns(): time must be a time of the years 0001 to 9999 (UTC), got text '0000-01-01'"
check "the first and last days of the range have labels" "SELECT group_concat(period) FROM fin_calendar_returns('VALUES (''0001-01-01'', 1), (''9999-12-31T23:59:59Z'', 2)', 'week');" "0001-W01,9999-W52"
check "fin_median of far-apart finite values is finite" "SELECT fin_median(x) FROM (SELECT -1.7e308 x UNION ALL SELECT 1.7e308);" "0.0"
check_error "a result that overflows is an error, not Inf" "SELECT fin_compound(x) FROM (SELECT 1e200 x UNION ALL SELECT 1e200);" "fin_compound(): the result is too large to represent (+Inf)"
check_error "... in a table too" "SELECT change FROM fin_series('VALUES (1, 1e-308), (2, 1e308)');" "fin_series(): a result is too large to represent (+Inf)"
check_error "a repeated event time blames the events" "SELECT * FROM fin_forward_returns('x', 1, 'VALUES (''2024-01-03''), (''2024-01-03'')');" "fin_forward_returns(): events time must not repeat, got 2024-01-03 twice"
check "ISO times mixing ' ' and 'T' are read in time order" "SELECT group_concat(key || '@' || time || '=' || value, ' ') FROM fin_series('SELECT 1, ''2024-01-02 10:00'', 1 UNION ALL SELECT 1, ''2024-01-02T09:00'', 2 UNION ALL SELECT 1, ''2024-01-03'', 3 UNION ALL SELECT 2, ''2024-01-02T09:30'', 5');" "1@2024-01-02T09:00=2.0 1@2024-01-02 10:00=1.0 1@2024-01-03=3.0 2@2024-01-02T09:30=5.0"
check "fractional seconds are read in time order" "SELECT group_concat(time, ' ') FROM fin_series('VALUES (''2024-01-02T10:00:00.5Z'', 1), (''2024-01-02T10:00:00Z'', 2), (''2024-01-02T10:00:01Z'', 3)');" "2024-01-02T10:00:00Z 2024-01-02T10:00:00.5Z 2024-01-02T10:00:01Z"
check_error "one time written two ways is still a repeat" "SELECT * FROM fin_series('VALUES (''2024-01-02 10:00'', 1), (''2024-01-02T10:00:00Z'', 2)');" "fin_series(): time must not repeat, got 2024-01-02 10:00:00 UTC twice (times are compared to the millisecond)"
check "intraday events in two formats anchor in time order" "SELECT group_concat(event_time || '>' || anchor_time, ' ') FROM fin_forward_returns('VALUES (''2024-01-02T09:00'', 1), (''2024-01-02 10:00'', 2), (''2024-01-02T11:00'', 3)', 1, 'VALUES (''2024-01-02T10:30''), (''2024-01-02 09:30'')');" "2024-01-02 09:30>2024-01-02T09:00 2024-01-02T10:30>2024-01-02 10:00"
check "65 copies of one horizon are one horizon" "SELECT count(DISTINCT horizon) FROM fin_forward_returns('x', replace(hex(zeroblob(65)), '00', '5,') || '5');" "1"

# 3. The safe entry point runs no SQL text: names only.
FIN_SAFE() { printf '.load %s sqlite3_fin_safe_init\n%s\n%s\n' "$FIN_LIB" "$SETUP" "$1" | $SQLITE3 -batch -bail :memory: 2>&1; }
OUT=$(FIN_SAFE "SELECT * FROM fin_series('SELECT d, c FROM x');")
case "$OUT" in *"fin_series(): series must be the name of a table or view: this connection loaded fin with sqlite3_fin_safe_init, which runs no SQL text"*) tap_ok 0 "sqlite3_fin_safe_init refuses SQL text";; *) tap_ok 1 "safe init refuses text"; diag "$OUT";; esac
OUT=$(FIN_SAFE "SELECT count(*), max(drawdown) FROM fin_series('x'); CREATE VIEW ev AS SELECT d FROM x WHERE c > 100; SELECT count(*) FROM fin_forward_returns('x', 1, 'ev');")
[ "$OUT" = "3|0.0
1" ] && tap_ok 0 "sqlite3_fin_safe_init reads tables by name" || { tap_ok 1 "safe init reads names"; diag "$OUT"; }
done_testing

#!/bin/sh
# The series argument is one read-only SELECT or a name, nothing else; bad
# arguments and bad rows give errors that say what is wrong and where.
. "$(dirname "$0")/lib.sh"
plan 37
SETUP="CREATE TABLE s(k TEXT, d TEXT, c REAL);
INSERT INTO s VALUES ('X','2024-01-02',100),('X','2024-01-03',110),('X','2024-01-04',105);
CREATE VIEW x AS SELECT d, c FROM s;"

check_error "missing series" "SELECT * FROM fin_drawdowns;" "fin_drawdowns(): the first argument, series, is required"
check_error "series is not text" "SELECT * FROM fin_series(42);" "fin_series(): series must be the text of a SELECT or a table name, got 42"
check_error "a DELETE" "SELECT * FROM fin_drawdowns('DELETE FROM s');" "fin_drawdowns(): series must be a read-only SELECT (or WITH ... SELECT, VALUES) or the name of a table or view, got 'DELETE FROM s'"
check_error "a write hidden in a WITH" "SELECT * FROM fin_drawdowns('WITH t AS (SELECT 1) DELETE FROM s');" "fin_drawdowns(): series must be a read-only SELECT"
check_error "a second statement" "SELECT * FROM fin_drawdowns('SELECT d, c FROM x; DELETE FROM s');" "fin_drawdowns(): series must be a single SELECT statement, found more after it"
# The write attempts above ran against a file: its rows are all still there.
DB="$T_TMP/attack.db" run_sql "SELECT 1;"
for attack in "SELECT d, c FROM x; DELETE FROM s" "WITH t AS (SELECT 1) DELETE FROM s" "DELETE FROM s" \
  "x; DROP TABLE s"; do
  DB="$T_TMP/attack.db" SETUP="" run_sql "SELECT * FROM fin_drawdowns('$attack');"
done
DB="$T_TMP/attack.db" SETUP="" check "no attempt wrote anything" "SELECT count(*) FROM s;" "3"
check_error "a PRAGMA" "SELECT * FROM fin_streaks('PRAGMA table_info(s)');" "fin_streaks(): series must be a read-only SELECT"
check_error "EXPLAIN" "SELECT * FROM fin_streaks('EXPLAIN SELECT d, c FROM x');" "fin_streaks(): series must be a read-only SELECT"
check_error "escaping the subquery" "SELECT * FROM fin_series('SELECT d, c FROM x) UNION SELECT 1, 2 --');" "fin_series(): series: near \")\": syntax error"
check_error "a name with a quote" "SELECT * FROM fin_series('x\"; DROP TABLE s; --');" "fin_series(): series must be a read-only SELECT (or WITH ... SELECT, VALUES) or the name of a table or view"
check_error "an unknown table" "SELECT * FROM fin_series('nosuch');" "fin_series(): series: no such table: nosuch"
check_error "parameters in the series" "SELECT * FROM fin_series('SELECT d, c FROM x WHERE c > ?');" "fin_series(): series must not contain parameters"
check_error "an empty series text" "SELECT * FROM fin_series('   ');" "fin_series(): series is empty"
check_error "wrong column count" "SELECT * FROM fin_series('SELECT d FROM x');" "fin_series(): series must have 2 columns (time, value) or 3 (key, time, value), or name them: a time column (date, time, datetime or timestamp), a key column (symbol, ticker, key or code) if any, and close (or another column chosen with value_column = '...'); found no time column in its 1 column: d"
check_error "a table with too many columns" "CREATE TABLE wide(a, b, c, d); SELECT * FROM fin_series('wide');" "fin_series(): series must have 2 columns (time, value) or 3 (key, time, value), or name them: a time column (date, time, datetime or timestamp), a key column (symbol, ticker, key or code) if any, and close (or another column chosen with value_column = '...'); found no time column in its 4 columns: a, b, c, d"
check_error "a non-positive value names its time" "SELECT * FROM fin_drawdowns('SELECT d, CASE WHEN d = ''2024-01-03'' THEN -3 ELSE c END FROM x');" "fin_drawdowns(): value must be > 0, got -3 at time text '2024-01-03'"
check_error "a text value names its time and key" "SELECT * FROM fin_streaks('SELECT k, d, CAST(c AS TEXT) FROM s');" "fin_streaks(): value must be a number, got text '100.0' (a number stored as text, as .import stores every CSV field; load files with sql/load_csv.sh, or pass CAST(value AS REAL)) at time text '2024-01-02', key X"
check_error "a repeated time" "SELECT * FROM fin_series('SELECT d, c FROM x UNION ALL SELECT ''2024-01-03'', 1');" "fin_series(): time must not repeat, got 2024-01-03 twice"
check_error "a repeated time names the key" "SELECT * FROM fin_series('SELECT ''A'', d, c FROM x UNION ALL SELECT ''A'', ''2024-01-03'', 1');" "fin_series(): time must not repeat, got 2024-01-03 twice, key A"
check_error "a malformed time" "SELECT * FROM fin_series('SELECT replace(d, ''-'', ''/''), c FROM x');" "fin_series(): time must be ISO-8601 text (YYYY-MM-DD) or a number, got text '2024/01/02'"
check_error "a NULL time" "SELECT * FROM fin_series('SELECT NULL, 1');" "fin_series(): time must not be NULL"
check_error "times of two kinds" "SELECT * FROM fin_series('SELECT d, c FROM x UNION ALL SELECT 2460000.5, 1');" "fin_series(): time must be all ISO-8601 text or all numbers, not both"
check_error "n = 0 for fin_series" "SELECT * FROM fin_series('x', 0);" "fin_series(): n must be between 1 and 10000000, got 0"
check_error "horizon 0" "SELECT * FROM fin_forward_returns('x', '0');" "fin_forward_returns(): horizon must be between 1 and 10000000 rows, got '0'"
check_error "horizon -5" "SELECT * FROM fin_forward_returns('x', '5,-5');" "fin_forward_returns(): horizon must be between 1 and 10000000 rows, got '-5'"
check_error "horizon 'abc'" "SELECT * FROM fin_forward_returns('x', 'abc');" "fin_forward_returns(): horizons must be row counts or calendar offsets separated by commas, such as '5,21,63' or '1 week, 1 month, 1 year', got 'abc'"
check_error "missing horizons" "SELECT * FROM fin_forward_returns('x');" "fin_forward_returns(): horizons is required"
check_error "keyed events for an unkeyed series" "SELECT * FROM fin_forward_returns('x', 5, 'SELECT k, d FROM s');" "fin_forward_returns(): events has a key column but series has none"
check_error "events that write" "SELECT * FROM fin_forward_returns('x', 5, 'DELETE FROM s');" "fin_forward_returns(): events must be a read-only SELECT"
check_error "event_time that is not a time" "SELECT * FROM fin_forward_returns('SELECT * FROM s', 1) WHERE key = 'X' AND event_time = 'yesterday';" "fin_forward_returns(): event_time must be ISO-8601 text (YYYY-MM-DD) or a number, got text 'yesterday'"
check_error "event_time of another kind than the series times" "SELECT * FROM fin_forward_returns('SELECT * FROM s', 1) WHERE key = 'X' AND event_time = 2460311.5;" "fin_forward_returns(): events times must be of the same kind as the series times"
check_error "event_time from a join, of another kind" "SELECT * FROM (SELECT 'X' k, 5 t) e JOIN fin_forward_returns('SELECT * FROM s', 1) f ON f.key = e.k AND f.event_time = e.t;" "fin_forward_returns(): events times must be of the same kind"
# Times in two formats: SQL orders '2024-01-02 10:00' before '2024-01-02T09:00'.
check_error "a seek into times that SQL orders otherwise than the calendar" "CREATE TABLE m(d, c); INSERT INTO m VALUES ('2024-01-02T09:00', 1), ('2024-01-02 10:00', 2), ('2024-01-03', 3);
SELECT * FROM fin_forward_returns('m', 1) WHERE event_time = '2024-01-02 12:00';" "fin_forward_returns(): around event_time text '2024-01-02 12:00', SQL orders the series times differently from the calendar (times in mixed formats?); write them in one format"
check_error "event times of another kind than the series times" "SELECT * FROM fin_forward_returns('x', 1, 'SELECT 2460311.5');" "fin_forward_returns(): events times must be of the same kind as the series times (both ISO-8601 text or both numbers)"
check_error "an unknown period" "SELECT * FROM fin_calendar_returns('x', 'decade');" "fin_calendar_returns(): period must be 'year', 'quarter', 'month' or 'week', got text 'decade'"
check_error "min_depth out of range" "SELECT * FROM fin_drawdowns('x', 1.5);" "fin_drawdowns(): min_depth must be >= 0 and < 1, got 1.5"
check_error "tables are DIRECTONLY: not from a view" "CREATE VIEW v AS SELECT * FROM fin_drawdowns('x'); SELECT * FROM v;" "unsafe use of virtual table \"fin_drawdowns\""
done_testing

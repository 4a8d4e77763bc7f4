#!/bin/sh
# Regressions from the adversarial run (issue 14): each reproduction is kept
# here, with the answer it must give now.
. "$(dirname "$0")/lib.sh"
plan 10
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

# 3. The safe entry point runs no SQL text: names only.
FIN_SAFE() { printf '.load %s sqlite3_fin_safe_init\n%s\n%s\n' "$FIN_LIB" "$SETUP" "$1" | $SQLITE3 -batch -bail :memory: 2>&1; }
OUT=$(FIN_SAFE "SELECT * FROM fin_series('SELECT d, c FROM x');")
case "$OUT" in *"fin_series(): series must be the name of a table or view: this connection loaded fin with sqlite3_fin_safe_init, which runs no SQL text"*) tap_ok 0 "sqlite3_fin_safe_init refuses SQL text";; *) tap_ok 1 "safe init refuses text"; diag "$OUT";; esac
OUT=$(FIN_SAFE "SELECT count(*), max(drawdown) FROM fin_series('x'); CREATE VIEW ev AS SELECT d FROM x WHERE c > 100; SELECT count(*) FROM fin_forward_returns('x', 1, 'ev');")
[ "$OUT" = "3|0.0
1" ] && tap_ok 0 "sqlite3_fin_safe_init reads tables by name" || { tap_ok 1 "safe init reads names"; diag "$OUT"; }
done_testing

#!/bin/sh
# Hardening round 3: each defect an outside review found, kept as a test
# (a hang, a write through the read-only check, stored text calling
# writefile(), silent empties from constraints on arguments, COLLATE NOCASE
# keys on the seek path, wrong pictures, wrong numbers at extreme
# magnitudes, frames in reverse time order, wrong errors, memory that grew
# with the data).
. "$(dirname "$0")/lib.sh"
plan 49

# ---- 1. loops over data-derived bounds end, and draw no NaN (a hang fails
# the case after 60 s instead of stopping the suite)
SQLITE3="timeout 60 $SQLITE3" check "a log-scale chart from 5e-324 to 1 ends (the first tick underflowed to 0)" \
  "SELECT length(fin_chart(t, v, 'scale=log')) > 1000 FROM (SELECT 1 t, 5e-324 v UNION ALL SELECT 2, 1.0);" "1"
check "prices 5e-324 and 1e-323, linear and log, draw no NaN" \
  "SELECT instr(fin_chart(t, v), 'nan'), instr(fin_chart(t, v, 'scale=log'), 'nan') FROM (SELECT 1 t, 5e-324 v UNION ALL SELECT 2, 1e-323);" "0|0"
check "numeric times -1e308 and 1e308 draw no NaN" \
  "SELECT instr(fin_chart(t, v), 'nan'), instr(fin_chart(t, v), 'inf') FROM (SELECT -1e308 t, 1.0 v UNION ALL SELECT 0, 3.0 UNION ALL SELECT 1e308, 2.0);" "0|0"

# ---- 2, 3. a series reads, and only reads
FILE_DB="$T_TMP/ro.db"
sqlite3 "$FILE_DB" "CREATE TABLE t(a, b); CREATE INDEX ti ON t(a);
  INSERT INTO t SELECT value, value FROM generate_series(1, 1000);" 2>/dev/null ||
  sqlite3 "$FILE_DB" "CREATE TABLE t(a, b); CREATE INDEX ti ON t(a);
  WITH RECURSIVE i(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM i WHERE n < 1000) INSERT INTO t SELECT n, n FROM i;"
DB=$FILE_DB check_error "pragma_optimize in series text is refused" \
  "SELECT count(*) FROM t WHERE a > 5; SELECT * FROM fin_series('SELECT 1, 2 FROM pragma_optimize');" \
  "fin_series(): series must not read a table-valued pragma (pragma_...): pragmas may change the database (pragma_optimize runs ANALYZE), and a series only reads"
DB=$FILE_DB check "... and ANALYZE never ran (no sqlite_stat1)" \
  "SELECT count(*) FROM sqlite_schema WHERE name = 'sqlite_stat1';" "0"
DB=$FILE_DB check_error "so is a view over a table-valued pragma, read by name" \
  "CREATE TEMP VIEW pv AS SELECT 1, 2 FROM pragma_optimize; SELECT * FROM fin_series('pv');" \
  "must not read a table-valued pragma"
check "other virtual tables still read (json_each, a table of the extension)" \
  "SELECT count(*) FROM fin_series('SELECT value, value FROM json_each(''[1,2,3]'')');
SELECT count(*) FROM fin_series('SELECT time, value FROM fin_series(''SELECT 1, 2'')');" "3
1"
PWNED="$T_TMP/pwned.txt"
DB=$FILE_DB check_error "series text stored in the database cannot call writefile()" \
  "CREATE TABLE watchlist(symbol, series);
INSERT INTO watchlist VALUES ('A', 'SELECT ''A'', 1, length(writefile(''$PWNED'', ''x'')) + 1');
SELECT * FROM watchlist w, fin_drawdowns(w.series) d WHERE d.key = w.symbol;" \
  "fin_drawdowns(): series must not call writefile(), a function SQLite allows only in top-level SQL (SQLITE_DIRECTONLY)"
[ ! -e "$PWNED" ]
tap_ok $? "... and the file was not written"
check_error "nor can events text" \
  "SELECT * FROM fin_forward_returns('SELECT 1, 2', 1, 'SELECT length(readfile(''/etc/hostname''))');" \
  "fin_forward_returns(): events must not call readfile()"

# ---- 4. an argument constrained other than by = is an error, not an empty answer
SETUP=".read $ROOT/sql/schema.sql
INSERT INTO prices(symbol, date, close) VALUES ('IDX', '2025-01-02', 100), ('IDX', '2025-01-03', 90),
  ('IDX', '2025-01-06', 95), ('IDX', '2025-01-07', 101);"
check_error "as_of <= x" "SELECT * FROM fin_drawdowns('closes') WHERE as_of <= '2025-01-03';" \
  "fin_drawdowns(): as_of is an argument of the table: give it with = (as_of = ...), not <=; for the series as it stood at several dates, join a list of dates on as_of = x.date"
check_error "as_of IS x" "SELECT * FROM fin_series('closes') WHERE as_of IS '2025-01-03';" \
  "fin_series(): as_of is an argument of the table: give it with = (as_of = ...), not IS;"
check_error "as_of BETWEEN" "SELECT * FROM fin_calendar_returns('closes', 'year') WHERE as_of BETWEEN '2025-01-01' AND '2025-01-03';" \
  "fin_calendar_returns(): as_of is an argument of the table: give it with = (as_of = ...), not"
check_error "min_depth > x" "SELECT * FROM fin_drawdowns('closes') WHERE min_depth > 0.01;" \
  "fin_drawdowns(): min_depth is an argument of the table: give it with = (min_depth = ...), not >"
check_error "a positional argument compared with LIKE" "SELECT * FROM fin_streaks('closes') WHERE min_gain LIKE '0.0%';" \
  "fin_streaks(): min_gain is an argument of the table: give it with = (min_gain = ...), not LIKE"
check "= still works, and IN" \
  "SELECT count(*) FROM fin_drawdowns('closes') WHERE as_of = '2025-01-03';
SELECT count(*) FROM fin_drawdowns('closes') WHERE min_depth IN (0.05, 0.5);" "1
1"
check "a NULL events argument (to reach benchmark) is no events: event_time is the event" \
  "SELECT anchor_time, end_value FROM fin_forward_returns('closes', 1, NULL, 'closes') WHERE key = 'IDX' AND event_time = '2025-01-04' AND benchmark_key = 'IDX';" \
  "2025-01-03|95.0"
SETUP=""

# ---- 5. keys compare one way on every path (COLLATE NOCASE)
NOCASE="CREATE TABLE p(sym TEXT COLLATE NOCASE, d TEXT, c REAL, PRIMARY KEY (sym, d));
INSERT INTO p VALUES ('IDX', '2024-01-02', 100), ('IDX', '2024-01-03', 101), ('IDX', '2024-01-08', 103),
  ('idx', '2024-01-01', 50), ('idx', '2024-01-04', 55), ('idx', '2024-01-05', 60);"
check "the seek path answers for 'IDX' alone" \
  "$NOCASE SELECT key, anchor_time, horizon, end_value FROM fin_forward_returns('p', '1,2') WHERE key = 'IDX' AND event_time = '2024-01-05';" \
  "IDX|2024-01-03|1|103.0
IDX|2024-01-03|2|"
check "... and for 'idx' alone" \
  "$NOCASE SELECT key, anchor_time, horizon, end_value FROM fin_forward_returns('p', '1,2') WHERE key = 'idx' AND event_time = '2024-01-05';" \
  "idx|2024-01-05|1|
idx|2024-01-05|2|"
check "the events argument gives the same rows" \
  "$NOCASE SELECT key, anchor_time, horizon, end_value FROM fin_forward_returns('p', '1,2', 'VALUES (''2024-01-05'')') ORDER BY key COLLATE BINARY;" \
  "IDX|2024-01-03|1|103.0
IDX|2024-01-03|2|
idx|2024-01-05|1|
idx|2024-01-05|2|"
check "a plain table read by key keeps the key's own rows" \
  "$NOCASE SELECT key, count(*) FROM fin_series('p') WHERE key = 'idx' GROUP BY key;" "idx|3"

# ---- 6. pictures of extreme values
check "a sparkline over -1e308, 0, 1e308 spans the levels" \
  "SELECT fin_sparkline(x) FROM (SELECT -1e308 x UNION ALL SELECT 0 UNION ALL SELECT 1e308);" "▁▅█"
check "two runs of (1e308, 1e308) and (1, 2): high, then low" \
  "SELECT fin_sparkline(x, 2) FROM (SELECT 1 o, 1e308 x UNION ALL SELECT 2, 1e308 UNION ALL SELECT 3, 1 UNION ALL SELECT 4, 2 ORDER BY o);" "█▁"

# ---- 7. moments at extreme magnitudes (numpy's answers, scaled)
for s in 1e100 1e-200 1e-300 1e300; do
  check "correlation and beta of (1, 2, 3) x $s" \
    "SELECT fin_correlation(x, x), fin_beta(x, x), round(fin_beta(2 * x, x), 12) FROM (SELECT $s x UNION ALL SELECT 2 * $s UNION ALL SELECT 3 * $s);" "1.0|1.0|2.0"
done
check "volatility of tiny prices is that of their ratios" \
  "SELECT round(fin_volatility(p) / (SELECT fin_volatility(q) FROM (SELECT 1.0 q UNION ALL SELECT 1.1 UNION ALL SELECT 1.05)), 12) FROM (SELECT 1e-300 p UNION ALL SELECT 1.1e-300 UNION ALL SELECT 1.05e-300);" "1.0"

# ---- 8. the (time, price) forms over frames in reverse time order
check "fin_total_return(t, v) OVER (ORDER BY t DESC): each frame in time order" \
  "SELECT t, round(r, 6) FROM (SELECT t, fin_total_return(t, v) OVER (ORDER BY t DESC) r FROM (SELECT 1 t, 100.0 v UNION ALL SELECT 2, 110 UNION ALL SELECT 3, 99 UNION ALL SELECT 4, 121)) ORDER BY t;" \
  "1|0.21
2|0.1
3|0.222222
4|0.0"
check "fin_max_drawdown(t, v) OVER (ORDER BY t DESC ROWS 1 PRECEDING) slides" \
  "SELECT t, round(m, 6) FROM (SELECT t, fin_max_drawdown(t, v) OVER (ORDER BY t DESC ROWS 1 PRECEDING) m FROM (SELECT 1 t, 100.0 v UNION ALL SELECT 2, 110 UNION ALL SELECT 3, 99 UNION ALL SELECT 4, 121)) ORDER BY t;" \
  "1|0.0
2|-0.1
3|0.0
4|0.0"

# ---- 9. errors that say what is wrong
check "fin_log_return(1, 1e17) is -39.14, not an overflow" "SELECT round(fin_log_return(1, 1e17), 6), round(fin_log_return(1e-300, 1e300), 3);" "-39.143947|-1381.551"
check_error "times 10 microseconds apart: the same to the millisecond, and the message says so" \
  "SELECT * FROM fin_series('VALUES (''2024-01-01 10:00:00.00001'', 1), (''2024-01-01 10:00:00.00002'', 2)');" \
  "fin_series(): time must not repeat, got 2024-01-01 10:00:00 UTC twice (times are compared to the millisecond)"
check "a millisecond apart are two times" \
  "SELECT count(*) FROM fin_series('VALUES (''2024-01-01 10:00:00.001'', 1), (''2024-01-01 10:00:00.002'', 2)');" "2"
check_error "a time with a blank before it is the row blamed" \
  "SELECT * FROM fin_series('VALUES (''2024-01-03'', 1), ('' 2024-01-04'', 2)');" \
  "fin_series(): time must be ISO-8601 text (YYYY-MM-DD) or a number, got text ' 2024-01-04'"
check_error "a time before 0001 once its offset applies is out of range, not malformed" \
  "SELECT * FROM fin_series('VALUES (''0001-01-01T00:30+01:00'', 1)');" \
  "fin_series(): time must be a time of the years 0001 to 9999 (UTC), got text '0001-01-01T00:30+01:00'"
check "offsets across dates are read in time order" \
  "SELECT group_concat(value, ' ') FROM fin_series('VALUES (''2024-01-01T23:00:00-05:00'', 3), (''2024-01-02T01:00:00Z'', 1), (''2024-01-02T03:00:00+01:00'', 2), (''2024-01-03'', 4), (''2024-01-02T22:00:00-08:00'', 5)');" \
  "1.0 2.0 3.0 4.0 5.0"
check "a trailing block comment left open is not 'incomplete'" \
  "SELECT count(*) FROM fin_series('SELECT 1, 2 /* trailing');" "1"
E80=x$(printf 'é%.0s' $(seq 1 40)) # an odd byte first: 40 bytes would end inside a character
check_error "a long text is cut between characters, not inside one" \
  "SELECT fin_pct_change('$E80', 1);" "got text 'xééééééééééééééééééé...'"
check_error "... in table names too" \
  "SELECT * FROM fin_series('$E80 x');" "got 'xééééééééééééééééééé'"
check_error "... in horizon and period lists too" \
  "SELECT * FROM fin_forward_returns('VALUES (1, 2)', '$E80');" "got 'xééééééééééééééééééééééééééééé'"
check_error "... (fin_trailing_returns' periods)" \
  "SELECT * FROM fin_trailing_returns('VALUES (1, 2)', '$E80');" "got 'xééééééééééééééééééééééééééééé'"

# ---- 10. memory that no longer grows with the data
# The high-water mark of SQLite's allocator (the shell's .stats) for a plain
# aggregate over 200,000 and over 400,000 rows: it must not grow with them.
peak() {
  printf '.load %s\n.stats on\nSELECT %s FROM (WITH RECURSIVE i(t) AS (SELECT 1 UNION ALL SELECT t + 1 FROM i WHERE t < %s) SELECT t, 100 + sin(t / 100.0) v FROM i);\n' \
    "$FIN_LIB" "$1" "$2" | $SQLITE3 -batch :memory: 2>&1 | sed -n 's/^Memory Used: .*(max \([0-9]*\)) bytes$/\1/p' | tail -1
}
for f in "fin_volatility(v)" "fin_max_drawdown(t, v)" "fin_total_return(v)" "fin_total_return(t, v)" "fin_beta(v, v)" "fin_compound(v / 1000)"; do
  a=$(peak "$f" 200000)
  b=$(peak "$f" 400000)
  [ -n "$a" ] && [ -n "$b" ] && [ "$b" -lt $((a + 65536)) ] && [ "$b" -lt 8000000 ]
  tap_ok $? "a plain $f peaks at the same memory over 200,000 and 400,000 rows (${a:-?} and ${b:-?} bytes)"
done
check_error "a frame that first holds more than 65,536 rows and then slides is refused, not answered wrong" \
  "WITH RECURSIVE i(t) AS (SELECT 1 UNION ALL SELECT t + 1 FROM i WHERE t < 70000) SELECT count(v) FROM (SELECT fin_volatility(100 + t % 7) OVER (ORDER BY t ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) v FROM i);" \
  "fin_volatility(): this window frame held more than 65536 rows before its first result and then slid"
check "the same frame over fewer rows slides" \
  "WITH RECURSIVE i(t) AS (SELECT 1 UNION ALL SELECT t + 1 FROM i WHERE t < 1000) SELECT count(v) FROM (SELECT fin_volatility(100 + t % 7) OVER (ORDER BY t ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) v FROM i);" "998"

done_testing

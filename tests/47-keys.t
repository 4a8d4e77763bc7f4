#!/bin/sh
# A key asked for in plain SQL (WHERE key = ..., key IN (...), a key from a
# join) narrows the series read itself: the same rows as filtering the
# string form, with only that key's rows read.
. "$(dirname "$0")/lib.sh"
[ -f "$FIN_DATA_DIR/RUT.csv" ] || skip_all "no real data in $FIN_DATA_DIR"
plan 14
DB="$T_TMP/all.db"
load_real "$DB" RUT GSPC NDX SPY IWM IJR
# For each table: rows that differ between the key form and the string form
# (both ways), and the IN and join forms against a two-symbol string form.
for t in "fin_series('closes', 5)" "fin_drawdowns('closes', 0.05)" "fin_streaks('closes', 0.01, 3)" \
         "fin_down_streaks('closes', 0.01, 3)" "fin_calendar_returns('closes', 'month')" \
         "fin_forward_returns('closes', '5,21')" "fin_swings('closes', 0.1)" \
         "fin_trailing_returns('closes', '1 week, 3 months, ytd, 1 year, 5 years, inception, 21')" \
         "fin_summary('closes')"; do
  s=$(echo "$t" | sed "s/'closes'/'SELECT symbol, date, close FROM prices WHERE symbol IN (''RUT'', ''IJR'')'/")
  check "${t%%(*}: WHERE key =, key IN and a join give the string form's rows on six symbols" "SELECT
 (SELECT count(*) FROM (SELECT * FROM $t WHERE key = 'RUT' EXCEPT SELECT * FROM $s WHERE key = 'RUT'))
 + (SELECT count(*) FROM (SELECT * FROM $s WHERE key = 'RUT' EXCEPT SELECT * FROM $t WHERE key = 'RUT')),
 (SELECT count(*) FROM (SELECT * FROM $t WHERE key IN ('RUT', 'IJR') EXCEPT SELECT * FROM $s)),
 (SELECT count(*) FROM $t WHERE key IN ('RUT', 'IJR')) = (SELECT count(*) FROM $s),
 (SELECT count(*) FROM (SELECT 'RUT' symbol UNION ALL SELECT 'IJR') w JOIN $t d ON d.key = w.symbol) = (SELECT count(*) FROM $s);" "0|0|1|1"
done
# Event studies by join: the events of fin_streaks, joined on key and
# event_time, against the same events as an argument (the issue's example).
check "event study by join: fin_streaks joined to fin_forward_returns gives the events argument's rows" "SELECT
 (SELECT count(*) FROM (SELECT r.key, r.end_time, f.horizon, f.forward_return, f.max_gain, f.max_loss FROM fin_streaks('closes', 0.01, 3) r
   JOIN fin_forward_returns('closes', '21,63') f ON f.key = r.key AND f.event_time = r.end_time
  EXCEPT SELECT key, event_time, horizon, forward_return, max_gain, max_loss FROM fin_forward_returns('closes', '21,63', 'SELECT key, end_time FROM fin_streaks(''closes'', 0.01, 3)'))),
 (SELECT count(*) FROM fin_streaks('closes', 0.01, 3) r JOIN fin_forward_returns('closes', '21,63') f ON f.key = r.key AND f.event_time = r.end_time)
  = (SELECT count(*) FROM fin_forward_returns('closes', '21,63', 'SELECT key, end_time FROM fin_streaks(''closes'', 0.01, 3)')),
 (SELECT count(*) FROM fin_streaks('closes', 0.01, 3)) > 300;" "0|1|1"
check "event study by join: dates that are not sessions, before the data and after it, on six symbols" "CREATE TEMP TABLE ev AS SELECT s.symbol, d.t FROM (SELECT DISTINCT symbol FROM prices) s,
 (SELECT '1900-01-01' t UNION ALL SELECT '2020-03-22' UNION ALL SELECT '2008-10-10' UNION ALL SELECT '2024-07-16' UNION ALL SELECT '2100-01-01') d;
SELECT (SELECT count(*) FROM (SELECT f.* FROM ev JOIN fin_forward_returns('closes', '1,5,21') f ON f.key = ev.symbol AND f.event_time = ev.t
  EXCEPT SELECT * FROM fin_forward_returns('closes', '1,5,21', 'SELECT symbol, t FROM ev'))),
 (SELECT count(*) FROM ev JOIN fin_forward_returns('closes', '1,5,21') f ON f.key = ev.symbol AND f.event_time = ev.t),
 (SELECT count(*) FROM fin_forward_returns('closes', '1,5,21', 'SELECT symbol, t FROM ev'));" "0|90|90"
check "an unkeyed series has no key: WHERE key = ... keeps nothing" "SELECT count(*) FROM fin_series('SELECT date, close FROM prices WHERE symbol = ''RUT''') WHERE key = 'RUT';" "0"

# Rows read: the series text counts every row it reads through a function
# registered from Python (Debian's python3 loads extensions).
PY=/usr/bin/python3
if [ -x "$PY" ] && "$PY" -c "import sqlite3; sqlite3.connect(':memory:').enable_load_extension(True)" 2>/dev/null; then
  OUT=$(run_env "$PY" - "$DB" "$FIN_LIB" <<'PYEOF' 2>&1
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.enable_load_extension(True)
db.load_extension(sys.argv[2])
seen = {"n": 0}
def count(x):
    seen["n"] += 1
    return 1
db.create_function("counted", 1, count)
series = "SELECT symbol, date, close FROM prices WHERE counted(symbol)"
rut = db.execute("SELECT count(*) FROM prices WHERE symbol = 'RUT'").fetchone()[0]
n = db.execute("SELECT count(*) FROM fin_drawdowns(?) WHERE key = 'RUT'", (series,)).fetchone()[0]
one = seen["n"]
seen["n"] = 0
db.execute("SELECT count(*) FROM fin_drawdowns(?) WHERE key IN ('RUT', 'IJR')", (series,)).fetchone()
two = seen["n"]
ijr = db.execute("SELECT count(*) FROM prices WHERE symbol = 'IJR'").fetchone()[0]
# Three events by join, horizons up to 63: each event reads its anchor
# (and any NULL prices before it) and 63 rows, never the series.
seen["n"] = 0
ev = db.execute("SELECT count(*), count(f.forward_return) FROM (SELECT 'RUT' k, '2020-03-23' t UNION ALL SELECT 'RUT', '2024-07-16' UNION ALL SELECT 'IJR', '2008-10-10') e"
                " JOIN fin_forward_returns(?, '5,63') f ON f.key = e.k AND f.event_time = e.t", (series,)).fetchone()
seek = seen["n"]
print(one == rut, two == rut + ijr, n > 0)
print(ev == (6, 6), seek <= 3 * 66, seek)
PYEOF
)
  case "$OUT" in
  "True True True"*) tap_ok 0 "WHERE key = 'RUT' reads RUT's rows only; key IN reads only the two keys" ;;
  *) tap_ok 1 "rows read"; diag "$OUT" ;;
  esac
  case "$OUT" in
  *"
True True "*) tap_ok 0 "three events by join read $(echo "$OUT" | tail -1 | cut -d' ' -f3) rows (at most 3 x 66), not the series" ;;
  *) tap_ok 1 "rows read by an event join"; diag "$OUT" ;;
  esac
else
  tap_ok 0 "# SKIP no python3 that loads extensions"
  tap_ok 0 "# SKIP no python3 that loads extensions"
fi
done_testing

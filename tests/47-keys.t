#!/bin/sh
# A key asked for in plain SQL (WHERE key = ..., key IN (...), a key from a
# join) narrows the series read itself: the same rows as filtering the
# string form, with only that key's rows read.
. "$(dirname "$0")/lib.sh"
[ -f "$FIN_DATA_DIR/RUT.csv" ] || skip_all "no real data in $FIN_DATA_DIR"
plan 8
DB="$T_TMP/all.db"
for s in RUT GSPC NDX SPY IWM IJR; do
  "$ROOT/sql/load_csv.sh" "$DB" "$s" "$FIN_DATA_DIR/$s.csv" >/dev/null 2>&1 || { diag "cannot load $s"; exit 1; }
done
# For each table: rows that differ between the key form and the string form
# (both ways), and the IN and join forms against a two-symbol string form.
for t in "fin_series('closes', 5)" "fin_drawdowns('closes', 0.05)" "fin_streaks('closes', 0.01, 3)" \
         "fin_down_streaks('closes', 0.01, 3)" "fin_calendar_returns('closes', 'month')" \
         "fin_forward_returns('closes', '5,21')"; do
  s=$(echo "$t" | sed "s/'closes'/'SELECT symbol, date, close FROM prices WHERE symbol IN (''RUT'', ''IJR'')'/")
  check "${t%%(*}: WHERE key =, key IN and a join give the string form's rows on six symbols" "SELECT
 (SELECT count(*) FROM (SELECT * FROM $t WHERE key = 'RUT' EXCEPT SELECT * FROM $s WHERE key = 'RUT'))
 + (SELECT count(*) FROM (SELECT * FROM $s WHERE key = 'RUT' EXCEPT SELECT * FROM $t WHERE key = 'RUT')),
 (SELECT count(*) FROM (SELECT * FROM $t WHERE key IN ('RUT', 'IJR') EXCEPT SELECT * FROM $s)),
 (SELECT count(*) FROM $t WHERE key IN ('RUT', 'IJR')) = (SELECT count(*) FROM $s),
 (SELECT count(*) FROM (SELECT 'RUT' symbol UNION ALL SELECT 'IJR') w JOIN $t d ON d.key = w.symbol) = (SELECT count(*) FROM $s);" "0|0|1|1"
done
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
print(one == rut, two == rut + ijr, n > 0)
PYEOF
)
  [ "$OUT" = "True True True" ] && tap_ok 0 "WHERE key = 'RUT' reads RUT's rows only; key IN reads only the two keys" ||
    { tap_ok 1 "rows read"; diag "$OUT"; }
else
  tap_ok 0 "# SKIP no python3 that loads extensions"
fi
done_testing

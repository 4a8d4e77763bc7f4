#!/bin/sh
# fin_sparkline and fin_bar: the characters, the edges (NULLs, no rows, a
# flat line, past max), sliding frames against the plain aggregate over the
# same rows, resampling of a real series against an independent Python
# computation, and every error.
. "$(dirname "$0")/lib.sh"
plan 27
SETUP="CREATE TABLE p(i INTEGER PRIMARY KEY, v);
WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < 300)
INSERT INTO p SELECT k, CASE WHEN k % 17 = 0 THEN NULL ELSE 100 + 20 * sin(k / 9.0) + k / 10.0 END FROM n;"

check "a ramp takes the eight heights in turn" \
  "SELECT fin_sparkline(x) FROM (SELECT value x FROM generate_series(1, 8) ORDER BY value);" "▁▂▃▄▅▆▇█"
check "lowest is ▁, highest █, the rest the nearest level; negatives too" \
  "SELECT fin_sparkline(x) FROM (SELECT column1 x FROM (VALUES (-0.1), (0.0), (-0.05), (0.1)));" "▁▅▃█"
check "NULLs are skipped" "SELECT fin_sparkline(x) FROM (SELECT column1 x FROM (VALUES (1), (NULL), (3)));" "▁█"
check "no rows: NULL" "SELECT quote(fin_sparkline(v)) FROM p WHERE 0;" "NULL"
check "a flat line sits in the middle" "SELECT fin_sparkline(x) FROM (SELECT column1 x FROM (VALUES (5), (5), (5)));" "▄▄▄"
check "one character per value when they fit in width" \
  "SELECT length(fin_sparkline(v, 1000)), count(v) FROM p;" "283|283"
check "width resamples: 283 values into 10 runs of 28 or 29" \
  "SELECT length(fin_sparkline(v, 10)) FROM p;" "10"
check "width 3 of 1..10: the means 2, 5, 8.5" \
  "SELECT fin_sparkline(x, 3) FROM (SELECT column1 x FROM (VALUES (1),(2),(3),(4),(5),(6),(7),(8),(9),(10)));" "▁▄█"
# A sliding frame gives what the plain aggregate gives on the same rows.
check "sliding frame = the aggregate of the frame's rows (300 frames)" \
  "SELECT count(*) FROM (SELECT i, fin_sparkline(v, 7) OVER (ORDER BY i ROWS BETWEEN 20 PRECEDING AND 3 FOLLOWING) s FROM p) w
   WHERE s IS NOT (SELECT fin_sparkline(v, 7) FROM (SELECT v FROM p q WHERE q.i BETWEEN w.i - 20 AND w.i + 3 ORDER BY q.i));" "0"
check "under PARTITION BY, each partition its own line" \
  "SELECT group_concat(s, ' ') FROM (SELECT DISTINCT i % 2 k, fin_sparkline(v, 4) OVER (PARTITION BY i % 2 ORDER BY i ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) s FROM p ORDER BY k);" \
  "$(run_sql "SELECT fin_sparkline(v, 4) FROM (SELECT v FROM p WHERE i % 2 = 0 ORDER BY i);"; echo "$OUT") $(run_sql "SELECT fin_sparkline(v, 4) FROM (SELECT v FROM p WHERE i % 2 = 1 ORDER BY i);"; echo "$OUT")"

# A real series against an independent computation in Python.
if [ -r "$FIN_DATA_DIR/RUT.csv" ] && [ -x /usr/bin/python3 ]; then
  DB="$T_TMP/rut.db"
  load_real "$DB" RUT
  want=$(/usr/bin/python3 - "$DB" <<'PY'
import sqlite3, sys, math
v = [r[0] for r in sqlite3.connect(sys.argv[1]).execute("SELECT close FROM closes WHERE symbol = 'RUT' ORDER BY date")]
def spark(v, w):
    n = len(v); m = min(n, w)
    pts = [sum(v[i * n // m:(i + 1) * n // m]) / ((i + 1) * n // m - i * n // m) for i in range(m)]
    lo, hi = min(pts), max(pts)
    return "".join(chr(0x2581 + (3 if hi == lo else int(math.floor((x - lo) / (hi - lo) * 7 + 0.5)))) for x in pts)
print(spark(v, 60)); print(spark(v[-40:], 100))
PY
)
  check "RUT since 1987 in 60 characters, as Python computes it" \
    "SELECT fin_sparkline(close, 60) FROM (SELECT close FROM closes WHERE symbol = 'RUT' ORDER BY date);
SELECT fin_sparkline(close, 100) FROM (SELECT close FROM (SELECT * FROM closes WHERE symbol = 'RUT' ORDER BY date DESC LIMIT 40) ORDER BY date);" "$want"
  DB=:memory:
else
  T_RUN=$((T_RUN + 1)); echo "ok $T_RUN # SKIP no RUT.csv in $FIN_DATA_DIR or no /usr/bin/python3"
fi

check "fin_bar: half of 20 characters" "SELECT fin_bar(0.5);" "██████████"
check "fin_bar: eighths" "SELECT fin_bar(0.3, 1, 4), fin_bar(0.05, 1, 2), fin_bar(0.75, 1, 1);" "█▎|▏|▊"
check "fin_bar: past max is a full bar, 0 an empty one, NULL none" \
  "SELECT fin_bar(3, 2, 5), quote(fin_bar(0)), quote(fin_bar(NULL, 2, 3));" "█████|''|NULL"

check_error "sparkline of text" "SELECT fin_sparkline('up');" "fin_sparkline(): value must be a number, got text 'up'"
check_error "sparkline width 0" "SELECT fin_sparkline(v, 0) FROM p;" "fin_sparkline(): width must be between 1 and 10000, got 0"
check_error "sparkline width that changes" "SELECT fin_sparkline(v, 5 + (i > 10)) FROM p;" "fin_sparkline(): width must be the same for every row, got 6 after 5"
check_error "sparkline width NULL" "SELECT fin_sparkline(v, NULL) FROM p;" "fin_sparkline(): width must be a whole number, got NULL"
check_error "bar of a loss" "SELECT fin_bar(-0.2);" "fin_bar(): x must be >= 0 (draw a loss as -x), got -0.2"
check_error "bar of text" "SELECT fin_bar('1');" "fin_bar(): x must be a number, got text '1'"
check_error "bar max 0" "SELECT fin_bar(0.1, 0);" "fin_bar(): max must be > 0, got 0"
check_error "bar max NULL" "SELECT fin_bar(0.1, NULL);" "fin_bar(): max must be a number > 0, got NULL"
check_error "bar width too large" "SELECT fin_bar(0.1, 1, 1001);" "fin_bar(): width must be between 1 and 1000, got 1001"
check_error "bar width checked when x is NULL" "SELECT fin_bar(NULL, 1, 0);" "fin_bar(): width must be between 1 and 1000, got 0"
check_error "bar infinite x" "SELECT fin_bar(1e999);" "fin_bar(): x must be finite, got Inf"

check "in a table: drawdown bars beside the depths" \
  "SELECT printf('%.0f%%', 100 * d), fin_bar(-d, 0.6, 6) FROM (SELECT column1 d FROM (VALUES (-0.599), (-0.3), (-0.05)));" "-60%|██████
-30%|███
-5%|▌"
check "sparkline strings are UTF-8 text, three bytes a character" \
  "SELECT typeof(s), length(s), length(CAST(s AS BLOB)) FROM (SELECT fin_sparkline(v, 12) s FROM p);" "text|12|36"
done_testing

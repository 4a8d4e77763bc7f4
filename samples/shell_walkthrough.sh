#!/bin/sh
# The sqlite3 shell walkthrough: load the extension, load a CSV, ask.
# Run it from anywhere: samples/shell_walkthrough.sh [DB]
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
db=${1:-$root/build/walkthrough.db}
lib=${FIN_LIB:-$root/dist/fin}
mkdir -p "$(dirname "$db")" && rm -f "$db"

# 1. A prices table, and a vendor CSV loaded into it (bad rows stop the load).
"$root/sql/load_csv.sh" "$db" SMALL "$root/samples/data/SMALL.csv"

# 2. Questions, one query each. In an interactive shell, type the same after
#    `.load dist/fin`.
sqlite3 -bail "$db" <<SQL
.load $lib
.mode box
-- How far is it below its record close, and since when?
SELECT time AS date, value AS close, peak AS record, round(100 * drawdown, 2) AS below_pct, since_peak AS sessions
FROM fin_series('closes') WHERE key = 'SMALL'
ORDER BY time DESC LIMIT 1;

-- The three deepest drawdowns and their recoveries.
SELECT peak_time, trough_time, recovery_time, round(100 * depth, 1) AS depth_pct, length AS sessions
FROM fin_drawdowns('closes') WHERE key = 'SMALL' ORDER BY depth LIMIT 3;

-- The 52-week drawdown, as a window function over a sliding frame.
SELECT date, close, round(100 * fin_drawdown(close) OVER (ORDER BY date ROWS 251 PRECEDING), 2) AS off_52w_high_pct
FROM prices WHERE symbol = 'SMALL' ORDER BY date DESC LIMIT 3;
SQL

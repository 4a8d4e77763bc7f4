#!/bin/sh
# The tools people already use: sqlite-utils, from a CSV to an answer in
# one command (Debian's sqlite-utils; it imports the CSV into an in-memory
# table named after the file and detects the column types).
. "$(dirname "$0")/lib.sh"
plan 2
if ! command -v sqlite-utils >/dev/null 2>&1; then
  T_RUN=2; echo "ok 1 # SKIP sqlite-utils is absent"; echo "ok 2 # SKIP sqlite-utils is absent"; exit 0
fi
cp "$ROOT/samples/data/SMALL.csv" "$T_TMP/SMALL.csv"
DB="$T_TMP/w.db"
"$ROOT/sql/load_csv.sh" "$DB" SMALL "$ROOT/samples/data/SMALL.csv" >/dev/null

run_sql "SELECT round(min(depth), 6) FROM fin_drawdowns('closes');"
want=$OUT
# docs/clients.md's command, with the library this run tests.
got=$(cd "$T_TMP" && run_env sqlite-utils memory SMALL.csv --load-extension "$FIN_LIB.so" \
  "SELECT round(min(dd), 6) AS deepest FROM (SELECT fin_drawdown(Close) OVER (ORDER BY Date) AS dd FROM SMALL)" --csv 2>&1 | tr -d "\r")
if [ "$got" = "deepest
$want" ]; then tap_ok 0 "sqlite-utils memory SMALL.csv --load-extension: the deepest drawdown, $want, as fin_drawdowns says"
else tap_ok 1 "sqlite-utils memory"; diag "got: $got" "wanted: $want"; fi

got=$(cd "$T_TMP" && run_env sqlite-utils memory SMALL.csv --load-extension "$FIN_LIB.so" \
  "SELECT round(100 * fin_ytd_return(Date, Close) OVER (ORDER BY Date), 2) AS ytd FROM SMALL ORDER BY Date DESC LIMIT 1" --csv --no-headers 2>&1 | tr -d "\r")
run_sql "SELECT round(100 * ytd_return, 2) FROM fin_series('closes') ORDER BY time DESC LIMIT 1;"
if [ -n "$got" ] && [ "$got" = "$OUT" ]; then tap_ok 0 "year to date from the CSV: $got%, as fin_series says"
else tap_ok 1 "ytd via sqlite-utils"; diag "got: $got" "wanted: $OUT"; fi
done_testing

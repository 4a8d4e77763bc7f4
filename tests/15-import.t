#!/bin/sh
# sql/schema.sql and sql/load_csv.sh: good rows load (empty fields as NULL);
# any bad row is listed with its reason and nothing is loaded.
. "$(dirname "$0")/lib.sh"
plan 7
DB="$T_TMP/import.db"
SETUP=""
cat >"$T_TMP/good.csv" <<'CSV'
Date,Open,High,Low,Close,Adj Close,Volume
2024-01-02,100,102,99,101.5,101.5,1000
2024-01-03,101.5,103,101,,102,
2024-01-04,102,104,101.5,103.25,103.25,1200
CSV
OUT=$("$ROOT/sql/load_csv.sh" "$DB" IDX "$T_TMP/good.csv" 2>&1)
[ "$OUT" = "loaded 3 rows for IDX" ] && tap_ok 0 "a vendor CSV loads" || { tap_ok 1 "a vendor CSV loads"; diag "$OUT"; }
check "empty fields are NULL, numbers are REAL" "SELECT date, quote(close), typeof(open), quote(volume) FROM prices ORDER BY date;" "2024-01-02|101.5|real|1000
2024-01-03|NULL|real|NULL
2024-01-04|103.25|real|1200"

cat >"$T_TMP/bad.csv" <<'CSV'
Date,Open,High,Low,Close,Adj Close,Volume
2024-01-05,100,102,99,101.5,101.5,1000
2024-13-01,100,102,99,101.5,101.5,1000
2024-01-08,100,102,99,abc,101.5,1000
2024-01-09,100,102,99,-3,101.5,1000
2024-01-10,100,98,99,100,100,1000
2024-01-11,100,102,99,100,100,-5
2024-01-11,100,102,99,100,100,5
CSV
OUT=$("$ROOT/sql/load_csv.sh" "$DB" IDX "$T_TMP/bad.csv" 2>&1)
RC=$?
[ $RC != 0 ] && tap_ok 0 "a file with bad rows fails" || tap_ok 1 "a file with bad rows fails"
want="bad row: symbol 'IDX', date '2024-13-01': date must be YYYY-MM-DD
bad row: symbol 'IDX', date '2024-01-08': close must be a positive number, got 'abc'
bad row: symbol 'IDX', date '2024-01-09': close must be a positive number, got '-3'
bad row: symbol 'IDX', date '2024-01-10': high is below low
bad row: symbol 'IDX', date '2024-01-11': date appears twice
bad row: symbol 'IDX', date '2024-01-11': date appears twice"
got=$(echo "$OUT" | grep '^bad row')
[ "$got" = "$want" ] && tap_ok 0 "every bad row is listed with its reason" || { tap_ok 1 "bad rows listed"; diag "got:" "$got" "expected:" "$want"; }
case "$OUT" in *"import stopped: bad rows (listed above); nothing was loaded"*) tap_ok 0 "the import says it stopped" ;; *) tap_ok 1 "the import says it stopped"; diag "$OUT" ;; esac
check "nothing from the bad file was loaded, not even its good row" "SELECT count(*) FROM prices;" "3"
check_error "the table's CHECKs refuse a text price inserted directly" "INSERT INTO prices(symbol, date, close) VALUES ('IDX', '2024-02-01', '101.5x');" "CHECK constraint failed"
done_testing

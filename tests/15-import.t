#!/bin/sh
# sql/schema.sql and sql/load_csv.sh: good rows load (empty fields as NULL);
# any bad row is listed with its reason and nothing is loaded; the header
# maps the columns, and a file whose header or shape is wrong is refused.
. "$(dirname "$0")/lib.sh"
plan 16
DB="$T_TMP/import.db"
SETUP=""
cat >"$T_TMP/good.csv" <<'CSV'
Date,Open,High,Low,Close,Adj Close,Volume
2024-01-02,100,102,99,101.5,101.5,1000
2024-01-03,101.5,103,101,,102,
2024-01-04,102,104,101.5,103.25,103.25,1200
CSV
OUT=$("$ROOT/sql/load_csv.sh" "$DB" IDX "$T_TMP/good.csv" 2>&1)
[ "$OUT" = "IDX: 3 rows: 3 added, 0 unchanged, 0 replaced; no close: 1 (2024-01-03); no adj_close: 0" ] && tap_ok 0 "a vendor CSV loads" || { tap_ok 1 "a vendor CSV loads"; diag "$OUT"; }
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
# The header decides which field is which: every supported layout loads the
# same bar; the yfinance order would swap close and open if read by position.
for layout in "yahoo|Date,Open,High,Low,Close,Adj Close,Volume|2024-02-01,100,102,99,101,100.5,1000" \
              "yfinance|Date,Close,High,Low,Open,Volume|2024-02-01,101,102,99,100,1000" \
              "yfinance3|Price,Close,High,Low,Open,Volume
Ticker,SPY,SPY,SPY,SPY,SPY
Date,,,,,|2024-02-01 00:00:00-05:00,101,102,99,100,1000" \
              "stooq|Date,Open,High,Low,Close,Volume|2024-02-01,100,102,99,101,1000" \
              "ours|date,open,high,low,close,adj_close,volume|2024-02-01,100,102,99,101,100.5,1000" \
              "history|Date,Open,High,Low,Close,Volume,Dividends,Stock Splits|2024-02-01,100,102,99,101,1000,0.0,0.0"; do
  name=${layout%%|*}; rest=${layout#*|}; head=${rest%|*}; row=${rest##*|}
  printf '%s\n%s\n' "$head" "$row" >"$T_TMP/$name.csv"
  OUT=$("$ROOT/sql/load_csv.sh" "$T_TMP/layouts.db" "$name" "$T_TMP/$name.csv" 2>&1)
  case "$OUT" in "$name: 1 rows: 1 added, 0 unchanged, 0 replaced; no close: 0; no adj_close"*) ;; *) diag "$name: $OUT" ;; esac
done
DB_MAIN=$DB DB="$T_TMP/layouts.db"
check "the header maps the columns: Yahoo, yfinance (both headers), Stooq, ours, yfinance history()" \
  "SELECT symbol, date, open, high, low, close, quote(adj_close), volume FROM prices ORDER BY symbol;" \
  "history|2024-02-01|100.0|102.0|99.0|101.0|NULL|1000
ours|2024-02-01|100.0|102.0|99.0|101.0|100.5|1000
stooq|2024-02-01|100.0|102.0|99.0|101.0|NULL|1000
yahoo|2024-02-01|100.0|102.0|99.0|101.0|100.5|1000
yfinance|2024-02-01|100.0|102.0|99.0|101.0|NULL|1000
yfinance3|2024-02-01|100.0|102.0|99.0|101.0|NULL|1000"

DB=$DB_MAIN
# Files that are refused, each with its reason and nothing loaded.
refuse() { # name, file content, expected message
  printf '%s' "$2" >"$T_TMP/r.csv"
  OUT=$("$ROOT/sql/load_csv.sh" "$DB" IDX "$T_TMP/r.csv" 2>&1)
  RC=$?
  N=$(sqlite3 "$DB" "SELECT count(*) FROM prices")
  case "$OUT" in
    *"$3"*"refused, nothing was loaded"*) [ $RC != 0 ] && [ "$N" = 3 ] && { tap_ok 0 "refused: $1"; return; } ;;
  esac
  tap_ok 1 "refused: $1"; diag "exit $RC, rows $N" "$OUT"
}
refuse "an unknown column" "Date,Open,High,Low,Close,Adj Close,Volume,Foo
2024-02-01,1,1,1,1,1,1,1
" 'column 8 of the header, "Foo", is not one of Date, Open, High, Low, Close, Adj Close, Volume'
refuse "a column named twice" "Date,Close,close
2024-02-01,1,1
" "the header names close twice"
refuse "no close" "Date,Open,Volume
2024-02-01,1,1
" "the header has no Close or Adj Close column"
refuse "a row with too few fields, one with too many, an empty line" "Date,Open,High,Low,Close,Volume
2024-02-01,1,1,1,1
2024-02-02,1,1,1,1,1,1

" "line 2 has 5 fields, the header has 6
load_csv.sh: $T_TMP/r.csv: line 3 has 7 fields, the header has 6
load_csv.sh: $T_TMP/r.csv: line 4 is empty"
refuse "a header and no rows" "Date,Close
" "the file has no data rows"
refuse "an empty file" "" "the file is empty"
# A plain .import stores every field as text: the functions say how to fix it.
printf 'date,close\n2024-01-02,101.5\n2024-01-03,\n' >"$T_TMP/plain.csv"
check_error "prices from a plain .import: the error says how to load them" \
  ".import --csv $T_TMP/plain.csv raw
SELECT * FROM fin_drawdowns('raw');" "fin_drawdowns(): close must be a number, got text '101.5' (a number stored as text, as .import stores every CSV field; load files with sql/load_csv.sh, or pass CAST(close AS REAL)) at time text '2024-01-02'"
check "an empty field, as .import or sqlite-utils store a missing number, is a missing price (NULL)" \
  ".import --csv $T_TMP/plain.csv raw2
SELECT quote(fin_drawdown(CASE WHEN date = '2024-01-02' THEN 101.5 ELSE close END) OVER (ORDER BY date)) FROM raw2;" "0.0
NULL"
done_testing

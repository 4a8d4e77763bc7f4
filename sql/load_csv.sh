#!/bin/sh
# load_csv.sh DB SYMBOL FILE.csv - loads a vendor CSV (Date,Open,High,Low,
# Close,Adj Close,Volume, with a header line) into DB's prices table for
# SYMBOL, creating the schema if needed. A bad row stops the load with a
# message and nothing is loaded (see import.sql).
set -eu
if [ $# -ne 3 ]; then
  echo "usage: $0 DB SYMBOL FILE.csv" >&2
  exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
[ -r "$3" ] || { echo "load_csv.sh: cannot read $3" >&2; exit 1; }
case "$2" in *\'*) echo "load_csv.sh: symbol must not contain a quote" >&2; exit 2 ;; esac
case "$3" in *\"*) echo "load_csv.sh: file name must not contain a double quote" >&2; exit 2 ;; esac
exec sqlite3 -batch -bail "$1" \
  ".read '$here/schema.sql'" \
  "CREATE TEMP TABLE csv_in(date, open, high, low, close, adj_close, volume);" \
  ".import --csv --skip 1 \"$3\" csv_in" \
  ".param set @symbol '$2'" \
  ".read '$here/import.sql'"

#!/bin/sh
# load_csv.sh [--replace] DB SYMBOL FILE.csv - loads a daily-bar CSV into
# DB's prices table for SYMBOL, creating the schema if needed. Loading a
# newer download of the same symbol is a refresh: the rows DB does not have
# are added, identical ones are left alone, and a row whose values differ
# from the stored ones (a revised close) refuses the file, listing both
# values, unless --replace is given, which replaces those rows. One line
# reports the rows added, unchanged and replaced, and those without a close
# or an adjusted close (see import.sql).
#
# The header decides which field is which: names are matched without regard
# to case, spaces or underscores (Date, Open, High, Low, Close, Adj Close or
# adj_close, Volume), in any order, so these layouts all load:
#   Yahoo's CSV export    Date,Open,High,Low,Close,Adj Close,Volume
#   yfinance              Date,Close,High,Low,Open,Volume (one header line),
#                         or the three lines Price,... / Ticker,... / Date,...
#   Stooq                 Date,Open,High,Low,Close,Volume
#   this project          date,open,high,low,close,adj_close,volume
# Dividends, Stock Splits and Capital Gains columns (yfinance's history())
# are ignored. A date column and a close or adj close column are required;
# a column the file does not have is NULL in new rows and left as stored in
# the others. The file is refused, with nothing loaded, when its header has
# a name outside that list or a name twice, when it has no data rows, or
# when a row has more or fewer fields than the header. A bad value, or a
# row that differs without --replace, stops the load the same way (see
# import.sql): the database is left as it was.
set -eu
replace=0
case "${1:-}" in --replace) replace=1; shift ;; esac
if [ $# -ne 3 ]; then
  echo "usage: $0 [--replace] DB SYMBOL FILE.csv" >&2
  exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
[ -r "$3" ] || { echo "load_csv.sh: cannot read $3" >&2; exit 1; }
case "$2" in *\'*) echo "load_csv.sh: symbol must not contain a quote" >&2; exit 2 ;; esac
case "$3" in *\"*) echo "load_csv.sh: file name must not contain a double quote" >&2; exit 2 ;; esac

# One pass of awk reads the header and counts every row's fields. It prints
# "skip N" and "cols c1,c2,..." (the csv_raw columns, ignored ones as x1,
# x2...), or the problems, one per line, and fails.
plan=$(awk -v file="$3" '
function trim(s) { gsub(/^[ \t"]+|[ \t"]+$/, "", s); return s }
# Fields of a CSV line, quotes respected (a quoted field may hold commas).
function nfields(s,   n, i, c, q) {
  if (index(s, "\"") == 0) return gsub(/,/, ",", s) + 1
  n = 1; q = 0
  for (i = 1; i <= length(s); i++) {
    c = substr(s, i, 1)
    if (c == "\"") q = !q
    else if (c == "," && !q) n++
  }
  return n
}
function canon(s) {
  s = tolower(trim(s)); gsub(/[ _.]/, "", s)
  if (s == "date" || s == "open" || s == "high" || s == "low" || s == "close" || s == "volume") return s
  if (s == "adjclose") return "adj_close"
  if (s == "dividends" || s == "stocksplits" || s == "capitalgains") return "-"
  return ""
}
{ sub(/\r$/, "") }
NR == 1 {
  sub(/^\357\273\277/, "")   # a UTF-8 byte-order mark
  head = $0; n = split($0, name, ",")
  next
}
NR == 2 && tolower(name[1]) ~ /^"?price"?$/ && tolower($0) ~ /^"?ticker"?,/ { multi = 1; next }
NR == 3 && multi { if (tolower($0) !~ /^"?date"?,/) bad[++nbad] = "line 3 of the yfinance header should start with Date"; next }
{
  rows++
  k = nfields($0)
  if (k != n && nwrong < 20) bad[++nbad] = $0 == "" ? sprintf("line %d is empty", NR) : sprintf("line %d has %d fields, the header has %d", NR, k, n)
  if (k != n) nwrong++
}
END {
  if (NR == 0) { print "the file is empty"; exit 1 }
  cols = ""
  for (i = 1; i <= n; i++) {
    c = (multi && i == 1) ? "date" : canon(name[i])
    if (c == "") bad[++nbad] = sprintf("column %d of the header, \"%s\", is not one of Date, Open, High, Low, Close, Adj Close, Volume (nor Dividends, Stock Splits, Capital Gains, which are ignored)", i, trim(name[i]))
    else if (c == "-") c = "x" i
    else if (c in seen) bad[++nbad] = sprintf("the header names %s twice", c)
    seen[c] = 1
    cols = cols (i > 1 ? "," : "") c
  }
  if (!("date" in seen)) bad[++nbad] = "the header has no Date column"
  if (!("close" in seen) && !("adj_close" in seen)) bad[++nbad] = "the header has no Close or Adj Close column"
  if (!rows) bad[++nbad] = "the file has no data rows"
  if (nwrong > 20) bad[++nbad] = sprintf("... %d rows in all have the wrong number of fields", nwrong)
  if (nbad) {
    print "header: " head
    for (i = 1; i <= nbad; i++) print bad[i]
    exit 1
  }
  print "skip " (multi ? 3 : 1)
  print "cols " cols
}' "$3") || {
  printf '%s\n' "$plan" | sed "s|^|load_csv.sh: $3: |" >&2
  echo "load_csv.sh: $3: refused, nothing was loaded" >&2
  exit 1
}
skip=$(printf '%s\n' "$plan" | sed -n 's/^skip //p')
cols=$(printf '%s\n' "$plan" | sed -n 's/^cols //p')
# The columns import.sql expects, NULL where the file has none (import.sql
# tells that from '', an empty field).
select=""
for c in date open high low close adj_close volume; do
  case ",$cols," in *",$c,"*) e=$c ;; *) e=NULL ;; esac
  select="$select${select:+, }$e AS $c"
done
# sqlite3's errors go to standard error without the shell's "Runtime error
# near line N:" and "(19)" (lines of import.sql, not of the file), named
# like the refusals above.
err=$(mktemp "${TMPDIR:-/tmp}/load_csv.XXXXXX")
trap 'rm -f "$err"' EXIT
rc=0
sqlite3 -batch -bail "$1" \
  ".read '$here/schema.sql'" \
  "CREATE TEMP TABLE csv_raw($cols);" \
  ".import --csv --skip $skip \"$3\" csv_raw" \
  "CREATE TEMP TABLE csv_in AS SELECT $select FROM csv_raw; DROP TABLE csv_raw;" \
  ".param set @symbol '$2'" \
  ".param set @replace $replace" \
  ".read '$here/import.sql'" 2>"$err" || rc=$?
sed -e 's/^[A-Za-z]* *[Ee]rror:* near line [0-9]*: //' -e 's/ ([0-9]*)$//' -e "s|^|load_csv.sh: $3: |" "$err" >&2
exit $rc

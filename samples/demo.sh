#!/bin/sh
# demo.sh DB SYMBOL [OTHER] - answers the question library (sql/q*.sql) for
# SYMBOL in DB, as readable tables. OTHER is the second symbol (the
# benchmark) of q08, q10 to q12 and q14.
# make demo runs it; any database with the prices table of sql/schema.sql works.
set -eu
[ $# -ge 2 ] || { echo "usage: $0 DB SYMBOL [OTHER]" >&2; exit 2; }
root=$(cd "$(dirname "$0")/.." && pwd)
db=$1 symbol=$2 other=${3:-}
lib=${FIN_LIB:-$root/dist/fin}
case "$symbol$other" in *\'*|*\"*) echo "demo.sh: symbols must not contain quotes" >&2; exit 2 ;; esac
for q in "$root"/sql/q*.sql; do
  name=$(basename "$q" .sql)
  if grep -q '@other' "$q" && [ -z "$other" ]; then
    echo "== $name: skipped (needs a second symbol: OTHER=...)"; echo; continue
  fi
  # The header comment says what the query answers.
  sed -n '/^--/!q; s/^-- \{0,1\}//p' "$q" | sed 's/^/   /; 1s/^   /== /'
  # .param set strips one level of quotes, so text values carry their own.
  sqlite3 -bail -box "$db" ".load $lib" \
    ".param set @symbol \"'$symbol'\"" ".param set @other \"'$other'\"" ".read $q"
  echo
done
# The pictures: a sparkline here, and a chart beside the database.
chart=$(dirname "$db")/$symbol-chart.svg
echo "== $symbol at a glance: fin_sparkline(close, 72), each character the mean of a run of sessions"
sqlite3 -bail "$db" ".load $lib" ".param set @symbol \"'$symbol'\"" \
  "SELECT '   ' || fin_sparkline(close, 72) FROM (SELECT close FROM closes WHERE symbol = @symbol ORDER BY date);"
sqlite3 -bail "$db" ".load $lib" ".param set @symbol \"'$symbol'\"" ".once $chart" \
  "SELECT fin_chart(date, close, 'title=' || @symbol || ': price and drawdown') FROM closes WHERE symbol = @symbol;"
echo "== chart: $chart (fin_chart; open it in a browser)"

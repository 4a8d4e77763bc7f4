#!/bin/sh
# The README's first command: `make demo` answers every query of the library
# on the sample data.
. "$(dirname "$0")/lib.sh"
plan 4
OUT=$(make -s -C "$ROOT" demo 2>&1)
RC=$?
[ $RC = 0 ] && tap_ok 0 "make demo succeeds" || { tap_ok 1 "make demo succeeds"; diag "$OUT"; }
n=$(echo "$OUT" | grep -c '^== q0[1-9] ')
[ "$n" = 9 ] && tap_ok 0 "all nine questions answered" || { tap_ok 1 "all nine questions answered ($n)"; diag "$OUT"; }
case "$OUT" in
  *Error*|*error*) tap_ok 1 "no errors"; diag "$OUT" ;;
  *"2019-01-07"*"2020-05-22"*) tap_ok 0 "no errors, and the deepest SMALL drawdown (2019-01-07 to 2020-05-22) is listed" ;;
  *) tap_ok 1 "the deepest drawdown is listed"; diag "$OUT" ;;
esac
svg="$ROOT/build/SMALL-chart.svg"
if [ -s "$svg" ] && head -c 5 "$svg" | grep -q '^<svg' && grep -q 'deepest drawdown −33.2% (2019-01-07 to 2020-05-22)' "$svg" &&
   [ "$(echo "$OUT" | grep -A1 'at a glance' | tail -1 | tr -d ' ▁▂▃▄▅▆▇█')" = "" ] &&
   [ "$(echo "$OUT" | grep -A1 'at a glance' | tail -1 | LC_ALL=C wc -c)" = $((3 + 72 * 3 + 1)) ]; then
  tap_ok 0 "a 72-character sparkline, and the chart written beside the database quotes the same drawdown"
else tap_ok 1 "the pictures of the demo"; diag "$(echo "$OUT" | tail -4)" "$(head -c 400 "$svg" 2>&1)"; fi
done_testing

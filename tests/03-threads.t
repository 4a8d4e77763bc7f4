#!/bin/sh
# Connections on four threads at once, under ThreadSanitizer (clang): no
# data race, every statement succeeds. Skipped without clang.
. "$(dirname "$0")/lib.sh"
command -v clang >/dev/null 2>&1 || skip_all "clang is not installed"
bin="$T_TMP/threads"
if ! clang -g -O1 -fsanitize=thread -std=c11 -D_DEFAULT_SOURCE -DSQLITE_CORE -I"$ROOT/ext" \
    $(pkg-config --cflags sqlite3) -o "$bin" "$ROOT/tests/tsan/threads.c" "$ROOT"/ext/*.c "$ROOT"/ext/*/*.c \
    $(pkg-config --libs sqlite3) -lm -lpthread 2>"$T_TMP/cc"; then
  skip_all "clang cannot build with ThreadSanitizer here"
fi
plan 2
OUT=$(TSAN_OPTIONS="halt_on_error=1 exitcode=66" "$bin" 2>"$T_TMP/tsan")
RC=$?
grep -q "ThreadSanitizer" "$T_TMP/tsan" && tap_ok 1 "no data race" && diag "$(head -30 "$T_TMP/tsan")" || tap_ok 0 "no data race while connections load the extension on four threads"
[ "$RC" = 0 ] && [ "$OUT" = "0 failed statements" ] && tap_ok 0 "every statement on every thread succeeded" || { tap_ok 1 "threads"; diag "$OUT" "exit $RC"; }
done_testing

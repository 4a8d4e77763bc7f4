#!/bin/sh
# make install / uninstall with PREFIX and DESTDIR, and the pkg-config file.
. "$(dirname "$0")/lib.sh"
plan 5
stage="$T_TMP/stage"
make -s -C "$ROOT" install DESTDIR="$stage" PREFIX=/opt/fin >"$T_TMP/log" 2>&1
if [ -f "$stage/opt/fin/lib/fin.so" ] && [ -f "$stage/opt/fin/lib/pkgconfig/fin.pc" ]; then
  tap_ok 0 "installs fin.so and fin.pc under DESTDIR/PREFIX"
else tap_ok 1 "install"; diag "$(cat "$T_TMP/log")"; fi
OUT=$(PKG_CONFIG_PATH="$stage/opt/fin/lib/pkgconfig" pkg-config --modversion fin 2>&1; PKG_CONFIG_PATH="$stage/opt/fin/lib/pkgconfig" pkg-config --variable=extension fin 2>&1)
[ "$OUT" = "$(cat "$ROOT/VERSION")
/opt/fin/lib/fin" ] && tap_ok 0 "pkg-config knows the version and where to load from" || { tap_ok 1 "pkg-config"; diag "$OUT"; }
FIN_LIB="$stage/opt/fin/lib/fin" SETUP="" check "the installed library loads" "SELECT fin_version();" "v$(cat "$ROOT/VERSION")"
make -s -C "$ROOT" uninstall DESTDIR="$stage" PREFIX=/opt/fin >"$T_TMP/log" 2>&1
if [ ! -e "$stage/opt/fin/lib/fin.so" ] && [ ! -e "$stage/opt/fin/lib/pkgconfig/fin.pc" ]; then
  tap_ok 0 "uninstall removes both"
else tap_ok 1 "uninstall"; fi
# fin_version() is compiled in: a new VERSION must rebuild the objects
# (make -W pretends VERSION changed; -q asks whether anything is out of date).
make -s -C "$ROOT" dist/fin.so >/dev/null 2>&1
if make -q -C "$ROOT" dist/fin.so && ! make -q -C "$ROOT" -W VERSION dist/fin.so; then
  tap_ok 0 "a change to VERSION rebuilds the library (fin_version cannot go stale)"
else tap_ok 1 "VERSION is a build dependency"; fi
done_testing

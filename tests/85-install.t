#!/bin/sh
# make install / uninstall with PREFIX and DESTDIR, and the pkg-config file.
. "$(dirname "$0")/lib.sh"
plan 8
stage="$T_TMP/stage"
make -s -C "$ROOT" install DESTDIR="$stage" PREFIX=/opt/fin >"$T_TMP/log" 2>&1
if [ -f "$stage/opt/fin/lib/fin.so" ] && [ -f "$stage/opt/fin/lib/pkgconfig/fin.pc" ]; then
  tap_ok 0 "installs fin.so and fin.pc under DESTDIR/PREFIX"
else tap_ok 1 "install"; diag "$(cat "$T_TMP/log")"; fi
OUT=$(PKG_CONFIG_PATH="$stage/opt/fin/lib/pkgconfig" pkg-config --modversion fin 2>&1; PKG_CONFIG_PATH="$stage/opt/fin/lib/pkgconfig" pkg-config --variable=extension fin 2>&1)
[ "$OUT" = "$(cat "$ROOT/VERSION")
/opt/fin/lib/fin" ] && tap_ok 0 "pkg-config knows the version and where to load from" || { tap_ok 1 "pkg-config"; diag "$OUT"; }
FIN_LIB="$stage/opt/fin/lib/fin" SETUP="" check "the installed library loads" "SELECT fin_version();" "v$(cat "$ROOT/VERSION")"
# The SQL users run is installed too, and the installed loader works from there.
share="$stage/opt/fin/share/sqlite-fin"
n=$(ls "$share"/q0*.sql 2>/dev/null | wc -l)
if [ "$n" = 9 ] && [ -f "$share/schema.sql" ] && [ -f "$share/import.sql" ] && [ -x "$share/load_csv.sh" ] &&
   "$share/load_csv.sh" "$T_TMP/inst.db" SMALL "$ROOT/samples/data/SMALL.csv" >/dev/null 2>&1; then
  DB="$T_TMP/inst.db" SETUP="" run_sql "SELECT date || '|' || close || '|' || (SELECT max(close) FROM prices) FROM prices ORDER BY date DESC LIMIT 1;"
  want=$OUT
  DB="$T_TMP/inst.db" FIN_LIB="$stage/opt/fin/lib/fin" SETUP=".param set @symbol \"'SMALL'\"
.read $share/q03_below_peak.sql" run_sql ""
  got=$(echo "$OUT" | cut -d'|' -f1-3)
  [ "$RC" = 0 ] && [ -n "$want" ] && [ "$got" = "$want" ] &&
    tap_ok 0 "installs the schema, the loader and the question library under share/sqlite-fin; they run from there" ||
    { tap_ok 1 "installed question library"; diag "got: $got ($ERR)" "want: $want"; }
else tap_ok 1 "share files"; ls -R "$stage" | sed 's/^/# /' >&2; fi
make -s -C "$ROOT" uninstall DESTDIR="$stage" PREFIX=/opt/fin >"$T_TMP/log" 2>&1
if [ ! -e "$stage/opt/fin/lib/fin.so" ] && [ ! -e "$stage/opt/fin/lib/pkgconfig/fin.pc" ] && [ ! -e "$share" ]; then
  tap_ok 0 "uninstall removes what install put there"
else tap_ok 1 "uninstall"; fi
# fin_version() is compiled in: a new VERSION must rebuild the objects
# (make -W pretends VERSION changed; -q asks whether anything is out of date).
make -s -C "$ROOT" dist/fin.so >/dev/null 2>&1
if make -q -C "$ROOT" dist/fin.so && ! make -q -C "$ROOT" -W VERSION dist/fin.so; then
  tap_ok 0 "a change to VERSION rebuilds the library (fin_version cannot go stale)"
else tap_ok 1 "VERSION is a build dependency"; fi
# A file renamed by a packager loads without naming its entry point: the
# name SQLite derives (sqlite3_sqlitefin_init) is missing, so it falls back
# to sqlite3_extension_init; libfin.so derives sqlite3_fin_init.
for name in sqlite-fin libfin; do
  cp "$ROOT/dist/fin.so" "$T_TMP/$name.so"
  FIN_LIB="$T_TMP/$name" SETUP="" check "a copy named $name.so loads" "SELECT fin_version(), count(*) > 20 FROM pragma_function_list WHERE name LIKE 'fin\_%' ESCAPE '\\';" "v$(cat "$ROOT/VERSION")|1"
done
done_testing

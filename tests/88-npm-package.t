#!/bin/sh
# The npm package, from its own artefact: `npm pack` of a copy of the
# tracked tree, installed from the tarball into a temporary project, used
# with better-sqlite3; the install step builds from the bundled sources
# where the packed binary is for another platform.
. "$(dirname "$0")/lib.sh"
plan 6
skip_rest() { while [ "$T_RUN" -lt 6 ]; do T_RUN=$((T_RUN + 1)); echo "ok $T_RUN # SKIP $1"; done; done_testing; exit; }
command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || skip_rest "Node is absent"

ver=$(cat "$ROOT/VERSION")
pkgver=$(node -p 'require(process.argv[1]).version' "$ROOT/package.json")
[ "$pkgver" = "$ver" ] && tap_ok 0 "package.json's version is VERSION's ($ver)" || { tap_ok 1 "package.json version"; diag "$pkgver, VERSION $ver"; }

src="$T_TMP/src"
tracked_copy "$src"
(cd "$src" && MAKEFLAGS= npm pack --pack-destination "$T_TMP" >"$T_TMP/pack.log" 2>&1)
tgz="$T_TMP/sqlite-fin-$ver.tgz"
if [ -s "$tgz" ] && tar tzf "$tgz" | grep -qx 'package/dist/fin.so' && tar tzf "$tgz" | grep -qx 'package/node/index.js' &&
   tar tzf "$tgz" | grep -qx 'package/ext/fin.c' && ! tar tzf "$tgz" | grep -q 'package/tests/'; then
  tap_ok 0 "npm pack: sqlite-fin-$ver.tgz with the binary, the module and the sources, no tests"
else tap_ok 1 "npm pack"; diag "$(tail -20 "$T_TMP/pack.log")"; skip_rest "no tarball"; fi

proj="$T_TMP/proj"
mkdir -p "$proj" && echo '{"name": "try-sqlite-fin", "private": true}' >"$proj/package.json"
if (cd "$proj" && MAKEFLAGS= npm install --offline --no-audit --no-fund "$tgz" >"$T_TMP/install.log" 2>&1); then
  tap_ok 0 "npm install of the tarball, offline"
else tap_ok 1 "npm install of the tarball"; diag "$(tail -20 "$T_TMP/install.log")"; fi

if ! better_sqlite3; then
  skip_rest "$why"
fi
DB="$T_TMP/w.db"
"$ROOT/sql/load_csv.sh" "$DB" SMALL "$ROOT/samples/data/SMALL.csv" >/dev/null
run_sql "SELECT peak_time, trough_time, round(depth, 4) FROM fin_drawdowns('closes') ORDER BY depth LIMIT 1;"
want=$OUT
ask() {
  (cd "$proj" && NODE_PATH="$ROOT/build/node/node_modules" node -e '
    const Database = require("better-sqlite3");
    const fin = require("sqlite-fin");
    const db = fin.load(new Database(process.argv[1], { readonly: true }));
    const r = db.prepare("SELECT peak_time, trough_time, round(depth, 4) AS d FROM fin_drawdowns(?) ORDER BY depth LIMIT 1").get("closes");
    console.log([r.peak_time, r.trough_time, r.d].join("|"));
    console.log(fin.version, db.prepare("SELECT fin_version() AS v").get().v, fin.getLoadablePath());
    try { fin.load({}); } catch (e) { console.log(e.constructor.name + ": " + e.message); }
  ' "$DB" 2>&1)
}
OUT=$(ask)
if [ "$(echo "$OUT" | sed -n 1p)" = "$want" ] && echo "$OUT" | sed -n 2p | grep -q "^$ver v$ver $proj/node_modules/sqlite-fin/dist/fin.so$"; then
  tap_ok 0 "better-sqlite3 + require('sqlite-fin').load(db): the deepest drawdown $want, as the shell says"
else tap_ok 1 "the question in Node"; diag "$OUT" "wanted: $want"; fi
case "$OUT" in
  *"TypeError: sqlite-fin: load(db) needs a database with loadExtension(path)"*) tap_ok 0 "load() of something else: a TypeError that says what it needs" ;;
  *) tap_ok 1 "load() of something else"; diag "$OUT" ;;
esac

# Packed elsewhere: the install step builds from the bundled sources.
here=$(node -p 'process.platform + "-" + process.arch')
echo "other-platform" >"$proj/node_modules/sqlite-fin/dist/platform.txt"
before=$(ask)
# npm 11 runs a dependency's install step once the project approves it.
(cd "$proj" && { ! npm help install-scripts >/dev/null 2>&1 || npm install-scripts approve sqlite-fin; } &&
  MAKEFLAGS= npm rebuild sqlite-fin --foreground-scripts) >"$T_TMP/rebuild.log" 2>&1
OUT=$(ask)
case "$before" in
  *"fin.so was built for other-platform, this is $here: build it with \`npm rebuild sqlite-fin\`, after \`npm install-scripts approve sqlite-fin\`"*) ok_before=1 ;;
  *) ok_before=0 ;;
esac
if [ $ok_before = 1 ] && [ "$(cat "$proj/node_modules/sqlite-fin/dist/platform.txt")" = "$here" ] &&
   [ "$(echo "$OUT" | sed -n 1p)" = "$want" ] && grep -q 'cc .*-o dist/fin.so' "$T_TMP/rebuild.log"; then
  tap_ok 0 "a binary packed for another platform: an error that says how to build it; npm rebuild builds it from the sources, and it answers"
else tap_ok 1 "rebuild from the sources"; diag "before: $before" "$(tail -20 "$T_TMP/rebuild.log")" "after: $OUT"; fi
done_testing

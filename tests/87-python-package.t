#!/bin/sh
# The Python package as a user gets it. The install block of docs/clients.md
# (the ```shell block under "## The Python package") runs as written, line by line,
# in a copy of the tracked tree with no index and no pip configuration
# (Debian's python3-venv, python3-setuptools and python3-wheel, as .ci/run
# installs them), and prints the answer the sqlite3 shell gives and the
# page shows. The wheel it builds is tagged py3-none-<platform> (an SQLite
# extension, not a CPython module) and pip takes it for other Pythons; it
# installs with --no-index into a venv without the system's packages and
# answers there; loadable_path() serves the sqlite3 shell; a Python without
# extension support gets advice.
. "$(dirname "$0")/lib.sh"
plan 7
PY=/usr/bin/python3
skip_rest() { while [ "$T_RUN" -lt "$T_PLAN" ]; do T_RUN=$((T_RUN + 1)); echo "ok $T_RUN # SKIP $1"; done; done_testing; exit; }
[ -x "$PY" ] || skip_rest "no /usr/bin/python3"
"$PY" -c 'import setuptools, wheel' 2>/dev/null || skip_rest "Debian's python3-setuptools and python3-wheel are absent"
ls /usr/share/python-wheels/pip-*.whl >/dev/null 2>&1 || skip_rest "python3-venv is absent"

# pip as on a fresh machine with no network: no index, no configuration,
# no links to local wheels (this machine's PIP_FIND_LINKS), no PYTHONPATH.
offline() {
  env -u PIP_FIND_LINKS -u PIP_INDEX_URL -u PIP_EXTRA_INDEX_URL -u PYTHONPATH -u VIRTUAL_ENV \
    PIP_NO_INDEX=1 PIP_CONFIG_FILE=/dev/null "$@"
}
ver=$(cat "$ROOT/VERSION")

# The tracked tree (what a clone or an sdist holds), not the working folder's builds.
src="$T_TMP/src"
tracked_copy "$src"

# The page's block, verbatim.
awk 'p == 0 && /^## The Python package$/ { p = 1; next }
     p == 1 && /^```shell$/ { p = 2; next }
     p == 2 && /^```$/ { exit }
     p == 2 { print }' "$ROOT/docs/clients.md" >"$T_TMP/block.sh"
shown=$(sed -n 's/^# prints //p' "$T_TMP/block.sh")
# python3 is Debian's, as on the machine the page speaks of (this one may
# put another first on PATH); sh -e stops at the first line that fails.
BOUT=$(cd "$src" && offline env PATH="$(dirname "$PY"):$PATH" sh -e "$T_TMP/block.sh" 2>&1)
RC=$?
if [ $RC = 0 ] && grep -q '^\.venv/bin/pip install --no-build-isolation \.$' "$T_TMP/block.sh"; then
  tap_ok 0 "docs/clients.md's Python block runs as written with no index ($(grep -c . "$T_TMP/block.sh") lines)"
else
  tap_ok 1 "docs/clients.md's Python block runs as written with no index"
  diag "exit $RC" "block:" "$(cat "$T_TMP/block.sh")" "output:" "$(printf '%s\n' "$BOUT" | tail -20)"
fi

# Its answer: the deepest drawdown of the sample series, as the shell gives
# it (printed as Python prints the row), and as the page says it prints.
DB="$T_TMP/w.db"
"$ROOT/sql/load_csv.sh" "$DB" SMALL "$ROOT/samples/data/SMALL.csv" >/dev/null
run_sql "SELECT peak_time, trough_time, round(depth, 4) FROM fin_drawdowns('closes') ORDER BY depth LIMIT 1;"
want=$(printf '%s\n' "$OUT" | awk -F'|' -v q="'" '{ printf "(%s%s%s, %s%s%s, %s)\n", q, $1, q, q, $2, q, $3 }')
got=$(printf '%s\n' "$BOUT" | tail -1)
if [ -n "$OUT" ] && [ "$got" = "$want" ] && [ "$shown" = "$want" ]; then
  tap_ok 0 "it prints $got: the shell's answer, and what the page shows"
else tap_ok 1 "the block's answer"; diag "printed: $got" "the shell: $want" "the page: $shown"; fi

# What it installed: the library as fin.so (no interpreter tag in its name),
# from a wheel tagged py3-none-<platform>.
site=$(ls -d "$src"/.venv/lib/python3*/site-packages 2>/dev/null | head -1)
tag=$(sed -n 's/^Tag: //p' "$site"/sqlite_fin-"$ver".dist-info/WHEEL 2>/dev/null)
files=$(cd "$site/sqlite_fin" 2>/dev/null && ls)
case "$tag" in
  py3-none-linux_*|py3-none-macosx_*|py3-none-win*)
    if [ -f "$site/sqlite_fin/fin.so" ] && ! echo "$files" | grep -q '^fin\..*\.'; then
      tap_ok 0 "installed from a wheel tagged $tag, as sqlite_fin/fin.so"
    else tap_ok 1 "installed file"; diag "$files"; fi ;;
  *) tap_ok 1 "installed wheel tag"; diag "Tag: $tag" "site-packages: $site" ;;
esac

# The wheel to hand on, as the page says to make it; pip would take it for
# the oldest and a newer Python 3 than this one (a cp311 wheel it would not).
whl=""
(cd "$src" && offline .venv/bin/pip wheel --no-build-isolation --no-deps -w "$T_TMP/wheels" .) >"$T_TMP/wheel.log" 2>&1 &&
  whl=$(ls "$T_TMP"/wheels/sqlite_fin-"$ver"-py3-none-*.whl 2>/dev/null)
names=""
[ -n "$whl" ] && names=$("$PY" -c 'import zipfile, sys; print("\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))' "$whl")
takes=""
for pv in 3.8 3.13; do
  offline "$src/.venv/bin/pip" download --no-index --find-links "$T_TMP/wheels" --python-version $pv \
    --only-binary=:all: --no-deps -d "$T_TMP/dl$pv" sqlite-fin >>"$T_TMP/wheel.log" 2>&1 && takes="$takes $pv"
done
if [ -n "$whl" ] && echo "$names" | grep -qx 'sqlite_fin/fin.so' && ! echo "$names" | grep -q 'cpython' &&
   [ "$takes" = " 3.8 3.13" ]; then
  tap_ok 0 "pip wheel makes $(basename "$whl") offline, fin.so inside; pip takes it for Python 3.8 and 3.13"
else tap_ok 1 "the wheel"; diag "wheel: $whl" "$names" "taken for:$takes" "$(tail -20 "$T_TMP/wheel.log")"; skip_rest "no wheel"; fi

# A fresh venv, without the system's packages: only the wheel goes in.
"$PY" -m venv "$T_TMP/venv" >/dev/null 2>&1 && offline "$T_TMP/venv/bin/pip" install "$whl" >"$T_TMP/install.log" 2>&1
RC=$?
OUT=$(cd "$T_TMP" && offline "$T_TMP/venv/bin/python" - "$DB" <<'PY' 2>&1
import sqlite3, sys
import sqlite_fin
conn = sqlite3.connect(sys.argv[1])
sqlite_fin.load(conn)
print(conn.execute("SELECT peak_time, trough_time, round(depth, 4) FROM fin_drawdowns('closes') ORDER BY depth LIMIT 1").fetchone())
print(sqlite_fin.__version__, conn.execute("SELECT fin_version()").fetchone()[0])
print(sqlite_fin.loadable_path())
try:
    conn.load_extension(sqlite_fin.loadable_path())
except Exception as e:
    print("after load():", type(e).__name__)
PY
)
if [ $RC = 0 ] && [ "$(echo "$OUT" | sed -n 1p)" = "$want" ] && [ "$(echo "$OUT" | sed -n 2p)" = "$ver v$ver" ] &&
   echo "$OUT" | grep -q "after load(): OperationalError"; then
  tap_ok 0 "the wheel installs with --no-index into a venv without the system's packages and answers $want; loading is off again afterwards"
else tap_ok 1 "the wheel in a fresh venv"; diag "$(tail -5 "$T_TMP/install.log")" "$OUT" "wanted: $want"; fi

path=$(echo "$OUT" | sed -n 3p)
OUT2=$(printf '.load %s\nSELECT fin_version();\n' "$path" | $SQLITE3 -batch -bail :memory: 2>&1)
case "$path" in "$T_TMP/venv/"*/sqlite_fin/fin.so) ;; *) OUT2="not the venv's fin.so: $OUT2" ;; esac
[ "$OUT2" = "v$ver" ] && tap_ok 0 "loadable_path() is the venv's fin.so, and the sqlite3 shell loads it" || { tap_ok 1 "loadable_path"; diag "$path" "$OUT2"; }

OUT=$("$T_TMP/venv/bin/python" -c '
import sqlite_fin
class NoExtensions:  # what sqlite3.connect returns in a Python built without them
    pass
try:
    sqlite_fin.load(NoExtensions())
except RuntimeError as e:
    print(e)
' 2>&1)
case "$OUT" in
  *"built without loadable SQLite extension support"*"/usr/bin/python3"*) tap_ok 0 "a connection without load_extension gets a RuntimeError that says what to do" ;;
  *) tap_ok 1 "no extension support"; diag "$OUT" ;;
esac
done_testing

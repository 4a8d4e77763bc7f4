#!/bin/sh
# The Python package, from its own artefact: a wheel built offline from a
# copy of the tracked tree (Debian's setuptools and wheel, no index), installed
# into a fresh venv with --no-index, answers a question; its loadable_path()
# serves the sqlite3 shell; a Python without extension support gets advice.
. "$(dirname "$0")/lib.sh"
plan 5
PY=/usr/bin/python3
skip_rest() { while [ "$T_RUN" -lt 5 ]; do T_RUN=$((T_RUN + 1)); echo "ok $T_RUN # SKIP $1"; done; done_testing; exit; }
[ -x "$PY" ] || skip_rest "no /usr/bin/python3"
"$PY" -c 'import setuptools, wheel' 2>/dev/null || skip_rest "Debian's python3-setuptools and python3-wheel are absent"
ls /usr/share/python-wheels/pip-*.whl >/dev/null 2>&1 || skip_rest "python3-venv is absent"

# The tracked tree (what a clone or an sdist holds), not the working folder's builds.
src="$T_TMP/src"
tracked_copy "$src"
# A build venv that sees Debian's setuptools and wheel; pip never reaches an index.
"$PY" -m venv --system-site-packages "$T_TMP/bvenv" >"$T_TMP/venv.log" 2>&1 &&
  "$T_TMP/bvenv/bin/pip" wheel --no-build-isolation --no-index --no-deps -w "$T_TMP/wheels" "$src" >"$T_TMP/wheel.log" 2>&1
whl=$(ls "$T_TMP"/wheels/sqlite_fin-"$(cat "$ROOT/VERSION")"-*.whl 2>/dev/null)
if [ -n "$whl" ] && "$PY" -c 'import zipfile, sys
sys.exit(not any(n.startswith("sqlite_fin/fin.") for n in zipfile.ZipFile(sys.argv[1]).namelist()))' "$whl"; then
  tap_ok 0 "pip wheel builds $(basename "$whl") offline, the extension inside"
else tap_ok 1 "the wheel builds"; diag "$(tail -20 "$T_TMP/venv.log" "$T_TMP/wheel.log")"; skip_rest "no wheel"; fi

# A fresh venv, without the system's packages: only the wheel goes in.
"$PY" -m venv "$T_TMP/venv" >/dev/null 2>&1 && "$T_TMP/venv/bin/pip" install --no-index "$whl" >"$T_TMP/install.log" 2>&1
RC=$?
[ $RC = 0 ] && tap_ok 0 "pip install --no-index of the wheel into a fresh venv" || { tap_ok 1 "install"; diag "$(tail -5 "$T_TMP/install.log")"; }

# The question: the deepest drawdown of the sample series, as the shell answers it.
DB="$T_TMP/w.db"
"$ROOT/sql/load_csv.sh" "$DB" SMALL "$ROOT/samples/data/SMALL.csv" >/dev/null
run_sql "SELECT peak_time, trough_time, round(depth, 4) FROM fin_drawdowns('closes') ORDER BY depth LIMIT 1;"
want=$OUT
OUT=$(cd "$T_TMP" && "$T_TMP/venv/bin/python" - "$DB" <<'PY' 2>&1
import sqlite3, sys
import sqlite_fin
conn = sqlite3.connect(sys.argv[1])
sqlite_fin.load(conn)
row = conn.execute("SELECT peak_time, trough_time, round(depth, 4) FROM fin_drawdowns('closes') ORDER BY depth LIMIT 1").fetchone()
print("|".join(str(x) for x in row))
print(sqlite_fin.__version__, conn.execute("SELECT fin_version()").fetchone()[0])
print(sqlite_fin.loadable_path())
try:
    conn.load_extension(sqlite_fin.loadable_path())
except Exception as e:
    print("after load():", type(e).__name__)
PY
)
ver=$(cat "$ROOT/VERSION")
if [ "$(echo "$OUT" | sed -n 1p)" = "$want" ] && [ "$(echo "$OUT" | sed -n 2p)" = "$ver v$ver" ] &&
   echo "$OUT" | grep -q "after load(): OperationalError"; then
  tap_ok 0 "sqlite_fin.load(conn) answers: the deepest drawdown $want, as the shell says; loading is off again afterwards"
else tap_ok 1 "the question in Python"; diag "$OUT" "wanted: $want"; fi

path=$(echo "$OUT" | sed -n 3p)
OUT2=$(printf '.load %s\nSELECT fin_version();\n' "$path" | $SQLITE3 -batch -bail :memory: 2>&1)
case "$path" in "$T_TMP/venv/"*) ;; *) OUT2="not in the venv: $OUT2" ;; esac
[ "$OUT2" = "v$ver" ] && tap_ok 0 "loadable_path() is the venv's file, and the sqlite3 shell loads it" || { tap_ok 1 "loadable_path"; diag "$path" "$OUT2"; }

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

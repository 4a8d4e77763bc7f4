#!/bin/sh
# The walkthroughs in samples/ run for real: the sqlite3 shell, Python's
# sqlite3 module (and the message for Pythons without extension support),
# and Node's better-sqlite3 (installed from npm into build/node; skipped when
# Node or the package cannot be had).
. "$(dirname "$0")/lib.sh"
plan 5
skip() { T_RUN=$((T_RUN + 1)); echo "ok $T_RUN # SKIP $1"; }
has() { case "$OUT" in *"$1"*) return 0 ;; esac; return 1; }

# What the sample data says, straight from the shell: the deepest drawdown.
SETUP=""
DB="$T_TMP/w.db"
"$ROOT/sql/load_csv.sh" "$DB" SMALL "$ROOT/samples/data/SMALL.csv" >/dev/null
run_sql "SELECT peak_time, trough_time, recovery_time, round(depth, 4), length FROM fin_drawdowns('closes') ORDER BY depth LIMIT 1;"
deepest=$OUT
IFS='|' read -r p t r d l <<EOF2
$deepest
EOF2

OUT=$(FIN_LIB="$FIN_LIB" SQLITE3="$SQLITE3" run_env "$ROOT/samples/shell_walkthrough.sh" "$T_TMP/shell.db" 2>&1)
RC=$?
if [ $RC = 0 ] && has "SMALL: 2600 rows: 2600 added, 0 unchanged, 0 replaced" && has "$p │ $t  │ $r"; then tap_ok 0 "shell walkthrough"; else
  tap_ok 1 "shell walkthrough"; diag "$OUT"; fi

# Pythons with and without loadable-extension support.
py_ok="" py_no=""
for py in /usr/bin/python3 $(command -v python3 2>/dev/null) $(command -v python3.11 2>/dev/null); do
  [ -x "$py" ] || continue
  if "$py" -c 'import sqlite3,sys; sys.exit(0 if hasattr(sqlite3.Connection, "enable_load_extension") else 1)' 2>/dev/null; then
    [ -n "$py_ok" ] || py_ok=$py
  else
    [ -n "$py_no" ] || py_no=$py
  fi
done
if [ -n "$py_ok" ]; then
  OUT=$(cd "$T_TMP" && run_env "$py_ok" "$ROOT/samples/python_walkthrough.py" "$FIN_LIB" 2>&1)
  RC=$?
  if [ $RC = 0 ] && has "fin v$(cat "$ROOT/VERSION")" && has "$p  $t   $r     $d  $l" && has "bound parameter"; then
    tap_ok 0 "Python walkthrough ($py_ok): the deepest drawdown matches the shell's"
  else tap_ok 1 "Python walkthrough ($py_ok)"; diag "$OUT" "wanted: $deepest"; fi
else
  skip "no Python with loadable-extension support"
fi
if [ -n "$py_no" ]; then
  OUT=$("$py_no" "$ROOT/samples/python_walkthrough.py" "$FIN_LIB" 2>&1)
  RC=$?
  if [ $RC = 2 ] && has "built without loadable SQLite extension support" && has "/usr/bin/python3" && ! has Traceback; then
    tap_ok 0 "a Python without extension support gets advice, not an AttributeError ($py_no)"
  else tap_ok 1 "Python without extension support ($py_no)"; diag "exit $RC" "$OUT"; fi
else
  skip "every Python here supports extensions"
fi

# Node and better-sqlite3.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  skip "Node is absent"
  skip "Node is absent"
else
  better_sqlite3
  nm="$ROOT/build/node"
  if [ -n "$why" ]; then
    skip "$why"
    skip "$why"
  else
    OUT=$(NODE_PATH="$nm/node_modules" run_env node "$ROOT/samples/node_walkthrough.js" "$FIN_LIB" 2>&1)
    RC=$?
    if [ $RC = 0 ] && has "fin v$(cat "$ROOT/VERSION")" && has "'$p'" && has "$d"; then
      tap_ok 0 "Node walkthrough: the deepest drawdown matches the shell's"
    else tap_ok 1 "Node walkthrough"; diag "$OUT"; fi
    # The same bound-parameter call, in an SQLite newer than the one we build against.
    OUT=$(NODE_PATH="$nm/node_modules" run_env node -e "
      const D = require('better-sqlite3'); const db = new D(':memory:'); db.loadExtension(process.argv[1]);
      console.log(db.prepare('SELECT count(*) AS n FROM fin_series(?)').get('VALUES (1, 2.0), (2, 3.0)').n);
      try { db.prepare('SELECT * FROM fin_series(?)').all('DELETE FROM x'); } catch (e) { console.log(e.message); }" "$FIN_LIB" 2>&1)
    if [ "$OUT" = "2
fin_series(): series must be a read-only SELECT (or WITH ... SELECT, VALUES) or the name of a table or view, got 'DELETE FROM x'" ]; then
      tap_ok 0 "Node: bound series, and a write refused, in better-sqlite3's own SQLite"
    else tap_ok 1 "Node: bound series"; diag "$OUT"; fi
  fi
fi
done_testing

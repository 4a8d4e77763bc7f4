#!/bin/sh
# The walkthroughs in samples/ run for real: the sqlite3 shell, Python's
# sqlite3 module (and the message for Pythons without extension support),
# Node's better-sqlite3 (installed from npm into build/node; skipped when
# Node or the package cannot be had), and R's RSQLite: the R walkthrough and
# the block of docs/r.md (skipped without Rscript or RSQLite).
. "$(dirname "$0")/lib.sh"
plan 7
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
# R and RSQLite (Debian: r-cran-rsqlite).
if ! command -v Rscript >/dev/null 2>&1; then
  skip "Rscript is absent (Debian: r-cran-rsqlite)"
  skip "Rscript is absent (Debian: r-cran-rsqlite)"
elif ! Rscript -e 'quit(status = !requireNamespace("RSQLite", quietly = TRUE))' >/dev/null 2>&1; then
  skip "R has no RSQLite (Debian: r-cran-rsqlite)"
  skip "R has no RSQLite (Debian: r-cran-rsqlite)"
else
  # The deepest drawdown's row of a printed data.frame, its fields compared
  # as the shell gave them (the depth as a number: R pads decimals).
  r_row() {
    printf '%s\n' "$OUT" | awk -v p="$p" -v t="$t" -v r="$r" -v d="$d" -v l="$l" '
      { o = ($1 ~ /^[0-9]+$/ && NF == 6) ? 1 : 0 }
      $(1+o) == p && $(2+o) == t && $(3+o) == r && $(4+o) + 0 == d + 0 && $(5+o) == l { n++ }
      END { exit n != 1 }'
  }
  # Its closing line, from the CSV by awk: a complete year's return is its
  # last close over the year before's, neither the first year (no close
  # before it) nor the last (to date).
  years=$(awk -F, 'NR > 1 { y = substr($1, 1, 4); last[y] = $5; if (!(y in seen)) { seen[y] = 1; ys[++n] = y } }
    END { for (i = 2; i < n; i++) { r = last[ys[i]] / last[ys[i-1]] - 1
            if (i == 2 || r > best) { best = r; by = ys[i] }
            if (i == 2 || r < worst) { worst = r; wy = ys[i] } }
          printf "complete years %s to %s: best %s (%+.1f%%), worst %s (%+.1f%%)", ys[2], ys[n-1], by, 100 * best, wy, 100 * worst }' \
    "$ROOT/samples/data/SMALL.csv")
  OUT=$(cd "$T_TMP" && run_env Rscript "$ROOT/samples/r_walkthrough.R" "$FIN_LIB" 2>&1)
  RC=$?
  if [ $RC = 0 ] && has "fin v$(cat "$ROOT/VERSION") on SQLite" && has "loaded 2600 rows" && r_row && has "$years"; then
    tap_ok 0 "R walkthrough (RSQLite): data.frames; the deepest drawdown matches the shell's"
  else tap_ok 1 "R walkthrough"; diag "exit $RC" "$OUT" "wanted: $deepest" "and: $years"; fi
  # docs/r.md's block as written (run from the repository, as the page
  # says), the library path aside; its output as the page shows it.
  awk '/^```r$/ { p = 1; next } p && /^```$/ { exit } p { print }' "$ROOT/docs/r.md" >"$T_TMP/block.R"
  awk '/^It prints/ { p = 1; next } p == 1 && /^```$/ { p = 2; next } p == 2 && /^```$/ { exit } p == 2 { print }' \
    "$ROOT/docs/r.md" >"$T_TMP/block.want"
  grep -q '"dist/fin"' "$T_TMP/block.R" && sed -i "s|\"dist/fin\"|\"$FIN_LIB\"|" "$T_TMP/block.R"
  OUT=$(cd "$ROOT" && run_env Rscript "$T_TMP/block.R" 2>&1)
  RC=$?
  if [ $RC = 0 ] && [ -s "$T_TMP/block.want" ] && [ "$OUT" = "$(cat "$T_TMP/block.want")" ] && r_row; then
    tap_ok 0 "docs/r.md's block runs and prints what the page shows"
  else tap_ok 1 "docs/r.md's block"; diag "exit $RC" "got:" "$OUT" "the page:" "$(cat "$T_TMP/block.want")"; fi
fi
done_testing

# lib.sh - TAP helpers for SQL-level tests that drive the real sqlite3 shell.
#
#   . "$(dirname "$0")/lib.sh"
#   plan 3
#   SETUP="CREATE TABLE ...;"          # prepended to every query (optional)
#   check "name" "SELECT ...;" "expected output"
#   check_error "name" "SELECT ...;" "expected message (substring)"
#   done_testing
#
# Every query runs in a fresh `sqlite3 -batch -bail` with the extension
# loaded. check passes only when the exit status is 0, stderr is empty and
# stdout equals the expectation exactly; check_error only when the shell
# fails and stderr contains the message. Counts are checked against the
# plan, so a case that prints nothing still fails.

ROOT=$(cd "$(dirname "$0")/.." && pwd)
: "${FIN_LIB:=$ROOT/dist/fin}"
: "${SQLITE3:=sqlite3}"
: "${FIN_DATA_DIR:=$ROOT/../shared/data}"
: "${DB:=:memory:}"
SETUP=${SETUP:-}
T_RUN=0
T_FAIL=0
T_TMP=$(mktemp -d)
trap 'rm -rf "$T_TMP"' EXIT

plan() { T_PLAN=$1; echo "1..$1"; }
skip_all() { echo "1..0 # SKIP $1"; exit 0; }
# Diagnostics go to stderr, so prove shows them even when not verbose.
diag() { printf '%s\n' "$@" | sed 's/^/# /' >&2; }

# run_sql SQL: sets OUT, ERR and RC.
run_sql() {
  printf '.load %s\n%s\n%s\n' "$FIN_LIB" "$SETUP" "$1" >"$T_TMP/in.sql"
  OUT=$($SQLITE3 -batch -bail "$DB" <"$T_TMP/in.sql" 2>"$T_TMP/err")
  RC=$?
  ERR=$(cat "$T_TMP/err")
}

tap_ok() {
  T_RUN=$((T_RUN + 1))
  if [ "$1" = 0 ]; then
    echo "ok $T_RUN - $2"
  else
    echo "not ok $T_RUN - $2"
    T_FAIL=$((T_FAIL + 1))
  fi
}

check() {
  run_sql "$2"
  if [ "$RC" = 0 ] && [ -z "$ERR" ] && [ "$OUT" = "$3" ]; then
    tap_ok 0 "$1"
  else
    tap_ok 1 "$1"
    diag "query: $2" "got:" "$OUT" "expected:" "$3" "exit: $RC" "stderr: $ERR"
  fi
}

# load_real DB SYMBOL...: loads the real files $FIN_DATA_DIR/SYMBOL.csv
# into DB with the project's loader, or bails out.
load_real() {
  _db=$1
  shift
  for _s in "$@"; do
    "$ROOT/sql/load_csv.sh" "$_db" "$_s" "$FIN_DATA_DIR/$_s.csv" >/dev/null 2>&1 ||
      { echo "Bail out! cannot load $_s"; exit 1; }
  done
}

check_error() {
  run_sql "$2"
  case "$ERR" in
    *"$3"*) if [ "$RC" != 0 ]; then tap_ok 0 "$1"; return; fi ;;
  esac
  tap_ok 1 "$1"
  diag "query: $2" "expected an error containing: $3" "exit: $RC" "stderr: $ERR" "stdout: $OUT"
}

done_testing() {
  if [ "$T_RUN" != "$T_PLAN" ]; then
    diag "planned $T_PLAN tests, ran $T_RUN"
    exit 1
  fi
  [ "$T_FAIL" = 0 ]
}

# run_env CMD...: a sanitized build needs its runtimes preloaded into Python and Node too;
# their own allocations are not ours to leak-check.
run_env() {
  if [ -n "${FIN_PRELOAD:-}" ]; then
    env LD_PRELOAD="$FIN_PRELOAD" ASAN_OPTIONS=detect_leaks=0 "$@"
  else
    "$@"
  fi
}

# load_csv TABLE SYMBOL FILE: loads a vendor CSV (date,open,...,close,...)
# into TABLE(symbol, date, close) through sql/import.sql's recipe.
load_csv() {
  printf '.load %s\n.read %s\n.param set @symbol %s\n.param set @csv %s\n.read %s\n' \
    "$FIN_LIB" "$ROOT/sql/schema.sql" "'$2'" "'$3'" "$ROOT/sql/import.sql" |
    $SQLITE3 -batch -bail "$DB" >/dev/null
}

# better_sqlite3: installs better-sqlite3 from npm into build/node once (it
# compiles its native module from source when no prebuilt binary can be
# downloaded: minutes), then reuses it. Sets why to the reason when it
# cannot be had; NODE_PATH="$ROOT/build/node/node_modules" finds it.
better_sqlite3() {
  why=""
  _nm="$ROOT/build/node"
  [ -d "$_nm/node_modules/better-sqlite3/build/Release" ] && return 0
  mkdir -p "$_nm" && cp "$ROOT/samples/package.json" "$_nm/"
  # Node's own headers, when installed, spare node-gyp a download.
  [ -r /usr/include/node/node.h ] && export npm_config_nodedir=/usr
  (cd "$_nm" && npm install --no-audit --no-fund >"$T_TMP/npm.log" 2>&1 && npm rebuild better-sqlite3 >>"$T_TMP/npm.log" 2>&1) ||
    why="npm could not install better-sqlite3 ($(tail -1 "$T_TMP/npm.log"))"
  [ -z "$why" ] && [ ! -d "$_nm/node_modules/better-sqlite3/build/Release" ] && why="better-sqlite3 did not build its native module"
  [ -z "$why" ]
}

# tracked_copy DEST: the files git tracks or would track (what a clone
# holds, never the builds in build/ and dist/) copied into DEST; without
# git, the tree minus those builds.
tracked_copy() {
  mkdir -p "$1"
  if git -C "$ROOT" rev-parse >/dev/null 2>&1; then
    (cd "$ROOT" && git ls-files -co --exclude-standard | while IFS= read -r _f; do [ -e "$_f" ] && echo "$_f"; done |
      grep -v '^dist/' | tar cf - -T -) | (cd "$1" && tar xf -)
  else
    (cd "$ROOT" && tar cf - --exclude=./build --exclude=./dist --exclude=./bench-data .) | (cd "$1" && tar xf -)
  fi
}

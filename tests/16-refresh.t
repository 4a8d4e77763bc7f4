#!/bin/sh
# sql/load_csv.sh and sql/import.sql as a daily refresh, on the real SPY
# and IJR files: a prefix of SPY, then the whole file, then downloads that
# spell the numbers differently, revise a close, rescale adj_close (as
# Yahoo does after a dividend), lack the adj close column (Stooq) or have
# empty closes (IJR). Every report, every listing of changed rows and
# every database state is compared with a model of the rules written here
# in Python (ref.py below: csv, float() and the sqlite3 module, none of the
# loader's SQL), and every refused load must leave the database file
# byte-identical (cmp).
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
[ -x "$PY" ] || skip_all "no /usr/bin/python3"
[ -r "$FIN_DATA_DIR/SPY.csv" ] && [ -r "$FIN_DATA_DIR/IJR.csv" ] || skip_all "no real data in $FIN_DATA_DIR"
plan 25

cat >"$T_TMP/ref.py" <<'PY'
"""The refresh rules, independently: a state {symbol: {date: {col: value}}}
kept in a JSON file; `apply` prints what the loader should print and
updates the state when the load succeeds, `check` compares a database with
the state, `make` writes the test's files."""
import csv, json, os, sqlite3, sys

COLS = ["open", "high", "low", "close", "adj_close", "volume"]


def canon(name):
    n = name.strip().lower().replace(" ", "").replace("_", "")
    return "adj_close" if n == "adjclose" else n


def read(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    head = [canon(h) for h in rows[0]]
    out = []
    for r in rows[1:]:
        d = dict(zip(head, r))
        row = {"date": d["date"]}
        for c in COLS:
            if c in d:  # a column the file does not have is not in row
                v = d[c].strip()
                row[c] = None if v == "" else (int(float(v)) if c == "volume" else float(v))
        out.append(row)
    return head, out


def fmt(v):
    return "NULL" if v is None else repr(v)


def apply(statefile, sym, path, replace):
    state = json.load(open(statefile)) if os.path.exists(statefile) else {}
    st = state.setdefault(sym, {})
    head, rows = read(path)
    added = changed = 0
    lines = []
    for row in rows:
        old = st.get(row["date"])
        if old is None:
            added += 1
            continue
        diff = [(c, old[c], row[c]) for c in COLS if c in row and old[c] != row[c]]
        if diff:
            changed += 1
            lines += ["changed row: symbol '%s', date '%s', %s: stored %s, file %s" % (sym, row["date"], c, fmt(a), fmt(b))
                      for c, a, b in diff]
    if changed and not replace:
        print("\n".join(lines[:20]))
        if len(lines) > 20:
            print("... %d more; %d rows differ in all" % (len(lines) - 20, changed))
        sys.exit(3)
    for row in rows:
        if row["date"] not in st:
            st[row["date"]] = {c: row.get(c) for c in COLS}
        else:
            st[row["date"]].update({c: row[c] for c in COLS if c in row})
    parts = []
    for c, kind in (("close", "price"), ("adj_close", "total-return")):
        if c not in head:
            last = max((d for d, v in st.items() if v[c] is not None), default=None)
            parts.append("no %s column: " % c + ("%s questions on %s have no data" % (kind, sym) if last is None
                                                  else "%s's stored %s ends %s" % (sym, c, last)))
        else:
            # runs of consecutive file dates with the field empty
            runs = []
            for i, row in enumerate(sorted(rows, key=lambda r: r["date"])):
                if row[c] is None:
                    if runs and runs[-1][2] == i - 1:
                        runs[-1][1:] = [row["date"], i]
                    else:
                        runs.append([row["date"], row["date"], i])
            shown = ", ".join(a if a == b else a + ".." + b for a, b, _ in runs[:3])
            if len(runs) > 3:
                shown += ", and %d more runs" % (len(runs) - 3)
            empty = sum(row[c] is None for row in rows)
            parts.append("no %s: %d%s" % (c, empty, " (%s)" % shown if runs else ""))
    print("%s: %d rows: %d added, %d unchanged, %d replaced; %s; %s"
          % (sym, len(rows), added, len(rows) - added - changed, changed, parts[0], parts[1]))
    json.dump(state, open(statefile, "w"))


def check(statefile, db):
    state = json.load(open(statefile))
    want = {(s, d): v for s, rows in state.items() for d, v in rows.items()}
    got = {(r[0], r[1]): dict(zip(COLS, r[2:])) for r in
           sqlite3.connect(db).execute("SELECT symbol, date, %s FROM prices" % ", ".join(COLS))}
    bad = ["missing %s %s" % k for k in sorted(set(want) - set(got))]
    bad += ["extra %s %s" % k for k in sorted(set(got) - set(want))]
    for k in sorted(set(want) & set(got)):
        for c in COLS:
            w, g = want[k][c], got[k][c]
            if w != g or type(w) is not type(g):
                bad.append("%s %s %s: stored %r, expected %r" % (k[0], k[1], c, g, w))
    print("\n".join(bad[:5]) if bad else "ok %d rows" % len(want))


def make(kind, src, out):
    """respell: every number written with other digits (same double);
    revise: two closes revised, one emptied, one volume revised;
    dividend: every adj_close scaled by 0.997; stooq: no adj close column
    (stooq-revised: and one close revised)."""
    with open(src, newline="") as f:
        rows = list(csv.reader(f))
    head, body = rows[0], rows[1:]
    if kind == "respell":
        spell = ["%.17g", "%.16e", "%r0"]
        for i, r in enumerate(body):
            for j in range(1, 6):
                if r[j]:
                    r[j] = spell[(i + j) % 3] % float(r[j])
            if r[6]:
                r[6] = "%d.0" % int(r[6])
    elif kind == "revise":
        body[99][4] = "%.2f" % (float(body[99][4]) * 1.01)
        body[4999][4] = "%.2f" % (float(body[4999][4]) * 0.99)
        body[6999][4] = ""
        body[7998][6] = str(int(body[7998][6]) + 100)
    elif kind == "dividend":
        for r in body:
            if r[5]:
                r[5] = "%.4f" % (float(r[5]) * 0.997)
    elif kind.startswith("stooq"):
        if kind == "stooq-revised":
            body[1234][4] = "%.2f" % (float(body[1234][4]) + 0.25)
        head = ["Date", "Open", "High", "Low", "Close", "Volume"]
        body = [r[:5] + r[6:] for r in body]
    with open(out, "w", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows([head] + body)


if sys.argv[1] == "apply":
    apply(sys.argv[2], sys.argv[3], sys.argv[4], len(sys.argv) > 5)
elif sys.argv[1] == "check":
    check(sys.argv[2], sys.argv[3])
else:
    make(sys.argv[2], sys.argv[3], sys.argv[4])
PY

SPY=$FIN_DATA_DIR/SPY.csv
head -n 8001 "$SPY" >"$T_TMP/prefix.csv" # the first 8000 days, to 2024-11-05
for k in respell revise dividend stooq stooq-revised; do
  "$PY" "$T_TMP/ref.py" make "$k" "$SPY" "$T_TMP/$k.csv"
done

# load NAME DB STATE [--replace] SYMBOL FILE: runs the loader and the model
# and passes when both succeed with the same output and nothing on stderr,
# or both refuse with the same listing on stdout and the loader's one-line
# error on stderr.
load() {
  _name=$1 _db=$2 _state=$3
  shift 3
  _r=""
  [ "$1" = --replace ] && { _r=replace; shift; }
  "$ROOT/sql/load_csv.sh" ${_r:+--replace} "$_db" "$@" >"$T_TMP/out" 2>"$T_TMP/err"
  RC=$?
  EXP=$("$PY" "$T_TMP/ref.py" apply "$_state" "$1" "$2" $_r)
  ERC=$?
  OUT=$(cat "$T_TMP/out")
  ERR=$(cat "$T_TMP/err")
  if [ "$OUT" = "$EXP" ] && { { [ $ERC = 0 ] && [ $RC = 0 ] && [ -z "$ERR" ]; } ||
    { [ $ERC = 3 ] && [ $RC != 0 ] && [ "$ERR" = "load_csv.sh: $2: import stopped: rows differ from the stored ones (listed above); nothing was loaded (sql/load_csv.sh --replace, or .param set @replace 1, replaces them)" ]; }; }; then
    tap_ok 0 "$_name"
  else
    tap_ok 1 "$_name"
    diag "loader (exit $RC):" "$OUT" "stderr: $ERR" "model (exit $ERC):" "$EXP"
  fi
}
# same NAME DB STATE: the database holds exactly the model's rows.
same() {
  got=$("$PY" "$T_TMP/ref.py" check "$3" "$2")
  case "$got" in ok*) tap_ok 0 "$1 ($got)" ;; *) tap_ok 1 "$1"; diag "$got" ;; esac
}
# unchanged NAME DB: the database file is byte-identical to its copy DB.before.
unchanged() {
  cmp -s "$2" "$2.before" && tap_ok 0 "$1" || tap_ok 1 "$1"
}

DB="$T_TMP/spy.db" S="$T_TMP/spy.json"
load "a prefix of SPY loads: 8000 added" "$DB" "$S" SPY "$T_TMP/prefix.csv"
same "the prefix is stored as the file says" "$DB" "$S"
load "the whole file refreshes it: the new days added, the rest unchanged, the empty adj_close counted" "$DB" "$S" SPY "$SPY"
case "$OUT" in "SPY: 8448 rows: 448 added, 8000 unchanged, 0 replaced; no close: 0; no adj_close: 15 (2026-08-03..2026-08-21)")
  tap_ok 0 "the report reads as documented" ;; *) tap_ok 1 "the report reads as documented"; diag "$OUT" ;; esac
same "the database is the whole file" "$DB" "$S"

cp "$DB" "$DB.before"
load "the same numbers with other digits (%.17g, %.16e, trailing zeros, volume 1000.0) are unchanged" "$DB" "$S" SPY "$T_TMP/respell.csv"
unchanged "a load that changes nothing writes nothing" "$DB"

load "a revised close, an emptied close and a revised volume refuse the file, both values listed" "$DB" "$S" SPY "$T_TMP/revise.csv"
unchanged "the refused file left the database byte-identical" "$DB"
load "--replace replaces the rows that differ and counts them" "$DB" "$S" --replace SPY "$T_TMP/revise.csv"
same "the replaced rows hold the file's values" "$DB" "$S"

cp "$DB" "$DB.before"
load "adj_close rescaled on every row (a dividend): 20 lines listed, then the count" "$DB" "$S" SPY "$T_TMP/dividend.csv"
unchanged "the refused rescale left the database byte-identical" "$DB"

{ cat "$SPY"; echo "2026-08-24,766.00,768.00,760.00,abc,,1000"; echo "2026-08-25,766.00,768.00,760.00,767.00,,1000"; } >"$T_TMP/bad.csv"
"$ROOT/sql/load_csv.sh" "$DB" SPY "$T_TMP/bad.csv" >"$T_TMP/out" 2>&1
RC=$? good=""
case "$(cat "$T_TMP/out")" in
  "bad row: symbol 'SPY', date '2026-08-24': close must be a positive number, got 'abc'"*"import stopped: bad rows (listed above); nothing was loaded"*)
    [ $RC != 0 ] && cmp -s "$DB" "$DB.before" && good=1 ;;
esac
[ -n "$good" ] && tap_ok 0 "a bad new row refuses the refresh, its good neighbour too: byte-identical" ||
  { tap_ok 1 "a bad new row refuses the refresh"; diag "exit $RC" "$(cat "$T_TMP/out")"; }

# Stooq's layout: no adj close column.
DB="$T_TMP/stooq.db" S="$T_TMP/stooq.json"
load "a Stooq file loads with adj_close NULL and says so" "$DB" "$S" SPYS "$T_TMP/stooq.csv"
case "$OUT" in *"; no adj_close column: total-return questions on SPYS have no data") same "Stooq: the rows as the file says, adj_close NULL" "$DB" "$S" ;;
  *) tap_ok 1 "Stooq: the report says there is no adj_close"; diag "$OUT" ;; esac
"$ROOT/sql/load_csv.sh" "$DB" SPY "$T_TMP/prefix.csv" >/dev/null && "$PY" "$T_TMP/ref.py" apply "$S" SPY "$T_TMP/prefix.csv" >/dev/null
load "a Stooq refresh of a Yahoo load with --replace: adj_close kept where stored, NULL where added" "$DB" "$S" --replace SPY "$T_TMP/stooq-revised.csv"
same "the Stooq refresh: the revised close replaced, the stored adj_close kept" "$DB" "$S"

# IJR's closes are empty on 1,217 days: counted, with their range.
load "a file with empty closes: counted with their date range, stored NULL" "$DB" "$S" IJR "$FIN_DATA_DIR/IJR.csv"
case "$OUT" in *"no close: "[1-9]*) same "IJR as the file says (and SPY, SPYS untouched)" "$DB" "$S" ;;
  *) tap_ok 1 "IJR: empty closes counted"; diag "$OUT" ;; esac

# The by-hand recipe in import.sql's header, in an interactive-like session
# (no -bail: the script runs on after the error, and must write nothing).
DB="$T_TMP/hand.db" S="$T_TMP/hand.json"
by_hand() { # FILE [@replace]
  printf '.read %s\nCREATE TEMP TABLE csv_in(date, open, high, low, close, adj_close, volume);\n.import --csv --skip 1 %s csv_in\n.param set @symbol "%s"\n%s\n.read %s\n' \
    "$ROOT/sql/schema.sql" "$1" "'SPY'" "${2:+.param set @replace $2}" "$ROOT/sql/import.sql" | $SQLITE3 -batch "$DB" 2>&1
}
by_hand "$T_TMP/prefix.csv" >/dev/null && "$PY" "$T_TMP/ref.py" apply "$S" SPY "$T_TMP/prefix.csv" >/dev/null
cp "$DB" "$DB.before"
OUT=$(by_hand "$T_TMP/revise.csv")
EXP=$("$PY" "$T_TMP/ref.py" apply "$S" SPY "$T_TMP/revise.csv")
good=""
case "$OUT" in "$EXP"*"import stopped: rows differ"*) cmp -s "$DB" "$DB.before" && good=1 ;; esac
[ -n "$good" ] && tap_ok 0 "by hand, without -bail: the revised file is refused and nothing is written" ||
  { tap_ok 1 "by hand, without -bail: refused, nothing written"; diag "$OUT" "expected:" "$EXP"; }
OUT=$(by_hand "$T_TMP/revise.csv" 1)
EXP=$("$PY" "$T_TMP/ref.py" apply "$S" SPY "$T_TMP/revise.csv" replace)
[ "$OUT" = "$EXP" ] && same "by hand with @replace 1: added and replaced as the model says" "$DB" "$S" ||
  { tap_ok 1 "by hand with @replace 1"; diag "$OUT" "expected:" "$EXP"; }

# Values are read as SQLite stores text in a REAL (INTEGER) column: a field
# that is not a whole number is refused, where a CAST took its leading digits.
DB="$T_TMP/values.db"
cat >"$T_TMP/values.csv" <<'CSV'
Date,Open,High,Low,Close,Adj Close,Volume
2024-01-02,1.2.3,102,99,101.5,101.5,1000
2024-01-03,101,102,99,5-3,101.5,1000
2024-01-04,101,102,99,1e400,101.5,1000
2024-01-05,101,102,99,101,inf,1000
2024-01-08,101,102,99,101,101,1000.5
CSV
OUT=$("$ROOT/sql/load_csv.sh" "$DB" V "$T_TMP/values.csv" 2>&1)
want="bad row: symbol 'V', date '2024-01-02': open must be a positive number, got '1.2.3'
bad row: symbol 'V', date '2024-01-03': close must be a positive number, got '5-3'
bad row: symbol 'V', date '2024-01-04': close must be a positive number, got '1e400'
bad row: symbol 'V', date '2024-01-05': adj_close must be a positive number, got 'inf'
bad row: symbol 'V', date '2024-01-08': volume must be a whole number >= 0, got '1000.5'"
[ "$(echo "$OUT" | grep '^bad row')" = "$want" ] && tap_ok 0 "malformed numbers, an infinite one and a fractional volume are refused" ||
  { tap_ok 1 "malformed numbers refused"; diag "$OUT"; }
printf 'Date,Close,Volume\n2024-01-02,1.015e2,1000.0\n2024-01-03,101,1e3\n' >"$T_TMP/values.csv"
"$ROOT/sql/load_csv.sh" "$DB" V "$T_TMP/values.csv" >/dev/null 2>&1
check "exponents, integers and a whole volume written 1000.0 or 1e3 load as REAL and INTEGER" \
  "SELECT date, quote(close), quote(volume), typeof(volume) FROM prices ORDER BY date;" "2024-01-02|101.5|1000|integer
2024-01-03|101.0|1000|integer"
# Empty fields in runs: single days, ranges, the first three runs shown.
printf 'Date,Close,Adj Close\n2024-01-01,,1\n2024-01-02,1,\n2024-01-03,,1\n2024-01-04,1,\n2024-01-05,,\n2024-01-08,1,1\n2024-01-09,,\n2024-01-10,,\n2024-01-11,1,1\n2024-01-12,,1\n' >"$T_TMP/gaps.csv"
load "empty fields reported as runs of dates: days, ranges, three at most" "$T_TMP/gaps.db" "$T_TMP/gaps.json" G "$T_TMP/gaps.csv"
done_testing

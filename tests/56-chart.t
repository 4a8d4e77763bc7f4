#!/bin/sh
# fin_chart: the SVG is well-formed, rendered by rsvg-convert (librsvg) the
# picture has the asked size, is not blank, and draws the price line and the
# underwater area where the README's geometry puts them; on RUT the subtitle
# quotes what fin_drawdowns says; rows in any order draw the same chart; and
# every error.
. "$(dirname "$0")/lib.sh"
plan 22
# 200 weekdays: 100 -> 200 (row 100), down to 140 (row 140, -30%), up to 180.
SETUP="CREATE TABLE s(d TEXT, c REAL);
WITH RECURSIVE n(i, d) AS (SELECT 0, '2024-01-01' UNION ALL
  SELECT i + 1, date(d, CASE strftime('%w', d) WHEN '5' THEN '+3 days' ELSE '+1 day' END) FROM n WHERE i < 199)
INSERT INTO s SELECT d, CASE WHEN i <= 100 THEN 100.0 + i WHEN i <= 140 THEN 200.0 - 1.5 * (i - 100)
  ELSE 140.0 + 40.0 * (i - 140) / 59 END FROM n;"
PY=/usr/bin/python3

run_sql "SELECT fin_chart(d, c, 'title=Test <&> chart; width=600; height=400') FROM s;"
printf '%s\n' "$OUT" >"$T_TMP/lin.svg"
run_sql "SELECT fin_chart(d, c, 'title=Log; width=600; height=400; scale=log') FROM s;"
printf '%s\n' "$OUT" >"$T_TMP/log.svg"
run_sql "SELECT d, c FROM s ORDER BY d;"
printf '%s\n' "$OUT" >"$T_TMP/rows.txt"

if "$PY" -c 'import xml.etree.ElementTree as E, sys; [E.parse(f) for f in sys.argv[1:]]' "$T_TMP/lin.svg" "$T_TMP/log.svg" 2>"$T_TMP/xml.err"; then
  tap_ok 0 "the SVG parses as XML (the title's <&> escaped)"
else tap_ok 1 "the SVG parses as XML"; diag "$(cat "$T_TMP/xml.err")"; fi
check "the title, escaped" "SELECT instr(fin_chart(d, c, 'title=Test <&> chart'), '<title>Test &lt;&amp;&gt; chart</title>') > 0 FROM s;" "1"
check "the subtitle: span, last value, deepest drawdown and its dates, where it stands" \
  "SELECT instr(fin_chart(d, c), '2024-01-01 to 2024-10-04 · last 180.00 · deepest drawdown −30.0% (2024-05-20 to 2024-07-15) · now −10.0%') > 0 FROM s;" "1"

if ! command -v rsvg-convert >/dev/null 2>&1; then
  for i in 1 2 3 4 5 6 7 8; do T_RUN=$((T_RUN + 1)); echo "ok $T_RUN # SKIP rsvg-convert (Debian's librsvg2-bin) is absent"; done
else
  # The pixel checks: Python reads the PNG (zlib and the five PNG filters;
  # no imaging library needed) and prints one verdict per line.
  cat >"$T_TMP/png.py" <<'PY'
import re, struct, sys, zlib, math

def read_png(path):
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat = 8, b""
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    assert depth == 8 and ctype in (2, 6), (depth, ctype)
    bpp = 4 if ctype == 6 else 3
    raw, stride, rows, prev = zlib.decompress(idat), w * bpp, [], bytearray(w * bpp)
    for y in range(h):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if f == 1: line[i] = (line[i] + a) & 255
            elif f == 2: line[i] = (line[i] + b) & 255
            elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line)
        prev = line
    px = lambda x, y: tuple(rows[y][x * bpp:x * bpp + 3])  # over the white background: alpha is 255
    return w, h, px

def rect(svg, ident):
    m = re.search(r'<rect id="%s" x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"' % ident, svg)
    return [float(g) for g in m.groups()]

svg_path, png_path, rows_path, scale = sys.argv[1:5]
svg = open(svg_path).read()
w, h, px = read_png(png_path)
print("size %dx%d" % (w, h))
ink = sum(1 for y in range(0, h, 2) for x in range(0, w, 2) if px(x, y) != (255, 255, 255))
print("ink %.3f" % (ink / ((w // 2) * (h // 2))))
x0, py, pw, ph = rect(svg, "price")
_, uy, _, uh = rect(svg, "underwater")
pts = [l.split("|") for l in open(rows_path).read().split()]
jd = lambda d: (lambda y, m, dd: 367 * y - (7 * (y + (m + 9) // 12)) // 4 + (275 * m) // 9 + dd)(*map(int, d.split("-")))
t = [jd(d) for d, _ in pts]
v = [float(c) for _, c in pts]
f = math.log if scale == "log" else (lambda z: z)
lo, hi = f(min(v)), f(max(v))
blue = lambda p: p[2] > p[0] + 50 and p[2] > 90           # the price line, #1f4e79
red = lambda p: p[0] > p[1] + 40 and p[0] > p[2] + 40      # the underwater fill and edge
peak, worst = 0, []
for i, c in enumerate(v):
    peak = max(peak, c)
    worst.append(c / peak - 1)
ddmin = min(worst)
xs = [x0 + (ti - t[0]) / (t[-1] - t[0]) * pw for ti in t]
def at(col, ys):
    """The height of the drawn line at the centre of a pixel column: points are joined by straight lines."""
    xc = col + 0.5
    j = max(k for k in range(len(xs)) if xs[k] <= xc or k == 0)
    if j == len(xs) - 1: return ys[j]
    return ys[j] + (ys[j + 1] - ys[j]) * (xc - xs[j]) / (xs[j + 1] - xs[j])
line_y = [py + 4 + (hi - f(c)) / (hi - lo) * (ph - 8) for c in v]
water_y = [uy + d / ddmin * (uh - 4) for d in worst]
for i in (0, 60, 100, 140, 170, 199):
    col = max(min(int(xs[i]), int(x0 + pw) - 2), int(x0) + 2)
    ys = [y for y in range(int(py) + 1, int(py + ph)) if blue(px(col, y))]
    want = at(col, line_y)
    got = sum(ys) / len(ys) if ys else -1
    print("line %d %s %.1f %.1f" % (i, "ok" if ys and abs(got + 0.5 - want) <= 2 else "BAD", got + 0.5, want))
    rs = [y for y in range(int(uy) + 1, int(uy + uh)) if red(px(col, y))]
    want = at(col, water_y)
    got = max(rs) + 0.5 if rs else uy
    print("water %d %s %.1f %.1f" % (i, "ok" if abs(got - want) <= 2 else "BAD", got, want))
PY
  for s in lin log; do
    rsvg-convert "$T_TMP/$s.svg" -o "$T_TMP/$s.png" 2>"$T_TMP/rsvg.err" || diag "rsvg-convert: $(cat "$T_TMP/rsvg.err")"
    "$PY" "$T_TMP/png.py" "$T_TMP/$s.svg" "$T_TMP/$s.png" "$T_TMP/rows.txt" $( [ $s = log ] && echo log || echo linear ) >"$T_TMP/$s.out" 2>&1
  done
  lin=$(cat "$T_TMP/lin.out") log=$(cat "$T_TMP/log.out")
  case "$lin" in "size 600x400"*) tap_ok 0 "rendered at the asked size, 600x400" ;; *) tap_ok 1 "size"; diag "$lin" ;; esac
  ink=$(echo "$lin" | sed -n 's/^ink //p')
  if [ -n "$ink" ] && awk "BEGIN{exit !($ink > 0.05 && $ink < 0.6)}"; then tap_ok 0 "not blank: $ink of the pixels are drawn"; else tap_ok 1 "not blank"; diag "$lin"; fi
  for what in line water; do
    for s in lin log; do
      out=$(grep "^$what " "$T_TMP/$s.out")
      if [ "$(echo "$out" | grep -c ' ok ')" = 6 ]; then
        tap_ok 0 "$s: the $what where the geometry puts it at rows 0, 60, 100, 140, 170, 199"
      else tap_ok 1 "$s: the $what"; diag "row, verdict, drawn at y, wanted y:" "$out"; fi
    done
  done
  # The real RUT, 1987 on: a big series still draws, and its subtitle agrees with fin_drawdowns.
  if [ -r "$FIN_DATA_DIR/RUT.csv" ]; then
    DB="$T_TMP/rut.db"
    load_real "$DB" RUT
    SETUP=""
    run_sql "SELECT fin_chart(date, close, 'title=Russell 2000; scale=log') FROM closes WHERE symbol = 'RUT';"
    printf '%s\n' "$OUT" >"$T_TMP/rut.svg"
    rsvg-convert "$T_TMP/rut.svg" -o "$T_TMP/rut.png" && "$PY" "$T_TMP/png.py" "$T_TMP/rut.svg" "$T_TMP/rut.png" /dev/null linear >"$T_TMP/rut.out" 2>/dev/null
    run_sql "SELECT printf('deepest drawdown −%.1f%% (%s to %s)', -100 * depth, peak_time, trough_time) FROM fin_drawdowns('closes') WHERE key = 'RUT' ORDER BY depth LIMIT 1;"
    want=$OUT
    if grep -q "$want" "$T_TMP/rut.svg" && [ "$(head -1 "$T_TMP/rut.out")" = "size 800x480" ] && [ "$(wc -c <"$T_TMP/rut.svg")" -lt 150000 ]; then
      tap_ok 0 "RUT: 800x480 by default, under 150 kB, and the subtitle says '$want' as fin_drawdowns does"
    else tap_ok 1 "RUT chart"; diag "want: $want" "$(head -c 600 "$T_TMP/rut.svg")" "$(cat "$T_TMP/rut.out")"; fi
    DB=:memory:
  else
    T_RUN=$((T_RUN + 1)); echo "ok $T_RUN # SKIP no RUT.csv in $FIN_DATA_DIR"
  fi
fi
SETUP="CREATE TABLE s(d TEXT, c REAL);
INSERT INTO s VALUES ('2024-01-02', 100), ('2024-01-03', 90), ('2024-01-04', NULL), (NULL, 5), ('2024-01-05', 95);"

check "rows in any order draw the same chart" \
  "SELECT (SELECT fin_chart(d, c) FROM (SELECT * FROM s ORDER BY c)) = (SELECT fin_chart(d, c) FROM (SELECT * FROM s ORDER BY d));" "1"
check "NULL rows are skipped; no rows: NULL; one row draws" \
  "SELECT instr(fin_chart(d, c), 'last 95.00') > 0, quote(fin_chart(d, c) FILTER (WHERE 0)), instr((SELECT fin_chart('2024-01-02', 1)), '</svg>') > 0 FROM s;" "1|NULL|1"
check "numbers as times: a numbered axis" "SELECT instr(fin_chart(x, 100 + x), '1 to 50') > 0 FROM (SELECT value x FROM generate_series(1, 50));" "1"
check "a tie with the high: the later row is the peak, as in fin_drawdowns" \
  "WITH t(d, c) AS (VALUES ('2024-01-02', 100), ('2024-01-03', 110), ('2024-01-04', 105), ('2024-01-05', 110), ('2024-01-08', 99))
   SELECT (SELECT printf('(%s to %s)', peak_time, trough_time) FROM fin_drawdowns('SELECT ''2024-01-02'', 100 UNION ALL SELECT ''2024-01-03'', 110 UNION ALL SELECT ''2024-01-04'', 105 UNION ALL SELECT ''2024-01-05'', 110 UNION ALL SELECT ''2024-01-08'', 99') ORDER BY depth LIMIT 1),
          instr((SELECT fin_chart(d, c) FROM t), 'deepest drawdown −10.0% (2024-01-05 to 2024-01-08)') > 0;" "(2024-01-05 to 2024-01-08)|1"
check_error "unknown option" "SELECT fin_chart(d, c, 'title=x; colour=red') FROM s;" "fin_chart(): options: unknown key 'colour' (the keys are title, width, height and scale), in 'title=x; colour=red'"
check_error "width out of range" "SELECT fin_chart(d, c, 'width=100') FROM s;" "fin_chart(): options: width must be a whole number of pixels between 240 and 4000, got '100'"
check_error "bad scale" "SELECT fin_chart(d, c, 'scale=sqrt') FROM s;" "fin_chart(): options: scale must be 'linear' or 'log', got 'sqrt'"
check_error "options without =" "SELECT fin_chart(d, c, 'log') FROM s;" "fin_chart(): options: 'log' must be key=value, in 'log'"
check_error "options not text" "SELECT fin_chart(d, c, 800) FROM s;" "fin_chart(): options must be text such as 'title=RUT; width=800', got 800"
check_error "options that change" "SELECT fin_chart(d, c, 'title=' || coalesce(c, 0)) FROM s;" "fin_chart(): options must be the same for every row"
check_error "a price of 0" "SELECT fin_chart(d, 0) FROM s;" "fin_chart(): price must be > 0, got 0"
check_error "a repeated time" "SELECT fin_chart(coalesce(d, '2024-01-02'), 1) FROM s;" "fin_chart(): time"
done_testing

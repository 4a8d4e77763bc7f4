#!/bin/sh
# tools/dbbrowser-screenshot.sh - remakes docs/dbbrowser-plot.png: DB Browser
# for SQLite (Debian's sqlitebrowser 3.12) on the demo database with the
# extension in its Extensions preference, the underwater query run in
# Execute SQL, and its Plot pane drawing drawdown_pct against time. Needs
# xvfb, xdotool and ImageMagick; the clicks are at the places DB Browser's
# default layout puts the tabs and check boxes in a 1280x800 screen. Not a
# test (a picture for the README); run `make demo` first.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
if [ "${1:-}" != --inside ]; then
  exec xvfb-run -a -s "-screen 0 1280x800x24" "$0" --inside
fi
db=$(mktemp -d)/demo.db
shot=$(dirname "$db")/shot.png
cp "$root/build/demo.db" "$db"
sqlitebrowser -o extensions/list="$root/dist/fin.so" "$db" >/dev/null 2>&1 &
sleep 7
xdotool mousemove 427 80 click 1
sleep 1
xdotool mousemove 614 694 click 1
sleep 1
xdotool mousemove 250 250 click 1
xdotool type --delay 2 "SELECT time, round(100 * drawdown, 2) AS drawdown_pct, fin_bar(-drawdown, 0.35, 12) AS depth FROM fin_series('closes') WHERE key = 'SMALL';"
xdotool key ctrl+Return
sleep 3
xdotool mousemove 651 361 click 1
sleep 1
xdotool mousemove 751 378 click 1
sleep 2
import -window root "$shot"
kill %1 2>/dev/null || true
convert "$shot" -crop 1037x738+0+0 +repage "$root/docs/dbbrowser-plot.png"
rm -rf "$(dirname "$db")"
echo "wrote docs/dbbrowser-plot.png"

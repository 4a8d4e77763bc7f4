#!/usr/bin/python3
"""Calendar horizons of fin_forward_returns against pandas: on the real
closes, every session is an event, and each calendar horizon must end at
the first session on or after date + pandas.DateOffset (months clamped to
the month's end), with the forward return, high and low over the same
sessions. Skips when pandas or the real data is missing."""
import os, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import realdata

SYMS = ["RUT", "SPY"]
sql = realdata.setup(SYMS)
import numpy as np
import pandas as pd

OFFSETS = {"10 days": pd.DateOffset(days=10), "1 week": pd.DateOffset(weeks=1),
           "1 month": pd.DateOffset(months=1), "3 months": pd.DateOffset(months=3),
           "1 year": pd.DateOffset(years=1)}
print("1..%d" % (len(SYMS) + 1))
n = 0
for s in SYMS:
    n += 1
    px = sql("SELECT date, close FROM prices WHERE symbol = '%s' AND close IS NOT NULL ORDER BY date;" % s)
    dates = pd.to_datetime(px["date"]).values
    close = px["close"].to_numpy()
    got = sql("SELECT event_time, horizon, end_value, forward_return, max_gain, max_loss "
              "FROM fin_forward_returns('closes', '%s') WHERE key = '%s' AND typeof(horizon) = 'text';"
              % (", ".join(OFFSETS), s))
    got = got.set_index(["event_time", "horizon"])
    bad = checked = nulls = 0
    for name, off in OFFSETS.items():
        ends = np.searchsorted(dates, (pd.DatetimeIndex(dates) + off).values, side="left")
        g = got.xs(name, level="horizon")
        for i, e in enumerate(ends):
            row = g.iloc[i]
            if e >= len(close):
                nulls += 1
                bad += not pd.isna(row["forward_return"])
                continue
            w = close[i:e + 1]
            want = (close[e], close[e] / close[i] - 1, w.max() / close[i] - 1, w.min() / close[i] - 1)
            have = (row["end_value"], row["forward_return"], row["max_gain"], row["max_loss"])
            checked += 1
            if any(abs(a - b) > 1e-12 for a, b in zip(have, want)):
                if bad < 3:
                    print("# %s %s %s: got %s want %s" % (s, px["date"][i], name, have, want), file=sys.stderr)
                bad += 1
    ok = bad == 0 and checked > 5 * len(close) * 0.9 and len(got) == 5 * len(close)
    print("%s %d - %s: %d calendar forward returns equal pandas DateOffset + first session on or after "
          "(%d past the data are NULL)" % ("ok" if ok else "not ok", n, s, checked, nulls))

n += 1
# The month-end rule on real dates: events on Jan 31 end on the last session of February at the latest.
g = sql("SELECT event_time, anchor_time, horizon FROM fin_forward_returns('closes', '1 month', "
        "'SELECT ''2020-01-31'' UNION ALL SELECT ''2023-01-31'' UNION ALL SELECT ''2024-01-31''') WHERE key = 'SPY';")
ends = sql("SELECT e.d AS event, min(p.date) AS first_on_or_after FROM (SELECT '2020-01-31' d, '2020-02-29' t "
           "UNION ALL SELECT '2023-01-31', '2023-02-28' UNION ALL SELECT '2024-01-31', '2024-02-29') e "
           "JOIN prices p ON p.symbol = 'SPY' AND p.date >= e.t GROUP BY e.d ORDER BY e.d;")
f = sql("SELECT f.event_time, p.date FROM fin_forward_returns('closes', '1 month', "
        "'SELECT ''2020-01-31'' UNION ALL SELECT ''2023-01-31'' UNION ALL SELECT ''2024-01-31''') f "
        "JOIN prices p ON p.symbol = 'SPY' AND p.close = f.end_value AND p.date > f.event_time "
        "AND p.date < date(f.event_time, '+40 days') WHERE f.key = 'SPY' ORDER BY 1;")
ok = list(f["date"]) == list(ends["first_on_or_after"]) and len(g) == 3
print("%s %d - Jan 31 + 1 month ends at the first session on or after Feb 28/29: %s"
      % ("ok" if ok else "not ok", n, ", ".join(f["date"])))

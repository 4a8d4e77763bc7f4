#!/usr/bin/env python3
"""The pandas way of each benchmark capability: read the table from SQLite,
compute, print the same answer as the SQL ways ("count|sum").

    python3 pandas_tasks.py TASK DB
"""
import sqlite3
import sys

import numpy as np
import pandas as pd

task, db = sys.argv[1], sys.argv[2]
df = pd.read_sql_query("SELECT symbol, date, close FROM prices ORDER BY symbol, date", sqlite3.connect(db))
g = df.groupby("symbol", sort=False)["close"]


def out(*vals):
    print("|".join(v if isinstance(v, str) else ("%.9e" % v if isinstance(v, float) else str(v)) for v in vals))


def chk(x):
    x = x.dropna()
    out(int(x.count()), float(x.sum()))


def runs_frame():
    """Runs of >= 1% gains of length >= 5: (symbol, len, lo, hi, end_date)."""
    prev = g.shift(1)
    up = (df["close"] / prev - 1 >= 0.01 - 1e-12) & prev.notna()
    grp = (~up).groupby(df["symbol"], sort=False).cumsum()
    d = pd.DataFrame({"symbol": df["symbol"], "grp": grp, "prev": prev, "close": df["close"], "date": df["date"]})[up]
    r = d.groupby(["symbol", "grp"], sort=False).agg(len=("close", "size"), lo=("prev", "min"), hi=("close", "max"),
                                                    end_date=("date", "max")).reset_index()
    return r[r["len"] >= 5]


if task == "r5":
    chk(g.pct_change(5))
elif task == "dd":
    chk(df["close"] / g.cummax() - 1)
elif task == "mdd":
    chk((df["close"] / g.cummax() - 1).groupby(df["symbol"], sort=False).min())
elif task == "dd52":
    chk(df["close"] / g.rolling(252, min_periods=1).max().reset_index(level=0, drop=True) - 1)
elif task == "episodes":
    hi = df["close"] >= g.cummax()
    grp = hi.groupby(df["symbol"], sort=False).cumsum()
    rn = g.cumcount()
    n = g.transform("size")
    d = pd.DataFrame({"symbol": df["symbol"], "grp": grp, "rn": rn, "n": n, "close": df["close"], "hi": hi})
    d["under_close"] = d["close"].where(~d["hi"])
    d["peak_close"] = d["close"].where(d["hi"])
    e = d.groupby(["symbol", "grp"], sort=False).agg(peak_rn=("rn", "min"), last_rn=("rn", "max"), n=("n", "max"),
                                                     trough=("under_close", "min"), peak=("peak_close", "max"))
    e = e[e["trough"].notna()]
    length = np.where(e["last_rn"] < e["n"] - 1, e["last_rn"] + 1, e["last_rn"]) - e["peak_rn"]
    out(len(e), float((e["trough"] / e["peak"] - 1).sum()), int(length.sum()))
elif task == "runs":
    r = runs_frame()
    out(len(r), int(r["len"].sum()), float((r["hi"] / r["lo"] - 1).sum()))
elif task == "events":
    r = runs_frame()
    fwd = pd.DataFrame({"symbol": df["symbol"], "date": df["date"], "fwd": g.shift(-21) / df["close"] - 1})
    m = r.merge(fwd, left_on=["symbol", "end_date"], right_on=["symbol", "date"])
    chk(m["fwd"])
elif task == "yearly":
    y = df.assign(yr=df["date"].str[:4])
    last = y.groupby(["symbol", "yr"], sort=False)["close"].last()
    first = g.first()
    base = last.groupby(level=0, sort=False).shift(1)
    base = base.fillna(pd.Series(first.reindex(base.index.get_level_values(0)).values, index=base.index))
    chk(last / base - 1)
elif task == "rolling_mdd":
    def mdd(a):
        return float(np.min(a / np.maximum.accumulate(a) - 1))
    chk(g.rolling(252, min_periods=1).apply(mdd, raw=True).reset_index(level=0, drop=True))
elif task == "events3":
    up = (df["close"] / g.shift(1) - 1 >= 0.01 - 1e-12)
    grp = (~up).groupby(df["symbol"], sort=False).cumsum()
    length = up.astype(int).groupby([df["symbol"], grp], sort=False).cumsum()
    f = g.shift(-21) / df["close"] - 1
    chk(f[up & (length >= 3)])
elif task == "vol252":
    r = np.log(df["close"] / g.shift(1))
    chk(r.groupby(df["symbol"], sort=False).rolling(251, min_periods=2).std().reset_index(level=0, drop=True) * np.sqrt(252))
elif task == "beta252":
    prev = g.shift(1)
    b = prev / g.shift(2) - 1
    a = (df["close"] / prev - 1).where(b.notna())
    d = pd.DataFrame({"a": a, "b": b})
    gr = d.groupby(df["symbol"], sort=False)
    cov = gr["a"].rolling(252, min_periods=2).cov(d["b"]).reset_index(level=0, drop=True)
    var = gr["b"].rolling(252, min_periods=2).var().reset_index(level=0, drop=True)
    chk(cov / var)
elif task == "relative":
    bench = df[df["symbol"] == df["symbol"].min()][["date", "close"]].rename(columns={"close": "b"})
    m = df.merge(bench, on="date")
    r = m["close"] / m["b"]
    chk(r / r.groupby(m["symbol"], sort=False).transform("first"))
elif task == "summary":
    # the tear sheet of every series, quantstats-style: returns by
    # pct_change, drawdowns by cummax, calendar years by year-end closes
    sym = df["symbol"]
    r = g.pct_change()
    lr = np.log(df["close"] / g.shift(1))
    gr, gl = r.groupby(sym, sort=False), lr.groupby(sym, sort=False)
    d = pd.to_datetime(df["date"])
    dg = d.groupby(sym, sort=False)
    days = (dg.last() - dg.first()).dt.days
    cagr = (g.last() / g.first()) ** (365.25 / days) - 1
    vol = gl.std() * np.sqrt(252)
    sharpe = gr.mean() / gr.std() * np.sqrt(252)
    sortino = gr.mean() / np.sqrt((r.clip(upper=0) ** 2).groupby(sym, sort=False).sum() / gr.count()) * np.sqrt(252)
    mdd = (df["close"] / g.cummax() - 1).groupby(sym, sort=False).min()
    calmar = cagr / -mdd
    y = d.dt.year
    ye = df["close"].groupby([sym, y], sort=False).last()
    yr = ye.groupby(level=0, sort=False).pct_change()  # the first year has no base
    ended = dg.last().dt.strftime("%m-%d") == "12-31"  # the last year, only once it has ended
    last_y = dg.last().dt.year
    drop = [(s, last_y[s]) for s in last_y.index if not ended[s]]
    yr = yr.drop(index=drop).dropna()
    best, worst = yr.groupby(level=0).max(), yr.groupby(level=0).min()
    out(len(cagr), *(float(x.sum()) for x in (cagr, vol, sharpe, sortino, mdd, calmar, best, worst)))
else:
    sys.exit("unknown task " + task)

-- q01 Largest N-session moves, and "the biggest since".
-- "The Russell 2000 rose 11.5% in five sessions, its biggest 5-day gain since April 2020."
-- Parameters: @symbol; @n sessions (default 5); @as_of (default: the latest
-- date of @symbol): the day asked about, and the end of the data used;
-- @basis 'price' (default) or 'total' (adjusted closes: total return).
-- First: the ten largest N-session gains up to @as_of, one row per distinct
-- move: overlapping windows (N sessions ending 2008-11-26 and 2008-11-28
-- share most of their sessions) are one move, so a window that shares a
-- session with a larger gain already listed is left out. The list is built
-- largest first, and from_date is the close the gain is measured from.
-- Then: the N-session change on @as_of (its last session) and the last
-- earlier session with a larger one. On a down day it compares losses, as
-- "its worst 5-day loss since" does: the last earlier session with a larger
-- loss; the column compared says which.
WITH RECURSIVE p AS MATERIALIZED (SELECT
  fin_param(@symbol, 'symbol', 'text', EXISTS (SELECT 1 FROM prices WHERE symbol = @symbol)) AS symbol,
  CASE fin_param(coalesce(@basis, 'price'), 'basis', 'price|total') WHEN 'total' THEN 'adj_closes' ELSE 'closes' END AS series,
  fin_param(coalesce(@as_of, (SELECT max(date) FROM prices WHERE symbol = @symbol)), 'as_of', 'date') AS as_of,
  fin_param(coalesce(@n, 5), 'n', 'integer') AS n),
-- the sessions with a close, numbered: window i covers the returns of
-- sessions i - n + 1 .. i, so windows i and j overlap when |i - j| < n
s AS MATERIALIZED (
  SELECT row_number() OVER (ORDER BY f.time) AS i, f.time, f.rolling_return AS r
  FROM p, fin_series(p.series, p.n) f
  WHERE f.key = p.symbol AND f.as_of = p.as_of AND f.value IS NOT NULL),
ranked AS MATERIALIZED (
  SELECT row_number() OVER (ORDER BY r DESC, time) AS k, i, time, r FROM s WHERE r IS NOT NULL),
-- largest first: each step takes the next window that overlaps none taken
-- (their numbers are kept in taken, ten digits each: at most ten of them)
slot(o) AS (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)),
pick(k, i, taken, listed) AS (
  SELECT k, i, printf('%010d', i), 1 FROM ranked WHERE k = 1
  UNION ALL
  SELECT x.k, x.i, pick.taken || printf('%010d', x.i), pick.listed + 1
  FROM pick, ranked x
  WHERE pick.listed < 10 AND x.k = (
    SELECT y.k FROM ranked y, p WHERE y.k > pick.k AND NOT EXISTS (
      SELECT 1 FROM slot WHERE o < pick.listed
        AND abs(CAST(substr(pick.taken, 10 * o + 1, 10) AS INTEGER) - y.i) < p.n)
    ORDER BY y.k LIMIT 1))
SELECT x.time AS date, round(100 * x.r, 2) AS gain_pct, b.time AS from_date
FROM pick JOIN ranked x ON x.k = pick.k JOIN p JOIN s b ON b.i = x.i - p.n
ORDER BY pick.k;

WITH p AS MATERIALIZED (SELECT
  fin_param(@symbol, 'symbol', 'text', EXISTS (SELECT 1 FROM prices WHERE symbol = @symbol)) AS symbol,
  CASE fin_param(coalesce(@basis, 'price'), 'basis', 'price|total') WHEN 'total' THEN 'adj_closes' ELSE 'closes' END AS series,
  fin_param(coalesce(@as_of, (SELECT max(date) FROM prices WHERE symbol = @symbol)), 'as_of', 'date') AS as_of,
  fin_param(coalesce(@n, 5), 'n', 'integer') AS n),
s AS MATERIALIZED (
  SELECT f.time, f.rolling_return AS r FROM p, fin_series(p.series, p.n) f
  WHERE f.key = p.symbol AND f.as_of = p.as_of AND f.rolling_return IS NOT NULL),
d AS (SELECT time, r, r < 0 AS down FROM s ORDER BY time DESC LIMIT 1),
prev AS (SELECT max(s.time) AS time FROM s, d
         WHERE s.time < d.time AND CASE WHEN d.down THEN s.r < d.r ELSE s.r > d.r END)
SELECT d.time AS date, round(100 * d.r, 2) AS change_pct,
       CASE WHEN d.down THEN 'losses' ELSE 'gains' END AS compared,
       coalesce(prev.time, 'never') AS last_larger,
       (SELECT round(100 * r, 2) FROM s WHERE s.time = prev.time) AS that_change_pct
FROM d, prev;

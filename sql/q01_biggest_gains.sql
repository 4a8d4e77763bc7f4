-- q01 Largest N-session moves, and "the biggest since".
-- "The Russell 2000 rose 11.5% in five sessions, its biggest 5-day gain since April 2020."
-- Parameters: @symbol; @n sessions (default 5); @as_of (default: the latest
-- date of @symbol): the day asked about, and the end of the data used;
-- @basis 'price' (default) or 'total' (adjusted closes: total return).
-- First: the ten largest N-session gains up to @as_of. Then: the N-session
-- change on @as_of (its last session) and the last earlier session with a
-- larger one. On a down day it compares losses, as "its worst 5-day loss
-- since" does: the last earlier session with a larger loss; the column
-- compared says which.
WITH p AS MATERIALIZED (SELECT
  fin_param(@symbol, 'symbol', 'text', EXISTS (SELECT 1 FROM prices WHERE symbol = @symbol)) AS symbol,
  CASE fin_param(coalesce(@basis, 'price'), 'basis', 'price|total') WHEN 'total' THEN 'adj_closes' ELSE 'closes' END AS series,
  fin_param(coalesce(@as_of, (SELECT max(date) FROM prices WHERE symbol = @symbol)), 'as_of', 'date') AS as_of,
  fin_param(coalesce(@n, 5), 'n', 'integer') AS n)
SELECT s.time AS date, round(100 * s.rolling_return, 2) AS gain_pct
FROM p, fin_series(p.series, p.n) s
WHERE s.key = p.symbol AND s.as_of = p.as_of AND s.rolling_return IS NOT NULL
ORDER BY s.rolling_return DESC LIMIT 10;

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

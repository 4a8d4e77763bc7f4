-- q09 The deepest drawdowns and how long each took to recover.
-- Depth to two decimals; durations in sessions and in calendar days (peak to
-- trough, trough to recovery, and the whole episode).
-- "The deepest drawdowns since 1987 and their recoveries."
-- Parameters: @symbol; @min_depth (default 0.1: falls of 10% or more); @top
-- (default 10); @as_of (default: the latest date of @symbol): the
-- drawdowns as they stood then, the one in progress not yet recovered;
-- @basis 'price' (default) or 'total'.
WITH p AS MATERIALIZED (SELECT
  fin_param(@symbol, 'symbol', 'text', EXISTS (SELECT 1 FROM prices WHERE symbol = @symbol)) AS symbol,
  CASE fin_param(coalesce(@basis, 'price'), 'basis', 'price|total') WHEN 'total' THEN 'adj_closes' ELSE 'closes' END AS series,
  fin_param(coalesce(@as_of, (SELECT max(date) FROM prices WHERE symbol = @symbol)), 'as_of', 'date') AS as_of,
  fin_param(coalesce(@min_depth, 0.1), 'min_depth', 'number') AS min_depth)
SELECT d.peak_time, d.peak, d.trough_time, d.trough, round(100 * d.depth, 2) AS depth_pct,
       d.to_trough AS sessions_down, d.days_to_trough AS days_down,
       coalesce(d.recovery_time, 'not yet') AS recovered,
       d.to_recovery AS sessions_to_recover, d.days_to_recovery AS days_to_recover, d.days AS calendar_days
FROM p, fin_drawdowns(p.series, p.min_depth) d
WHERE d.key = p.symbol AND d.as_of = p.as_of
ORDER BY d.depth LIMIT fin_param(coalesce(@top, 10), 'top', 'integer');

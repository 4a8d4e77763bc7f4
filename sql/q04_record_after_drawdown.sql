-- q04 First record close after a long drawdown.
-- "First record close since 2021."
-- Parameters: @symbol; @min_sessions (default 252: a drawdown of a year or
-- more); @as_of (default: the latest date of @symbol): records up to that
-- close; @basis 'price' (default) or 'total'.
-- Each row is a drawdown of at least @min_sessions sessions that ended with a
-- record close, the most recent first.
WITH p AS MATERIALIZED (SELECT
  fin_param(@symbol, 'symbol', 'text', EXISTS (SELECT 1 FROM prices WHERE symbol = @symbol)) AS symbol,
  CASE fin_param(coalesce(@basis, 'price'), 'basis', 'price|total') WHEN 'total' THEN 'adj_closes' ELSE 'closes' END AS series,
  fin_param(coalesce(@as_of, (SELECT max(date) FROM prices WHERE symbol = @symbol)), 'as_of', 'date') AS as_of,
  fin_param(coalesce(@min_sessions, 252), 'min_sessions', 'integer') AS min_sessions)
SELECT d.recovery_time AS record_close_date, d.peak_time AS previous_record_date, d.peak AS previous_record,
       d.trough_time, round(100 * d.depth, 2) AS depth_pct, d.length AS sessions, d.days AS calendar_days
FROM p, fin_drawdowns(p.series) d
WHERE d.key = p.symbol AND d.as_of = p.as_of AND d.recovery_time IS NOT NULL AND d.length >= p.min_sessions
ORDER BY d.recovery_time DESC;

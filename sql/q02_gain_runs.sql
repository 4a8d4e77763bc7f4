-- q02 Runs of N sessions in a row with gains of at least X%.
-- "It gained at least 1% on five consecutive sessions, which happened only four times before."
-- Parameters: @symbol; @min_gain (default 0.01); @len sessions (default 5);
-- @as_of (default: the latest date of @symbol): runs up to that close, a
-- run in progress then ending there; @basis 'price' (default) or 'total'.
-- qualified is the session the run reached @len gains ("after the fifth").
WITH p AS MATERIALIZED (SELECT
  fin_param(@symbol, 'symbol', 'text', EXISTS (SELECT 1 FROM prices WHERE symbol = @symbol)) AS symbol,
  CASE fin_param(coalesce(@basis, 'price'), 'basis', 'price|total') WHEN 'total' THEN 'adj_closes' ELSE 'closes' END AS series,
  fin_param(coalesce(@as_of, (SELECT max(date) FROM prices WHERE symbol = @symbol)), 'as_of', 'date') AS as_of,
  fin_param(coalesce(@min_gain, 0.01), 'min_gain', 'number') AS min_gain,
  fin_param(coalesce(@len, 5), 'len', 'integer') AS len)
SELECT r.start_time AS first_session, r.end_time AS last_session, r.length AS sessions,
       r.qualify_time AS qualified, r.start_value AS close_before, r.end_value AS close_after,
       round(100 * r.total_return, 2) AS gain_pct
FROM p, fin_streaks(p.series, p.min_gain, p.len) r
WHERE r.key = p.symbol AND r.as_of = p.as_of
ORDER BY r.start_time;

-- q03 Distance from the all-time high, and since when.
-- "It is still 8% below its 2021 peak."
-- Parameters: @symbol; @as_of (default: the latest date of @symbol): the
-- close measured (the last one on or before it) and the end of the data
-- used; @basis 'price' (default) or 'total'.
WITH p AS MATERIALIZED (SELECT
  fin_param(@symbol, 'symbol', 'text', EXISTS (SELECT 1 FROM prices WHERE symbol = @symbol)) AS symbol,
  CASE fin_param(coalesce(@basis, 'price'), 'basis', 'price|total') WHEN 'total' THEN 'adj_closes' ELSE 'closes' END AS series,
  fin_param(coalesce(@as_of, (SELECT max(date) FROM prices WHERE symbol = @symbol)), 'as_of', 'date') AS as_of),
last AS (SELECT s.* FROM p, fin_series(p.series) s
         WHERE s.key = p.symbol AND s.as_of = p.as_of AND s.value IS NOT NULL ORDER BY s.time DESC LIMIT 1)
SELECT last.time AS date, last.value AS close, last.peak AS record_close, last.peak_time AS record_date,
       round(100 * last.drawdown, 2) AS below_record_pct, last.since_peak AS sessions_since_record
FROM last;

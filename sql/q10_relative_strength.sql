-- q10 Relative strength: a symbol against a benchmark, and how low it is.
-- "Small caps relative to large caps are at their lowest since 2001."
-- Parameters: @symbol, @other (the benchmark); @as_of (default: the latest
-- date both have); @basis 'price' (default) or 'total'.
-- The ratio is @symbol over @other on their common dates, rebased to 1 at
-- the first; "lowest since" is the last earlier date with a lower ratio
-- (none: the lowest of the data), and the ratio's fall from its record.
WITH p AS MATERIALIZED (SELECT
  fin_param(@symbol, 'symbol', 'text', EXISTS (SELECT 1 FROM prices WHERE symbol = @symbol)) AS symbol,
  fin_param(@other, 'other', 'text', EXISTS (SELECT 1 FROM prices WHERE symbol = @other)) AS other,
  CASE fin_param(coalesce(@basis, 'price'), 'basis', 'price|total') WHEN 'total' THEN 'adj_closes' ELSE 'closes' END AS series,
  fin_param(coalesce(@as_of, '9999-12-31'), 'as_of', 'date') AS as_of),
r AS MATERIALIZED (
  SELECT r.time, r.ratio, r.ratio_drawdown, r.ratio_since_peak
  FROM p, fin_relative(p.series, p.series) r
  WHERE r.key = p.symbol AND r.benchmark_key = p.other AND r.as_of = p.as_of),
now AS (SELECT * FROM r ORDER BY time DESC LIMIT 1)
SELECT now.time AS date, (SELECT symbol FROM p) AS symbol, (SELECT other FROM p) AS other,
       (SELECT min(time) FROM r) AS since, round(now.ratio, 4) AS ratio,
       coalesce((SELECT max(time) FROM r WHERE r.time < now.time AND r.ratio < now.ratio), 'never lower') AS lowest_since,
       (SELECT max(time) FROM r WHERE r.ratio = (SELECT max(ratio) FROM r WHERE r.time <= now.time)) AS ratio_peak_date,
       round(100 * now.ratio_drawdown, 2) AS below_ratio_peak_pct, now.ratio_since_peak AS sessions_since_peak
FROM now;

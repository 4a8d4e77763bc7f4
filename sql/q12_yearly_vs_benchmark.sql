-- q12 Every calendar year, a symbol against a benchmark.
-- "Small caps have lagged large caps in eight of the last ten years."
-- Parameters: @symbol, @other (the benchmark); @as_of (default: the latest
-- date of @symbol): the end of the last year listed; @basis 'price'
-- (default) or 'total'.
-- Each year runs from the previous year's last close of @symbol to this
-- year's; @other is measured over the same window (its last close on or
-- before each of those dates). Two years are marked partial: the first,
-- which has no earlier close, and the last when it had not ended by @as_of.
WITH p AS MATERIALIZED (SELECT
  fin_param(@symbol, 'symbol', 'text', EXISTS (SELECT 1 FROM prices WHERE symbol = @symbol)) AS symbol,
  fin_param(@other, 'other', 'text', EXISTS (SELECT 1 FROM prices WHERE symbol = @other)) AS other,
  CASE fin_param(coalesce(@basis, 'price'), 'basis', 'price|total') WHEN 'total' THEN 'adj_closes' ELSE 'closes' END AS series,
  fin_param(coalesce(@as_of, (SELECT max(date) FROM prices WHERE symbol = @symbol)), 'as_of', 'date') AS as_of)
SELECT c.period AS year, c.start_time AS base_date, c.end_time AS last_date,
       round(100 * c.period_return, 2) AS return_pct, round(100 * c.benchmark_return, 2) AS other_pct,
       round(100 * c.excess_return, 2) AS difference_pts,
       CASE WHEN c.benchmark_return IS NULL THEN 'no close of the benchmark at one end'
            WHEN c.partial = 0 THEN ''
            WHEN substr(c.start_time, 1, 4) = c.period THEN 'partial: from the first close'
            ELSE 'partial: to ' || c.end_time END AS note
FROM p, fin_calendar_returns(p.series, 'year', p.series) c
WHERE c.key = p.symbol AND c.benchmark_key = p.other AND c.as_of = p.as_of
ORDER BY c.period;

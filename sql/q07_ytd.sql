-- q07 Year to date, and the return of every calendar year.
-- "Up 10.5% year to date."
-- Parameters: @symbol; @as_of (default: the latest date of @symbol): the
-- close measured (the last on or before it), and the end of the last year
-- listed; @basis 'price' (default) or 'total' (adjusted closes: "IJR +10.9%
-- this year" on a total-return basis).
-- A year's return is its last close over the previous year's last close. Two
-- years are marked partial: the first of the data, which has no earlier close
-- (its base is its own first close), and the last when it had not ended by
-- @as_of (year to date: @as_of before December 31st).
WITH p AS MATERIALIZED (SELECT
  fin_param(@symbol, 'symbol', 'text', EXISTS (SELECT 1 FROM prices WHERE symbol = @symbol)) AS symbol,
  CASE fin_param(coalesce(@basis, 'price'), 'basis', 'price|total') WHEN 'total' THEN 'adj_closes' ELSE 'closes' END AS series,
  fin_param(coalesce(@as_of, (SELECT max(date) FROM prices WHERE symbol = @symbol)), 'as_of', 'date') AS as_of)
SELECT s.time AS date, s.value AS close, round(100 * s.ytd_return, 2) AS ytd_pct
FROM p, fin_series(p.series) s
WHERE s.key = p.symbol AND s.as_of = p.as_of AND s.value IS NOT NULL
ORDER BY s.time DESC LIMIT 1;

WITH p AS MATERIALIZED (SELECT
  fin_param(@symbol, 'symbol', 'text', EXISTS (SELECT 1 FROM prices WHERE symbol = @symbol)) AS symbol,
  CASE fin_param(coalesce(@basis, 'price'), 'basis', 'price|total') WHEN 'total' THEN 'adj_closes' ELSE 'closes' END AS series,
  fin_param(coalesce(@as_of, (SELECT max(date) FROM prices WHERE symbol = @symbol)), 'as_of', 'date') AS as_of)
SELECT c.period AS year, c.start_time AS base_date, c.end_time AS last_date, round(100 * c.period_return, 2) AS return_pct,
       CASE WHEN c.partial = 0 THEN ''
            WHEN substr(c.start_time, 1, 4) = c.period THEN 'partial: from the first close'
            ELSE 'partial: to ' || c.end_time END AS note
FROM p, fin_calendar_returns(p.series, 'year') c
WHERE c.key = p.symbol AND c.as_of = p.as_of
ORDER BY c.period;

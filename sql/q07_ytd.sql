-- q07 Year to date, and the return of every calendar year.
-- "Up 10.5% year to date."
-- Parameters: @symbol.
-- A year's return is its last close over the previous year's last close; the
-- first year of the data has no earlier close and is marked partial (its base
-- is its own first close).
SELECT time AS date, value AS close, round(100 * ytd_return, 2) AS ytd_pct
FROM fin_series('closes')
WHERE key = fin_param(@symbol, 'symbol') AND value IS NOT NULL
ORDER BY time DESC LIMIT 1;

SELECT period AS year, start_time AS base_date, end_time AS last_date, round(100 * period_return, 2) AS return_pct,
       CASE partial WHEN 1 THEN 'partial: from the first close' ELSE '' END AS note
FROM fin_calendar_returns('closes', 'year')
WHERE key = fin_param(@symbol, 'symbol')
ORDER BY period;

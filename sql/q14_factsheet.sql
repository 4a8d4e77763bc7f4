-- q14 Trailing returns of two symbols side by side: the factsheet.
-- "IJR returned 3.85% over the past month and 10.89% this year, against
-- 3.77% and 23.66% for SPY" (total return, to 2024-10-16).
-- Parameters: @symbol, @other (the benchmark); @periods (default '1 week,
-- 1 month, 3 months, 6 months, ytd, 1 year, 3 years, 5 years, 10 years,
-- inception'; sessions such as '5, 21' too); @as_of (default: the latest
-- date both have): the end, @symbol's last close on or before it; @basis
-- 'price' (default) or 'total' (adjusted closes, dividends reinvested: how
-- fund factsheets quote returns).
-- Each period runs from @symbol's last close on or before the end moved back
-- by the period (months clamped to the month's last day; ytd from the last
-- close of the previous year; inception from the first close), the base
-- rule of @since in the other queries. @other is measured over the same
-- window (its last close on or before both dates). Periods longer than a
-- year are also given annualized. A period that reaches before the first
-- close has no return (NULL), never a shorter one.
WITH p AS MATERIALIZED (SELECT
  fin_param(@symbol, 'symbol', 'text', EXISTS (SELECT 1 FROM prices WHERE symbol = @symbol)) AS symbol,
  fin_param(@other, 'other', 'text', EXISTS (SELECT 1 FROM prices WHERE symbol = @other)) AS other,
  CASE fin_param(coalesce(@basis, 'price'), 'basis', 'price|total') WHEN 'total' THEN 'adj_closes' ELSE 'closes' END AS series,
  fin_param(coalesce(@as_of, min((SELECT max(date) FROM prices WHERE symbol = @symbol),
                                 (SELECT max(date) FROM prices WHERE symbol = @other))), 'as_of', 'date') AS as_of,
  fin_param(coalesce(@periods, '1 week, 1 month, 3 months, 6 months, ytd, 1 year, 3 years, 5 years, 10 years, inception'),
            'periods', 'text') AS periods)
SELECT t.period, t.start_time AS from_date, t.end_time AS to_date, p.symbol,
       round(100 * t.period_return, 2) AS return_pct, round(100 * t.annualized_return, 2) AS annualized_pct,
       p.other, round(100 * t.benchmark_return, 2) AS other_pct, round(100 * t.benchmark_annualized, 2) AS other_annualized_pct,
       round(100 * t.excess_return, 2) AS difference_pts,
       CASE WHEN t.start_time IS NULL THEN 'before the first close'
            WHEN t.benchmark_return IS NULL THEN 'no close of ' || p.other || ' at one end' ELSE '' END AS note
FROM p, fin_trailing_returns(p.series, p.periods, p.series) t
WHERE t.key = p.symbol AND t.benchmark_key = p.other AND t.as_of = p.as_of
ORDER BY t.rowid;

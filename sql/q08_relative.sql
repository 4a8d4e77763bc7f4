-- q08 Two symbols over the same dates.
-- "Up 10.5% year to date against 17% for the S&P 500."
-- "Small caps (IJR) +10.9% this year against +23.7% for SPY" (total return).
-- Parameters: @symbol, @other; @since (default: December 31st of the year
-- before the last common date, so the result is year to date): the base is
-- the close on @since, or the last one before it when that day has none
-- (the rule of every query that takes @since, and fin_trailing_returns'
-- base); @as_of (default: the latest date both have): the end, the last
-- common date on or before it; @basis 'price' (default) or 'total'
-- (adjusted closes, dividends reinvested: how ETF returns are quoted).
-- Only dates both symbols have count, for the base as for the end.
WITH p AS MATERIALIZED (SELECT
  fin_param(@symbol, 'symbol', 'text', EXISTS (SELECT 1 FROM prices WHERE symbol = @symbol)) AS symbol,
  fin_param(@other, 'other', 'text', EXISTS (SELECT 1 FROM prices WHERE symbol = @other)) AS other,
  fin_param(coalesce(@basis, 'price'), 'basis', 'price|total') AS basis,
  CASE WHEN @as_of IS NOT NULL THEN fin_param(@as_of, 'as_of', 'date') END AS as_of),
common AS MATERIALIZED (
  SELECT a.date, CASE p.basis WHEN 'total' THEN a.adj_close ELSE a.close END AS a,
         CASE p.basis WHEN 'total' THEN b.adj_close ELSE b.close END AS b
  FROM p JOIN prices a ON a.symbol = p.symbol AND a.date <= coalesce(p.as_of, '9999-12-31')
  JOIN prices b ON b.symbol = p.other AND b.date = a.date
  WHERE CASE p.basis WHEN 'total' THEN a.adj_close ELSE a.close END IS NOT NULL
    AND CASE p.basis WHEN 'total' THEN b.adj_close ELSE b.close END IS NOT NULL),
last AS (SELECT max(date) AS d FROM common),
start AS (SELECT max(date) AS d FROM common
          WHERE date <= fin_param(coalesce(@since, printf('%04d-12-31', substr((SELECT d FROM last), 1, 4) - 1)), 'since', 'date')),
w AS (SELECT * FROM common WHERE date >= (SELECT d FROM start))
SELECT (SELECT d FROM start) AS base_date, (SELECT d FROM last) AS last_date,
       (SELECT symbol FROM p) AS symbol, round(100 * fin_total_return(date, a), 2) AS return_pct,
       (SELECT other FROM p) AS other, round(100 * fin_total_return(date, b), 2) AS other_return_pct,
       round(100 * (fin_total_return(date, a) - fin_total_return(date, b)), 2) AS difference_pts
FROM w;

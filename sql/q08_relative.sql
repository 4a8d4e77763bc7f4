-- q08 Two symbols over the same dates.
-- "Up 10.5% year to date against 17% for the S&P 500."
-- Parameters: @symbol, @other; @since (default: January 1st of the latest
-- common year, so the result is year to date). Only dates both symbols have
-- count; the base is the last common close before @since.
WITH common AS (
  SELECT a.date, a.close AS a, b.close AS b FROM prices a
  JOIN prices b ON b.symbol = fin_param(@other, 'other') AND b.date = a.date
  WHERE a.symbol = fin_param(@symbol, 'symbol') AND a.close IS NOT NULL AND b.close IS NOT NULL),
last AS (SELECT max(date) AS d FROM common),
start AS (SELECT max(date) AS d FROM common
          WHERE date < fin_param(coalesce(@since, substr((SELECT d FROM last), 1, 4) || '-01-01'), 'since', 'date')),
w AS (SELECT * FROM common WHERE date >= (SELECT d FROM start))
SELECT (SELECT d FROM start) AS base_date, (SELECT d FROM last) AS last_date,
       fin_param(@symbol, 'symbol') AS symbol, round(100 * fin_total_return(date, a), 2) AS return_pct,
       fin_param(@other, 'other') AS other, round(100 * fin_total_return(date, b), 2) AS other_return_pct,
       round(100 * (fin_total_return(date, a) - fin_total_return(date, b)), 2) AS difference_pts
FROM w;

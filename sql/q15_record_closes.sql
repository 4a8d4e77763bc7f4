-- q15 Record closes, year by year.
-- "The S&P 500 set 57 record closes in 2024." / "First record close since
-- 2021."
-- Parameters: @symbol; @as_of (default: the latest date of @symbol): the
-- data end there (its year is counted to that day); @basis 'price'
-- (default) or 'total'.
-- A record close is a close above every earlier close of the data (an equal
-- close only ties the record; the first close of the data has nothing to
-- beat). One row per calendar year with a close: how many records it set,
-- the last of them, and at the year's last close the record standing (its
-- level and date, whatever year it was set in) and how far below it the
-- year ended.
WITH p AS MATERIALIZED (SELECT
  fin_param(@symbol, 'symbol', 'text', EXISTS (SELECT 1 FROM prices WHERE symbol = @symbol)) AS symbol,
  CASE fin_param(coalesce(@basis, 'price'), 'basis', 'price|total') WHEN 'total' THEN 'adj_closes' ELSE 'closes' END AS series,
  fin_param(coalesce(@as_of, (SELECT max(date) FROM prices WHERE symbol = @symbol)), 'as_of', 'date') AS as_of),
-- fin_series' peak is the highest close so far: a record beats the one before
s AS MATERIALIZED (
  SELECT f.time, f.value, f.peak, f.value > lag(f.peak) OVER (ORDER BY f.time) AS record
  FROM p, fin_series(p.series) f
  WHERE f.key = p.symbol AND f.as_of = p.as_of AND f.value IS NOT NULL),
r AS (SELECT *, coalesce(max(CASE WHEN record THEN time END) OVER (ORDER BY time),
                         first_value(time) OVER (ORDER BY time)) AS record_date FROM s),
y AS (SELECT substr(time, 1, 4) AS year, count(CASE WHEN record THEN 1 END) AS records,
             max(CASE WHEN record THEN time END) AS last_record, max(time) AS last_date
      FROM r GROUP BY 1)
SELECT y.year, y.records AS record_closes, y.last_record, e.peak AS record_close,
       e.record_date, e.time AS year_end, e.value AS year_end_close,
       round(100 * (e.value / e.peak - 1), 2) AS below_record_pct
FROM y JOIN r e ON e.time = y.last_date
ORDER BY y.year;

-- q03 Distance from the all-time high, and since when.
-- "It is still 8% below its 2021 peak."
-- Parameters: @symbol.
WITH s AS MATERIALIZED (
  SELECT time, value, peak, drawdown, since_peak FROM fin_series('closes')
  WHERE key = fin_param(@symbol, 'symbol') AND value IS NOT NULL),
last AS (SELECT * FROM s ORDER BY time DESC LIMIT 1)
SELECT last.time AS date, last.value AS close, last.peak AS record_close,
       (SELECT max(time) FROM s WHERE s.value = last.peak) AS record_date,
       round(100 * last.drawdown, 2) AS below_record_pct,
       last.since_peak AS sessions_since_record
FROM last;

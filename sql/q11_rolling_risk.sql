-- q11 Rolling one-year risk: volatility, beta and correlation against a
-- benchmark, at the last session of every year and at @as_of.
-- "Small caps are 1.3 times as volatile as the S&P 500 this year."
-- Parameters: @symbol, @other (the benchmark); @as_of (default: the latest
-- date both have); @basis 'price' (default) or 'total'.
-- Over the common dates: each figure covers the same last 252 returns,
-- annualised at 252 sessions a year (fewer at the start of the data). The
-- volatilities take closes, so their frame is 253 closes (ROWS 252
-- PRECEDING); beta and correlation take the returns themselves, a frame of
-- 252 (ROWS 251 PRECEDING). SQL wants frames as constants: edit both ROWS
-- clauses together for another window.
WITH p AS MATERIALIZED (SELECT
  fin_param(@symbol, 'symbol', 'text', EXISTS (SELECT 1 FROM prices WHERE symbol = @symbol)) AS symbol,
  fin_param(@other, 'other', 'text', EXISTS (SELECT 1 FROM prices WHERE symbol = @other)) AS other,
  CASE fin_param(coalesce(@basis, 'price'), 'basis', 'price|total') WHEN 'total' THEN 'adj_closes' ELSE 'closes' END AS series,
  fin_param(coalesce(@as_of, '9999-12-31'), 'as_of', 'date') AS as_of),
r AS MATERIALIZED (
  SELECT r.time, r.value, r.benchmark_value, r.value_return, r.benchmark_return
  FROM p, fin_relative(p.series, p.series) r
  WHERE r.key = p.symbol AND r.benchmark_key = p.other AND r.as_of = p.as_of),
rolling AS (
  SELECT time,
         fin_volatility(value) OVER w AS vol, fin_volatility(benchmark_value) OVER w AS bench_vol,
         fin_beta(value_return, benchmark_return) OVER wr AS beta,
         fin_correlation(value_return, benchmark_return) OVER wr AS corr,
         lead(time) OVER (ORDER BY time) AS next_time
  FROM r WINDOW w AS (ORDER BY time ROWS 252 PRECEDING), wr AS (ORDER BY time ROWS 251 PRECEDING))
SELECT time AS date, round(100 * vol, 2) AS vol_pct, round(100 * bench_vol, 2) AS other_vol_pct,
       round(vol / bench_vol, 2) AS vol_ratio, round(beta, 2) AS beta, round(corr, 2) AS correlation
FROM rolling
WHERE next_time IS NULL OR substr(next_time, 1, 4) <> substr(time, 1, 4)
ORDER BY time;

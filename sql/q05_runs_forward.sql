-- q05 What followed runs of N sessions with gains of at least X%.
-- "It gained at least 1% on five consecutive sessions, which happened only
-- four times before; after those, it averaged +5.9% over the following month."
-- Parameters: @symbol; @min_gain (default 0.01); @len sessions (default 5);
-- @as_of (default: the latest date of @symbol); @basis 'price' (default)
-- or 'total'; @horizons (default '5, 21, 63, 126, 252, 1 week, 1 month,
-- 3 months, 6 months, 1 year': sessions and calendar offsets).
-- Events are the sessions at which runs reached @len gains ("after the
-- fifth gain in a row": fin_streaks' qualify_time), before @as_of: the
-- earlier cases, not the run being discussed. Everything is measured with
-- the data up to @as_of, as it stood then: runs counts the events, n those
-- whose horizon had ended by @as_of. Beside each conditional figure, the
-- unconditional one: the same horizon after every session up to @as_of,
-- the base rate that an event study is read against.
WITH p AS MATERIALIZED (SELECT
  fin_param(@symbol, 'symbol', 'text', EXISTS (SELECT 1 FROM prices WHERE symbol = @symbol)) AS symbol,
  CASE fin_param(coalesce(@basis, 'price'), 'basis', 'price|total') WHEN 'total' THEN 'adj_closes' ELSE 'closes' END AS series,
  fin_param(coalesce(@as_of, (SELECT max(date) FROM prices WHERE symbol = @symbol)), 'as_of', 'date') AS as_of,
  fin_param(coalesce(@min_gain, 0.01), 'min_gain', 'number') AS min_gain,
  fin_param(coalesce(@len, 5), 'len', 'integer') AS len,
  fin_param(coalesce(@horizons, '5, 21, 63, 126, 252, 1 week, 1 month, 3 months, 6 months, 1 year'),
            'horizons', 'text') AS horizons),
events AS MATERIALIZED (
  SELECT r.qualify_time AS t FROM p, fin_streaks(p.series, p.min_gain, p.len) r
  WHERE r.key = p.symbol AND r.as_of = p.as_of AND r.qualify_time < p.as_of),
after_runs AS (
  SELECT f.horizon, count(*) AS runs, count(f.forward_return) AS n,
         avg(f.forward_return) AS mean, fin_median(f.forward_return) AS median,
         avg(f.forward_return > 0) AS positive, min(f.max_loss) AS worst
  FROM p, events e JOIN fin_forward_returns(p.series, p.horizons) f
    ON f.key = p.symbol AND f.event_time = e.t AND f.as_of = p.as_of
  GROUP BY f.horizon),
every_session AS (
  SELECT f.horizon, avg(f.forward_return) AS mean, avg(f.forward_return > 0) AS positive
  FROM p, fin_forward_returns(p.series, p.horizons) f
  WHERE f.key = p.symbol AND f.as_of = p.as_of AND f.forward_return IS NOT NULL
  GROUP BY f.horizon)
SELECT a.horizon, a.runs, a.n,
       round(100 * a.mean, 2) AS mean_pct, round(100 * a.median, 2) AS median_pct,
       round(100 * a.positive) AS pct_positive, round(100 * a.worst, 2) AS worst_dip_pct,
       round(100 * u.mean, 2) AS all_sessions_mean_pct, round(100 * u.positive) AS all_sessions_pct_positive
FROM after_runs a LEFT JOIN every_session u ON u.horizon = a.horizon
ORDER BY typeof(a.horizon) = 'text',
         CAST(a.horizon AS INTEGER) * CASE WHEN a.horizon LIKE '%week%' THEN 7 WHEN a.horizon LIKE '%month%' THEN 31
                                           WHEN a.horizon LIKE '%year%' THEN 366 ELSE 1 END;

-- q01 Largest N-session gains, and "the biggest since".
-- "The Russell 2000 rose 11.5% in five sessions, its biggest 5-day gain since April 2020."
-- Parameters: @symbol; @n sessions (default 5); @date (default: the latest session).
-- First: the ten largest N-session gains. Then: the N-session gain on @date and the
-- last earlier session with a larger one.
SELECT time AS date, round(100 * rolling_return, 2) AS gain_pct
FROM fin_series('closes', fin_param(coalesce(@n, 5), 'n', 'integer'))
WHERE key = fin_param(@symbol, 'symbol') AND rolling_return IS NOT NULL
ORDER BY rolling_return DESC LIMIT 10;

WITH s AS MATERIALIZED (
  SELECT time, rolling_return AS r FROM fin_series('closes', fin_param(coalesce(@n, 5), 'n', 'integer'))
  WHERE key = fin_param(@symbol, 'symbol') AND rolling_return IS NOT NULL),
d AS (SELECT time, r FROM s WHERE time = fin_param(coalesce(@date, (SELECT max(time) FROM s)), 'date', 'date')),
prev AS (SELECT max(s.time) AS time FROM s, d WHERE s.time < d.time AND s.r > d.r)
SELECT d.time AS date, round(100 * d.r, 2) AS gain_pct,
       coalesce(prev.time, 'never') AS last_larger_gain,
       (SELECT round(100 * r, 2) FROM s WHERE s.time = prev.time) AS that_gain_pct
FROM d, prev;

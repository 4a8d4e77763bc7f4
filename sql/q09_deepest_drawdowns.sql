-- q09 The deepest drawdowns and how long each took to recover.
-- Depth to two decimals; durations in sessions and in calendar days (peak to
-- trough, trough to recovery, and the whole episode).
-- "The deepest drawdowns since 1987 and their recoveries."
-- Parameters: @symbol; @min_depth (default 0.1: falls of 10% or more); @top (default 10).
SELECT peak_time, peak, trough_time, trough, round(100 * depth, 2) AS depth_pct,
       to_trough AS sessions_down, days_to_trough AS days_down,
       coalesce(recovery_time, 'not yet') AS recovered,
       to_recovery AS sessions_to_recover, days_to_recovery AS days_to_recover, days AS calendar_days
FROM fin_drawdowns('closes', fin_param(coalesce(@min_depth, 0.1), 'min_depth', 'number'))
WHERE key = fin_param(@symbol, 'symbol')
ORDER BY depth LIMIT fin_param(coalesce(@top, 10), 'top', 'integer');

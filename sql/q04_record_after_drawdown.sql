-- q04 First record close after a long drawdown.
-- "First record close since 2021."
-- Parameters: @symbol; @min_sessions (default 252: a drawdown of a year or more).
-- Each row is a drawdown of at least @min_sessions sessions that ended with a
-- record close, the most recent first.
SELECT recovery_time AS record_close_date, peak_time AS previous_record_date, peak AS previous_record,
       trough_time, round(100 * depth, 2) AS depth_pct, length AS sessions, days AS calendar_days
FROM fin_drawdowns('closes')
WHERE key = fin_param(@symbol, 'symbol') AND recovery_time IS NOT NULL AND length >= fin_param(coalesce(@min_sessions, 252), 'min_sessions', 'integer')
ORDER BY recovery_time DESC;

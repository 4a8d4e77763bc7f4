-- q02 Runs of N sessions in a row with gains of at least X%.
-- "It gained at least 1% on five consecutive sessions, which happened only four times before."
-- Parameters: @symbol; @min_gain (default 0.01); @len sessions (default 5).
SELECT start_time AS first_session, end_time AS last_session, length AS sessions,
       start_value AS close_before, end_value AS close_after, round(100 * total_return, 2) AS gain_pct
FROM fin_streaks('closes', fin_param(coalesce(@min_gain, 0.01), 'min_gain', 'number'), fin_param(coalesce(@len, 5), 'len', 'integer'))
WHERE key = fin_param(@symbol, 'symbol')
ORDER BY start_time;

-- q05 What followed runs of N sessions with gains of at least X%.
-- "After those, it averaged +5.9% over the following month."
-- Parameters: @symbol; @min_gain (default 0.01); @len sessions (default 5).
-- Events are the sessions at which the runs of q02 reached @len gains ("after
-- the fifth gain in a row": fin_streaks' qualify_time); horizons are 1 week (5
-- sessions) and 1, 3, 6 and 12 months (21, 63, 126, 252 sessions). n counts
-- the runs with enough later data for that horizon.
SELECT horizon AS sessions,
       CASE horizon WHEN 5 THEN '1 week' WHEN 21 THEN '1 month' WHEN 63 THEN '3 months'
                    WHEN 126 THEN '6 months' ELSE '12 months' END AS after,
       count(forward_return) AS n,
       round(100 * avg(forward_return), 2) AS mean_pct,
       round(100 * fin_median(forward_return), 2) AS median_pct,
       round(100 * avg(forward_return > 0)) AS pct_positive,
       round(100 * min(max_loss), 2) AS worst_dip_pct
FROM fin_streaks('closes', fin_param(coalesce(@min_gain, 0.01), 'min_gain', 'number'), fin_param(coalesce(@len, 5), 'len', 'integer')) r
JOIN fin_forward_returns('closes', '5,21,63,126,252') f
  ON f.key = r.key AND f.event_time = r.qualify_time
WHERE r.key = fin_param(@symbol, 'symbol')
GROUP BY horizon ORDER BY horizon;

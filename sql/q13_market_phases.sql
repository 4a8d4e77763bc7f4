-- q13 Bull and bear markets, corrections, and the phase the index is in.
-- "The tariff crash threw small caps within weeks nearly back to their 2022
-- bear-market lows": a fall of 27.9% from 2024-11-25 to 2025-04-08.
-- Parameters: @symbol; @threshold (default 0.2): the move that makes a bull
-- or a bear market; @correction (default 0.1): the fall that makes a
-- correction; @top (default 10): how many of the latest phases and
-- corrections to list; @as_of (default: the latest date of @symbol): the
-- data end there, and the last phase runs to it; @basis 'price' (default)
-- or 'total'.
-- The phases are the legs of fin_swings at @threshold: each runs from one
-- turning point (a closing high or low) to the next, a bull market up at
-- least @threshold from its low, a bear market down at least @threshold
-- from its high; confirmed_on is the session the move first reached
-- @threshold ("entered a bear market on"). The last one is still going.
-- Then the corrections: the down legs of the zigzag at @correction (a fall
-- of at least @correction from one of its turning points) that stopped
-- short of @threshold (those that went on are bear markets); a rally of
-- @correction inside a bear market makes the fall after it one too. Last,
-- where it stands: the phase, how far it has come, how far from that
-- phase's extreme (its high in a bull market), and whether it is in a
-- correction.
WITH p AS MATERIALIZED (SELECT
  fin_param(@symbol, 'symbol', 'text', EXISTS (SELECT 1 FROM prices WHERE symbol = @symbol)) AS symbol,
  CASE fin_param(coalesce(@basis, 'price'), 'basis', 'price|total') WHEN 'total' THEN 'adj_closes' ELSE 'closes' END AS series,
  fin_param(coalesce(@as_of, (SELECT max(date) FROM prices WHERE symbol = @symbol)), 'as_of', 'date') AS as_of,
  fin_param(coalesce(@threshold, 0.2), 'threshold', 'number') AS threshold,
  fin_param(coalesce(@top, 10), 'top', 'integer') AS top),
legs AS (
  SELECT s.* FROM p, fin_swings(p.series, p.threshold) s
  WHERE s.key = p.symbol AND s.as_of = p.as_of ORDER BY s.start_time DESC LIMIT (SELECT top FROM p))
SELECT CASE direction WHEN 'up' THEN 'bull' ELSE 'bear' END AS market, start_time AS from_date,
       start_value AS from_close, end_time AS to_date, end_value AS to_close,
       round(100 * change, 2) AS change_pct, sessions, days, confirm_time AS confirmed_on,
       CASE WHEN ongoing THEN 'still going' ELSE '' END AS note
FROM legs ORDER BY start_time;

WITH p AS MATERIALIZED (SELECT
  fin_param(@symbol, 'symbol', 'text', EXISTS (SELECT 1 FROM prices WHERE symbol = @symbol)) AS symbol,
  CASE fin_param(coalesce(@basis, 'price'), 'basis', 'price|total') WHEN 'total' THEN 'adj_closes' ELSE 'closes' END AS series,
  fin_param(coalesce(@as_of, (SELECT max(date) FROM prices WHERE symbol = @symbol)), 'as_of', 'date') AS as_of,
  fin_param(coalesce(@threshold, 0.2), 'threshold', 'number') AS threshold,
  fin_param(coalesce(@correction, 0.1), 'correction', 'number') AS correction,
  fin_param(coalesce(@top, 10), 'top', 'integer') AS top),
falls AS (
  SELECT s.* FROM p, fin_swings(p.series, p.correction) s
  WHERE s.key = p.symbol AND s.as_of = p.as_of AND s.direction = 'down'
    AND s.extreme_value / s.start_value - 1 > -p.threshold
  ORDER BY s.start_time DESC LIMIT (SELECT top FROM p))
SELECT 'correction' AS fall, start_time AS from_date, start_value AS from_close,
       extreme_time AS low_date, extreme_value AS low_close,
       round(100 * (extreme_value / start_value - 1), 2) AS change_pct, sessions, days,
       confirm_time AS confirmed_on, CASE WHEN ongoing THEN 'still going, to ' || end_time ELSE '' END AS note
FROM falls ORDER BY start_time;

WITH p AS MATERIALIZED (SELECT
  fin_param(@symbol, 'symbol', 'text', EXISTS (SELECT 1 FROM prices WHERE symbol = @symbol)) AS symbol,
  CASE fin_param(coalesce(@basis, 'price'), 'basis', 'price|total') WHEN 'total' THEN 'adj_closes' ELSE 'closes' END AS series,
  fin_param(coalesce(@as_of, (SELECT max(date) FROM prices WHERE symbol = @symbol)), 'as_of', 'date') AS as_of,
  fin_param(coalesce(@threshold, 0.2), 'threshold', 'number') AS threshold,
  fin_param(coalesce(@correction, 0.1), 'correction', 'number') AS correction),
big AS (SELECT s.* FROM p, fin_swings(p.series, p.threshold) s
        WHERE s.key = p.symbol AND s.as_of = p.as_of AND s.ongoing),
small AS (SELECT s.* FROM p, fin_swings(p.series, p.correction) s
          WHERE s.key = p.symbol AND s.as_of = p.as_of AND s.ongoing),
last AS (SELECT max(date) AS date FROM p JOIN prices x ON x.symbol = p.symbol AND x.date <= p.as_of
         WHERE CASE p.series WHEN 'adj_closes' THEN x.adj_close ELSE x.close END IS NOT NULL)
SELECT last.date,
       coalesce(CASE big.direction WHEN 'up' THEN 'bull market' ELSE 'bear market' END,
                'none yet: no move of ' || (SELECT 100 * threshold FROM p) || '%') AS phase,
       big.start_time AS since, big.confirm_time AS confirmed_on, round(100 * big.change, 2) AS change_pct,
       big.extreme_time AS extreme_date, round(100 * (big.end_value / big.extreme_value - 1), 2) AS from_extreme_pct,
       CASE WHEN small.direction = 'down' AND small.extreme_value / small.start_value - 1 > -(SELECT threshold FROM p)
              THEN 'correction since ' || small.start_time || ': ' || round(100 * small.change, 2) || '%'
            WHEN small.direction = 'down' THEN 'falling since ' || small.start_time || ': ' || round(100 * small.change, 2) || '%'
            WHEN small.direction = 'up' THEN 'none: up ' || round(100 * small.change, 2) || '% since the low of ' || small.start_time
            ELSE 'none yet' END AS correction
FROM last LEFT JOIN big LEFT JOIN small;

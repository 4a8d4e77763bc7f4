-- q06 Return since a low, or since a date.
-- "Up 36% since the April low."
-- Parameters: @symbol; @year (default: the year of @as_of) whose lowest
-- close (up to @as_of) is the base; @since (optional): the base of a second
-- row is the close on @since, or the last one before it when that day has
-- none (the rule of every query that takes @since, and fin_trailing_returns'
-- base); @as_of (default: the latest date of @symbol): the close measured,
-- the last on or before it; @basis 'price' (default) or 'total' (adjusted
-- closes).
WITH p AS MATERIALIZED (SELECT
  fin_param(@symbol, 'symbol', 'text', EXISTS (SELECT 1 FROM prices WHERE symbol = @symbol)) AS symbol,
  fin_param(coalesce(@basis, 'price'), 'basis', 'price|total') AS basis,
  fin_param(coalesce(@as_of, (SELECT max(date) FROM prices WHERE symbol = @symbol)), 'as_of', 'date') AS as_of,
  CASE WHEN @since IS NOT NULL THEN fin_param(@since, 'since', 'date') END AS since),
s AS MATERIALIZED (
  SELECT x.date, CASE p.basis WHEN 'total' THEN x.adj_close ELSE x.close END AS close
  FROM p JOIN prices x ON x.symbol = p.symbol AND x.date <= p.as_of
  WHERE CASE p.basis WHEN 'total' THEN x.adj_close ELSE x.close END IS NOT NULL),
last AS (SELECT date, close FROM s ORDER BY date DESC LIMIT 1),
yr AS (SELECT coalesce(CAST(CASE WHEN @year IS NOT NULL THEN fin_param(@year, 'year', 'integer') END AS TEXT),
                       substr((SELECT date FROM last), 1, 4)) AS y),
low AS (SELECT date, close FROM s WHERE substr(date, 1, 4) = (SELECT y FROM yr) ORDER BY close, date LIMIT 1),
base AS (SELECT date, close FROM s WHERE date <= (SELECT since FROM p) ORDER BY date DESC LIMIT 1)
SELECT 'low of ' || (SELECT y FROM yr) AS since, low.date AS from_date, low.close AS from_close,
       last.date AS to_date, last.close AS to_close, round(100 * fin_pct_change(last.close, low.close), 2) AS change_pct
FROM low, last
UNION ALL
SELECT 'close of ' || base.date, base.date, base.close, last.date, last.close,
       round(100 * fin_pct_change(last.close, base.close), 2)
FROM base, last;

-- import.sql: moves a CSV already read into temp.csv_in(date, open, high,
-- low, close, adj_close, volume) into prices for the symbol @symbol, as a
-- refresh: the rows prices does not have are added, the ones it has with
-- the same values are left alone, and a row whose values differ from the
-- stored ones stops the import (listed with both values) unless @replace
-- is 1, which replaces it. sql/load_csv.sh fills csv_in from the file's
-- header (any supported layout) and sets @replace for --replace; by hand,
-- for a file in exactly that column order:
--
--   .read sql/schema.sql
--   CREATE TEMP TABLE csv_in(date, open, high, low, close, adj_close, volume);
--   .import --csv --skip 1 RUT.csv csv_in
--   .param set @symbol "'RUT'"
--   .read sql/import.sql
--
-- with `.param set @replace 1` before the .read to replace the rows that
-- differ.
--
-- 1. Values. An empty field is NULL. A field is converted as SQLite stores
--    text in a REAL column (INTEGER for volume): a field that is not a
--    whole well-formed number ('1.2.3', '5-3', 'inf') stays text and is
--    refused, where a CAST would have taken its leading digits. A date
--    written as midnight with an optional UTC offset (yfinance's
--    '2024-01-02 00:00:00-05:00') is that date.
-- 2. Bad rows. Every bad row is listed (up to 20) with its reason, and the
--    import stops with an error and loads nothing: a malformed date, a
--    date given twice in the file, a price that is not a positive finite
--    number, a volume that is not a whole number >= 0, a high below the
--    low.
-- 3. Refresh. A file row whose date prices already has for the symbol is
--    compared with the stored row column by column, as the numbers stored:
--    the file's value after the conversion of 1 against the stored REAL,
--    equal when they are the same double (so 101.5, 101.50 and 1.015e2 are
--    the same value), NULL equal to NULL. Equal on every column: the row
--    is unchanged and not written. Different: the row is listed, one line
--    per column with the stored and the file value (quote(), which prints
--    a REAL with the digits that read back as the same double), and the
--    import stops with nothing loaded, unless @replace = 1. An empty field
--    against a stored value is a difference (a vendor's lost value does
--    not erase a stored one silently). Stored rows the file does not have
--    are left alone.
-- 4. Columns the file does not have. A NULL in csv_in (as opposed to the
--    empty text '' that .import stores for an empty field) is a column the
--    file does not have (sql/load_csv.sh writes NULL for them): new rows
--    get NULL there, stored rows keep their value, and it is not compared.
-- 5. One transaction: a refused import changes nothing. Every write is
--    also conditioned on the checks having passed, so a session without
--    -bail (which runs on after the error) writes nothing either.
-- 6. The report, one line: the file's rows, how many were added, unchanged
--    and replaced, and how many have no close and no adj_close (an empty
--    field), with their dates as runs (the first three); a file without
--    the column says so.
-- RAISE() in SQLite 3.40 takes only a fixed message, hence the listings.
BEGIN;
CREATE TEMP TABLE IF NOT EXISTS import_guard(kind TEXT);
CREATE TEMP TRIGGER IF NOT EXISTS import_guard_bad BEFORE INSERT ON import_guard WHEN NEW.kind = 'bad'
BEGIN
  SELECT RAISE(ABORT, 'import stopped: bad rows (listed above); nothing was loaded');
END;
CREATE TEMP TRIGGER IF NOT EXISTS import_guard_changed BEFORE INSERT ON import_guard WHEN NEW.kind = 'changed'
BEGIN
  SELECT RAISE(ABORT, 'import stopped: rows differ from the stored ones (listed above); nothing was loaded (sql/load_csv.sh --replace, or .param set @replace 1, replaces them)');
END;

UPDATE temp.csv_in SET date = substr(date, 1, 10)
WHERE substr(date, 11) IN (' 00:00:00', 'T00:00:00')
   OR substr(date, 11) GLOB '[ T]00:00:00[+-][0-9][0-9]:[0-9][0-9]';

-- The file's rows, converted by the columns' affinity (requirement 1): a
-- number becomes REAL (volume INTEGER); '' (empty) and NULL (no such
-- column) and malformed text stay as they are, for the checks below. n is
-- the csv_in row, for the messages, which quote the field as written.
DROP TABLE IF EXISTS temp.import_rows;
CREATE TEMP TABLE import_rows(n INTEGER PRIMARY KEY, date TEXT,
  open REAL, high REAL, low REAL, close REAL, adj_close REAL, volume INTEGER);
INSERT INTO temp.import_rows SELECT rowid, date, open, high, low, close, adj_close, volume FROM temp.csv_in;
CREATE INDEX temp.import_rows_date ON import_rows(date); -- keeps the checks below linear

DROP TABLE IF EXISTS temp.import_problems;
CREATE TEMP TABLE import_problems AS
SELECT 'bad row: symbol ' || quote(@symbol) || ', date ' || quote(date) || ': ' || reason AS problem
FROM (
  SELECT r.n, r.date,
    CASE
      WHEN @symbol IS NULL OR @symbol = '' THEN 'no symbol: .param set @symbol "' || char(39) || 'RUT' || char(39) || '"'
      WHEN r.date IS NOT strftime('%Y-%m-%d', r.date) THEN 'date must be YYYY-MM-DD'
      WHEN (SELECT count(*) FROM temp.import_rows r2 WHERE r2.date = r.date) > 1 THEN 'date appears twice'
      WHEN NOT (r.open IS NULL OR r.open = '' OR (typeof(r.open) = 'real' AND r.open > 0 AND r.open <= 1.7976931348623157e308))
        THEN 'open must be a positive number, got ' || quote(c.open)
      WHEN NOT (r.high IS NULL OR r.high = '' OR (typeof(r.high) = 'real' AND r.high > 0 AND r.high <= 1.7976931348623157e308))
        THEN 'high must be a positive number, got ' || quote(c.high)
      WHEN NOT (r.low IS NULL OR r.low = '' OR (typeof(r.low) = 'real' AND r.low > 0 AND r.low <= 1.7976931348623157e308))
        THEN 'low must be a positive number, got ' || quote(c.low)
      WHEN NOT (r.close IS NULL OR r.close = '' OR (typeof(r.close) = 'real' AND r.close > 0 AND r.close <= 1.7976931348623157e308))
        THEN 'close must be a positive number, got ' || quote(c.close)
      WHEN NOT (r.adj_close IS NULL OR r.adj_close = '' OR (typeof(r.adj_close) = 'real' AND r.adj_close > 0 AND r.adj_close <= 1.7976931348623157e308))
        THEN 'adj_close must be a positive number, got ' || quote(c.adj_close)
      WHEN NOT (r.volume IS NULL OR r.volume = '' OR (typeof(r.volume) = 'integer' AND r.volume >= 0))
        THEN 'volume must be a whole number >= 0, got ' || quote(c.volume)
      WHEN typeof(hi) = 'real' AND typeof(lo) = 'real' AND hi < lo THEN 'high is below low'
    END AS reason
  FROM (SELECT r.*,
          -- the high and low the row will have: a column the file does not
          -- have keeps the stored value (requirement 4)
          CASE WHEN r.high IS NULL THEN p.high ELSE r.high END AS hi,
          CASE WHEN r.low IS NULL THEN p.low ELSE r.low END AS lo
        FROM temp.import_rows r LEFT JOIN prices p ON p.symbol = @symbol AND p.date = r.date) r
  JOIN temp.csv_in c ON c.rowid = r.n
)
WHERE reason IS NOT NULL
ORDER BY n;

SELECT problem FROM temp.import_problems LIMIT 20;
INSERT INTO import_guard SELECT 'bad' FROM temp.import_problems LIMIT 1;

-- Requirement 3: one line per (row, column) whose file value differs
-- from the stored one. nullif(x, '') is the value the file would store;
-- a NULL (no such column in the file) is not compared.
DROP TABLE IF EXISTS temp.import_changes;
CREATE TEMP TABLE import_changes AS
SELECT n, date, i, col, stored, nullif(raw, '') AS file FROM (
  SELECT r.n, r.date, k.i, k.col,
    CASE k.i WHEN 1 THEN p.open WHEN 2 THEN p.high WHEN 3 THEN p.low
             WHEN 4 THEN p.close WHEN 5 THEN p.adj_close ELSE p.volume END AS stored,
    CASE k.i WHEN 1 THEN r.open WHEN 2 THEN r.high WHEN 3 THEN r.low
             WHEN 4 THEN r.close WHEN 5 THEN r.adj_close ELSE r.volume END AS raw
  FROM temp.import_rows r
  JOIN prices p ON p.symbol = @symbol AND p.date = r.date
  CROSS JOIN (SELECT 1 AS i, 'open' AS col UNION ALL SELECT 2, 'high' UNION ALL SELECT 3, 'low'
              UNION ALL SELECT 4, 'close' UNION ALL SELECT 5, 'adj_close' UNION ALL SELECT 6, 'volume') k
  WHERE NOT EXISTS (SELECT 1 FROM temp.import_problems)
)
WHERE raw IS NOT NULL AND stored IS NOT nullif(raw, '');

-- What the import does; go: it may write (no bad row, and no row that
-- differs unless @replace = 1).
DROP TABLE IF EXISTS temp.import_counts;
CREATE TEMP TABLE import_counts AS
SELECT nrows, added, changed, nrows - added - changed AS unchanged,
  NOT EXISTS (SELECT 1 FROM temp.import_problems) AND (changed = 0 OR coalesce(@replace, 0) = 1) AS go
FROM (SELECT
  (SELECT count(*) FROM temp.import_rows) AS nrows,
  (SELECT count(*) FROM temp.import_rows r
   WHERE NOT EXISTS (SELECT 1 FROM prices p WHERE p.symbol = @symbol AND p.date = r.date)) AS added,
  (SELECT count(DISTINCT n) FROM temp.import_changes) AS changed);

SELECT 'changed row: symbol ' || quote(@symbol) || ', date ' || quote(date) || ', ' || col
       || ': stored ' || quote(stored) || ', file ' || quote(file)
FROM temp.import_changes WHERE coalesce(@replace, 0) IS NOT 1 ORDER BY n, i LIMIT 20;
SELECT '... ' || (count(*) - 20) || ' more; ' || (SELECT changed FROM temp.import_counts) || ' rows differ in all'
FROM temp.import_changes WHERE coalesce(@replace, 0) IS NOT 1 HAVING count(*) > 20;
INSERT INTO import_guard SELECT 'changed' FROM temp.import_counts WHERE NOT go AND changed > 0;

INSERT INTO prices(symbol, date, open, high, low, close, adj_close, volume)
SELECT @symbol, r.date, nullif(r.open, ''), nullif(r.high, ''), nullif(r.low, ''),
  nullif(r.close, ''), nullif(r.adj_close, ''), nullif(r.volume, '')
FROM temp.import_rows r
WHERE (SELECT go FROM temp.import_counts)
  AND NOT EXISTS (SELECT 1 FROM prices p WHERE p.symbol = @symbol AND p.date = r.date);

-- @replace: the rows that differ take the file's values; a column the
-- file does not have keeps the stored one.
UPDATE prices SET
  open      = CASE WHEN r.open      IS NULL THEN prices.open      ELSE nullif(r.open, '') END,
  high      = CASE WHEN r.high      IS NULL THEN prices.high      ELSE nullif(r.high, '') END,
  low       = CASE WHEN r.low       IS NULL THEN prices.low       ELSE nullif(r.low, '') END,
  close     = CASE WHEN r.close     IS NULL THEN prices.close     ELSE nullif(r.close, '') END,
  adj_close = CASE WHEN r.adj_close IS NULL THEN prices.adj_close ELSE nullif(r.adj_close, '') END,
  volume    = CASE WHEN r.volume    IS NULL THEN prices.volume    ELSE nullif(r.volume, '') END
FROM temp.import_rows r
WHERE prices.symbol = @symbol AND prices.date = r.date
  AND r.n IN (SELECT n FROM temp.import_changes)
  AND (SELECT go FROM temp.import_counts);

-- Requirement 6. The rows with an empty close or adj_close are shown as
-- runs of consecutive file dates (up to three): a vendor's gaps come in
-- blocks (the days before a series starts, the days an adjustment is not
-- out yet). A column the file does not have: whether the symbol has any
-- such value now says whether its questions have data.
WITH o AS (
  SELECT date, close, adj_close, row_number() OVER (ORDER BY date) AS k FROM temp.import_rows
),
runs AS (
  SELECT col, min(date) AS a, max(date) AS b FROM (
    SELECT 'close' AS col, date, k - row_number() OVER (ORDER BY date) AS g FROM o WHERE close = ''
    UNION ALL
    SELECT 'adj_close', date, k - row_number() OVER (ORDER BY date) FROM o WHERE adj_close = ''
  ) GROUP BY col, g
),
spans AS ( -- the first three runs in date order; a window sees its rows in order
  SELECT col, upto || iif(nruns > 3, ', and ' || (nruns - 3) || ' more runs', '') AS span FROM (
    SELECT col, nruns, r, group_concat(iif(a = b, a, a || '..' || b), ', ')
      OVER (PARTITION BY col ORDER BY a ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS upto
    FROM (SELECT *, row_number() OVER (PARTITION BY col ORDER BY a) AS r,
            count(*) OVER (PARTITION BY col) AS nruns FROM runs)
  ) WHERE r = min(nruns, 3)
),
m(col, msg) AS (
  SELECT col, CASE
    WHEN given = 0 AND last_stored IS NULL THEN 'no ' || col || ' column: ' || kind || ' questions on ' || @symbol || ' have no data'
    WHEN given = 0 THEN 'no ' || col || ' column: ' || @symbol || '''s stored ' || col || ' ends ' || last_stored
    ELSE 'no ' || col || ': ' || empty || coalesce(' (' || (SELECT span FROM spans s WHERE s.col = c.col) || ')', '')
  END
  FROM (
    SELECT 'close' AS col, 'price' AS kind, count(close) AS given, count(*) FILTER (WHERE close = '') AS empty,
      (SELECT max(date) FROM prices WHERE symbol = @symbol AND close IS NOT NULL) AS last_stored
    FROM temp.import_rows
    UNION ALL
    SELECT 'adj_close', 'total-return', count(adj_close), count(*) FILTER (WHERE adj_close = ''),
      (SELECT max(date) FROM prices WHERE symbol = @symbol AND adj_close IS NOT NULL)
    FROM temp.import_rows
  ) c
)
SELECT @symbol || ': ' || nrows || ' rows: ' || added || ' added, ' || unchanged || ' unchanged, '
       || changed || ' replaced; ' || (SELECT msg FROM m WHERE col = 'close') || '; '
       || (SELECT msg FROM m WHERE col = 'adj_close')
FROM temp.import_counts WHERE go;
COMMIT;
DROP TABLE temp.import_counts;
DROP TABLE temp.import_changes;
DROP TABLE temp.import_problems;
DROP TABLE temp.import_rows;
DROP TABLE temp.csv_in;

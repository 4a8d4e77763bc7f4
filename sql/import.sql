-- import.sql: moves a CSV already read into temp.csv_in(date, open, high,
-- low, close, adj_close, volume) into prices for the symbol @symbol.
-- sql/load_csv.sh fills csv_in from the file's header (any supported
-- layout); by hand, for a file in exactly that column order:
--
--   .read sql/schema.sql
--   CREATE TEMP TABLE csv_in(date, open, high, low, close, adj_close, volume);
--   .import --csv --skip 1 RUT.csv csv_in
--   .param set @symbol "'RUT'"
--   .read sql/import.sql
--
-- Empty fields become NULL. A date written as midnight with an optional
-- UTC offset (yfinance's '2024-01-02 00:00:00-05:00') is that date. Bad
-- rows are listed (up to 20), each with its reason, and then the import
-- stops with an error and loads nothing (one transaction): a malformed
-- date, a price that is not a positive number, a date given twice, a date
-- already loaded for the symbol, a high below the low.
-- RAISE() in SQLite 3.40 takes only a fixed message, hence the listing.
BEGIN;
CREATE TEMP TABLE IF NOT EXISTS import_guard(n INTEGER);
CREATE TEMP TRIGGER IF NOT EXISTS import_guard_abort BEFORE INSERT ON import_guard
BEGIN
  SELECT RAISE(ABORT, 'import stopped: bad rows (listed above); nothing was loaded');
END;

UPDATE temp.csv_in SET date = substr(date, 1, 10)
WHERE substr(date, 11) IN (' 00:00:00', 'T00:00:00')
   OR substr(date, 11) GLOB '[ T]00:00:00[+-][0-9][0-9]:[0-9][0-9]';
CREATE INDEX IF NOT EXISTS temp.csv_in_date ON csv_in(date); -- keeps the checks below linear
DROP TABLE IF EXISTS temp.import_problems;
CREATE TEMP TABLE import_problems AS
SELECT 'bad row: symbol ' || quote(@symbol) || ', date ' || quote(date) || ': ' || reason AS problem
FROM (
  SELECT date,
    CASE
      WHEN @symbol IS NULL OR @symbol = '' THEN 'no symbol: .param set @symbol "' || char(39) || 'RUT' || char(39) || '"'
      WHEN date IS NOT strftime('%Y-%m-%d', date) THEN 'date must be YYYY-MM-DD'
      WHEN (SELECT count(*) FROM temp.csv_in c2 WHERE c2.date = c.date) > 1 THEN 'date appears twice'
      WHEN EXISTS (SELECT 1 FROM prices p WHERE p.symbol = @symbol AND p.date = c.date)
        THEN 'date already loaded for this symbol'
      WHEN NOT (open = '' OR (open GLOB '*[0-9]*' AND NOT open GLOB '*[^0-9.eE+-]*' AND CAST(open AS REAL) > 0))
        THEN 'open must be a positive number, got ' || quote(open)
      WHEN NOT (high = '' OR (high GLOB '*[0-9]*' AND NOT high GLOB '*[^0-9.eE+-]*' AND CAST(high AS REAL) > 0))
        THEN 'high must be a positive number, got ' || quote(high)
      WHEN NOT (low = '' OR (low GLOB '*[0-9]*' AND NOT low GLOB '*[^0-9.eE+-]*' AND CAST(low AS REAL) > 0))
        THEN 'low must be a positive number, got ' || quote(low)
      WHEN NOT (close = '' OR (close GLOB '*[0-9]*' AND NOT close GLOB '*[^0-9.eE+-]*' AND CAST(close AS REAL) > 0))
        THEN 'close must be a positive number, got ' || quote(close)
      WHEN NOT (adj_close = '' OR (adj_close GLOB '*[0-9]*' AND NOT adj_close GLOB '*[^0-9.eE+-]*' AND CAST(adj_close AS REAL) > 0))
        THEN 'adj_close must be a positive number, got ' || quote(adj_close)
      WHEN NOT (volume = '' OR (volume GLOB '[0-9]*' AND NOT volume GLOB '*[^0-9]*'))
        THEN 'volume must be a whole number >= 0, got ' || quote(volume)
      WHEN high <> '' AND low <> '' AND CAST(high AS REAL) < CAST(low AS REAL) THEN 'high is below low'
    END AS reason
  FROM temp.csv_in c
)
WHERE reason IS NOT NULL;

SELECT problem FROM temp.import_problems LIMIT 20;
INSERT INTO import_guard SELECT 1 FROM temp.import_problems LIMIT 1;

INSERT INTO prices(symbol, date, open, high, low, close, adj_close, volume)
SELECT @symbol, date,
  CAST(nullif(open, '') AS REAL), CAST(nullif(high, '') AS REAL), CAST(nullif(low, '') AS REAL),
  CAST(nullif(close, '') AS REAL), CAST(nullif(adj_close, '') AS REAL),
  CAST(nullif(volume, '') AS INTEGER)
FROM temp.csv_in;
COMMIT;
DROP TABLE temp.import_problems;
DROP TABLE temp.csv_in;
SELECT 'loaded ' || changes() || ' rows for ' || @symbol;

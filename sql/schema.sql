-- schema.sql: a table of daily bars, one row per symbol and date.
-- The CHECKs reject the rows that would otherwise give wrong numbers:
-- dates that are not YYYY-MM-DD, prices that are text, zero or negative,
-- a high below the low, a negative volume. Prices may be NULL (a vendor
-- row with no value); the fin_ functions skip NULLs.
CREATE TABLE IF NOT EXISTS prices (
  symbol    TEXT NOT NULL CHECK (length(symbol) BETWEEN 1 AND 32),
  date      TEXT NOT NULL CHECK (date IS strftime('%Y-%m-%d', date)),
  open      REAL CHECK (open IS NULL OR (typeof(open) = 'real' AND open > 0)),
  high      REAL CHECK (high IS NULL OR (typeof(high) = 'real' AND high > 0)),
  low       REAL CHECK (low IS NULL OR (typeof(low) = 'real' AND low > 0 AND (high IS NULL OR low <= high))),
  close     REAL CHECK (close IS NULL OR (typeof(close) = 'real' AND close > 0)),
  adj_close REAL CHECK (adj_close IS NULL OR (typeof(adj_close) = 'real' AND adj_close > 0)),
  volume    INTEGER CHECK (volume IS NULL OR (typeof(volume) = 'integer' AND volume >= 0)),
  PRIMARY KEY (symbol, date)
) WITHOUT ROWID;

-- The series the table functions read by name, (key, time, value) each:
--   closes      the price series (close): index levels, price return;
--   adj_closes  the total-return series (adjusted close: dividends
--               reinvested, splits undone), how ETF returns are quoted.
-- SELECT * FROM fin_drawdowns('closes') WHERE key = 'RUT' reads one symbol
-- through the primary key; so does a key taken from a join.
CREATE VIEW IF NOT EXISTS closes AS SELECT symbol, date, close FROM prices;
CREATE VIEW IF NOT EXISTS adj_closes AS SELECT symbol, date, adj_close FROM prices;

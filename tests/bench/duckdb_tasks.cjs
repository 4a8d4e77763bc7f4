#!/usr/bin/env node
// The DuckDB way of each benchmark capability, on a DuckDB file holding the
// same rows as the SQLite file (prices(symbol VARCHAR, date DATE, close
// DOUBLE), written in (symbol, date) order). Prints the same answer as the
// SQL ways ("count|sum"). DuckDB runs with its defaults (all cores).
//
//   node duckdb_tasks.cjs TASK FILE.duckdb    run one task
//   node duckdb_tasks.cjs --load CSV FILE.duckdb
//                                             make FILE from a CSV of
//                                             symbol,date,close
//
// The module comes from DUCKDB_NODE_API (a path) when set, else from the
// usual Node resolution.
'use strict';
const duckdb = require(process.env.DUCKDB_NODE_API || '@duckdb/node-api');

const W = 'WINDOW w AS (PARTITION BY symbol ORDER BY date)';
const CHK = "count(x), printf('%.9e', sum(x))";
// Runs of >= 1% gains (with the same 1e-12 tolerance as every other way).
const RUNS = `runs AS (
  SELECT symbol, count(*) AS len, min(prev) AS lo, max(close) AS hi, max(date) AS end_date FROM (
    SELECT *, sum(CASE WHEN up THEN 0 ELSE 1 END) OVER (PARTITION BY symbol ORDER BY date ROWS UNBOUNDED PRECEDING) AS grp FROM (
      SELECT symbol, date, close, prev, close / prev - 1 >= 0.01 - 1e-12 AS up FROM (
        SELECT symbol, date, close, lag(close) OVER w AS prev FROM prices ${W})
      WHERE prev IS NOT NULL))
  WHERE up GROUP BY symbol, grp HAVING count(*) >= 5)`;

const TASKS = {
  r5: `SELECT ${CHK} FROM (SELECT close / lag(close, 5) OVER w - 1 AS x FROM prices ${W})`,
  dd: `SELECT ${CHK} FROM (SELECT close / max(close) OVER (w ROWS UNBOUNDED PRECEDING) - 1 AS x FROM prices ${W})`,
  mdd: `SELECT ${CHK} FROM (SELECT min(dd) AS x FROM (
          SELECT symbol, close / max(close) OVER (w ROWS UNBOUNDED PRECEDING) - 1 AS dd FROM prices ${W}) GROUP BY symbol)`,
  episodes: `
WITH b AS (SELECT symbol, date, close, row_number() OVER w AS rn, count(*) OVER (PARTITION BY symbol) AS n,
                  close >= max(close) OVER (w ROWS UNBOUNDED PRECEDING) AS hi FROM prices ${W}),
g AS (SELECT *, sum(hi::INTEGER) OVER (PARTITION BY symbol ORDER BY date ROWS UNBOUNDED PRECEDING) AS grp FROM b),
e AS (SELECT min(rn) AS peak_rn, max(rn) AS last_rn, max(n) AS n, min(close) FILTER (WHERE NOT hi) AS trough,
             max(close) FILTER (WHERE hi) AS peak FROM g GROUP BY symbol, grp HAVING sum((NOT hi)::INTEGER) > 0)
SELECT count(*), printf('%.9e', sum(trough / peak - 1)),
       sum(CASE WHEN last_rn < n THEN last_rn + 1 ELSE last_rn END - peak_rn) FROM e`,
  runs: `WITH ${RUNS} SELECT count(*), sum(len), printf('%.9e', sum(hi / lo - 1)) FROM runs`,
  events: `WITH ${RUNS}, f AS (SELECT symbol, date, lead(close, 21) OVER w / close - 1 AS fwd FROM prices ${W})
           SELECT count(fwd), printf('%.9e', sum(fwd)) FROM runs JOIN f ON f.symbol = runs.symbol AND f.date = runs.end_date`,
  events3: `
SELECT count(f), printf('%.9e', sum(f)) FROM (
  SELECT up, f, count(*) OVER (PARTITION BY symbol, grp ORDER BY date ROWS UNBOUNDED PRECEDING) - 1 AS len FROM (
    SELECT symbol, date, up, f, sum(CASE WHEN up THEN 0 ELSE 1 END) OVER (PARTITION BY symbol ORDER BY date ROWS UNBOUNDED PRECEDING) AS grp FROM (
      SELECT symbol, date, coalesce(close / lag(close) OVER w - 1 >= 0.01 - 1e-12, false) AS up,
             lead(close, 21) OVER w / close - 1 AS f FROM prices ${W})))
WHERE up AND len >= 3`,
  yearly: `
WITH l AS (SELECT symbol, year(date) AS yr, arg_max(close, date) AS close FROM prices GROUP BY symbol, yr),
f AS (SELECT symbol, arg_min(close, date) AS close FROM prices GROUP BY symbol),
r AS (SELECT l.close / coalesce(lag(l.close) OVER (PARTITION BY l.symbol ORDER BY yr), f.close) - 1 AS ret
      FROM l JOIN f USING (symbol))
SELECT count(*), printf('%.9e', sum(ret)) FROM r`,
};

async function main() {
  const [task, a, b] = process.argv.slice(2);
  if (task === '--load') {
    const inst = await duckdb.DuckDBInstance.create(b);
    const c = await inst.connect();
    await c.run(`CREATE TABLE prices AS SELECT * FROM read_csv('${a.replace(/'/g, "''")}', header = false,
                 columns = {'symbol': 'VARCHAR', 'date': 'DATE', 'close': 'DOUBLE'}) ORDER BY symbol, date`);
    await c.run('CHECKPOINT');
    return;
  }
  if (!(task in TASKS)) throw new Error('duckdb_tasks: unknown task ' + task);
  const inst = await duckdb.DuckDBInstance.create(a, { access_mode: 'READ_ONLY' });
  const c = await inst.connect();
  const rows = (await c.runAndReadAll(TASKS[task])).getRows();
  console.log(rows[0].map(String).join('|'));
}

main().catch((e) => { console.error(e.message || e); process.exit(1); });

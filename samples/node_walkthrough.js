#!/usr/bin/env node
// Node walkthrough: sqlite-fin from better-sqlite3 (npm install better-sqlite3).
//
//     node samples/node_walkthrough.js [path/to/fin]
//
// Loads the extension, loads the sample CSV, and asks three questions,
// passing the series to the table-valued functions as bound parameters.
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const lib = process.argv[2] || process.env.FIN_LIB || path.join(root, 'dist', 'fin');

let Database;
try {
  Database = require('better-sqlite3');
} catch (e) {
  console.error('better-sqlite3 is not installed: npm install better-sqlite3 (it builds a native module,\n' +
                'so it needs make, a C++ compiler and Node headers; see its README).');
  process.exit(2);
}

const db = new Database(':memory:');
db.loadExtension(lib);
console.log('fin', db.prepare('SELECT fin_version() AS v').get().v,
            'on SQLite', db.prepare('SELECT sqlite_version() AS v').get().v);

db.exec(fs.readFileSync(path.join(root, 'sql', 'schema.sql'), 'utf8'));
const insert = db.prepare('INSERT INTO prices VALUES (?,?,?,?,?,?,?,?)');
const num = (s) => (s === '' ? null : Number(s));
const lines = fs.readFileSync(path.join(root, 'samples', 'data', 'SMALL.csv'), 'utf8').trim().split('\n').slice(1);
db.transaction(() => {
  for (const line of lines) {
    const f = line.split(',');
    insert.run('SMALL', f[0], num(f[1]), num(f[2]), num(f[3]), num(f[4]), num(f[5]), f[6] === '' ? null : Number(f[6]));
  }
})();
console.log('loaded', lines.length, 'rows\n');

const round = (row) => Object.fromEntries(Object.entries(row).map(([k, v]) =>
  [k, typeof v === 'number' && !Number.isInteger(v) ? Number(v.toFixed(4)) : v]));

// The series is named (the closes view of sql/schema.sql); the symbol is a
// bound parameter, and the tables read only its rows.
console.log('Deepest drawdowns (the symbol is a bound parameter):');
console.table(db.prepare("SELECT peak_time, trough_time, recovery_time, depth, length FROM fin_drawdowns('closes', 0.15) " +
                         'WHERE key = ? ORDER BY depth LIMIT 3').all('SMALL').map(round));
console.log('Calendar years:');
console.table(db.prepare("SELECT period, period_return, partial FROM fin_calendar_returns('closes', 'year') WHERE key = ?")
  .all('SMALL').map(round));
console.log('Where it stands:');
console.table(db.prepare("SELECT time, value, peak, drawdown, since_peak FROM fin_series('closes') WHERE key = ? " +
                         'ORDER BY time DESC LIMIT 1').all('SMALL').map(round));

// sqlite-fin for Node: the path of the compiled extension, and load(db) for
// any database object with loadExtension(path), such as better-sqlite3's.
//
//   const Database = require("better-sqlite3");
//   const fin = require("sqlite-fin");
//   const db = new Database("prices.db");
//   fin.load(db);
//   db.prepare("SELECT * FROM fin_drawdowns('closes') ORDER BY depth LIMIT 3").all();
"use strict";
const fs = require("fs");
const path = require("path");

// npm 11 runs a dependency's install step only once approved, so the
// binary packed elsewhere may still be here: say how to build it.
const BUILD_IT = "build it with `npm rebuild sqlite-fin`, after `npm install-scripts approve sqlite-fin` " +
  "with npm 11 and later; it needs make, a C compiler, pkg-config and SQLite's headers";

function getLoadablePath() {
  const dist = path.join(__dirname, "..", "dist");
  const lib = path.join(dist, "fin.so");
  const here = `${process.platform}-${process.arch}`;
  if (!fs.existsSync(lib)) throw new Error(`sqlite-fin: ${lib} is missing: ${BUILD_IT}`);
  let built = "";
  try {
    built = fs.readFileSync(path.join(dist, "platform.txt"), "utf8").trim();
  } catch (e) {
    built = "an unknown platform";
  }
  if (built !== here) throw new Error(`sqlite-fin: ${lib} was built for ${built}, this is ${here}: ${BUILD_IT}`);
  return lib;
}

function load(db) {
  if (!db || typeof db.loadExtension !== "function") {
    throw new TypeError("sqlite-fin: load(db) needs a database with loadExtension(path), " +
      "such as a better-sqlite3 Database");
  }
  db.loadExtension(getLoadablePath());
  return db;
}

const version = require("../package.json").version;
module.exports = { getLoadablePath, load, version };

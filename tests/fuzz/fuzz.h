/*
** fuzz.h - what the libFuzzer harnesses of tests/fuzz share: a connection
** with the extension compiled in (SQLITE_CORE), bounded so that no input
** can run away (a progress-handler budget and a heap limit), and a table p
** of two keys with gaps and NULLs to read.
*/
#ifndef FIN_FUZZ_H
#define FIN_FUZZ_H
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int sqlite3_fin_init(sqlite3 *db, char **pzErrMsg, const sqlite3_api_routines *pApi);
int sqlite3_fin_safe_init(sqlite3 *db, char **pzErrMsg, const sqlite3_api_routines *pApi);

static inline int fuzz_budget(void *p) { return ++*(int *)p > 2000; } /* x 1000 VM steps */

static const char *const fuzz_setup =
    "CREATE TABLE p(k, d, c);"
    "WITH RECURSIVE i(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM i WHERE n < 59)"
    " INSERT INTO p SELECT CASE WHEN n < 35 THEN 'A' ELSE 'B' END, date('2023-12-20', '+' || (n * 3) || ' days'),"
    " CASE WHEN n % 11 = 5 THEN NULL ELSE 100 + 10 * sin(n / 3.0) + n / 10.0 END FROM i;"
    "CREATE VIEW pv AS SELECT d, c FROM p WHERE k = 'A';"
    "CREATE TABLE q(s TEXT);"
    /* a price table as users keep it: indexed (seeks), packed (the copy) */
    "CREATE TABLE t(symbol TEXT, date TEXT, open REAL, high REAL, low REAL, close REAL, volume,"
    " PRIMARY KEY (symbol, date)) WITHOUT ROWID;"
    "INSERT INTO t SELECT k, d, c * 0.99, c * 1.01, c * 0.98, c, 100 FROM p;"
    "CREATE VIEW tv AS SELECT symbol, date, close FROM t;"
    "SELECT fin_pack('t', 'close, high');";

/* Opens a bounded connection with the extension (safe: names only). */
static inline sqlite3 *fuzz_open(int safe, int *steps) {
  sqlite3 *db = NULL;
  if (sqlite3_open(":memory:", &db) != SQLITE_OK) abort();
  char *err = NULL;
  if ((safe ? sqlite3_fin_safe_init : sqlite3_fin_init)(db, &err, NULL) != SQLITE_OK) abort();
  if (sqlite3_exec(db, fuzz_setup, NULL, NULL, NULL) != SQLITE_OK) abort();
  sqlite3_progress_handler(db, 1000, fuzz_budget, steps);
  return db;
}
#endif

/*
** core.c - the extension compiled into a program (SQLITE_CORE) and
** registered with sqlite3_auto_extension, then an out-of-memory sweep:
** for each group of GROUP statements of the workload, the Nth allocation
** and every one after it fail, for N = 1, 2, ... until the group runs
** clean. Every statement must then succeed or fail with
** SQLITE_NOMEM, never crash, and the connection must give back every byte
** (sqlite3_memory_used() returns to its level before the open).
*/
#include <sqlite3.h>
#include <stdlib.h>
#include "tap.h"

int sqlite3_fin_init(sqlite3 *db, char **pzErrMsg, const sqlite3_api_routines *pApi);

static sqlite3_mem_methods base;
static long fail_at = -1, n_alloc = 0;
static int failed = 0;

static void *oom_malloc(int n) {
  if (fail_at >= 0 && ++n_alloc >= fail_at) {
    failed = 1;
    return NULL;
  }
  return base.xMalloc(n);
}
static void *oom_realloc(void *p, int n) {
  if (fail_at >= 0 && ++n_alloc >= fail_at) {
    failed = 1;
    return NULL;
  }
  return base.xRealloc(p, n);
}

static const char *setup =
    "CREATE TABLE p(k, d, c);"
    "WITH RECURSIVE i(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM i WHERE n < 199)"
    " INSERT INTO p SELECT CASE WHEN n < 120 THEN 'A' ELSE 'B' END, date('2023-11-01', '+' || n || ' days'),"
    " 100 + 10 * sin(n / 5.0) + n / 20.0 FROM i;";
/* A price table as users keep it, indexed on (symbol, date) and packed: for
** the statements that read q (made only for their groups: packing costs). */
static const char *setup_q =
    "CREATE TABLE q(symbol TEXT, date TEXT, open REAL, high REAL, low REAL, close REAL, volume INTEGER,"
    " PRIMARY KEY (symbol, date)) WITHOUT ROWID;"
    "INSERT INTO q SELECT k, d, c * 0.995, c * 1.01, c * 0.99, c, 1000 FROM p;"
    "SELECT fin_pack('q', 'close, high');";

static const char *workload[] = {
    "SELECT fin_rolling_return(c, 30) OVER w, fin_drawdown(c) OVER w, fin_since_peak(c) OVER w,"
    " fin_up_streak(c, 0.001) OVER w, fin_down_streak(c) OVER w, fin_streak(c > 100) OVER w,"
    " fin_ytd_return(d, c) OVER w, fin_qtd_return(d, c) OVER w, fin_mtd_return(d, c) OVER w"
    " FROM p WINDOW w AS (PARTITION BY k ORDER BY d)",
    "SELECT fin_drawdown(c) OVER w, fin_since_peak(c) OVER w, fin_max_drawdown(c) OVER w,"
    " fin_total_return(c) OVER w, fin_compound(c / 1000) OVER w, fin_median(c) OVER w,"
    " fin_max_drawdown(d, c) OVER w, fin_total_return(d, c) OVER w"
    " FROM p WINDOW w AS (PARTITION BY k ORDER BY d ROWS 40 PRECEDING)",
    "SELECT k, fin_max_drawdown(d, c), fin_total_return(d, c), fin_quantile(c, 0.9)"
    " FROM (SELECT * FROM p ORDER BY c) GROUP BY k",
    "SELECT * FROM fin_series('SELECT k, d, c FROM p', 30)",
    "SELECT * FROM fin_drawdowns('SELECT k, d, c FROM p')",
    "SELECT * FROM fin_streaks('SELECT k, d, c FROM p', 0.001, 2)",
    "SELECT * FROM fin_down_streaks('SELECT k, d, c FROM p')",
    "SELECT * FROM fin_forward_returns('SELECT k, d, c FROM p', '1,5,21,63')",
    "SELECT * FROM fin_forward_returns('SELECT k, d, c FROM p', '5,21',"
    " 'SELECT key, end_time FROM fin_streaks(''SELECT k, d, c FROM p'')')",
    "SELECT * FROM fin_calendar_returns('SELECT k, d, c FROM p', 'week')",
    "SELECT * FROM fin_series('SELECT k, d || '' 10:00'', c FROM p UNION ALL"
    " SELECT k, d || ''T09:00'', c * 1.01 FROM p')", /* intraday: same-date groups */
    "SELECT fin_pct_change(c, 100), fin_cagr(100, c, 2), fin_annualize(0.1, 21) FROM p",
    "SELECT * FROM fin_drawdowns('SELECT k, d, c FROM p') WHERE key IN ('B', 'A')", /* key push-down */
    "SELECT * FROM (SELECT 'A' s, 3 n) w JOIN fin_series('SELECT k, d, c FROM p', w.n) d ON d.key = w.s",
    /* events by join: seeks, and one event for every key */
    "SELECT * FROM (SELECT 'A' s, '2024-01-15' t UNION ALL SELECT 'B', '1999-01-01') e"
    " JOIN fin_forward_returns('SELECT k, d, c FROM p', '1,5') f ON f.key = e.s AND f.event_time = e.t",
    "SELECT * FROM fin_forward_returns('SELECT k, d, c FROM p', 5) WHERE event_time = '2024-01-15'",
    "INSERT INTO p SELECT 'C', time, value FROM fin_series('SELECT d, c FROM p WHERE k = ''A''')",
    /* calendar horizons (the ring grows by the span), and as_of on every path */
    "SELECT * FROM fin_forward_returns('SELECT k, d, c FROM p WHERE d < ''2024-01-20''',"
    " '2, 1 week, 1 month')",
    "SELECT * FROM fin_calendar_returns('SELECT k, d, c FROM p', 'month') WHERE as_of = '2023-12-10'",
    "SELECT * FROM fin_forward_returns('SELECT k, d, c FROM p', '1, 1 month') WHERE key = 'A'"
    " AND as_of = '2024-02-10' AND event_time = '2024-01-15'",
    /* pictures: a sliding sparkline, a resampled one, bars, and a chart */
    "SELECT fin_sparkline(c) OVER (PARTITION BY k ORDER BY d ROWS 9 PRECEDING), fin_bar(c, 200, 10)"
    " FROM p",
    "SELECT k, fin_sparkline(c, 12), fin_chart(d, c, 'title=A <&> B; width=300; scale=log')"
    " FROM (SELECT * FROM p ORDER BY d) GROUP BY k",
    /* risk aggregates, sliding (the two-stack moves) and whole */
    "SELECT fin_volatility(c) OVER w, fin_sharpe(c, 0.02) OVER w, fin_sortino(c) OVER w,"
    " fin_beta(c / 100, c / 90) OVER w, fin_correlation(c, d) OVER w, fin_cagr(d, c) OVER w"
    " FROM (SELECT k, julianday(d) AS d, c FROM p) WINDOW w AS (PARTITION BY k ORDER BY d ROWS 20 PRECEDING)",
    "SELECT k, fin_volatility(c, 12), fin_cagr(d, c) FROM (SELECT * FROM p ORDER BY c) GROUP BY k",
    /* a benchmark: merged, as of each time, by seek, by calendar */
    "SELECT * FROM fin_relative('SELECT k, d, c FROM p', 'SELECT d, c * 2 FROM p WHERE k = ''A''')",
    "SELECT * FROM fin_forward_returns('SELECT k, d, c FROM p', '1,5', NULL, 'SELECT k, d, c FROM p')"
    " WHERE benchmark_key = 'A'",
    "SELECT * FROM fin_forward_returns('SELECT k, d, c FROM p', '5, 1 week') WHERE key = 'B'"
    " AND event_time = '2024-03-01' AND benchmark = 'SELECT k, d, c FROM p' AND benchmark_key = 'A'",
    "SELECT * FROM fin_calendar_returns('SELECT k, d, c FROM p', 'month', 'SELECT d, c FROM p WHERE k = ''B''')",
    "SELECT * FROM fin_forward_returns('SELECT k, d, c FROM p', '3, 1 week') WHERE min_gain = 0.001 AND min_length = 2",
    /* market phases and trailing returns (fin_swings, fin_trailing_returns):
    ** legs of every key, one key as of a date, the factsheet's periods, and
    ** a keyed benchmark (the ring of the longest period grows) */
    "SELECT * FROM fin_swings('SELECT k, d, c FROM p', 0.05)",
    "SELECT * FROM fin_swings('SELECT k, d, c FROM p', 0.1) WHERE key = 'B' AND as_of = '2024-02-20'",
    "SELECT * FROM fin_trailing_returns('SELECT k, d, c FROM p', '1 week, 1 month, 3 months, ytd, qtd, mtd,"
    " inception, 5, 21')",
    "SELECT * FROM fin_trailing_returns('SELECT k, d, c FROM p', '2 weeks, 1 month, 10', 'SELECT k, d, c FROM p')"
    " WHERE benchmark_key = 'A' AND as_of = '2024-03-01'",
    /* indicators: the recursions from the first row, the frame measures
    ** sliding (moments moved between stacks, treap nodes freed and reused)
    ** and growing; ties for the rank (round) */
    "SELECT fin_ema(c, 10) OVER w, fin_rsi(c) OVER w, fin_macd(c) OVER w, fin_macd(c, 5, 20, 4, 'histogram') OVER w,"
    " fin_bollinger(c, 20) OVER w, fin_bollinger(c, 10, 1.5, 'width') OVER w, fin_atr(c * 1.01, c * 0.99, c, 5) OVER w"
    " FROM p WINDOW w AS (PARTITION BY k ORDER BY d)",
    "SELECT fin_zscore(c) OVER w, fin_percent_rank(round(c)) OVER w, fin_zscore(c) OVER (PARTITION BY k ORDER BY d),"
    " fin_percent_rank(c) OVER (PARTITION BY k ORDER BY d) FROM p WINDOW w AS (PARTITION BY k ORDER BY d ROWS 30 PRECEDING)",
    /* benchmark measures and range volatility: sliding (the two-stack moves, both queues of
    ** the geometric methods, one side of the up/down forms) and whole */
    "SELECT fin_tracking_error(r, b) OVER w, fin_information_ratio(r, b, 252, 'geometric') OVER w,"
    " fin_treynor(r, b, 0.02) OVER w, fin_alpha(r, b, 0.02, 252, 'geometric') OVER w, fin_up_capture(r, b) OVER w,"
    " fin_down_capture(r, b, 12, 'cumulative') OVER w, fin_up_beta(r, b) OVER w, fin_down_beta(r, b) OVER w"
    " FROM (SELECT k, d, c / 100 - 1 AS r, sin(c) / 50 AS b FROM p)"
    " WINDOW w AS (PARTITION BY k ORDER BY d ROWS 20 PRECEDING)",
    "SELECT k, fin_alpha(r, b), fin_down_capture(r, b), fin_information_ratio(r, b), fin_treynor(r, b, 0, 12, 'arithmetic')"
    " FROM (SELECT k, c / 100 - 1 AS r, sin(c) / 50 AS b FROM p) GROUP BY k",
    "SELECT fin_parkinson(c * 1.01, c * 0.99) OVER w, fin_garman_klass(c * 0.999, c * 1.01, c * 0.99, c) OVER w,"
    " fin_rogers_satchell(c * 0.999, c * 1.01, c * 0.99, c) OVER w, fin_yang_zhang(c * 0.999, c * 1.01, c * 0.99, c) OVER w"
    " FROM p WINDOW w AS (PARTITION BY k ORDER BY d ROWS 20 PRECEDING)",
    "SELECT k, fin_yang_zhang(c * 0.999, c * 1.01, c * 0.99, c, 12), fin_parkinson(c * 1.01, c * 0.99)"
    " FROM (SELECT * FROM p ORDER BY d) GROUP BY k",
    /* measures (measures.c, measures_dd.c): sliding frames (two-stack
    ** moves, sorted frames, sums again when the high leaves), plain
    ** aggregates over rows out of time order (the map) and time DESC */
    "SELECT fin_skewness(c) OVER w, fin_kurtosis(c, 'population') OVER w, fin_var(c, 0.95) OVER w,"
    " fin_cvar(c, 0.9, 'cornish-fisher') OVER w, fin_tail_ratio(c) OVER w, fin_omega(c, 0.05) OVER w,"
    " fin_win_rate(c) OVER w, fin_profit_factor(c) OVER w, fin_payoff_ratio(c) OVER w,"
    " fin_best_return(c) OVER w, fin_worst_return(c) OVER w"
    " FROM p WINDOW w AS (PARTITION BY k ORDER BY d ROWS 20 PRECEDING)",
    "SELECT fin_calmar(d, c) OVER w, fin_recovery_factor(c) OVER w, fin_ulcer_index(c) OVER w,"
    " fin_pain_index(c) OVER w, fin_drawdown_length(c) OVER w, fin_drawdown_days(d, c) OVER w,"
    " fin_longest_drawdown_length(c) OVER w, fin_longest_drawdown_days(d, c) OVER w"
    " FROM p WINDOW w AS (PARTITION BY k ORDER BY d ROWS 20 PRECEDING)",
    "SELECT k, fin_var(c, 0.95, 'gaussian'), fin_cvar(c, 0.95), fin_calmar(d, c), fin_drawdown_days(d, c),"
    " fin_longest_drawdown_days(d, c), fin_skewness(c), fin_best_return(d, c, 'month')"
    " FROM (SELECT * FROM p ORDER BY c) GROUP BY k",
    "SELECT fin_calmar(d, c) OVER w, fin_longest_drawdown_days(d, c) OVER w, fin_best_return(d, c, 'week') OVER w"
    " FROM p WINDOW w AS (PARTITION BY k ORDER BY d DESC ROWS 10 PRECEDING)",
    "SELECT fin_best_return(d, c, 'month') OVER w, fin_worst_return(d, c, 'week') OVER w,"
    " fin_worst_return(d, c, 'year') FILTER (WHERE c > 100) OVER w"
    " FROM p WINDOW w AS (PARTITION BY k ORDER BY d ROWS 20 PRECEDING)",
    /* the tear sheet (fin_summary): every key, one key against a keyed
    ** benchmark as of a date, an unkeyed benchmark merged beside each key */
    "SELECT * FROM fin_summary('SELECT k, d, c FROM p')",
    "SELECT * FROM fin_summary('SELECT k, d, c FROM p', 'SELECT k, d, c * 1.5 FROM p') WHERE key = 'B'"
    " AND benchmark_key = 'A' AND as_of = '2024-02-20'",
    "SELECT * FROM fin_summary('SELECT k, d, c FROM p', 'SELECT d, 200 - c FROM p WHERE k = ''A''')",
    /* the packed copy: a rebuild, reads (every row, a calendar's skeleton
    ** up to as_of, another column), a key written since (read from its
    ** rows), removal; seeks through the index: a calendar's skeleton, an
    ** event sought key by key; bars from open, high, low and volume */
    "SELECT fin_pack('q')",
    "SELECT * FROM fin_series('q', 5)",
    "SELECT * FROM fin_calendar_returns('q', 'month') WHERE as_of = '2024-03-01'",
    "INSERT INTO q(symbol, date, close) VALUES ('A', '2024-06-01', 120)",
    "SELECT * FROM fin_drawdowns('q') WHERE value_column = 'high'",
    "SELECT * FROM fin_summary('q')",
    "SELECT * FROM fin_calendar_returns('SELECT symbol, date, close FROM q', 'week') WHERE as_of = '2024-02-01'",
    "SELECT * FROM fin_forward_returns('SELECT symbol, date, close FROM q', 5) WHERE event_time = '2024-01-15'",
    "SELECT * FROM fin_bars('SELECT * FROM q', 'month')",
    "SELECT * FROM fin_bars('q', 'week') WHERE key = 'B' AND as_of = '2024-03-10'",
    "SELECT fin_period(d, 'week'), fin_period(julianday(d), 'quarter') FROM p",
    "SELECT fin_unpack('q')",
    "SELECT * FROM fin_drawdowns('SELECT d, -c FROM p')", /* an error that is not OOM */
};
#define NWORK (int)(sizeof workload / sizeof workload[0])

/* Runs one statement to the end; returns its result code. */
static int run(sqlite3 *db, const char *sql, int *rows) {
  sqlite3_stmt *st = NULL;
  int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
  if (rc != SQLITE_OK) return rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) (*rows)++;
  sqlite3_finalize(st);
  return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static const char *first_text(sqlite3 *db, const char *sql, char *buf, size_t n) {
  sqlite3_stmt *st;
  buf[0] = 0;
  if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
      snprintf(buf, n, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
  }
  return buf;
}

/* Statements swept together: each failure point replays its group from a
** fresh database, not the whole workload, so the sweep's cost grows with
** the workload instead of with its square. */
#define GROUP 6

/* 1 when a statement of [g0, g1) reads the table q. */
static int reads_q(int g0, int g1) {
  for (int i = g0; i < g1; i++)
    if (strstr(workload[i], "'q'") || strstr(workload[i], " q")) return 1;
  return 0;
}

/* Opens a fresh database of the encoding with the table p (and q), or exits. */
static sqlite3 *fresh(const char *encoding, int with_q) {
  sqlite3 *db;
  fail_at = -1;
  if (sqlite3_open(":memory:", &db) != SQLITE_OK || sqlite3_exec(db, encoding, NULL, NULL, NULL) != SQLITE_OK ||
      sqlite3_exec(db, setup, NULL, NULL, NULL) != SQLITE_OK ||
      (with_q && sqlite3_exec(db, setup_q, NULL, NULL, NULL) != SQLITE_OK)) {
    diag("setup failed");
    exit(1);
  }
  return db;
}

/* The out-of-memory sweep on a database of the given encoding (a PRAGMA,
** or "" for UTF-8): text arguments are converted there, another allocation
** that can fail. Every allocation of every group is made to fail once. */
static void sweep(const char *encoding) {
  int bad_rc = 0, leaks = 0, sweeps = 0, clean_rows = 0, crashed_rows = 0;
  /* FIN_SWEEP_FROM=n starts at the group of statement n (to chase a finding) */
  const char *from = getenv("FIN_SWEEP_FROM");
  for (int g0 = from ? atoi(from) / GROUP * GROUP : 0; g0 < NWORK; g0 += GROUP) {
    int g1 = g0 + GROUP < NWORK ? g0 + GROUP : NWORK;
    int with_q = reads_q(g0, g1);
    sqlite3 *db = fresh(encoding, with_q);
    for (int i = g0; i < g1; i++) run(db, workload[i], &clean_rows);
    sqlite3_close(db);
    for (long n = 1;; n++) {
      sqlite3_int64 before = sqlite3_memory_used();
      db = fresh(encoding, with_q);
      failed = 0;
      n_alloc = 0;
      fail_at = n;
      int rows = 0;
      for (int i = g0; i < g1; i++) {
        int rc = run(db, workload[i], &rows);
        /* The last statement fails anyway (a negative price); when SQLite's
        ** own copy of that message runs out of memory it still says
        ** SQLITE_ERROR, which is right. */
        if (rc != SQLITE_OK && rc != SQLITE_NOMEM && !(rc == SQLITE_ERROR && i == NWORK - 1)) {
          if (bad_rc < 5) diag("allocation %ld: statement %d gave %d (%s)", n, i, rc, sqlite3_errmsg(db));
          bad_rc++;
        }
        if (rc == SQLITE_NOMEM) break;
      }
      fail_at = -1;
      /* a statement the extension failed to finalize keeps the connection open */
      for (sqlite3_stmt *st = NULL; leaks < 5 && (st = sqlite3_next_stmt(db, st)) != NULL;)
        diag("allocation %ld: a statement left unfinalized: %.200s", n, sqlite3_sql(st));
      sqlite3_close(db);
      sqlite3_int64 after = sqlite3_memory_used();
      if (after != before) {
        if (leaks < 5)
          diag("allocation %ld of statements %d-%d: %lld bytes not freed", n, g0, g1 - 1, (long long)(after - before));
        leaks++;
      }
      sweeps++;
      if (!failed) {
        crashed_rows += rows;
        break;
      }
    }
  }
  const char *enc = *encoding ? "UTF-16" : "UTF-8";
  diag("%d out-of-memory points swept (%s)", sweeps, enc);
  is_int(bad_rc, 0, "every statement succeeded or returned SQLITE_NOMEM (%s)", enc);
  is_int(leaks, 0, "no bytes leaked at any failure point (%s)", enc);
  is_int(crashed_rows, clean_rows, "the last sweep of each group ran it whole (%s)", enc);
}

static int stop_soon(void *p) { return ++*(int *)p > 20; }

int main(void) {
  plan(getenv("FIN_SWEEP_UTF16") ? 8 : 11);
  sqlite3_config(SQLITE_CONFIG_GETMALLOC, &base);
  sqlite3_mem_methods m = base;
  m.xMalloc = oom_malloc;
  m.xRealloc = oom_realloc;
  sqlite3_config(SQLITE_CONFIG_MALLOC, &m);
  sqlite3_config(SQLITE_CONFIG_LOOKASIDE, 0, 0); /* every allocation reaches us */
  sqlite3_initialize();
  ok(sqlite3_auto_extension((void (*)(void))sqlite3_fin_init) == SQLITE_OK, "auto extension registered");

  sqlite3 *db;
  char buf[200];
  sqlite3_open(":memory:", &db);
  is_str(first_text(db, "SELECT fin_version()", buf, sizeof buf), FIN_VERSION, "fin_version() in a static build");
  is_str(first_text(db, "SELECT round(fin_max_drawdown(c), 4) FROM (SELECT 100 c UNION ALL SELECT 80 UNION ALL SELECT 90)", buf, sizeof buf),
         "-0.2", "functions work without the loadable-extension API");
  sqlite3_exec(db, setup, NULL, NULL, NULL);
  sqlite3_exec(db, setup_q, NULL, NULL, NULL);
  int clean_rows = 0, errors = 0;
  for (int i = 0; i < NWORK; i++)
    if (run(db, workload[i], &clean_rows) != SQLITE_OK) errors++;
  is_int(errors, 1, "the clean workload runs; only the negative-price query fails");
  sqlite3_close(db);

  /* FIN_SWEEP_UTF16=1 sweeps the UTF-16 database only (to chase a finding) */
  if (!getenv("FIN_SWEEP_UTF16")) sweep("");
  sweep("PRAGMA encoding = 'UTF-16le';");

  /* An interrupt inside a table keeps its code. */
  sqlite3_open(":memory:", &db);
  sqlite3_exec(db, setup, NULL, NULL, NULL);
  int calls = 0;
  sqlite3_progress_handler(db, 100, stop_soon, &calls);
  int rows = 0;
  int rc = run(db, "SELECT * FROM fin_series('SELECT k, d, c FROM p')", &rows);
  is_int(rc, SQLITE_INTERRUPT, "an interrupt inside a table is SQLITE_INTERRUPT");
  sqlite3_progress_handler(db, 0, NULL, NULL);
  sqlite3_close(db);
  return done();
}

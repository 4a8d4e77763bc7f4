/*
** fuzz_sql.c - SQL from a grammar of every function and table of the
** extension, its arguments drawn from a pool of awkward values (NULL, 0,
** negatives, huge and tiny numbers, Inf, numeric text, malformed and edge
** dates, blobs) and its window frames from every shape SQLite has. The
** input bytes are the grammar's choices. Besides crashes and sanitizer
** reports it checks two promises: a REAL result is finite (inputs are), and
** reading never changes the database.
*/
#include "fuzz.h"

typedef struct pick { const unsigned char *d; size_t n, i; } pick;
static unsigned next(pick *p, unsigned n) { return p->i < p->n ? p->d[p->i++] % n : 0; }
#define ONE_OF(p, arr) arr[next(p, sizeof arr / sizeof arr[0])]

static const char *values[] = {
    "c", "c", "c", "NULL", "0", "-3", "1", "1e-308", "1e308", "1.7e308", "-1.7e308", "1e999",
    "'101.5'", "x'00'", "9007199254740993", "0.5", "2.5", "c * 1e300", "c / 1e300", "-c",
    "(c - 100)", "abs(random() % 5)"};
static const char *times[] = {
    "d", "d", "julianday(d)", "NULL", "d || 'x'", "'0000-01-01'", "'0001-01-01'",
    "'9999-12-31T23:59:59Z'", "'9999-12-31T23:00-05:00'", "d || ' 10:00'", "d || 'T09:00:00.5Z'",
    "2460000.5", "1704153600", "-1e300", "1e999", "'2024-02-30'", "d || 'T25:00'"};
static const char *params[] = {"1",  "2",   "5",   "0",    "-1",  "NULL", "0.01", "1.5",
                               "'a'", "1e12", "0.5", "0.99", "1",   "21",   "x'01'", "'1 month'", "'2024-01-10'",
                               "'signal'", "'HISTOGRAM'", "'width'", "'lower'", "3"};
static const char *frames[] = {
    "", "ROWS UNBOUNDED PRECEDING", "ROWS 3 PRECEDING", "ROWS BETWEEN 2 PRECEDING AND 1 PRECEDING",
    "ROWS BETWEEN 1 FOLLOWING AND 3 FOLLOWING", "ROWS BETWEEN UNBOUNDED PRECEDING AND 1 FOLLOWING",
    "RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW", "GROUPS 1 PRECEDING",
    "ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING",
    "ROWS UNBOUNDED PRECEDING EXCLUDE CURRENT ROW", "ROWS 2 PRECEDING EXCLUDE TIES"};
static const char *orders[] = {"d", "d", "c", "c DESC", "k, d", "julianday(d)"};
static const char *partitions[] = {"", "PARTITION BY k"};
static const char *filters[] = {"", "", "FILTER (WHERE c > 100) "};
static const char *win1[] = {"fin_drawdown", "fin_since_peak", "fin_streak", "fin_up_streak",
                             "fin_down_streak", "fin_total_return", "fin_compound",
                             "fin_max_drawdown", "fin_median", "fin_rsi", "fin_macd", "fin_zscore",
                             "fin_percent_rank",
                             /* measures */
                             "fin_skewness", "fin_kurtosis", "fin_tail_ratio", "fin_omega", "fin_win_rate",
                             "fin_profit_factor", "fin_payoff_ratio", "fin_best_return", "fin_worst_return",
                             "fin_ulcer_index", "fin_pain_index", "fin_recovery_factor",
                             "fin_drawdown_length", "fin_longest_drawdown_length"};
static const char *win2p[] = {"fin_rolling_return", "fin_up_streak", "fin_down_streak",
                              "fin_quantile", "fin_ema", "fin_rsi", "fin_bollinger", "fin_var", "fin_cvar",
                              "fin_tail_ratio", "fin_omega", "fin_skewness"};
/* window functions of three and more arguments: %V values, %P parameters */
static const char *winN[] = {"fin_atr(%V, %V, %V)", "fin_atr(c * 1.01, c * 0.99, %V, %P)",
                             "fin_macd(%V, %P, %P, %P)", "fin_macd(%V, %P, %P, %P, %P)",
                             "fin_bollinger(%V, %P, %P)", "fin_bollinger(%V, %P, %P, %P)"};
static const char *win2t[] = {"fin_ytd_return", "fin_qtd_return", "fin_mtd_return",
                              "fin_total_return", "fin_max_drawdown", "fin_calmar",
                              "fin_drawdown_days", "fin_longest_drawdown_days"};
/* Pairs of returns (benchmark_measures.c): ret, benchmark_ret, a parameter. */
static const char *win_pairs[] = {
    "fin_tracking_error(%s, %s)", "fin_tracking_error(%s, %s, %s)",
    "fin_information_ratio(%s, %s, %s, 'geometric')", "fin_treynor(%s, %s, %s)",
    "fin_treynor(%s, %s, 0.02, 12, %s)", "fin_alpha(%s, %s, %s, 12, 'geometric')",
    "fin_alpha(%s, %s, 0.02, %s, 'compound')", "fin_up_capture(%s, %s, %s)",
    "fin_down_capture(%s, %s, 12, %s)", "fin_up_capture(%s, %s, 252, 'cumulative')",
    "fin_up_beta(%s, %s)", "fin_down_beta(%s, %s)"};
/* Bars (range_volatility.c): two values around a range from c, a parameter. */
static const char *win_bars[] = {
    "fin_parkinson(%s, %s)", "fin_parkinson(c * 1.01, %s, %s)",
    "fin_garman_klass(%s, c * 1.02, c * 0.5, %s)", "fin_rogers_satchell(%s, c * 1.02, c * 0.5, %s, %s)",
    "fin_yang_zhang(%s, c * 1.02, c * 0.5, %s)", "fin_yang_zhang(c, %s, %s, c, %s)"};
static const char *scalars[] = {"fin_pct_change(%s, %s)", "fin_log_return(%s, %s)",
                                "fin_cagr(%s, %s, %s)", "fin_annualize(%s, %s)",
                                "fin_annualize(%s, %s, %s)", "fin_period(d, %s)", "fin_period(%s, 'week')"};
static const char *series[] = {
    "'p'", "'pv'", "'SELECT d, c FROM p'", "'SELECT k, d, c FROM p'", "'SELECT k, %T, %V FROM p'",
    "'SELECT %T, %V FROM p WHERE k = ''A'''", "'VALUES (1, 2), (2, 3)'", "''", "NULL", "42",
    "'SELECT time, value FROM fin_series(''p'')'",
    "'SELECT key, time, value FROM fin_series(''SELECT k, d, c FROM p'', 2)'", "(SELECT s FROM q)",
    /* the packed table by name, a view over its index, its rows as text */
    "'t'", "'t'", "'tv'", "'SELECT * FROM t'", "'SELECT symbol, %T, %V FROM t'",
    /* texts the audit refuses: a table-valued pragma, a DIRECTONLY function */
    "'SELECT name, cid, 1.0 FROM pragma_table_info(''p'')'", "'SELECT d, fin_pack(''t'') FROM p'",
    "'SELECT d, c FROM p /* open'"};
static const char *tables[] = {
    "fin_series(%S)", "fin_series(%S, %P)", "fin_drawdowns(%S)", "fin_drawdowns(%S, %P)",
    "fin_streaks(%S, %P, %P)", "fin_down_streaks(%S, %P)", "fin_calendar_returns(%S, 'week')",
    "fin_calendar_returns(%S, 'year')", "fin_calendar_returns(%S, %P)",
    "fin_forward_returns(%S, '1,5,21')", "fin_forward_returns(%S, %P)",
    "fin_forward_returns(%S, '2,1,2', 'SELECT end_time FROM fin_streaks(''pv'')')",
    "fin_forward_returns(%S, 3, 'SELECT k, d FROM p WHERE c > 105')",
    "fin_forward_returns(%S, 1, %S)", "fin_series(%S, w.n)", "fin_drawdowns(%S, w.n / 10.0)",
    "fin_forward_returns(%S, '2, 1 week, 1 month, 3 Months')", "fin_series(%S, 2, %P)",
    "fin_swings(%S, %P)", "fin_swings(%S, 0.05)", "fin_swings(%S, w.n / 10.0)",
    "fin_trailing_returns(%S, '1 week, 1 month, 3 months, ytd, qtd, mtd, inception, 2, 5')",
    "fin_trailing_returns(%S, %P)", "fin_trailing_returns(%S, '1 month, 21, 1 year', %S)",
    "fin_summary(%S)", "fin_summary(%S, %S)", "fin_summary(%S, 'SELECT d, c FROM p WHERE k = ''B''')",
    "fin_bars(%S, 'month')", "fin_bars(%S, %P)", "fin_bars(%S, 'week')", "fin_calendar_returns(%S, 'month', %S)"};

/* Expands %T (time), %V (value), %P (parameter), %S (series) in a template. */
static void expand(pick *p, const char *t, char *out, size_t cap, int depth) {
  size_t o = 0;
  for (; *t && o + 1 < cap; t++) {
    if (*t != '%' || !t[1] || !strchr("TVPS", t[1])) {
      out[o++] = *t;
      continue;
    }
    char sub[2048];
    const char *src = t[1] == 'T' ? ONE_OF(p, times) : t[1] == 'V' ? ONE_OF(p, values)
                    : t[1] == 'P' ? ONE_OF(p, params) : ONE_OF(p, series);
    if (depth < 2) expand(p, src, sub, sizeof sub, depth + 1);
    else snprintf(sub, sizeof sub, "%s", "'p'");
    /* %T and %V inside a quoted series text need their quotes doubled. */
    for (const char *s = sub; *s && o + 2 < cap; s++) {
      if (*s == '\'' && depth > 0 && t[1] != 'S') out[o++] = '\'';
      out[o++] = *s;
    }
    t++;
  }
  out[o] = 0;
}

static char sql[16384];

static void build(pick *p) {
  char a[2048], b[2048], c[2048];
  switch (next(p, 5)) {
    case 0: { /* window function */
      const char *fn;
      int form = next(p, 6);
      expand(p, "%V", a, sizeof a, 1);
      if (form == 3) {
        expand(p, ONE_OF(p, winN), b, sizeof b, 0); /* top level: quotes as they are */
      } else if (form >= 4) { /* two values and a parameter: pairs of returns, bars */
        char y[2048], z[2048];
        expand(p, "%V", y, sizeof y, 1);
        expand(p, "%P", z, sizeof z, 1);
        fn = form == 4 ? ONE_OF(p, win_pairs) : ONE_OF(p, win_bars);
        snprintf(b, sizeof b, fn, a, y, z);
      } else if (form == 0) {
        fn = ONE_OF(p, win1);
        snprintf(b, sizeof b, "%s(%s)", fn, a);
      } else if (form == 1) {
        fn = ONE_OF(p, win2p);
        expand(p, "%P", c, sizeof c, 1);
        snprintf(b, sizeof b, "%s(%s, %s)", fn, a, c);
      } else {
        fn = ONE_OF(p, win2t);
        expand(p, "%T", c, sizeof c, 1);
        snprintf(b, sizeof b, "%s(%s, %s)", fn, c, a);
      }
      snprintf(sql, sizeof sql, "SELECT %s %sOVER (%s ORDER BY %s %s) FROM p", b, ONE_OF(p, filters),
               ONE_OF(p, partitions), ONE_OF(p, orders), ONE_OF(p, frames));
      break;
    }
    case 1: { /* aggregate */
      expand(p, "%V", a, sizeof a, 1);
      expand(p, "%T", c, sizeof c, 1);
      static const char *aggs[] = {"fin_total_return(%s)", "fin_compound(%s)", "fin_max_drawdown(%s)",
                                   "fin_median(%s)", "fin_quantile(%s, 0.9)",
                                   "fin_var(%s, 0.95, 'cornish-fisher')", "fin_cvar(%s, 0.9)",
                                   "fin_ulcer_index(%s)", "fin_omega(%s, 0.05, 12)"};
      static const char *aggs2[] = {"fin_total_return(%s, %s)", "fin_max_drawdown(%s, %s)",
                                    "fin_calmar(%s, %s)", "fin_drawdown_days(%s, %s)",
                                    "fin_longest_drawdown_days(%s, %s)", "fin_best_return(%s, %s, 'month')",
                                    "fin_worst_return(%s, %s, 'week')"};
      if (next(p, 2)) snprintf(b, sizeof b, ONE_OF(p, aggs), a);
      else snprintf(b, sizeof b, ONE_OF(p, aggs2), c, a);
      snprintf(sql, sizeof sql, "SELECT k, %s FROM (SELECT * FROM p ORDER BY %s) GROUP BY k", b,
               ONE_OF(p, orders));
      break;
    }
    case 2: { /* scalar */
      char x[2048], y[2048], z[2048];
      expand(p, "%V", x, sizeof x, 1);
      expand(p, "%V", y, sizeof y, 1);
      expand(p, "%P", z, sizeof z, 1);
      snprintf(b, sizeof b, ONE_OF(p, scalars), x, y, z);
      snprintf(sql, sizeof sql, "SELECT %s FROM p", b);
      break;
    }
    default: { /* a table, maybe nested, maybe inside a write */
      expand(p, ONE_OF(p, tables), a, sizeof a, 0);
      unsigned how = next(p, 12);
      if (how == 0)
        snprintf(sql, sizeof sql,
                 "CREATE TEMP TABLE o AS SELECT * FROM %s WHERE 0; INSERT INTO o SELECT * FROM %s", a, a);
      else if (how == 1) { /* a write to the packed table, a rebuild or its removal, then a read */
        static const char *writes[] = {
            "INSERT OR REPLACE INTO t(symbol, date, close) VALUES ('A', %T, %V)",
            "UPDATE t SET close = %V WHERE date > '2024-02-01'",
            "DELETE FROM t WHERE date BETWEEN '2024-01-05' AND '2024-01-20'",
            "SELECT fin_pack('t')", "SELECT fin_pack('t', %P)", "SELECT fin_unpack('t')",
            "DROP TRIGGER IF EXISTS fin_pack_t_ins", "UPDATE fin_pack_t_chunks SET v = x'00'"};
        expand(p, ONE_OF(p, writes), b, sizeof b, 0);
        snprintf(sql, sizeof sql, "%s; SELECT * FROM %s", b, a);
      } else {
        /* keys asked for in plain SQL, and arguments from a join */
        static const char *wheres[] = {"", "", " WHERE key = 'A'", " WHERE key IN ('B', 'A', 'Z')",
                                       " WHERE key = NULL", " WHERE key = 1", " WHERE key > 'A'",
                                       " WHERE event_time = '2024-01-06'",
                                       " WHERE key = 'A' AND event_time IN ('2024-01-05', 3, NULL, 'x')",
                                       " WHERE as_of = '2024-01-10'", " WHERE as_of IN (2, NULL, 'x')",
                                       " WHERE key = 'A' AND as_of = '2024-01-08 12:00'",
                                       /* constraints a table cannot honour: errors */
                                       " WHERE as_of <= '2024-01-10'", " WHERE as_of > 3",
                                       " WHERE key = 'a' COLLATE NOCASE", " WHERE value_column = 'high'",
                                       " WHERE value_column = 'open' AND key = 'B'", " WHERE value_column = 'nope'",
                                       " WHERE value_column IN ('high', 'close')"};
        /* events by join: the last from seeks fin_forward_returns */
        static const char *froms[] = {"", "(SELECT 'A' AS s UNION ALL SELECT 'B') w JOIN ",
                                      "(SELECT 2 AS n) w, ",
                                      ("(SELECT 'A' AS s, '2024-01-05' AS t UNION ALL SELECT 'B', '1999-01-01'"
                                       " UNION ALL SELECT 'A', '2024-01-05T12:00') w JOIN ")};
        const char *from = ONE_OF(p, froms);
        const char *on = !strstr(from, "JOIN")            ? ""
                         : strstr(from, " AS t")          ? " d ON d.key = w.s AND d.event_time = w.t"
                                                          : " d ON d.key = w.s";
        snprintf(sql, sizeof sql, "SELECT * FROM %s%s%s%s", from, a, on, ONE_OF(p, wheres));
      }
      break;
    }
  }
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size) {
  static int initialised = 0;
  if (!initialised) {
    sqlite3_initialize();
    initialised = 1;
  }
  pick p = {data, size, 0};
  build(&p);
  int steps = 0;
  sqlite3 *db = fuzz_open(0, &steps);
  sqlite3_hard_heap_limit64(256 << 20);
  /* A self-reading series, for the (SELECT s FROM q) series. */
  sqlite3_exec(db, "INSERT INTO q VALUES ('SELECT key, time, value FROM fin_series((SELECT s FROM q))')",
               NULL, NULL, NULL);
  sqlite3_int64 changes = sqlite3_total_changes64(db);
  const char *tail = sql;
  int writes = strncmp(sql, "CREATE TEMP", 11) == 0 || strncmp(sql, "INSERT", 6) == 0 ||
               strncmp(sql, "UPDATE", 6) == 0 || strncmp(sql, "DELETE", 6) == 0 || strncmp(sql, "DROP", 4) == 0 ||
               strncmp(sql, "SELECT fin_pack", 15) == 0 || strncmp(sql, "SELECT fin_unpack", 17) == 0;
  while (tail && *tail) {
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, tail, -1, &st, &tail) != SQLITE_OK || !st) break;
    while (sqlite3_step(st) == SQLITE_ROW) {
      for (int i = 0; i < sqlite3_column_count(st); i++) {
        if (sqlite3_column_type(st, i) == SQLITE_FLOAT && !isfinite(sqlite3_column_double(st, i))) {
          fprintf(stderr, "non-finite result in column %d of: %s\n", i, sql);
          abort();
        }
      }
    }
    sqlite3_finalize(st);
  }
  if (!writes && sqlite3_total_changes64(db) != changes) {
    fprintf(stderr, "a read changed the database: %s\n", sql);
    abort();
  }
  sqlite3_close(db);
  return 0;
}

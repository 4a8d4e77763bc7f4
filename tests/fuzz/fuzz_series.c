/*
** fuzz_series.c - the series acceptor: any text as the series (and as the
** events) of the tables. No text may crash, run away (the budget stops
** it), or write: the database is the same afterwards. On a connection
** loaded with sqlite3_fin_safe_init no text may run at all: a function
** called from the text would set a flag, and the flag must stay down.
*/
#include "fuzz.h"

static int called;
static void side_effect(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  (void)argv;
  called = 1;
  sqlite3_result_int(ctx, 1);
}

static void run(sqlite3 *db, const char *sql, const char *text) {
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) abort();
  sqlite3_bind_text(st, 1, text, -1, SQLITE_TRANSIENT);
  while (sqlite3_step(st) == SQLITE_ROW) {
  }
  sqlite3_finalize(st);
}

static const char *queries[] = {
    "SELECT * FROM fin_series(?1)",
    "SELECT * FROM fin_drawdowns(?1, 0.01)",
    "SELECT * FROM fin_forward_returns('p', '1,3', ?1)",
    "SELECT * FROM fin_calendar_returns(?1, 'month')",
    "SELECT * FROM fin_calendar_returns(?1, 'year') WHERE as_of = '2024-01-15'",
    "SELECT * FROM fin_bars(?1, 'week')",
    "SELECT * FROM fin_summary(?1, 't') WHERE benchmark_key = 'A'",
};

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size) {
  static int initialised = 0;
  if (!initialised) {
    sqlite3_initialize();
    initialised = 1;
  }
  if (size > 4096) return 0;
  char *text = malloc(size + 1);
  memcpy(text, data, size);
  text[size] = 0;
  for (int safe = 0; safe < 2; safe++) {
    int steps = 0;
    sqlite3 *db = fuzz_open(safe, &steps);
    sqlite3_hard_heap_limit64(256 << 20);
    sqlite3_create_function(db, "side_effect", -1, SQLITE_UTF8, NULL, side_effect, NULL, NULL);
    sqlite3_int64 changes = sqlite3_total_changes64(db);
    called = 0;
    for (size_t q = 0; q < sizeof queries / sizeof queries[0]; q++) run(db, queries[q], text);
    if (sqlite3_total_changes64(db) != changes) {
      fprintf(stderr, "a series text wrote to the database: %s\n", text);
      abort();
    }
    if (safe && called) {
      fprintf(stderr, "the safe entry point ran a series text: %s\n", text);
      abort();
    }
    sqlite3_close(db);
  }
  free(text);
  return 0;
}

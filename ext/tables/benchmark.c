/*
** benchmark.c - the benchmark argument of the tables: a second series, of
** one key, read beside the series. fin_relative merges the two on their
** common times; fin_forward_returns and fin_calendar_returns take the
** benchmark's last value at or before each series time (fin_bench_at), so
** a benchmark return covers the same window as the series' return;
** fin_summary merges them as fin_relative does (fin_bench_match).
**
** For each key of the series the benchmark is sought, through its index,
** at the key's first time (its last row with a value at or before it, the
** same read fin_forward_returns makes for an event), never read again from
** its start: 334 keys of 10 rows against a million-row benchmark read
** about 334 x 10 of its rows, not 334 million. The rows before the anchor
** are not read, so not validated; the anchor itself is checked against the
** calendar (times SQL orders otherwise, mixed formats, are an error).
*/
#include <math.h>
#include "tables.h"

static int open_benchmark(fin_cursor *c, fin_source *s, sqlite3_value *text, int seek, char **err) {
  fin_src_opts o = {.db = c->db, .fn = c->def->name, .arg = "benchmark", .has_value = 1,
                    .names_only = c->conn->names_only, .key = c->bkey, .seek = seek,
                    .value_column = fin_cursor_vcol(c)};
  int rc = fin_src_open(s, &o, text, err);
  if (rc == SQLITE_OK && s->keyed && !c->bkey) {
    *err = sqlite3_mprintf("%s(): benchmark has keys (key, time, value): choose its series with "
                           "benchmark_key = ...",
                           c->def->name);
    return SQLITE_ERROR;
  }
  if (rc == SQLITE_OK && !s->keyed && c->bkey) {
    char *got = fin_describe(c->bkey);
    *err = sqlite3_mprintf("%s(): benchmark has no key column (time, value), so benchmark_key = %s "
                           "matches none of its rows",
                           c->def->name, got ? got : "?");
    sqlite3_free(got);
    return SQLITE_ERROR;
  }
  if (rc == SQLITE_OK && c->as_of) rc = fin_src_upto(s, c->as_of, err);
  return rc;
}

int fin_bench_open(fin_cursor *c, fin_bench *b, sqlite3_value *text, char **err) {
  b->open = 1;
  b->state = b->has = 0;
  b->sought = 0; /* sought at the first time asked */
  return open_benchmark(c, &b->src, text, 1, err);
}

void fin_bench_restart(fin_bench *b) {
  b->state = b->has = 0;
  b->sought = 0;
}

int fin_bench_seek(fin_bench *b, const fin_tval *time, double t, char **err) {
  int before;
  b->state = b->has = 0;
  b->sought = 1;
  b->seek_t = t;
  return fin_src_seek(&b->src, time, &b->anchored, &before, err) ? fin_src_errcode(&b->src) : SQLITE_OK;
}

int fin_bench_peek(fin_bench *b, fin_source *series, char **err) {
  if (b->state != 0) return SQLITE_OK;
  if (!b->sought) { /* a new key of the series: from its first time on */
    int rc = fin_bench_seek(b, fin_src_time(series), series->t, err);
    if (rc != SQLITE_OK) return rc;
  }
  int r = fin_src_step(&b->src, err);
  if (r == FIN_SRC_ERROR) return fin_src_errcode(&b->src);
  b->state = r == FIN_SRC_ROW ? 1 : 2;
  if (r == FIN_SRC_ROW && b->src.tl.kind != series->tl.kind) {
    *err = sqlite3_mprintf("%s(): the benchmark's times are %s but the series' are %s", b->src.fn,
                           b->src.tl.kind == 2 ? "ISO-8601 text" : "numbers",
                           series->tl.kind == 2 ? "ISO-8601 text" : "numbers");
    return SQLITE_ERROR;
  }
  /* The anchor SQL found (text order) must be at or before the time sought
  ** in the calendar too. */
  if (r == FIN_SRC_ROW && b->anchored) {
    b->anchored = 0;
    if (b->src.t > b->seek_t) {
      *err = sqlite3_mprintf("%s(): SQL orders the benchmark times differently from the calendar "
                             "(times in mixed formats?); write them in one format",
                             b->src.fn);
      return SQLITE_ERROR;
    }
  }
  return SQLITE_OK;
}

int fin_bench_at(fin_bench *b, fin_source *series, double t, double *v, char **err) {
  for (;;) {
    int rc = fin_bench_peek(b, series, err);
    if (rc != SQLITE_OK) return rc;
    /* past the benchmark's last row, its last value is stale, not "as of" */
    if (b->state == 2 && b->last_t < t) b->has = 0;
    if (b->state == 2 || b->src.t > t) {
      *v = b->has ? b->v : NAN;
      return SQLITE_OK;
    }
    if (!b->src.v_null) {
      b->has = 1;
      b->v = b->src.v;
    }
    b->last_t = b->src.t;
    b->state = 0;
  }
}

int fin_bench_match(fin_bench *b, fin_source *series, double t, int64_t *passed, int *common, char **err) {
  *passed = 0;
  *common = 0;
  for (;;) {
    int rc = fin_bench_peek(b, series, err);
    if (rc != SQLITE_OK) return rc;
    if (b->state == 2 || b->src.t >= t) break;
    (*passed)++; /* a benchmark time the series lacks */
    b->state = 0;
  }
  if (b->state == 1 && b->src.t == t) {
    b->state = 0; /* this benchmark row is used up; b->src still holds it */
    *common = 1;
  }
  return SQLITE_OK;
}

void fin_bench_close(fin_bench *b) {
  if (b->open) fin_src_close(&b->src);
  b->open = 0;
}

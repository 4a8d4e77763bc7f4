/*
** benchmark.c - the benchmark argument of the tables: a second series, of
** one key, read beside the series. fin_relative merges the two on their
** common times; fin_forward_returns and fin_calendar_returns take the
** benchmark's last value at or before each series time (fin_bench_at), so
** a benchmark return covers the same window as the series' return.
*/
#include <math.h>
#include "tables.h"

static int open_benchmark(fin_cursor *c, fin_source *s, sqlite3_value *text, int seek, char **err) {
  int rc = fin_src_open(s, c->db, c->def->name, "benchmark", text, 1, c->conn->names_only, c->bkey,
                        seek, err);
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

int fin_bench_open(fin_cursor *c, fin_bench *b, sqlite3_value *text, int seek, char **err) {
  b->open = 1;
  b->state = b->has = 0;
  return open_benchmark(c, &b->src, text, seek, err);
}

void fin_bench_restart(fin_bench *b) {
  fin_src_rewind(&b->src);
  b->state = b->has = 0;
}

int fin_bench_seek(fin_bench *b, sqlite3_value *time, char **err) {
  int anchored, before;
  b->state = b->has = 0;
  return fin_src_seek(&b->src, time, &anchored, &before, err) ? fin_src_errcode(&b->src) : SQLITE_OK;
}

int fin_bench_peek(fin_bench *b, const fin_source *series, char **err) {
  if (b->state != 0) return SQLITE_OK;
  int r = fin_src_step(&b->src, err);
  if (r == FIN_SRC_ERROR) return fin_src_errcode(&b->src);
  b->state = r == FIN_SRC_ROW ? 1 : 2;
  if (r == FIN_SRC_ROW && b->src.tl.kind != series->tl.kind) {
    *err = sqlite3_mprintf("%s(): the benchmark's times are %s but the series' are %s", b->src.fn,
                           b->src.tl.kind == 2 ? "ISO-8601 text" : "numbers",
                           series->tl.kind == 2 ? "ISO-8601 text" : "numbers");
    return SQLITE_ERROR;
  }
  return SQLITE_OK;
}

int fin_bench_at(fin_bench *b, const fin_source *series, double t, double *v, char **err) {
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

void fin_bench_close(fin_bench *b) {
  if (b->open) fin_src_close(&b->src);
  b->open = 0;
}

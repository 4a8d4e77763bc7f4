/*
** tvf_relative.c - fin_relative(series, benchmark): a series against a
** benchmark, aligned on their common times.
**
** HOW IT WORKS
**   CREATE TABLE fin_relative(key, time, value, benchmark_key,
**     benchmark_value, ratio, value_return, benchmark_return, excess_return,
**     ratio_drawdown, ratio_since_peak, skipped,
**     series HIDDEN, benchmark HIDDEN, as_of HIDDEN)
** The benchmark is one series: a table of (time, value), or of (key, time,
** value) with its key chosen by benchmark_key = ... (an unkeyed benchmark
** applies to every key of the series). Each key of the series is merged
** with it in time order: a time that both have, with a value in both, is a
** row; a time that either lacks, or where either value is NULL, is skipped
** and counted (skipped: such times after the key's first row, up to this
** one; the times before the two series overlap are not gaps).
** ratio = (value / benchmark_value) rebased to 1 at the key's first
** common time; value_return and benchmark_return are the returns since the
** previous row (common time), excess_return their difference;
** ratio_drawdown = ratio / its running high - 1 and ratio_since_peak the
** rows since that high (on a tie the later row is the peak, as everywhere).
** Times must be of one kind in both (ISO text, or numbers). Memory:
** constant; the benchmark is read again from its start for each key.
*/
#include "tables.h"

typedef struct rel_cur {
  fin_cursor c;
  fin_source src;
  fin_bench bench;      /* merged on equal times (its pending row) */
  double base;          /* value / benchmark at the key's first common time */
  double prev_v, prev_b; /* the previous row's values (row > 0) */
  int64_t row, skipped;
  fin_high high;        /* of the ratio */
} rel_cur;

static void rel_reset(rel_cur *p) {
  p->row = p->skipped = 0;
  p->high.has = 0;
}

static void rel_stop(fin_cursor *c) {
  rel_cur *p = (rel_cur *)c;
  fin_src_close(&p->src);
  fin_bench_close(&p->bench);
}

static int rel_start(fin_cursor *c, sqlite3_value **args, char **err) {
  rel_cur *p = (rel_cur *)c;
  rel_reset(p);
  if (!args[1] || sqlite3_value_type(args[1]) == SQLITE_NULL) {
    *err = sqlite3_mprintf("%s(): the second argument, benchmark, is required", c->def->name);
    return SQLITE_ERROR;
  }
  int rc = fin_cursor_source(c, &p->src, "series", args[0], 1, 0, err);
  if (rc == SQLITE_OK) rc = fin_bench_open(c, &p->bench, args[1], err);
  return rc;
}

static int rel_next(fin_cursor *c, char **err) {
  rel_cur *p = (rel_cur *)c;
  for (;;) {
    int rc, r = fin_engine_step(c, &p->src, err, &rc);
    if (!r) return rc;
    if (r == FIN_SRC_END_KEY) {
      rel_reset(p);
      fin_bench_restart(&p->bench);
      continue;
    }
    /* the merge on common times (benchmark.c), which fin_summary shares */
    int64_t passed;
    int both;
    if ((rc = fin_bench_match(&p->bench, &p->src, p->src.t, &passed, &both, err)) != SQLITE_OK) return rc;
    if (p->row) p->skipped += passed; /* benchmark times the series lacks */
    if (!both || p->src.v_null || p->bench.src.v_null) {
      if (p->row) p->skipped++;
      continue;
    }
    double v = p->src.v, b = p->bench.src.v;
    if (!p->row) p->base = v / b;
    double ratio = v / b / p->base;
    fin_cell_key(c, 0, &p->src);
    fin_cell_tval(c, 1, fin_src_time(&p->src));
    fin_cell_real(c, 2, v);
    fin_cell_key(c, 3, &p->bench.src);
    fin_cell_real(c, 4, b);
    fin_cell_real(c, 5, ratio);
    if (p->row) {
      double rv = fin_k_pct_change(v, p->prev_v), rb = fin_k_pct_change(b, p->prev_b);
      fin_cell_real(c, 6, rv);
      fin_cell_real(c, 7, rb);
      fin_cell_real(c, 8, rv - rb);
    }
    fin_k_high_push(&p->high, ratio, p->row);
    fin_cell_real(c, 9, fin_k_pct_change(ratio, p->high.v));
    fin_cell_int(c, 10, p->row - p->high.row);
    fin_cell_int(c, 11, p->skipped);
    p->prev_v = v;
    p->prev_b = b;
    p->row++;
    return SQLITE_OK;
  }
}

const fin_tvf fin_tvf_relative = {
    .name = "fin_relative",
    .schema = "CREATE TABLE x(key, time, value, benchmark_key, benchmark_value, ratio, value_return, "
              "benchmark_return, excess_return, ratio_drawdown, ratio_since_peak, skipped, "
              "series HIDDEN, benchmark HIDDEN, as_of HIDDEN)",
    .ncol = 12,
    .nargs = 2,
    .bkey_col = 3,
    .bench_arg = 1,
    .cursor_size = sizeof(rel_cur),
    .start = rel_start,
    .next = rel_next,
    .stop = rel_stop,
};

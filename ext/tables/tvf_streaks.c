/*
** tvf_streaks.c - fin_streaks(series [, min_gain [, min_length]]) and
** fin_down_streaks(series [, min_loss [, min_length]]): one row per run of
** consecutive periods whose return is > 0 (or >= min_gain), resp. < 0 (or
** <= -min_loss), keeping runs of at least min_length periods (default 1).
**
** HOW IT WORKS
**   CREATE TABLE fin_streaks(key, start_time, end_time, length,
**     start_value, end_value, total_return, qualify_time, qualify_value,
**     series HIDDEN, min_gain HIDDEN, min_length HIDDEN, as_of HIDDEN)
** start_time is the first period of the run (the first qualifying row),
** end_time its last; start_value is the value BEFORE the run (the base of
** its first return), so total_return = end_value / start_value - 1. A run
** still going at the end of a key is listed. min_gain NULL means strict.
** qualify_time / qualify_value: the period at which the run reached
** min_length periods, the session "after the fifth gain in a row" means
** (the first period when min_length is 1).
** Same rule as fin_up_streak / fin_down_streak. Memory: constant per key.
*/
#include "tables.h"

typedef struct streak_cur {
  fin_cursor c;
  fin_source src;
  fin_gain_rule rule;
  int64_t min_length;
  fin_runs runs;
  fin_tval start_t, end_t, qual_t;        /* times of the open run */
  double qual_v;                          /* its value at qual_t */
  fin_tval out_start, out_end, out_qual;  /* times of the run being reported */
} streak_cur;

static void streak_stop(fin_cursor *c) {
  streak_cur *p = (streak_cur *)c;
  fin_src_close(&p->src);
  fin_tval *t[] = {&p->start_t, &p->end_t, &p->qual_t, &p->out_start, &p->out_end, &p->out_qual};
  for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) fin_tval_free(t[i]);
}

static int streak_start(fin_cursor *c, sqlite3_value **args, char **err) {
  streak_cur *p = (streak_cur *)c;
  int down = c->def->variant; /* fin_down_streaks: losses */
  const char *fn = c->def->name;
  p->rule.down = down;
  p->rule.has_min = args[1] && sqlite3_value_type(args[1]) != SQLITE_NULL;
  if (p->rule.has_min &&
      fin_read_threshold(args[1], fn, down ? "min_loss" : "min_gain", down, &p->rule.min, err))
    return SQLITE_ERROR;
  p->min_length = 1;
  if (args[2] && sqlite3_value_type(args[2]) != SQLITE_NULL &&
      fin_read_count(args[2], fn, "min_length", 1, FIN_MAX_ROWS, &p->min_length, err))
    return SQLITE_ERROR;
  fin_k_runs_init(&p->runs, &p->rule);
  return fin_cursor_source(c, &p->src, "series", args[0], 1, 0, err);
}

/* Fills the row for run r (its times copied out, so the engine may start
** the next run on the same row); 0 when min_length filters it out. */
static int streak_emit(streak_cur *p, const fin_run *r, int *rc) {
  *rc = SQLITE_OK;
  if (r->length < p->min_length) return 0;
  if (fin_tval_copy(&p->out_start, &p->start_t) || fin_tval_copy(&p->out_end, &p->end_t) ||
      fin_tval_copy(&p->out_qual, &p->qual_t)) {
    *rc = SQLITE_NOMEM;
    return 1;
  }
  fin_cursor *c = &p->c;
  fin_cell_key(c, 0, &p->src);
  fin_cell_tval(c, 1, &p->out_start);
  fin_cell_tval(c, 2, &p->out_end);
  fin_cell_int(c, 3, r->length);
  fin_cell_real(c, 4, r->start_value);
  fin_cell_real(c, 5, r->end_value);
  fin_cell_real(c, 6, fin_k_pct_change(r->end_value, r->start_value));
  fin_cell_tval(c, 7, &p->out_qual);
  fin_cell_real(c, 8, p->qual_v);
  return 1;
}

static int streak_next(fin_cursor *c, char **err) {
  streak_cur *p = (streak_cur *)c;
  for (;;) {
    int rc, r = fin_engine_step(c, &p->src, err, &rc);
    if (!r) return rc;
    fin_run done;
    if (r == FIN_SRC_END_KEY) {
      int open = fin_k_runs_finish(&p->runs, &done);
      fin_k_runs_init(&p->runs, &p->rule);
      if (open && streak_emit(p, &done, &rc)) return rc;
      continue;
    }
    if (p->src.v_null) continue;
    int ev = fin_k_runs_push(&p->runs, p->src.v, &done);
    int emitted = (ev & FIN_RUN_ENDED) && streak_emit(p, &done, &rc);
    if (emitted && rc) return rc;
    if ((ev & FIN_RUN_STARTED) && fin_tval_copy(&p->start_t, fin_src_time(&p->src))) return SQLITE_NOMEM;
    if ((ev & FIN_RUN_EXTENDED) && fin_tval_copy(&p->end_t, fin_src_time(&p->src))) return SQLITE_NOMEM;
    if ((ev & FIN_RUN_EXTENDED) && p->runs.cur.length == p->min_length) {
      if (fin_tval_copy(&p->qual_t, fin_src_time(&p->src))) return SQLITE_NOMEM;
      p->qual_v = p->src.v;
    }
    if (emitted) return SQLITE_OK;
  }
}

/* The two tables differ in name, threshold argument and direction only. */
#define STREAK_TABLE(nm, arg, down)                                                              \
  {.name = nm,                                                                                   \
   .schema = "CREATE TABLE x(key, start_time, end_time, length, start_value, end_value, "        \
             "total_return, qualify_time, qualify_value, series HIDDEN, " arg " HIDDEN, "          \
             "min_length HIDDEN, as_of HIDDEN)",                                                   \
   .ncol = 9, .nargs = 3, .variant = down, .cursor_size = sizeof(streak_cur),                     \
   .start = streak_start, .next = streak_next, .stop = streak_stop}

const fin_tvf fin_tvf_streaks = STREAK_TABLE("fin_streaks", "min_gain", 0);
const fin_tvf fin_tvf_down_streaks = STREAK_TABLE("fin_down_streaks", "min_loss", 1);

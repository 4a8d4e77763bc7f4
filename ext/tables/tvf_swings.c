/*
** tvf_swings.c - fin_swings(series, threshold): the zigzag of a series,
** one row per leg: the bull and bear markets (threshold 0.2) and the
** corrections (0.1) of an index, each dated from its turning point.
**
** HOW IT WORKS
**   CREATE TABLE fin_swings(key, direction, start_time, start_value,
**     end_time, end_value, change, sessions, days, confirm_time,
**     confirm_value, ongoing, extreme_time, extreme_value,
**     series HIDDEN, threshold HIDDEN, as_of HIDDEN)
** Requirements:
**  1. threshold is a fraction > 0 and < 1 (0.2 = 20%), required; a move
**     qualifies within 1e-12 (rule 6). Anything else is an error naming it.
**  2. Legs alternate 'up' and 'down'. A down leg ends at its lowest value
**     before a rise of threshold from it; an up leg at its highest value
**     before a fall of threshold from it. The next leg starts where the
**     last one ended.
**  3. The first turning point is the first running extreme that a move of
**     threshold confirms: the running high (a fall of threshold from it
**     opens a down leg) or the running low (a rise opens an up leg). The
**     rows before it belong to no leg; a key that never moves threshold
**     has no rows.
**  4. Ties follow fin_drawdowns: an equal high moves an up leg's end (and
**     the running high) to the later row, an equal low leaves a down leg's
**     end (and the running low) at the first row at that low.
**  5. confirm_time / confirm_value: the row at which the leg's move first
**     reached threshold from its start ("entered a bear market on").
**  6. The last leg of a key runs to its last row (or as_of), ongoing = 1:
**     end_time / end_value are that row, change is measured to it, and
**     extreme_time / extreme_value are the leg's extreme so far (its high
**     for an up leg, its low for a down leg: where it ends if it turns
**     now). For the other legs, ongoing = 0 and the extreme is the end.
**  7. change = end_value / start_value - 1; sessions = rows with a value
**     from start to end; days = calendar days from start to end when the
**     times are ISO text, NULL for numeric times.
**  8. NULL values are skipped (rule 2). As every table: one pass in time
**     order per key, WHERE key = ... read through the index, as_of ends
**     the series there. Memory: constant per key.
*/
#include "tables.h"

typedef struct swing_cur {
  fin_cursor c;
  fin_source src;
  double th;
  fin_swings k;
  /* the times of what the kernel holds: the running high and low before
  ** the first leg, and the open leg's start, extreme and confirmation */
  fin_tval hi_t, lo_t, start_t, ext_t, conf_t, last_t;
  double hi_jd, lo_jd, start_jd, ext_jd, last_jd, last_v;
  fin_tval out_start, out_end, out_conf, out_ext; /* the leg being reported */
} swing_cur;

static void swing_stop(fin_cursor *c) {
  swing_cur *p = (swing_cur *)c;
  fin_src_close(&p->src);
  fin_tval *t[] = {&p->hi_t,      &p->lo_t,    &p->start_t,  &p->ext_t,  &p->conf_t,
                   &p->last_t,    &p->out_start, &p->out_end, &p->out_conf, &p->out_ext};
  for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) fin_tval_free(t[i]);
}

static int swing_start(fin_cursor *c, sqlite3_value **args, char **err) {
  swing_cur *p = (swing_cur *)c;
  const char *fn = c->def->name;
  const char *rule = "> 0 and < 1 (a fraction: 0.2 for bull and bear markets, 0.1 for corrections)";
  if (!args[1]) {
    *err = sqlite3_mprintf("%s(): threshold is required: %s", fn, rule);
    return SQLITE_ERROR;
  }
  int rc = fin_read_number(args[1], fn, "threshold", &p->th, err);
  if (rc == FIN_READ_ERR) return SQLITE_ERROR;
  if (rc == FIN_READ_NULL || !(p->th > 0.0 && p->th < 1.0)) {
    *err = fin_must_be(fn, "threshold", rule, args[1]);
    return SQLITE_ERROR;
  }
  fin_k_swings_init(&p->k, p->th);
  return fin_cursor_source(c, &p->src, "series", args[0], 1, 0, err);
}

/* Fills the row of leg l, ended at its extreme (open = 0) or still going
** at the key's last row (open = 1). The times are copied out, so the
** engine may move the open leg's times at once. */
static int swing_emit(swing_cur *p, const fin_swing_leg *l, int open) {
  fin_cursor *c = &p->c;
  if (fin_tval_copy(&p->out_start, &p->start_t) || fin_tval_copy(&p->out_conf, &p->conf_t) ||
      fin_tval_copy(&p->out_ext, &p->ext_t) ||
      fin_tval_copy(&p->out_end, open ? &p->last_t : &p->ext_t))
    return SQLITE_NOMEM;
  double end_v = open ? p->last_v : l->end, end_jd = open ? p->last_jd : p->ext_jd;
  int64_t end_row = open ? p->k.row - 1 : l->end_row;
  fin_cell_key(c, 0, &p->src);
  fin_cell_text(c, 1, l->up ? "up" : "down");
  fin_cell_tval(c, 2, &p->out_start);
  fin_cell_real(c, 3, l->start);
  fin_cell_tval(c, 4, &p->out_end);
  fin_cell_real(c, 5, end_v);
  fin_cell_real(c, 6, fin_k_pct_change(end_v, l->start));
  fin_cell_int(c, 7, end_row - l->start_row);
  fin_cell_days(c, 8, p->src.tl.kind == 2, p->start_jd, end_jd);
  fin_cell_tval(c, 9, &p->out_conf);
  fin_cell_real(c, 10, l->confirm);
  fin_cell_int(c, 11, open);
  fin_cell_tval(c, 12, &p->out_ext);
  fin_cell_real(c, 13, l->end);
  return SQLITE_OK;
}

/* Copies the time (and day) of one role to another. */
static int move_time(fin_tval *to, double *to_jd, const fin_tval *from, double from_jd) {
  *to_jd = from_jd;
  return fin_tval_copy(to, from);
}

static int swing_next(fin_cursor *c, char **err) {
  swing_cur *p = (swing_cur *)c;
  for (;;) {
    int rc, r = fin_engine_step(c, &p->src, err, &rc);
    if (!r) return rc;
    if (r == FIN_SRC_END_KEY) {
      int open = p->k.open;
      rc = open ? swing_emit(p, &p->k.leg, 1) : SQLITE_OK;
      fin_k_swings_init(&p->k, p->th); /* the next key */
      if (open) return rc;
      continue;
    }
    if (p->src.v_null) continue;
    fin_swing_leg done;
    int ev = fin_k_swings_push(&p->k, p->src.v, &done);
    const fin_tval *t = fin_src_time(&p->src);
    double jd = p->src.t;
    rc = SQLITE_OK;
    /* the ended leg is reported with the times it had; the next leg
    ** starts at its extreme */
    if (ev & FIN_SW_ENDED) {
      rc = swing_emit(p, &done, 0);
      if (!rc) rc = move_time(&p->start_t, &p->start_jd, &p->ext_t, p->ext_jd);
    } else if (ev & FIN_SW_BEGAN) { /* the first leg: from the running high or low */
      rc = p->k.leg.up ? move_time(&p->start_t, &p->start_jd, &p->lo_t, p->lo_jd)
                       : move_time(&p->start_t, &p->start_jd, &p->hi_t, p->hi_jd);
    }
    if (!rc && (ev & FIN_SW_BEGAN)) rc = fin_tval_copy(&p->conf_t, t);
    if (!rc && (ev & FIN_SW_EXTREME)) rc = fin_tval_copy(&p->ext_t, t);
    if (!rc && (ev & FIN_SW_HIGH)) rc = fin_tval_copy(&p->hi_t, t);
    if (!rc && (ev & FIN_SW_LOW)) rc = fin_tval_copy(&p->lo_t, t);
    if (!rc) rc = fin_tval_copy(&p->last_t, t);
    if (rc) return SQLITE_NOMEM;
    if (ev & FIN_SW_EXTREME) p->ext_jd = jd;
    if (ev & FIN_SW_HIGH) p->hi_jd = jd;
    if (ev & FIN_SW_LOW) p->lo_jd = jd;
    p->last_jd = jd;
    p->last_v = p->src.v;
    if (ev & FIN_SW_ENDED) return SQLITE_OK;
  }
}

const fin_tvf fin_tvf_swings = {
    .name = "fin_swings",
    .schema = "CREATE TABLE x(key, direction, start_time, start_value, end_time, end_value, change, "
              "sessions, days, confirm_time, confirm_value, ongoing, extreme_time, extreme_value, "
              "series HIDDEN, threshold HIDDEN, as_of HIDDEN)",
    .ncol = 14,
    .nargs = 2,
    .cursor_size = sizeof(swing_cur),
    .start = swing_start,
    .next = swing_next,
    .stop = swing_stop,
};

/*
** tvf_forward.c - fin_forward_returns(series, horizons [, events]): what
** the series did over the following rows after each event.
**
** HOW IT WORKS
**   CREATE TABLE fin_forward_returns(key, event_time, anchor_time,
**     horizon, start_value, end_value, forward_return, max_gain, max_loss,
**     series HIDDEN, horizons HIDDEN, events HIDDEN, as_of HIDDEN)
** horizons: row counts and calendar offsets, '5,21,63' or '21, 1 month,
** 1 year' (or one integer). A calendar horizon ends at the first row at or
** after the anchor's time moved by the offset (days, weeks, months, years;
** months keep the day of the month, clamped to the month's last day, as
** pandas' DateOffset: Jan 31 + 1 month = Feb 28/29). Row counts come
** first, ascending, then calendar offsets, shortest first; repeats are
** dropped. The horizon column shows each as asked: 21, or '1 month'. events: a read-only SELECT (or table name) of (time) or
** (key, time); without it every row is an event. An event is anchored at
** the last series row at or before its time (anchor_time); one whose time
** is before the key's first row has no anchor and is listed with NULLs.
** Unkeyed events apply to every key; events of keys absent from the
** series are ignored; a key whose values are all NULL lists its events
** unanchored. For each event and horizon h: start_value at the
** anchor, end_value h rows later, forward_return = end/start - 1, and
** max_gain / max_loss = highest / lowest value over the anchor row and
** the h rows after it, relative to start (so max_gain >= 0 >= max_loss).
** When the series ends before anchor + h, the four results are NULL.
** benchmark (optional, a series of one key: benchmark_key = ... picks it
** in a keyed one): benchmark_return is its return over the same window,
** from its value as of anchor_time to its value as of the horizon's end
** (NULL when it has none at either), excess_return = forward_return -
** benchmark_return.
** min_gain, min_length (optional, instead of events): the events are the
** series' own rows whose run of gains of at least min_gain (strict gains
** without it) is min_length long or more, found in the same pass.
** Rows come out by key, event time, horizon.
**
** One pass: a row is held back until the next row's time is known (that
** decides which events it anchors), then pushed into the forward kernel
** (k_forward.c), whose deques give every horizon's extremes in O(1)
** amortized. Memory: the longest horizon, never the series.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "tables.h"

#define MAX_HORIZONS 64

typedef struct fwd_event {
  fin_tval time, anchor;
  int64_t row; /* anchor row, -1: none */
} fwd_event;

typedef struct fwd_cur {
  fin_cursor c;
  fin_source src, ev;
  int has_events;
  int64_t h[MAX_HORIZONS];    /* in rows, ascending */
  int nh;
  fin_offset cal[MAX_HORIZONS]; /* calendar, shortest first */
  char label[MAX_HORIZONS][32]; /* how each calendar horizon is shown: '3 months' */
  int nc;
  fin_fwd k;
  int kinit;
  /* the benchmark: its value as of each row, through a second kernel fed
  ** the same times and anchors (NaN where it has none), so its results
  ** come out with the series' */
  int has_bench;
  fin_bench bench;
  fin_fwd kb;
  const fin_fwd_result *bres;
  double pend_b;
  /* or the events are the series' own rows in a run of gains: min_gain,
  ** min_length (every session of a run once it has that many gains) */
  int has_rule;
  int64_t min_len;
  fin_gain_rule rule;
  fin_runs runs;
  int pend_event;
  /* the held-back row */
  int has_pend;
  double pend_v, pend_time;
  fin_tval pend_t;
  /* events source */
  int ev_have, ev_eof, key_open, key_done, src_eof;
  /* or the one event of an event_time constraint, for every key */
  sqlite3_value *one;
  fin_tval one_tv; /* its value, saved */
  int by_key; /* the one event, sought key by key (fin_src_next_key) */
  double one_t;
  int one_kind; /* 1 number, 2 ISO text (fin_timeline's kinds) */
  /* queued events, FIFO ring */
  fwd_event *q;
  size_t qcap, qhead, qlen;
  /* emission */
  const fin_fwd_result *res;
  int emit_j;
} fwd_cur;

static void fwd_stop(fin_cursor *c) {
  fwd_cur *p = (fwd_cur *)c;
  fin_src_close(&p->src);
  if (p->has_events && !p->one) fin_src_close(&p->ev);
  p->one = NULL;
  p->by_key = 0;
  p->has_events = 0;
  if (p->kinit) fin_k_fwd_free(&p->k);
  if (p->kinit && p->has_bench) fin_k_fwd_free(&p->kb);
  p->kinit = 0;
  p->has_bench = 0;
  fin_bench_close(&p->bench);
  for (size_t i = 0; i < p->qcap; i++) {
    fin_tval_free(&p->q[i].time);
    fin_tval_free(&p->q[i].anchor);
  }
  sqlite3_free(p->q);
  p->q = NULL;
  p->qcap = p->qhead = p->qlen = 0;
  fin_tval_free(&p->pend_t);
  fin_tval_free(&p->one_tv);
}

static int cmp_i64(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return (x > y) - (x < y);
}

/* Length in days, to sort calendar offsets: a month is 1/12 of a year. */
static double nominal(const fin_offset *o) { return o->months * (365.2425 / 12) + o->days; }

static int horizons_error(fwd_cur *p, const char *z, char **err) {
  *err = sqlite3_mprintf("%s(): horizons must be row counts or calendar offsets separated by "
                         "commas, such as '5,21,63' or '1 week, 1 month, 1 year', got '%.*s'",
                         p->c.def->name, fin_utf8_prefix(z, 60), z);
  return SQLITE_ERROR;
}

/* Adds one horizon: it->n rows (no unit) or a calendar offset; repeats
** are dropped. */
static int add_horizon(fwd_cur *p, const fin_offset_item *it, char **err) {
  int seen = 0;
  fin_offset o = it->off;
  if (it->unit < 0) {
    for (int i = 0; i < p->nh; i++) seen |= p->h[i] == it->n;
  } else {
    for (int i = 0; i < p->nc; i++) seen |= p->cal[i].days == o.days && p->cal[i].months == o.months;
  }
  if (seen) return SQLITE_OK;
  if (p->nh + p->nc == MAX_HORIZONS) {
    *err = sqlite3_mprintf("%s(): at most %d horizons", p->c.def->name, MAX_HORIZONS);
    return SQLITE_ERROR;
  }
  if (it->unit < 0) {
    p->h[p->nh++] = it->n;
    return SQLITE_OK;
  }
  /* Insert in order of length, shortest first (stable for equal lengths). */
  int at = p->nc;
  while (at > 0 && nominal(&p->cal[at - 1]) > nominal(&o)) {
    p->cal[at] = p->cal[at - 1];
    memcpy(p->label[at], p->label[at - 1], sizeof p->label[0]);
    at--;
  }
  p->cal[at] = o;
  sqlite3_snprintf((int)sizeof p->label[0], p->label[at], "%s", it->label);
  p->nc++;
  return SQLITE_OK;
}

/* Parses '5,21,63', '21, 1 month, 3 months' or an integer into p->h
** (sorted, distinct) and p->cal. */
static int parse_horizons(fwd_cur *p, sqlite3_value *v, char **err) {
  const char *fn = p->c.def->name;
  p->nh = p->nc = 0;
  if (!v || sqlite3_value_type(v) == SQLITE_NULL) {
    *err = sqlite3_mprintf("%s(): horizons is required: row counts or calendar offsets such as "
                           "'5,21,63' or '1 week, 1 month'",
                           fn);
    return SQLITE_ERROR;
  }
  if (sqlite3_value_type(v) != SQLITE_TEXT) {
    if (fin_read_count(v, fn, "horizon", 1, FIN_MAX_ROWS, &p->h[0], err)) return SQLITE_ERROR;
    p->nh = 1;
    return SQLITE_OK;
  }
  const char *z = (const char *)sqlite3_value_text(v);
  if (!z) return SQLITE_NOMEM; /* the text could not be converted (UTF-16 database) */
  const char *s = z;
  for (;;) {
    fin_offset_item it;
    if (fin_k_offset_item(&s, &it) || it.word) return horizons_error(p, z, err);
    int64_t most = it.unit < 0 ? FIN_MAX_ROWS : FIN_MAX_CALENDAR;
    if (it.n < 1 || it.n > most) {
      *err = sqlite3_mprintf("%s(): horizon must be between 1 and %lld%s, got '%.*s'", fn,
                             (long long)most, it.unit < 0 ? " rows" : " calendar units",
                             (int)(it.e - it.b), it.b);
      return SQLITE_ERROR;
    }
    if (add_horizon(p, &it, err)) return SQLITE_ERROR;
    if (!*s) break;
    s++;
  }
  qsort(p->h, (size_t)p->nh, sizeof(int64_t), cmp_i64);
  return SQLITE_OK;
}

/* Calendar horizons move dates: times that are plain numbers have none. */
static int calendar_error(const fwd_cur *p, char **err) {
  *err = sqlite3_mprintf("%s(): the calendar horizon '%s' needs times that are ISO-8601 dates "
                         "(YYYY-MM-DD); the series times are numbers",
                         p->c.def->name, p->label[0]);
  return SQLITE_ERROR;
}

static int seek_event(fwd_cur *p, char **err);

/* min_gain and min_length (arguments 5 and 6): every row whose run of
** gains of at least min_gain (rule 6's tolerance; strict gains without it)
** is min_length long or more (1 without it) is an event, decided in the
** same pass. Not with an events list. */
static int read_rule(fwd_cur *p, sqlite3_value **args, int events, char **err) {
  const char *fn = p->c.def->name;
  int has_gain = args[4] && sqlite3_value_type(args[4]) != SQLITE_NULL;
  int has_len = args[5] && sqlite3_value_type(args[5]) != SQLITE_NULL;
  p->has_rule = has_gain || has_len;
  if (!p->has_rule) return SQLITE_OK;
  if (events) {
    *err = sqlite3_mprintf("%s(): events and min_gain/min_length both choose the events: give one",
                           fn);
    return SQLITE_ERROR;
  }
  fin_gain_rule rule = {0, has_gain, 0.0};
  p->min_len = 1;
  if (has_gain && fin_read_threshold(args[4], fn, "min_gain", 0, &rule.min, err) != FIN_READ_OK)
    return SQLITE_ERROR;
  if (has_len && fin_read_count(args[5], fn, "min_length", 1, FIN_MAX_ROWS, &p->min_len, err))
    return SQLITE_ERROR;
  p->rule = rule;
  fin_k_runs_init(&p->runs, &p->rule);
  return SQLITE_OK;
}

static int fwd_start(fin_cursor *c, sqlite3_value **args, char **err) {
  fwd_cur *p = (fwd_cur *)c;
  int rc = parse_horizons(p, args[1], err);
  if (rc) return rc;
  p->has_bench = args[3] && sqlite3_value_type(args[3]) != SQLITE_NULL;
  if (fin_k_fwd_init(&p->k, p->h, p->nh, p->cal, p->nc)) return SQLITE_NOMEM;
  if (p->has_bench && fin_k_fwd_init(&p->kb, p->h, p->nh, p->cal, p->nc)) {
    fin_k_fwd_free(&p->k);
    p->has_bench = 0;
    return SQLITE_NOMEM;
  }
  p->kinit = 1;
  p->ev_have = p->ev_eof = p->key_open = p->key_done = p->src_eof = p->has_pend = 0;
  p->res = NULL;
  p->emit_j = 0;
  int events = args[2] && sqlite3_value_type(args[2]) != SQLITE_NULL;
  rc = read_rule(p, args, events, err);
  if (rc) return rc;
  /* WHERE event_time = x (a join, IN): x is the event, as if listed in
  ** events. With events (not NULL: a NULL events, passed to reach the
  ** benchmark, is no events) or a rule it only filters, which SQLite
  ** applies to the output. */
  int seek = c->seek && !events && !p->has_rule;
  if (seek) {
    int is_text = 0;
    int r = fin_read_time(c->seek, c->def->name, "event_time", 0, &p->one_t, &is_text, err);
    if (r == FIN_READ_NULL) { /* = NULL matches nothing */
      p->src_eof = 1;
      return SQLITE_OK;
    }
    if (r != FIN_READ_OK) return *err ? SQLITE_ERROR : SQLITE_NOMEM;
    p->one_kind = is_text ? 2 : 1;
    if (fin_tval_set(&p->one_tv, c->seek)) return SQLITE_NOMEM;
  }
  rc = fin_cursor_source(c, &p->src, "series", args[0], 1, seek ? FIN_SEEK_BY_KEY : 0, err);
  if (!rc && p->has_bench) rc = fin_bench_open(c, &p->bench, args[3], err);
  if (rc) return rc;
  /* An event after as_of has not happened yet, as the events argument's
  ** rows after it are not read. */
  if (seek && (p->src.empty || fin_src_beyond(&p->src, p->one_t))) {
    p->src_eof = 1;
    return SQLITE_OK;
  }
  /* A series with keys and no key asked: the event applies to every key,
  ** sought key by key through the index (each costs its anchor and its
  ** horizons' rows), or, without an index on the key, in one read of the
  ** whole series. */
  int found = 1, slow = 0;
  if (seek && p->src.first_key) {
    rc = fin_src_next_key(&p->src, 1, &found, &slow, err);
    if (rc) return rc;
    p->by_key = !slow;
  }
  if (seek && !found && !slow) {
    p->src_eof = 1; /* no keys at all */
    return SQLITE_OK;
  }
  if (seek && !slow) return seek_event(p, err);
  if (seek) {
    fin_src_close(&p->src);
    rc = fin_cursor_source(c, &p->src, "series", args[0], 1, 0, err);
    if (rc) return rc;
    p->one = c->seek;
    p->has_events = 1;
  } else if (events) {
    p->has_events = 1; /* before the open: a half-opened events source is closed by fwd_stop */
    rc = fin_cursor_source(c, &p->ev, "events", args[2], 0, 0, err);
    if (rc) return rc;
    if (p->ev.keyed && !p->src.keyed) {
      *err = sqlite3_mprintf("%s(): events has a key column but series has none", c->def->name);
      return SQLITE_ERROR;
    }
  }
  return SQLITE_OK;
}

/* Appends an event; its time is the given value or saved time. */
static int enqueue(fwd_cur *p, const fin_tval *time, const fin_tval *anchor, int64_t row) {
  if (p->qlen == p->qcap) {
    size_t n = p->qcap ? p->qcap * 2 : 16;
    fwd_event *q = sqlite3_malloc64(n * sizeof *q);
    if (!q) return SQLITE_NOMEM;
    memset(q, 0, n * sizeof *q);
    for (size_t i = 0; i < p->qcap; i++) q[i] = p->q[(p->qhead + i) & (p->qcap - 1)];
    sqlite3_free(p->q);
    p->q = q;
    p->qhead = 0;
    p->qcap = n;
  }
  fwd_event *e = &p->q[(p->qhead + p->qlen) & (p->qcap - 1)];
  int rc = fin_tval_copy(&e->time, time);
  if (!rc && anchor) rc = fin_tval_copy(&e->anchor, anchor);
  if (rc) return SQLITE_NOMEM;
  if (!anchor) e->anchor.type = SQLITE_NULL;
  e->row = row;
  p->qlen++;
  return SQLITE_OK;
}

/* Event times and series times of different kinds: Julian days from ISO
** text and plain numbers are different scales. */
static int kind_error(const fwd_cur *p, char **err) {
  *err = sqlite3_mprintf("%s(): events times must be of the same kind as the series times "
                         "(both ISO-8601 text or both numbers)",
                         p->c.def->name);
  return SQLITE_ERROR;
}

/* Makes the next event of the current key current; 0 when there is none
** (yet) for this key. -1 on error. */
static int ev_peek(fwd_cur *p, char **err) {
  if (p->one) return !p->ev_eof; /* the one event, once per key */
  for (;;) {
    if (!p->ev_have) {
      if (p->ev_eof) return 0;
      int r = fin_src_step(&p->ev, err);
      if (r == FIN_SRC_ERROR) return -1;
      if (r == FIN_SRC_EOF) {
        p->ev_eof = 1;
        return 0;
      }
      if (r == FIN_SRC_END_KEY) continue;
      p->ev_have = 1;
    }
    if (!p->ev.keyed) return 1;
    int cmp = fin_tval_cmp(&p->ev.key, &p->src.key);
    if (cmp == 0) return 1;
    if (cmp > 0) return 0;  /* a later key's event: keep it */
    p->ev_have = 0;         /* a key the series lacks: drop it */
  }
}

/* Queues the events of this key with time < limit (all when all = 1),
** anchored at the held-back row, or unanchored if there is none. */
static int take_events(fwd_cur *p, double limit, int all, int *anchored, char **err) {
  for (;;) {
    int r = ev_peek(p, err);
    if (r < 0) return fin_src_errcode(&p->ev);
    if (r == 0) return SQLITE_OK;
    int kind = p->one ? p->one_kind : p->ev.tl.kind;
    double t = p->one ? p->one_t : p->ev.t;
    if (p->src.tl.kind && kind != p->src.tl.kind) return kind_error(p, err);
    if (!all && !(t < limit)) return SQLITE_OK;
    int rc = enqueue(p, p->one ? &p->one_tv : fin_src_time(&p->ev), p->has_pend ? &p->pend_t : NULL,
                     p->has_pend ? p->k.row : -1);
    if (rc) return rc;
    if (p->has_pend) *anchored = 1;
    p->ev_have = 0;
    if (p->one) p->ev_eof = 1;
  }
}

/* One row into the kernels: the series' value, and the benchmark's as of
** the same time. */
static int fwd_push(fwd_cur *p, double t, double v, double b, int anchor) {
  if (fin_k_fwd_push(&p->k, t, v, anchor)) return SQLITE_NOMEM;
  if (p->has_bench && fin_k_fwd_push(&p->kb, t, b, anchor)) return SQLITE_NOMEM;
  return SQLITE_OK;
}

/* The benchmark's value as of the series' current row, NaN for none. */
static int bench_value(fwd_cur *p, double *b, char **err) {
  *b = NAN;
  return p->has_bench ? fin_bench_at(&p->bench, &p->src, p->src.t, b, err) : SQLITE_OK;
}

static void fwd_finish(fwd_cur *p) {
  fin_k_fwd_finish(&p->k);
  if (p->has_bench) fin_k_fwd_finish(&p->kb);
}

/* Pushes the held-back row, anchoring the events it takes. */
static int push_pending(fwd_cur *p, double limit, int all, char **err) {
  int anchored = 0, rc;
  if (p->has_events) {
    rc = take_events(p, limit, all, &anchored, err);
  } else { /* every row, or those of the rule */
    anchored = p->has_pend && (!p->has_rule || p->pend_event);
    rc = anchored ? enqueue(p, &p->pend_t, &p->pend_t, p->k.row) : SQLITE_OK;
  }
  if (rc) return rc;
  if (p->has_pend && fwd_push(p, p->pend_time, p->pend_v, p->pend_b, anchored)) return SQLITE_NOMEM;
  p->has_pend = 0;
  return SQLITE_OK;
}

/* Serves the event of the seek column alone: the anchor found through the
** index, then the rows after it until the longest horizon (or the series)
** ends; what fwd_next then hands out. The times read are checked against
** the event by the series' own rule, so a series whose times SQL orders
** otherwise than the calendar (mixed formats) fails instead of answering
** from the wrong rows. */
static int seek_event(fwd_cur *p, char **err) {
  const char *fn = p->c.def->name;
  int anchored, before, r, rows = 0;
  if (fin_src_seek(&p->src, &p->one_tv, &anchored, &before, err)) return fin_src_errcode(&p->src);
  p->src_eof = 1; /* nothing more to read after this event */
  int64_t row = p->k.row;
  while ((r = fin_src_step(&p->src, err)) == FIN_SRC_ROW) {
    if (p->src.tl.kind != p->one_kind) return kind_error(p, err);
    if (p->nc && p->src.tl.kind != 2) return calendar_error(p, err);
    if (!anchored) { /* the key has rows, all after the event: unanchored */
      rows = 1;
      break;
    }
    if (p->src.v_null) continue;
    int first = rows++ == 0;
    if (first ? p->src.t > p->one_t : p->src.t <= p->one_t) {
      char *t = fin_describe(p->c.seek);
      *err = sqlite3_mprintf("%s(): around event_time %s, SQL orders the series times "
                             "differently from the calendar (times in mixed formats?); write "
                             "them in one format",
                             fn, t ? t : "?");
      sqlite3_free(t);
      return SQLITE_ERROR;
    }
    if (first && fin_tval_copy(&p->pend_t, fin_src_time(&p->src))) return SQLITE_NOMEM;
    /* the benchmark is read from its value as of the anchor on */
    int rc = first && p->has_bench ? fin_bench_seek(&p->bench, fin_src_time(&p->src), p->src.t, err) : SQLITE_OK;
    double b;
    if (rc == SQLITE_OK) rc = bench_value(p, &b, err);
    if (rc != SQLITE_OK) return rc;
    if (fwd_push(p, p->src.t, p->src.v, b, first)) return SQLITE_NOMEM;
    if (fin_k_fwd_ready(&p->k)) break;
  }
  if (r == FIN_SRC_ERROR) return fin_src_errcode(&p->src);
  if (!rows && !before) return SQLITE_OK; /* the key is not in the series */
  fwd_finish(p);
  return anchored && rows ? enqueue(p, &p->one_tv, &p->pend_t, row) : enqueue(p, &p->one_tv, NULL, -1);
}

/* Fills one output row: the front event at horizon emit_j. */
static void fill(fwd_cur *p) {
  fin_cursor *c = &p->c;
  fwd_event *e = &p->q[p->qhead];
  int j = p->emit_j;
  fin_cell_key(c, 0, &p->src);
  fin_cell_tval(c, 1, &e->time);
  fin_cell_tval(c, 2, &e->anchor);
  if (p->has_bench) fin_cell_key(c, 9, &p->bench.src);
  if (j < p->nh) fin_cell_int(c, 3, p->h[j]);
  else fin_cell_text(c, 3, p->label[j - p->nh]);
  if (!p->res) return; /* unanchored: NULLs */
  double s = p->res->start;
  fin_cell_real(c, 4, s);
  if (!p->res->done[j]) return;
  double fwd = fin_k_pct_change(p->res->end[j], s);
  fin_cell_real(c, 5, p->res->end[j]);
  fin_cell_real(c, 6, fwd);
  fin_cell_real(c, 7, fin_k_pct_change(p->res->hi[j], s));
  fin_cell_real(c, 8, fin_k_pct_change(p->res->lo[j], s));
  if (!p->has_bench) return; /* its key, column 9, is filled above */
  /* NaN: the benchmark has no value at the anchor or at the end */
  double b = fin_k_pct_change(p->bres->end[j], p->bres->start);
  if (isnan(b)) return;
  fin_cell_real(c, 10, b);
  fin_cell_real(c, 11, fwd - b);
}

static int fwd_next(fin_cursor *c, char **err) {
  fwd_cur *p = (fwd_cur *)c;
  for (;;) {
    if (p->qlen) {
      fwd_event *e = &p->q[p->qhead];
      if (e->row < 0 || (p->res && p->res->row == e->row) ||
          ((p->res = fin_k_fwd_ready(&p->k)) && p->res->row == e->row)) {
        if (e->row < 0) p->res = NULL;
        /* the benchmark's kernel holds the same anchors: ready together */
        if (p->res && p->has_bench) p->bres = fin_k_fwd_ready(&p->kb);
        fill(p);
        if (++p->emit_j == p->nh + p->nc) { /* this event is done */
          p->emit_j = 0;
          p->qhead = (p->qhead + 1) & (p->qcap - 1);
          p->qlen--;
          if (e->row >= 0 && (!p->qlen || p->q[p->qhead].row != e->row)) {
            fin_k_fwd_pop(&p->k); /* and so is its anchor */
            if (p->has_bench) fin_k_fwd_pop(&p->kb);
            p->res = NULL;
          }
        }
        return SQLITE_OK;
      }
      p->res = NULL;
    }
    /* Nothing to report yet: read on. */
    if (p->key_done) {
      if (p->qlen) {
        *err = sqlite3_mprintf("%s(): internal error: events left at key end", c->def->name);
        return SQLITE_ERROR;
      }
      p->key_done = 0;
      p->key_open = 0;
      fin_k_fwd_reset(&p->k);
      if (p->has_bench) fin_k_fwd_reset(&p->kb);
    }
    if (p->src_eof && p->by_key) { /* the event, in the next key */
      int found, slow;
      int rc = fin_src_next_key(&p->src, 0, &found, &slow, err);
      if (rc) return rc;
      if (found) {
        fin_k_fwd_reset(&p->k);
        if (p->has_bench) fin_k_fwd_reset(&p->kb);
        rc = seek_event(p, err);
        if (rc) return rc;
        continue;
      }
      p->by_key = 0;
    }
    if (p->src_eof) {
      c->eof = 1;
      return SQLITE_OK;
    }
    int r = fin_src_step(&p->src, err);
    if (r == FIN_SRC_ERROR) return fin_src_errcode(&p->src);
    if (r == FIN_SRC_EOF) {
      p->src_eof = 1;
      continue;
    }
    if (r == FIN_SRC_END_KEY) {
      int rc = push_pending(p, 0.0, 1, err);
      if (rc) return rc;
      fwd_finish(p);
      p->key_done = 1;
      continue;
    }
    /* A key opens on its first row, NULL or not: a key whose prices are
    ** all NULL lists its events unanchored, whether it comes first or not. */
    if (!p->key_open) {
      p->key_open = 1;
      if (p->has_events && (p->one || !p->ev.keyed)) {
        if (!p->one) fin_src_rewind(&p->ev);
        p->ev_have = p->ev_eof = 0;
      }
      if (p->has_bench) fin_bench_restart(&p->bench);
      if (p->has_rule) fin_k_runs_init(&p->runs, &p->rule);
    }
    if (p->nc && p->src.tl.kind != 2) return calendar_error(p, err);
    if (p->src.v_null) continue;
    int rc = push_pending(p, p->src.t, 0, err);
    if (rc) return rc;
    if (fin_tval_copy(&p->pend_t, fin_src_time(&p->src))) return SQLITE_NOMEM;
    if ((rc = bench_value(p, &p->pend_b, err)) != SQLITE_OK) return rc;
    if (p->has_rule) {
      fin_run done;
      fin_k_runs_push(&p->runs, p->src.v, &done);
      p->pend_event = p->runs.cur.length >= p->min_len;
    }
    p->pend_v = p->src.v;
    p->pend_time = p->src.t;
    p->has_pend = 1;
  }
}

const fin_tvf fin_tvf_forward_returns = {
    .name = "fin_forward_returns",
    .schema = "CREATE TABLE x(key, event_time, anchor_time, horizon, start_value, end_value, "
              "forward_return, max_gain, max_loss, benchmark_key, benchmark_return, excess_return, "
              "series HIDDEN, horizons HIDDEN, events HIDDEN, benchmark HIDDEN, min_gain HIDDEN, "
              "min_length HIDDEN, as_of HIDDEN)",
    .ncol = 12,
    .nargs = 6,
    .seek_col = 1, /* event_time */
    .bkey_col = 9,
    .bench_arg = 3,
    .cursor_size = sizeof(fwd_cur),
    .start = fwd_start,
    .next = fwd_next,
    .stop = fwd_stop,
};

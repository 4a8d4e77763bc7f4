/*
** timed.c - the (time, price) form the aggregates share (aggregates.c,
** pictures.c): the frame's pairs, kept in a ring while rows come in time
** order and in an ordered map (k_tmap.c) from the first row that does not,
** so that neither a plain aggregate over an unsorted group nor a window
** ordered some other way (OVER (ORDER BY time DESC)) ever sorts the frame
** again: each row costs O(log n) at worst. In order, a plain aggregate
** drops its pairs once it is known to be one (fin_keep) and keeps only the
** first and the last.
*/
#include <stdlib.h>
#include "../fin_ext.h"

void fin_timed_init(fin_timed *p, fin_swag_op op, int may_drop) {
  fin_k_tmap_init(&p->map, op);
  p->may_drop = may_drop;
}

void fin_timed_free(fin_timed *p) {
  fin_k_ring_free(&p->t);
  fin_k_ring_free(&p->v);
  fin_k_tmap_free(&p->map);
}

static char *dropped_error(const char *fn) {
  return sqlite3_mprintf("%s(): a time arrived out of order after %d rows in time order, whose "
                         "pairs were not kept (a plain aggregate keeps only the first and last): "
                         "sort the rows by time first (ORDER BY time in a subquery)",
                         fn, FIN_KEEP_ROWS);
}

/* The ring's pairs move into the map: from now on the map holds the frame. */
static int to_map(fin_timed *p) {
  for (size_t i = 0; i < p->t.len; i++) {
    int rc = fin_k_tmap_insert(&p->map, fin_k_ring_at(&p->t, i), fin_k_ring_at(&p->v, i));
    if (rc != FIN_OK) return rc; /* in order, they are distinct: only memory can fail */
  }
  fin_k_ring_free(&p->t);
  fin_k_ring_free(&p->v);
  p->unordered = 1;
  return FIN_OK;
}

int fin_timed_step(sqlite3_context *ctx, fin_timed *p, sqlite3_value **argv, double *v, int *moved,
                   int *dropped) {
  const char *fn = fin_fn_of(ctx)->name;
  char *err = NULL;
  double t;
  int is_text;
  *moved = *dropped = 0;
  int rc = fin_read_time(argv[0], fn, "time", 0, &t, &is_text, &err);
  if (rc == FIN_READ_OK) rc = fin_read_price(argv[1], fn, "price", v, &err);
  if (rc == FIN_READ_OK) {
    fin_time_verdict verdict = fin_k_timeline_next(&p->tl, t, is_text);
    if (verdict == FIN_TIME_MIXED || (verdict == FIN_TIME_REPEAT && !p->unordered)) {
      err = fin_time_error(fn, "time", verdict, t, is_text);
      rc = FIN_READ_ERR;
    } else if (verdict == FIN_TIME_BACKWARD && !p->unordered) {
      if (p->keep.dropped) {
        err = dropped_error(fn);
        rc = FIN_READ_ERR;
      } else if (to_map(p) != FIN_OK) {
        sqlite3_result_error_nomem(ctx);
        return FIN_READ_ERR;
      } else {
        *moved = 1;
      }
    }
  }
  if (rc == FIN_READ_ERR) fin_result_error(ctx, err);
  if (rc != FIN_READ_OK) return rc;
  if (p->unordered) {
    int r = fin_k_tmap_insert(&p->map, t, *v);
    if (r == FIN_TMAP_REPEAT) {
      fin_result_error(ctx, fin_time_error(fn, "time", FIN_TIME_REPEAT, t, is_text));
      return FIN_READ_ERR;
    }
    if (r != FIN_OK) {
      sqlite3_result_error_nomem(ctx);
      return FIN_READ_ERR;
    }
    return FIN_READ_OK;
  }
  if (p->keep.dropped) { /* the first pair is kept; this is the last */
    p->t1 = t;
    p->v1 = *v;
    return FIN_READ_OK;
  }
  if (fin_k_ring_push(&p->t, t)) {
    sqlite3_result_error_nomem(ctx);
    return FIN_READ_ERR;
  }
  if (fin_k_ring_push(&p->v, *v)) { /* the two rings stay the same length */
    p->t.len--;
    sqlite3_result_error_nomem(ctx);
    return FIN_READ_ERR;
  }
  if (p->may_drop && fin_keep_step(&p->keep)) {
    p->t0 = fin_k_ring_at(&p->t, 0);
    p->v0 = fin_k_ring_at(&p->v, 0);
    p->t1 = t;
    p->v1 = *v;
    fin_k_ring_free(&p->t);
    fin_k_ring_free(&p->v);
    *dropped = 1;
  }
  return FIN_READ_OK;
}

int fin_timed_inverse(sqlite3_context *ctx, fin_timed *p, sqlite3_value **argv, int *skip) {
  *skip = sqlite3_value_type(argv[0]) == SQLITE_NULL || sqlite3_value_type(argv[1]) == SQLITE_NULL;
  if (*skip) return 0;
  if (fin_keep_inverse(ctx, &p->keep)) return 1;
  if (!p->unordered) {
    fin_k_ring_pop(&p->t);
    fin_k_ring_pop(&p->v);
    return 0;
  }
  /* The row leaving is the one its arguments name: its time is its key
  ** (SQLite hands xInverse the arguments xStep had, which were valid). */
  double t;
  int is_text;
  char *err = NULL;
  if (fin_read_time(argv[0], fin_fn_of(ctx)->name, "time", 0, &t, &is_text, &err) == FIN_READ_OK)
    fin_k_tmap_delete(&p->map, t);
  sqlite3_free(err);
  return 0;
}

size_t fin_timed_count(const fin_timed *p) {
  return p->unordered ? fin_k_tmap_count(&p->map) : p->keep.dropped ? 2 : p->t.len;
}

int fin_timed_ends(const fin_timed *p, double *t0, double *v0, double *t1, double *v1) {
  if (p->unordered) return fin_k_tmap_first(&p->map, t0, v0) && fin_k_tmap_last(&p->map, t1, v1);
  if (p->keep.dropped) {
    *t0 = p->t0, *v0 = p->v0, *t1 = p->t1, *v1 = p->v1;
    return 1;
  }
  if (!p->t.len) return 0;
  *t0 = fin_k_ring_at(&p->t, 0);
  *v0 = fin_k_ring_at(&p->v, 0);
  *t1 = fin_k_ring_at(&p->t, p->t.len - 1);
  *v1 = fin_k_ring_at(&p->v, p->v.len - 1);
  return 1;
}

double *fin_timed_sorted(sqlite3_context *ctx, fin_timed *p, double **times) {
  size_t n = fin_timed_count(p);
  double *out = sqlite3_malloc64(n * sizeof(double) * 2 + 1);
  if (!out) {
    sqlite3_result_error_nomem(ctx);
    return NULL;
  }
  double *t = out + n;
  if (p->unordered) {
    if (fin_k_tmap_sorted(&p->map, t, out) != n) {
      sqlite3_free(out);
      sqlite3_result_error_nomem(ctx);
      return NULL;
    }
  } else {
    for (size_t i = 0; i < n; i++) {
      out[i] = fin_k_ring_at(&p->v, i);
      t[i] = fin_k_ring_at(&p->t, i);
    }
  }
  if (times) *times = t;
  return out;
}

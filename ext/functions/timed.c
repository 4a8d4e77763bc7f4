/*
** timed.c - the (time, price) form the aggregates share (aggregates.c,
** pictures.c): the frame's pairs, the time-order rule while rows come in
** order, and a sort by time for plain aggregates, which see rows in no
** defined order.
*/
#include <stdlib.h>
#include "../fin_ext.h"

void fin_timed_free(fin_timed *p) {
  fin_k_ring_free(&p->t);
  fin_k_ring_free(&p->v);
}

static char *not_in_order(const char *fn) {
  return sqlite3_mprintf("%s(): a sliding window frame needs rows in time order: add "
                         "ORDER BY time to OVER",
                         fn);
}

/* Rows that arrive out of time order are kept too and sorted at the end,
** so only a repeat met in order is refused here; the sort finds the others. */
int fin_timed_step(sqlite3_context *ctx, fin_timed *p, sqlite3_value **argv, double *v) {
  const char *fn = fin_fn_of(ctx)->name;
  char *err = NULL;
  double t;
  int is_text;
  int rc = fin_read_time(argv[0], fn, "time", 0, &t, &is_text, &err);
  if (rc == FIN_READ_OK) rc = fin_read_price(argv[1], fn, "price", v, &err);
  if (rc == FIN_READ_OK) {
    fin_time_verdict verdict = fin_k_timeline_next(&p->tl, t, is_text);
    if (verdict == FIN_TIME_MIXED || (verdict == FIN_TIME_REPEAT && !p->unordered)) {
      err = fin_time_error(fn, "time", verdict, t, is_text);
      rc = FIN_READ_ERR;
    } else if (verdict == FIN_TIME_BACKWARD && !p->unordered) {
      if (p->popped) {
        err = not_in_order(fn);
        rc = FIN_READ_ERR;
      } else {
        p->unordered = 1;
      }
    }
  }
  if (rc == FIN_READ_ERR) fin_result_error(ctx, err);
  if (rc != FIN_READ_OK) return rc;
  if (fin_k_ring_push(&p->t, t) || fin_k_ring_push(&p->v, *v)) {
    sqlite3_result_error_nomem(ctx);
    return FIN_READ_ERR;
  }
  return FIN_READ_OK;
}

int fin_timed_inverse(sqlite3_context *ctx, fin_timed *p, sqlite3_value **argv, int *skip) {
  *skip = sqlite3_value_type(argv[0]) == SQLITE_NULL || sqlite3_value_type(argv[1]) == SQLITE_NULL;
  if (*skip) return 0;
  if (p->unordered) {
    fin_result_error(ctx, not_in_order(fin_fn_of(ctx)->name));
    return 1;
  }
  fin_k_ring_pop(&p->t);
  fin_k_ring_pop(&p->v);
  p->popped = 1;
  return 0;
}

typedef struct pair { double t, v; } pair;
static int cmp_pair(const void *a, const void *b) {
  double x = ((const pair *)a)->t, y = ((const pair *)b)->t;
  return (x > y) - (x < y);
}

double *fin_timed_sorted(sqlite3_context *ctx, fin_timed *p, double **times) {
  size_t n = p->t.len;
  pair *pr = sqlite3_malloc64(n * sizeof(pair) + 1);
  double *out = sqlite3_malloc64(n * sizeof(double) * (times ? 2 : 1) + 1);
  if (!pr || !out) {
    sqlite3_free(pr);
    sqlite3_free(out);
    sqlite3_result_error_nomem(ctx);
    return NULL;
  }
  for (size_t i = 0; i < n; i++) {
    pr[i].t = fin_k_ring_at(&p->t, i);
    pr[i].v = fin_k_ring_at(&p->v, i);
  }
  if (p->unordered) qsort(pr, n, sizeof(pair), cmp_pair);
  for (size_t i = 0; i < n; i++) {
    if (i && pr[i].t == pr[i - 1].t) {
      fin_result_error(ctx, fin_time_error(fin_fn_of(ctx)->name, "time", FIN_TIME_REPEAT, pr[i].t,
                                           p->tl.kind == 2));
      sqlite3_free(pr);
      sqlite3_free(out);
      return NULL;
    }
    out[i] = pr[i].v;
    if (times) out[n + i] = pr[i].t;
  }
  if (times) *times = out + n;
  sqlite3_free(pr);
  return out;
}

/*
** k_periods.c - the best and the worst calendar-period return of a frame
** that slides (fin_best_return(time, price, period) and
** fin_worst_return(time, price, period), measures_periods.c).
**
** A period's return is its last price over the last price of the period
** before, minus 1: the base fin_ptd keeps (k_calendar.c), the rule of
** fin_calendar_returns and the *_td returns. So the first period of a
** frame has no return (its base is before the frame), and a period whose
** base leaves the frame loses its return. The period in progress (the
** frame's last) counts with its return to date.
**
** Closed periods wait in two monotonic deques (fin_maxq), the best and the
** worst candidates, each keyed by the row of its base: dropping the
** frame's first row expires the periods whose base it was. Every period
** enters and leaves each deque once: O(1) amortized a row. A plain
** aggregate folds the deques into two numbers (fin_k_pext_fold).
*/
#include <math.h>
#include "kernels.h"

void fin_k_pext_init(fin_pext *e, fin_period period) {
  fin_k_ptd_init(&e->ptd, period);
  e->row = e->first = e->base_row = 0;
  e->cur = 0.0;
  fin_k_maxq_init(&e->hi, 0);
  fin_k_maxq_init(&e->lo, 1);
  e->folded = e->has_closed = 0;
  e->best = e->worst = 0.0;
}

void fin_k_pext_free(fin_pext *e) {
  fin_k_maxq_free(&e->hi);
  fin_k_maxq_free(&e->lo);
}

int fin_k_pext_push(fin_pext *e, double jd, double v) {
  fin_ptd_closed closed;
  double ret = 0.0;
  int had_base = e->ptd.has_base;
  double prev_cur = e->cur;
  int ev = fin_k_ptd_push(&e->ptd, jd, v, &ret, &closed);
  if (ev & FIN_PTD_CLOSED) {
    /* the period that ended had a return when it had a base: prev_cur,
    ** its return to its last price, keyed by its base's row; none when
    ** that base has left already (SQLite may drop a frame's first row
    ** before it steps the next) */
    if (had_base && e->base_row >= e->first) {
      if (e->folded) {
        e->best = e->has_closed ? fmax(e->best, prev_cur) : prev_cur;
        e->worst = e->has_closed ? fmin(e->worst, prev_cur) : prev_cur;
        e->has_closed = 1;
      } else if (fin_k_maxq_push(&e->hi, prev_cur, e->base_row) ||
                 fin_k_maxq_push(&e->lo, prev_cur, e->base_row)) {
        return FIN_NOMEM;
      }
    }
    e->base_row = e->row - 1; /* the last row of the period that ended */
  }
  if (ev & FIN_PTD_RET) e->cur = ret;
  e->row++;
  return FIN_OK;
}

void fin_k_pext_drop_first(fin_pext *e) {
  e->first++;
  fin_k_maxq_expire(&e->hi, e->first);
  fin_k_maxq_expire(&e->lo, e->first);
}

void fin_k_pext_fold(fin_pext *e) {
  if (e->folded) return;
  double b, w;
  int64_t r;
  if (fin_k_maxq_top(&e->hi, &b, &r) && fin_k_maxq_top(&e->lo, &w, &r)) {
    e->best = b;
    e->worst = w;
    e->has_closed = 1;
  }
  fin_k_pext_free(e);
  e->folded = 1;
}

int fin_k_pext_query(const fin_pext *e, double *best, double *worst) {
  int has = 0;
  double b = 0.0, w = 0.0;
  int64_t r;
  if (e->folded) {
    if (e->has_closed) {
      b = e->best;
      w = e->worst;
      has = 1;
    }
  } else if (fin_k_maxq_top(&e->hi, &b, &r) && fin_k_maxq_top(&e->lo, &w, &r)) {
    has = 1;
  }
  /* the period in progress, while its base is in the frame */
  if (e->ptd.has_base && e->row > 0 && e->base_row >= e->first) {
    b = has ? fmax(b, e->cur) : e->cur;
    w = has ? fmin(w, e->cur) : e->cur;
    has = 1;
  }
  *best = b;
  *worst = w;
  return has;
}

/*
** k_swings.c - the zigzag of a series: legs of at least a threshold from
** turning point to turning point, the way bull and bear markets (20%) and
** corrections (10%) are dated. Pushed one value at a time, it reports a
** leg when the next one confirms its end, so a table streams any number
** of rows in constant memory (kernels.h states the rule and the ties).
**
** Why a leg is only known later: the end of an up leg is its highest value
** before a fall of the threshold from it, and until that fall the next
** higher value may still come. So a leg is reported when the opposite move
** reaches the threshold (FIN_SW_ENDED), which is also the row that confirms
** the new leg (its confirm_row).
*/
#include <string.h>
#include "kernels.h"

void fin_k_swings_init(fin_swings *s, double th) {
  memset(s, 0, sizeof *s);
  s->th = th;
}

/* Opens a leg confirmed at this row: from the turning point (start) to
** this row, its extreme so far. */
static void begin(fin_swings *s, int up, double start, int64_t start_row, double v, int64_t row) {
  s->open = 1;
  s->leg.up = up;
  s->leg.start = start;
  s->leg.start_row = start_row;
  s->leg.end = s->leg.confirm = v;
  s->leg.end_row = s->leg.confirm_row = row;
}

int fin_k_swings_push(fin_swings *s, double v, fin_swing_leg *done) {
  int64_t row = s->row++;
  double th = s->th;
  if (!s->open) {
    /* Before the first leg: the running extremes, and whether a move of
    ** th from one of them (at an earlier row) confirms it. A rise from the
    ** low and a fall from the high cannot both first reach th on one row:
    ** whichever extreme came later was itself a move of th from the other. */
    int ev = 0;
    if (fin_k_high_push(&s->hi, v, row)) ev |= FIN_SW_HIGH;
    if (row == 0 || v < s->lo) {
      s->lo = v;
      s->lo_row = row;
      ev |= FIN_SW_LOW;
    }
    if (s->lo_row < row && fin_k_pct_change(v, s->lo) >= th - FIN_RET_EPS)
      begin(s, 1, s->lo, s->lo_row, v, row);
    else if (s->hi.row < row && fin_k_pct_change(v, s->hi.v) <= -th + FIN_RET_EPS)
      begin(s, 0, s->hi.v, s->hi.row, v, row);
    else
      return ev;
    return ev | FIN_SW_BEGAN | FIN_SW_EXTREME;
  }
  fin_swing_leg *l = &s->leg;
  /* a further extreme extends the leg: an equal high moves its end, an
  ** equal low does not (the drawdown trough's rule) */
  if (l->up ? v >= l->end : v < l->end) {
    l->end = v;
    l->end_row = row;
    return FIN_SW_EXTREME;
  }
  double move = fin_k_pct_change(v, l->end);
  if (l->up ? move > -th + FIN_RET_EPS : move < th - FIN_RET_EPS) return 0;
  /* the opposite move reached th: the leg ended at its extreme, and the
  ** next one starts there, confirmed here */
  *done = *l;
  begin(s, !l->up, l->end, l->end_row, v, row);
  return FIN_SW_ENDED | FIN_SW_BEGAN | FIN_SW_EXTREME;
}

/*
** k_episodes.c - the two episode machines: runs of qualifying moves
** (streaks) and drawdown episodes (peak -> trough -> recovery). Each one
** is pushed one value at a time and reports an episode when it closes, so
** a table can stream any number of rows in constant memory.
*/
#include <string.h>
#include "kernels.h"

void fin_k_runs_init(fin_runs *s, const fin_gain_rule *rule) {
  memset(s, 0, sizeof *s);
  s->rule = *rule;
}

int fin_k_runs_push(fin_runs *s, double v, fin_run *done) {
  int closed = 0;
  if (s->row > 0) {
    if (fin_k_gain_ok(&s->rule, s->prev, v)) {
      if (s->cur.length == 0) {
        s->cur.start_row = s->row;
        s->cur.start_value = s->prev;
      }
      s->cur.length++;
      s->cur.end_row = s->row;
      s->cur.end_value = v;
    } else if (s->cur.length > 0) {
      *done = s->cur;
      s->cur.length = 0;
      closed = 1;
    }
  }
  s->prev = v;
  s->row++;
  return closed;
}

int fin_k_runs_finish(fin_runs *s, fin_run *done) {
  if (s->cur.length == 0) return 0;
  *done = s->cur;
  s->cur.length = 0;
  return 1;
}

void fin_k_dd_init(fin_dd *s) { memset(s, 0, sizeof *s); }

int fin_k_dd_push(fin_dd *s, double v, fin_dd_episode *done) {
  int closed = 0;
  if (s->row == 0) {
    s->peak = v;
    s->peak_row = 0;
  } else if (s->under) {
    if (v >= s->peak) { /* back at or above the peak: recovered */
      done->peak = s->peak;
      done->trough = s->trough;
      done->peak_row = s->peak_row;
      done->trough_row = s->trough_row;
      done->recovery_row = s->row;
      s->under = 0;
      s->peak = v;
      s->peak_row = s->row;
      closed = 1;
    } else if (v < s->trough) { /* strictly lower: the first row at the low wins */
      s->trough = v;
      s->trough_row = s->row;
    }
  } else if (v >= s->peak) { /* equal highs move the peak, never open an episode */
    s->peak = v;
    s->peak_row = s->row;
  } else {
    s->under = 1;
    s->trough = v;
    s->trough_row = s->row;
  }
  s->row++;
  return closed;
}

int fin_k_dd_finish(const fin_dd *s, fin_dd_episode *open) {
  if (!s->under) return 0;
  open->peak = s->peak;
  open->trough = s->trough;
  open->peak_row = s->peak_row;
  open->trough_row = s->trough_row;
  open->recovery_row = -1;
  return 1;
}

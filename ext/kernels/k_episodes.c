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
  int ev = 0;
  if (s->row > 0) {
    if (fin_k_gain_ok(&s->rule, s->prev, v)) {
      if (s->cur.length == 0) {
        s->cur.start_row = s->row;
        s->cur.start_value = s->prev;
        ev |= FIN_RUN_STARTED;
      }
      s->cur.length++;
      s->cur.end_row = s->row;
      s->cur.end_value = v;
      ev |= FIN_RUN_EXTENDED;
    } else if (s->cur.length > 0) {
      *done = s->cur;
      s->cur.length = 0;
      ev |= FIN_RUN_ENDED;
    }
  }
  s->prev = v;
  s->row++;
  return ev;
}

int fin_k_runs_finish(fin_runs *s, fin_run *done) {
  if (s->cur.length == 0) return 0;
  *done = s->cur;
  s->cur.length = 0;
  return 1;
}

void fin_k_dd_init(fin_dd *s) { memset(s, 0, sizeof *s); }

int fin_k_dd_push(fin_dd *s, double v, fin_dd_episode *done) {
  int ev = 0;
  int64_t row = s->row++;
  if (s->under && v >= s->high.v) { /* back at or above the peak: recovered */
    done->peak = s->high.v;
    done->trough = s->trough;
    done->peak_row = s->high.row;
    done->trough_row = s->trough_row;
    done->recovery_row = row;
    s->under = 0;
    ev |= FIN_DD_RECOVERED;
  }
  if (fin_k_high_push(&s->high, v, row)) return ev | FIN_DD_PEAK; /* equal highs never open one */
  if (!s->under || v < s->trough) { /* strictly lower: the first row at the low wins */
    s->under = 1;
    s->trough = v;
    s->trough_row = row;
    ev |= FIN_DD_TROUGH;
  }
  return ev;
}

int fin_k_dd_finish(const fin_dd *s, fin_dd_episode *open) {
  if (!s->under) return 0;
  open->peak = s->high.v;
  open->trough = s->trough;
  open->peak_row = s->high.row;
  open->trough_row = s->trough_row;
  open->recovery_row = -1;
  return 1;
}

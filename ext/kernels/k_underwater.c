/*
** k_underwater.c - time under water: the drawdowns of a run of prices
** from its own running high, summed and timed for the measures built on
** them (measures_dd.c): the Ulcer index (the root of the mean of dd^2),
** the pain index (the mean of |dd|), and the longest and the current
** episode under water, in rows and in time units.
**
** An episode follows fin_drawdowns' rule (k_episodes.c): the peak is the
** last row at the running high, the episode lasts until the first row back
** at or above it (the recovery) or, while under water, to the last row;
** equal highs never start one. Its length is recovery (or last) row minus
** peak row, and its time the same difference of their times.
**
** Pushing a price is O(1). A frame that slides is a different matter:
** when the oldest price leaves, every row up to the next price at least
** as high as it has a lower running high, and so a different drawdown.
** The caller then resets and pushes the frame again (O(frame)), except in
** the case fin_k_uw_drop_first covers: the price after the one leaving is
** at least as high, so no running high changes.
*/
#include <string.h>
#include "kernels.h"

void fin_k_uw_reset(fin_uw *u) { memset(u, 0, sizeof *u); }

void fin_k_uw_push(fin_uw *u, double t, double v) {
  int64_t row = u->n++;
  u->last_t = t;
  if (!u->has || v >= u->high) {
    /* At or above the high: an episode ends here when the rows since the
    ** peak were under water (more than one row apart). */
    if (u->has && row - u->high_row >= 2) {
      if (row - u->high_row > u->longest) u->longest = row - u->high_row;
      if (t - u->high_t > u->longest_t) u->longest_t = t - u->high_t;
    }
    u->has = 1;
    u->high = v;
    u->high_t = t;
    u->high_row = row;
    return;
  }
  double dd = fin_k_pct_change(v, u->high);
  u->sum2 += dd * dd;
  u->sum1 -= dd;
  /* the open episode, to this row */
  if (row - u->high_row > u->longest) u->longest = row - u->high_row;
  if (t - u->high_t > u->longest_t) u->longest_t = t - u->high_t;
}

/*
** frames.c - what the aggregates share about the frames SQLite feeds them:
** the rows a plain aggregate may drop (fin_keep, fin_ext.h), and the one
** message for a frame that slides after they were dropped.
*/
#include "../fin_ext.h"

int fin_keep_inverse(sqlite3_context *ctx, const fin_keep *k) {
  if (!k->dropped) return 0;
  const char *fn = fin_fn_of(ctx)->name;
  fin_result_error(ctx, sqlite3_mprintf("%s(): this window frame held more than %d rows before "
                                        "its first result and then slid (a FOLLOWING end that "
                                        "far ahead): frames that slide must first hold at most "
                                        "%d rows",
                                        fn, FIN_KEEP_ROWS, FIN_KEEP_ROWS));
  return 1;
}

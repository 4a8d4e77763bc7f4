/*
** frames.c - what the aggregates share about the frames SQLite feeds them:
** the rows a plain aggregate may drop (fin_keep, fin_ext.h), and the one
** message for a frame that slides after they were dropped; and the frame
** rules of the running window functions (fin_running, fin_ext.h), which
** running.c and indicators.c apply with the same messages.
*/
#include <string.h>
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

/* ------------------------------------------------------------ fin_running */
void *fin_running_ctx(sqlite3_context *ctx, int size) {
  void *p = sqlite3_aggregate_context(ctx, size);
  if (!p && size > 0) sqlite3_result_error_nomem(ctx);
  return p;
}

/* SQLite asks for one value per row, or per group of peers, once the frame
** has reached it. Two values with no row stepped between them mean the
** frame ends after the current row (FOLLOWING), so the value would be a
** later row's, or a FILTER clause kept a row from the function: both are
** refused (NULL prices are skipped, which is what FILTER would do). */
void *fin_running_valued(sqlite3_context *ctx) {
  fin_running *b = fin_running_ctx(ctx, 0);
  if (!b) return NULL;
  if (b->valued && b->rows == b->rows_at_value) {
    const fin_fn *f = fin_fn_of(ctx);
    fin_result_error(ctx, sqlite3_mprintf("%s(): needs a window frame that ends at the current "
                                          "row (no FOLLOWING) and no FILTER clause; to leave rows "
                                          "out, pass NULL for them: %s(CASE WHEN ... THEN price "
                                          "END)",
                                          f->name, f->name));
    return NULL;
  }
  b->valued = 1;
  b->rows_at_value = b->rows;
  return b;
}

static int running_read(sqlite3_context *ctx, fin_running *b, sqlite3_value *v, const char *arg,
                        int price, double *out) {
  char *err = NULL;
  const char *fn = fin_fn_of(ctx)->name;
  b->rows++;
  int rc = price ? fin_read_price(v, fn, arg, out, &err) : fin_read_number(v, fn, arg, out, &err);
  b->last_null = rc == FIN_READ_NULL;
  if (rc == FIN_READ_ERR) fin_result_error(ctx, err);
  return rc == FIN_READ_OK;
}

int fin_running_price(sqlite3_context *ctx, fin_running *b, sqlite3_value *v, double *out) {
  return running_read(ctx, b, v, "price", 1, out);
}

int fin_running_number(sqlite3_context *ctx, fin_running *b, sqlite3_value *v, const char *arg,
                       double *out) {
  return running_read(ctx, b, v, arg, 0, out);
}

void fin_running_no_sliding(sqlite3_context *ctx, const fin_fn_list *family, const char *family_name,
                            fin_xfunc no_slide) {
  char *can = sqlite3_mprintf("");
  const char *prev = "";
  for (size_t i = 0; can && i < family->n; i++) {
    const fin_fn *f = &family->fn[i];
    if (f->xInverse == no_slide || strcmp(f->name, prev) == 0) continue;
    char *more = sqlite3_mprintf("%s%s%s", can, *can ? " and " : "", f->name);
    sqlite3_free(can);
    can = more;
    prev = f->name;
  }
  fin_result_error(ctx, can ? sqlite3_mprintf("%s(): needs a window frame that starts at UNBOUNDED "
                                              "PRECEDING (the default); of the %s only %s work on "
                                              "sliding frames",
                                              fin_fn_of(ctx)->name, family_name, can)
                            : NULL);
  sqlite3_free(can);
}

int fin_running_as_aggregate(sqlite3_context *ctx, const fin_running *b) {
  if (!b || b->valued || b->rows == 0) return 0;
  /* EXCLUDE makes SQLite drive a window function like a plain aggregate
  ** (xFinal on a fresh context per row), so it lands here too. */
  const fin_fn *f = fin_fn_of(ctx);
  fin_result_error(ctx, sqlite3_mprintf("%s(): is a window function: use %s(%s) OVER "
                                        "(PARTITION BY ... ORDER BY time), without EXCLUDE",
                                        f->name, f->name, f->usage));
  return 1;
}

/*
** fin_ext.h - what the SQLite glue files of sqlite-fin share: the API
** pointer, the registration entry points of each file, and the argument
** validation helpers (args.c) that give every function the same rules and
** the same error messages.
*/
#ifndef FIN_EXT_H
#define FIN_EXT_H

#include "sqlite3ext.h"
SQLITE_EXTENSION_INIT3

#include "kernels.h"

/* Longest window or horizon, in rows, that any function accepts: 10
** million rows is 40,000 years of daily closes. Larger is a typo. */
#define FIN_MAX_ROWS 10000000

/* The callbacks that fin.c registers. */
typedef void (*fin_xfunc)(sqlite3_context *, int, sqlite3_value **);
typedef void (*fin_xfinal)(sqlite3_context *);

/* scalar.c */
void fin_version_func(sqlite3_context *, int, sqlite3_value **);
void fin_pct_change_func(sqlite3_context *, int, sqlite3_value **);
void fin_log_return_func(sqlite3_context *, int, sqlite3_value **);
void fin_cagr_func(sqlite3_context *, int, sqlite3_value **);
void fin_annualize_func(sqlite3_context *, int, sqlite3_value **);

/* running.c */
void fin_no_sliding_inverse(sqlite3_context *, int, sqlite3_value **);
void fin_rolling_step(sqlite3_context *, int, sqlite3_value **);
void fin_rolling_value(sqlite3_context *);
void fin_rolling_final(sqlite3_context *);
void fin_drawdown_step(sqlite3_context *, int, sqlite3_value **);
void fin_since_peak_step(sqlite3_context *, int, sqlite3_value **);
void fin_peak_inverse(sqlite3_context *, int, sqlite3_value **);
void fin_drawdown_value(sqlite3_context *);
void fin_since_peak_value(sqlite3_context *);
void fin_drawdown_final(sqlite3_context *);
void fin_since_peak_final(sqlite3_context *);
void fin_streak_step(sqlite3_context *, int, sqlite3_value **);
void fin_streak_value(sqlite3_context *);
void fin_streak_final(sqlite3_context *);
void fin_up_streak_step(sqlite3_context *, int, sqlite3_value **);
void fin_down_streak_step(sqlite3_context *, int, sqlite3_value **);
void fin_updown_value(sqlite3_context *);
void fin_up_streak_final(sqlite3_context *);
void fin_down_streak_final(sqlite3_context *);
void fin_ytd_step(sqlite3_context *, int, sqlite3_value **);
void fin_qtd_step(sqlite3_context *, int, sqlite3_value **);
void fin_mtd_step(sqlite3_context *, int, sqlite3_value **);
void fin_ptd_value(sqlite3_context *);
void fin_ytd_final(sqlite3_context *);
void fin_qtd_final(sqlite3_context *);
void fin_mtd_final(sqlite3_context *);

/* aggregates.c */
void fin_total_return_step(sqlite3_context *, int, sqlite3_value **);
void fin_total_return_inverse(sqlite3_context *, int, sqlite3_value **);
void fin_total_return_value(sqlite3_context *);
void fin_total_return_final(sqlite3_context *);
void fin_compound_step(sqlite3_context *, int, sqlite3_value **);
void fin_compound_inverse(sqlite3_context *, int, sqlite3_value **);
void fin_compound_value(sqlite3_context *);
void fin_compound_final(sqlite3_context *);
void fin_max_drawdown_step(sqlite3_context *, int, sqlite3_value **);
void fin_max_drawdown_inverse(sqlite3_context *, int, sqlite3_value **);
void fin_max_drawdown_value(sqlite3_context *);
void fin_max_drawdown_final(sqlite3_context *);
void fin_quantile_step(sqlite3_context *, int, sqlite3_value **);
void fin_quantile_inverse(sqlite3_context *, int, sqlite3_value **);
void fin_quantile_value(sqlite3_context *);
void fin_quantile_final(sqlite3_context *);

/* tables.c: the one module behind every table-valued function; its
** client data (pAux) is the table's fin_tvf description (source.h). */
extern const sqlite3_module fin_tvf_module;

/* Results of the readers below. */
#define FIN_READ_OK 0
#define FIN_READ_NULL 1  /* SQL NULL: skip the row */
#define FIN_READ_ERR 2   /* *err holds a message from sqlite3_mprintf */

/* Describes any value in an error message: 42, 1.5, text 'abc', a blob. */
char *fin_describe(sqlite3_value *v);
/* "<fn>(): <arg> must be <rule>, got <value>" from sqlite3_mprintf. */
char *fin_must_be(const char *fn, const char *arg, const char *rule, sqlite3_value *v);

/* A finite number (INTEGER or REAL storage class; text is refused even when
** it looks numeric, so that a badly typed column is noticed). */
int fin_read_number(sqlite3_value *v, const char *fn, const char *arg, double *out, char **err);
/* A number > 0. */
int fin_read_price(sqlite3_value *v, const char *fn, const char *arg, double *out, char **err);
/* A whole number in [lo, hi]; NULL is an error too. */
int fin_read_count(sqlite3_value *v, const char *fn, const char *arg, int64_t lo, int64_t hi,
                   int64_t *out, char **err);
/* A time: ISO-8601 text (-> Julian day) or a number (taken as it is). When
** as_date is set, a number must be a Julian day between 0000 and 9999.
** *is_text tells which form was given. */
int fin_read_time(sqlite3_value *v, const char *fn, const char *arg, int as_date, double *out,
                  int *is_text, char **err);

/* Reports err (freed) on ctx, or SQLITE_NOMEM when err is NULL. */
void fin_result_error(sqlite3_context *ctx, char *err);

/* A value that must stay the same for every row of a call (a window size,
** a threshold): the first row fixes it, later rows must repeat it. */
typedef struct fin_const {
  int set;
  double v;
} fin_const;
int fin_const_check(fin_const *c, double v, const char *fn, const char *arg, char **err);

#endif

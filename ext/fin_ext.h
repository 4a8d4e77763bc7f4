/*
** fin_ext.h - what the SQLite glue files of sqlite-fin share: the API
** pointer, the function descriptor each file lists its functions with, and
** the argument validation helpers (args.c) that give every function the
** same rules and the same error messages.
*/
#ifndef FIN_EXT_H
#define FIN_EXT_H

#include "sqlite3ext.h"
SQLITE_EXTENSION_INIT3

#include "kernels/kernels.h"

/* Longest window or horizon, in rows, that any function accepts: 10
** million rows is 40,000 years of daily closes. Larger is a typo. */
#define FIN_MAX_ROWS 10000000

/* One SQL function, described once, beside its code. The glue file that
** implements a function lists its descriptors in a fin_fn_list; fin.c walks
** the lists and registers each descriptor with itself as the user data, so
** every callback finds its SQL name (for messages), its argument list and
** its variant through fin_fn_of(ctx): a name is written once.
** Scalars set xFunc; aggregates and window functions set xStep and
** xFinal (and xValue, xInverse when they work under OVER). */
typedef void (*fin_xfunc)(sqlite3_context *, int, sqlite3_value **);
typedef void (*fin_xfinal)(sqlite3_context *);
typedef struct fin_fn {
  const char *name;  /* SQL name */
  int nArg;          /* -1: any number */
  int flags;         /* SQLITE_UTF8 | ... (FIN_PURE for pure math) */
  const char *usage; /* the argument list for messages: "price, n" */
  int variant;       /* tells a shared callback which function it serves */
  fin_xfunc xFunc;
  fin_xfunc xStep;
  fin_xfinal xFinal;
  fin_xfinal xValue;
  fin_xfunc xInverse;
} fin_fn;
typedef struct fin_fn_list {
  const fin_fn *fn;
  size_t n;
} fin_fn_list;
#define FIN_FN_LIST(arr) {arr, sizeof arr / sizeof arr[0]}

/* Pure functions compute from their arguments only (STYLE.md flag policy). */
#define FIN_PURE (SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS)

/* The descriptor of the function a callback serves. */
static inline const fin_fn *fin_fn_of(sqlite3_context *ctx) {
  return (const fin_fn *)sqlite3_user_data(ctx);
}

/* The lists fin.c registers: scalar.c, running.c, aggregates.c, risk.c,
** pictures.c. */
extern const fin_fn_list fin_scalar_fns, fin_running_fns, fin_aggregate_fns, fin_risk_fns,
    fin_picture_fns;

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
/* A threshold as a fraction (0.01 = 1%): a number >= 0, and < 1 when
** below_one is set (a loss or a depth cannot reach 100%). */
int fin_read_threshold(sqlite3_value *v, const char *fn, const char *arg, int below_one,
                       double *out, char **err);
/* A whole number in [lo, hi]; NULL is an error too. */
int fin_read_count(sqlite3_value *v, const char *fn, const char *arg, int64_t lo, int64_t hi,
                   int64_t *out, char **err);
/* A time: ISO-8601 text (-> Julian day) or a number (taken as it is). When
** as_date is set, a number must be a Julian day of the years 0001 to 9999.
** *is_text tells which form was given. */
int fin_read_time(sqlite3_value *v, const char *fn, const char *arg, int as_date, double *out,
                  int *is_text, char **err);

/* A time for messages: the ISO date (and time of day, UTC) of a Julian day
** that came from text, or the number as given. */
char *fin_describe_time(double t, int is_text);
/* The one message for a time that breaks the time-order rule (kernels.h:
** fin_k_timeline_next), from sqlite3_mprintf; what is "time", or the
** argument's time ("events time") where a table reads two series. */
char *fin_time_error(const char *fn, const char *what, fin_time_verdict v, double t, int is_text);

/* The result of a function: a finite number, or an error naming the
** function where the arithmetic overflowed (inputs are finite, rule 1, so
** outputs must be too). */
void fin_result_double(sqlite3_context *ctx, double x);

/* Reports err (freed) on ctx, or SQLITE_NOMEM when err is NULL. */
void fin_result_error(sqlite3_context *ctx, char *err);

/* A value that must stay the same for every row of a call (a window size,
** a threshold): the first row fixes it, later rows must repeat it. */
typedef struct fin_const {
  int set;
  double v;
} fin_const;
int fin_const_check(fin_const *c, double v, const char *fn, const char *arg, char **err);

/* The (time, price) form of the aggregates (timed.c): pairs kept in a ring
** while they arrive in time order (the OVER (ORDER BY time) case, which
** may slide), and sorted by time at the end when they do not (a plain
** aggregate). A repeated time is an error. */
typedef struct fin_timed {
  fin_ring t, v;   /* the frame's pairs, oldest first */
  fin_timeline tl; /* the time-order rule, while rows come in order */
  int unordered;   /* a time arrived before an earlier one: sort before use */
  int popped;      /* rows have left the frame */
} fin_timed;
void fin_timed_free(fin_timed *p);
/* Reads and keeps (time, price): FIN_READ_OK, FIN_READ_NULL (skip) or
** FIN_READ_ERR (reported on ctx). */
int fin_timed_step(sqlite3_context *ctx, fin_timed *p, sqlite3_value **argv, double *v);
/* Inverse: 0 ok (the oldest pair was dropped, or the row was a NULL, then
** *skip is set); 1 when the rows were out of order (reported). */
int fin_timed_inverse(sqlite3_context *ctx, fin_timed *p, sqlite3_value **argv, int *skip);
/* The values in time order in a new array (one sqlite3_free frees it),
** with the times after them in *times when times is not NULL; NULL with an
** error reported (memory, a repeated time). */
double *fin_timed_sorted(sqlite3_context *ctx, fin_timed *p, double **times);

#endif

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
extern const fin_fn_list fin_indicator_fns; /* indicators.c */
extern const fin_fn_list fin_pack_fns;      /* tables/packed.c: fin_pack, fin_unpack */
/* benchmark_measures.c and range_volatility.c */
extern const fin_fn_list fin_benchmark_measure_fns, fin_range_volatility_fns;

/* Results of the readers below. */
#define FIN_READ_OK 0
#define FIN_READ_NULL 1  /* SQL NULL: skip the row */
#define FIN_READ_ERR 2   /* *err holds a message from sqlite3_mprintf */

/* How many of the first max bytes of UTF-8 text z to show in a message
** without cutting a character in two (a cut character makes the whole
** message invalid UTF-8, which Python's sqlite3 cannot even decode). */
int fin_utf8_prefix(const char *z, int max);
/* Describes any value in an error message: 42, 1.5, text 'abc', a blob. */
char *fin_describe(sqlite3_value *v);
/* "<fn>(): <arg> must be <rule>, got <value>" from sqlite3_mprintf. */
char *fin_must_be(const char *fn, const char *arg, const char *rule, sqlite3_value *v);

/* A finite number (INTEGER or REAL storage class; text is refused even when
** it looks numeric, so that a badly typed column is noticed). */
int fin_read_number(sqlite3_value *v, const char *fn, const char *arg, double *out, char **err);
/* A number > 0. */
int fin_read_price(sqlite3_value *v, const char *fn, const char *arg, double *out, char **err);
/* A calendar period by name: 'year', 'quarter', 'month' or 'week'. */
#define FIN_PERIOD_RULE "'year', 'quarter', 'month' or 'week'"
int fin_read_period(sqlite3_value *v, const char *fn, const char *arg, fin_period *out, char **err);
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
/* A constant number argument (rule 2) that must be > lo (rule says so in
** the message), NULL refused: 1 when an error was reported on ctx. */
int fin_const_param(sqlite3_context *ctx, sqlite3_value *v, const char *arg, double lo, const char *rule,
                    fin_const *c);

/* Plain aggregate or sliding frame? SQLite does not tell an aggregate
** which: both step rows, and only a frame that slides calls xInverse, which
** needs the rows kept to drop the oldest. xValue is the one sign, and
** SQLite calls it for every row of any window, at the latest once the
** first row's frame is read. So an aggregate keeps its rows while that is
** open, and once FIN_KEEP_ROWS rows have been stepped with no xValue it
** is taken for a plain aggregate (or a frame that first holds that many
** rows before it slides): it drops the rows and keeps its summary, so its
** memory stays constant however many rows it sums up (frames.c). An
** inverse after that is an error, never a wrong answer. */
#define FIN_KEEP_ROWS 65536
typedef struct fin_keep {
  int windowed;  /* xValue has run: a window, which may slide */
  int dropped;   /* the rows are gone: only the summary is left */
  int64_t rows;  /* rows stepped while neither was known */
} fin_keep;
/* xStep: 1, once, when the rows kept so far are to be dropped now. */
static inline int fin_keep_step(fin_keep *k) {
  if (k->windowed || k->dropped || ++k->rows <= FIN_KEEP_ROWS) return 0;
  k->dropped = 1;
  return 1;
}
static inline void fin_keep_value(fin_keep *k) { k->windowed = 1; }
/* xInverse: 0 to go on, 1 when the rows are gone (the error is reported). */
int fin_keep_inverse(sqlite3_context *ctx, const fin_keep *k);

/* The running functions' frame rules (frames.c), shared by running.c and
** indicators.c: window functions whose value belongs to the current row.
** Their aggregate contexts start with a fin_running. SQL does not define
** the order in which a plain aggregate (or one under EXCLUDE, which SQLite
** drives the same way) sees its rows, so that use is refused; so is a
** frame that ends after the current row (FOLLOWING: the value would be a
** later row's) and a FILTER clause (it hides rows: pass NULL instead). */
typedef struct fin_running {
  int valued;            /* xValue was called: we are inside OVER */
  int last_null;         /* the last row stepped had a NULL input */
  int64_t rows;          /* rows stepped, NULL rows included */
  int64_t rows_at_value; /* rows when xValue was last called */
} fin_running;
/* The aggregate context (size 0: NULL when there is none); for size > 0
** an allocation failure is reported and NULL returned. */
void *fin_running_ctx(sqlite3_context *ctx, int size);
/* xValue: the context, marked as used inside OVER, or NULL (nothing to
** answer, or the FOLLOWING / FILTER error reported). */
void *fin_running_valued(sqlite3_context *ctx);
/* xStep: counts the row and reads its price into *out; 1 when there is one
** to use, 0 for a NULL (remembered: the row's result is NULL) or an error
** (reported). */
int fin_running_price(sqlite3_context *ctx, fin_running *b, sqlite3_value *v, double *out);
/* The same for a number that need not be a price (any finite value). */
int fin_running_number(sqlite3_context *ctx, fin_running *b, sqlite3_value *v, const char *arg,
                       double *out);
/* xFinal: 1 (error reported) when the context was stepped but never asked
** for a value, that is used as a plain aggregate or under EXCLUDE. */
int fin_running_as_aggregate(sqlite3_context *ctx, const fin_running *b);
/* The xInverse error of the functions defined from the partition's first
** row; the message names the functions of the family that can slide: those
** whose xInverse is not no_slide. */
void fin_running_no_sliding(sqlite3_context *ctx, const fin_fn_list *family, const char *family_name,
                            fin_xfunc no_slide);

/* The (time, price) form of the aggregates (timed.c). Pairs are kept in a
** ring while they arrive in time order (the OVER (ORDER BY time) case,
** which may slide), and in an ordered map (fin_tmap) from the first pair
** that does not: then every step and inverse costs O(log n), whatever the
** order, and a frame may slide in any order. A repeated time is an error.
** A plain aggregate in time order drops its pairs after FIN_KEEP_ROWS and
** keeps the first and the last (fin_keep): constant memory; a pair out of
** order after that is an error, since the pairs it would go between are
** gone. */
typedef struct fin_timed {
  fin_ring t, v;     /* in order: the frame's pairs, oldest first */
  fin_timeline tl;   /* the time-order rule (and the kind of times) */
  int unordered;     /* a time arrived before an earlier one: map holds the pairs */
  fin_tmap map;      /* the pairs by time, once unordered (op: the caller's summary) */
  fin_keep keep;     /* in order, a plain aggregate keeps first and last only */
  int may_drop;      /* 0: every pair is needed to the end (a chart) */
  double t0, v0, t1, v1; /* after the drop: the first and the last pair */
} fin_timed;
/* op: the summary the map keeps of the values in time order; may_drop: the
** caller needs only the ends and its own summary (fin_keep). */
void fin_timed_init(fin_timed *p, fin_swag_op op, int may_drop);
void fin_timed_free(fin_timed *p);
/* Reads and keeps (time, price): FIN_READ_OK, FIN_READ_NULL (skip) or
** FIN_READ_ERR (reported on ctx). *moved is set when this row moved the
** pairs into the map (the caller's in-order state is then stale), and
** *dropped when the pairs were dropped (the caller drops its own too). */
int fin_timed_step(sqlite3_context *ctx, fin_timed *p, sqlite3_value **argv, double *v, int *moved,
                   int *dropped);
/* xValue: the call is a window. */
static inline void fin_timed_value(fin_timed *p) { fin_keep_value(&p->keep); }
/* Inverse: 0 ok (the pair left the frame, or the row was a NULL, then
** *skip is set); 1 when it cannot (reported). */
int fin_timed_inverse(sqlite3_context *ctx, fin_timed *p, sqlite3_value **argv, int *skip);
/* The frame's earliest and latest pairs: 0 when it is empty. */
int fin_timed_ends(const fin_timed *p, double *t0, double *v0, double *t1, double *v1);
/* The values in time order in a new array (one sqlite3_free frees it),
** with the times after them in *times when times is not NULL; NULL with an
** error reported (memory). */
double *fin_timed_sorted(sqlite3_context *ctx, fin_timed *p, double **times);
/* Pairs in the frame. */
size_t fin_timed_count(const fin_timed *p);

#endif

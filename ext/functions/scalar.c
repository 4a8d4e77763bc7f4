/*
** scalar.c - the scalar functions: fin_version, fin_pct_change,
** fin_log_return, fin_cagr, fin_annualize, fin_period (a date's calendar
** period, labelled as the tables label it), and fin_param (the check of
** the ready queries' parameters; its own rules are at its definition).
**
** Requirements:
**  1. Any NULL argument gives NULL.
**  2. Prices (new, old, start_value, end_value) must be numbers > 0; years,
**     periods and periods_per_year must be numbers > 0; ret must be a
**     number >= -1 (a loss cannot exceed 100%).
**  3. Text, blobs and +-Inf are errors that name the function and argument.
**  4. The result is REAL.
*/
#include <math.h>
#include <string.h>
#include "../fin_ext.h"

#ifndef FIN_VERSION
#define FIN_VERSION "v0.0.0-dev"
#endif

static void version_func(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  (void)argv;
  sqlite3_result_text(ctx, FIN_VERSION, -1, SQLITE_STATIC);
}

/* What each argument of a scalar must be. */
typedef enum { ARG_PRICE, ARG_POSITIVE, ARG_RETURN } arg_kind;

/* Reads argv[0..argc) by kind; 1 when the result is to be NULL or an
** error was reported, 0 when x[] is filled. */
static int read_args(sqlite3_context *ctx, int argc, sqlite3_value **argv, const arg_kind *kind,
                     const char *const *name, double *x) {
  const char *fn = fin_fn_of(ctx)->name;
  for (int i = 0; i < argc; i++) {
    char *err = NULL;
    int rc = kind[i] == ARG_PRICE ? fin_read_price(argv[i], fn, name[i], &x[i], &err)
                                  : fin_read_number(argv[i], fn, name[i], &x[i], &err);
    if (rc == FIN_READ_OK && kind[i] == ARG_POSITIVE && !(x[i] > 0.0)) {
      err = fin_must_be(fn, name[i], "> 0", argv[i]);
      rc = FIN_READ_ERR;
    }
    if (rc == FIN_READ_OK && kind[i] == ARG_RETURN && x[i] < -1.0) {
      err = fin_must_be(fn, name[i], ">= -1", argv[i]);
      rc = FIN_READ_ERR;
    }
    if (rc == FIN_READ_ERR) fin_result_error(ctx, err);
    if (rc != FIN_READ_OK) return 1; /* NULL result unless an error was set */
  }
  return 0;
}

static void pct_change_func(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  static const arg_kind k[] = {ARG_PRICE, ARG_PRICE};
  static const char *const n[] = {"new", "old"};
  double x[2];
  if (read_args(ctx, argc, argv, k, n, x)) return;
  fin_result_double(ctx, fin_k_pct_change(x[0], x[1]));
}

static void log_return_func(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  static const arg_kind k[] = {ARG_PRICE, ARG_PRICE};
  static const char *const n[] = {"new", "old"};
  double x[2];
  if (read_args(ctx, argc, argv, k, n, x)) return;
  fin_result_double(ctx, fin_k_log_return(x[0], x[1]));
}

static void cagr_func(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  static const arg_kind k[] = {ARG_PRICE, ARG_PRICE, ARG_POSITIVE};
  static const char *const n[] = {"start_value", "end_value", "years"};
  double x[3];
  if (read_args(ctx, argc, argv, k, n, x)) return;
  fin_result_double(ctx, fin_k_cagr(x[0], x[1], x[2]));
}

static void annualize_func(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  static const arg_kind k[] = {ARG_RETURN, ARG_POSITIVE, ARG_POSITIVE};
  static const char *const n[] = {"ret", "periods", "periods_per_year"};
  double x[3] = {0, 0, 252.0};
  if (read_args(ctx, argc, argv, k, n, x)) return;
  fin_result_double(ctx, fin_k_annualize(x[0], x[1], x[2]));
}

/* fin_param(value, name [, kind [, found]]): value, when it is set, of its
** kind and (with found) found is true; otherwise an error naming the
** parameter, showing its value and saying how to set it. found is the
** query's own test that the value names something (EXISTS (SELECT 1 FROM
** prices WHERE symbol = @symbol)), so an unknown symbol is an error too. The
** ready queries of sql/ check their parameters with it, so a parameter
** that was never set, or that the shell's .param set turned into a number
** ('2024-07-16' without the outer quotes is 2024 - 7 - 16), stops the
** query instead of answering nothing. */
static void param_func(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  const char *fn = fin_fn_of(ctx)->name;
  if (sqlite3_value_type(argv[1]) != SQLITE_TEXT ||
      (argc > 2 && sqlite3_value_type(argv[2]) != SQLITE_TEXT)) {
    fin_result_error(ctx, sqlite3_mprintf("%s(): name and kind must be text, such as "
                                          "fin_param(@as_of, 'as_of', 'date')",
                                          fn));
    return;
  }
  const char *name = (const char *)sqlite3_value_text(argv[1]);
  const char *kind = argc > 2 ? (const char *)sqlite3_value_text(argv[2]) : "text";
  if (!name || !kind) { /* the text could not be converted */
    sqlite3_result_error_nomem(ctx);
    return;
  }
  while (*name == '@' || *name == ':' || *name == '$') name++;
  /* A choice, 'price|total': the value must be one of the words. */
  const char *bar = strchr(kind, '|');
  char choice[64] = "";
  if (bar) sqlite3_snprintf((int)sizeof choice, choice, "\"'%.*s'\"", (int)(bar - kind), kind);
  /* How to set it in the shell: text in both kinds of quotes. */
  const char *example = bar                            ? choice
                        : strcmp(kind, "date") == 0    ? "\"'2024-07-16'\""
                        : strcmp(kind, "text") == 0    ? "\"'RUT'\""
                        : strcmp(kind, "number") == 0  ? "0.01"
                        : strcmp(kind, "integer") == 0 ? "5"
                                                       : NULL;
  if (!example) {
    fin_result_error(ctx, sqlite3_mprintf("%s(): kind must be 'text', 'date', 'number', "
                                          "'integer' or choices such as 'price|total', got '%s'",
                                          fn, kind));
    return;
  }
  sqlite3_value *v = argv[0];
  int t = sqlite3_value_type(v);
  const char *rule = NULL;
  char *rule_buf = NULL;
  if (t == SQLITE_NULL) {
    rule = "is not set";
  } else if (bar) {
    const char *z = t == SQLITE_TEXT ? (const char *)sqlite3_value_text(v) : NULL;
    int n = z ? sqlite3_value_bytes(v) : -1, found = 0;
    for (const char *w = kind; z && *w && !found;) {
      const char *e = strchr(w, '|');
      int len = e ? (int)(e - w) : (int)strlen(w);
      found = len == n && memcmp(w, z, (size_t)n) == 0;
      w = e ? e + 1 : w + len;
    }
    if (!found) {
      rule = rule_buf = sqlite3_mprintf("must be one of '%s'", kind);
      if (!rule_buf) {
        sqlite3_result_error_nomem(ctx);
        return;
      }
    }
  } else if (kind[0] == 't') {
    if (t != SQLITE_TEXT) rule = "must be text";
  } else if (kind[0] == 'd') {
    const char *z = t == SQLITE_TEXT ? (const char *)sqlite3_value_text(v) : NULL;
    double jd;
    int date_only = 0;
    if (t == SQLITE_TEXT && !z) {
      sqlite3_result_error_nomem(ctx);
      return;
    }
    if (!z || sqlite3_value_bytes(v) != 10 || fin_k_parse_iso(z, 10, &jd, &date_only) || !date_only)
      rule = "must be a date written 'YYYY-MM-DD'";
  } else if (kind[0] == 'n') {
    if (t != SQLITE_INTEGER && t != SQLITE_FLOAT) rule = "must be a number";
  } else if (t != SQLITE_INTEGER) {
    rule = "must be a whole number";
  }
  if (!rule && argc > 3 && sqlite3_value_type(argv[3]) != SQLITE_NULL && !sqlite3_value_int(argv[3]))
    rule = "matches no rows";
  if (!rule) {
    sqlite3_result_value(ctx, v);
    return;
  }
  char *got = t == SQLITE_NULL ? sqlite3_mprintf("") : fin_describe(v);
  int quoted = bar || kind[0] == 't' || kind[0] == 'd';
  fin_result_error(ctx, got ? sqlite3_mprintf("%s(): parameter @%s %s%s%s: in the sqlite3 shell, "
                                              ".param set @%s %s%s; from a program, bind it",
                                              fn, name, rule, t == SQLITE_NULL ? "" : ", got ", got,
                                              name, example,
                                              quoted ? " (text in both kinds of quotes)" : "")
                            : NULL);
  sqlite3_free(got);
  sqlite3_free(rule_buf);
}

/* fin_period(date, period): the label of the calendar period holding the
** date ('2024', '2024-Q3', '2024-07', '2024-W29'), as fin_calendar_returns
** and fin_bars write it, so a GROUP BY of plain SQL meets their rows. date
** is ISO text (a time of day is allowed: the day counts) or a Julian day
** number; NULL in either argument gives NULL. */
static void period_func(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  const char *fn = fin_fn_of(ctx)->name;
  char *err = NULL;
  fin_period per;
  double jd;
  int is_text;
  int r = fin_read_period(argv[1], fn, "period", &per, &err);
  if (r == FIN_READ_OK) r = fin_read_time(argv[0], fn, "date", 1, &jd, &is_text, &err);
  if (r == FIN_READ_NULL) return; /* NULL */
  if (r == FIN_READ_ERR) {
    fin_result_error(ctx, err);
    return;
  }
  char label[FIN_LABEL_MAX];
  fin_k_period_label(jd, per, label);
  sqlite3_result_text(ctx, label, -1, SQLITE_TRANSIENT);
}

static const fin_fn scalars[] = {
    {.name = "fin_version", .nArg = 0, .flags = FIN_PURE, .xFunc = version_func},
    {.name = "fin_pct_change", .nArg = 2, .flags = FIN_PURE, .xFunc = pct_change_func},
    {.name = "fin_log_return", .nArg = 2, .flags = FIN_PURE, .xFunc = log_return_func},
    {.name = "fin_cagr", .nArg = 3, .flags = FIN_PURE, .xFunc = cagr_func},
    {.name = "fin_annualize", .nArg = 2, .flags = FIN_PURE, .xFunc = annualize_func},
    {.name = "fin_annualize", .nArg = 3, .flags = FIN_PURE, .xFunc = annualize_func},
    {.name = "fin_period", .nArg = 2, .flags = FIN_PURE, .xFunc = period_func},
    {.name = "fin_param", .nArg = 2, .flags = FIN_PURE, .xFunc = param_func},
    {.name = "fin_param", .nArg = 3, .flags = FIN_PURE, .xFunc = param_func},
    {.name = "fin_param", .nArg = 4, .flags = FIN_PURE, .xFunc = param_func},
};
const fin_fn_list fin_scalar_fns = FIN_FN_LIST(scalars);

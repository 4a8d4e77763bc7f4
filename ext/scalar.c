/*
** scalar.c - the scalar functions: fin_version, fin_pct_change,
** fin_log_return, fin_cagr, fin_annualize.
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
#include "fin_ext.h"

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


static const fin_fn scalars[] = {
    {.name = "fin_version", .nArg = 0, .flags = FIN_PURE, .xFunc = version_func},
    {.name = "fin_pct_change", .nArg = 2, .flags = FIN_PURE, .xFunc = pct_change_func},
    {.name = "fin_log_return", .nArg = 2, .flags = FIN_PURE, .xFunc = log_return_func},
    {.name = "fin_cagr", .nArg = 3, .flags = FIN_PURE, .xFunc = cagr_func},
    {.name = "fin_annualize", .nArg = 2, .flags = FIN_PURE, .xFunc = annualize_func},
    {.name = "fin_annualize", .nArg = 3, .flags = FIN_PURE, .xFunc = annualize_func},
};
const fin_fn_list fin_scalar_fns = FIN_FN_LIST(scalars);

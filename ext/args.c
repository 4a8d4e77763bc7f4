/*
** args.c - one argument policy for every function and table.
**
** Numbers must have the INTEGER or REAL storage class: text such as '12.5'
** is refused rather than converted, because a price column that holds text
** is almost always a CSV import that went wrong, and converting silently
** would hide rows that do not convert. NaN cannot be stored by SQLite (it
** becomes NULL); +-Inf is refused. Every message names the function and
** the argument and shows the offending value.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "fin_ext.h"

void *fin_malloc(size_t n) { return sqlite3_malloc64(n); }
void fin_free(void *p) { sqlite3_free(p); }

int fin_utf8_prefix(const char *z, int max) {
  int n = 0;
  while (n < max && z[n]) n++;
  if (n < max || !z[n]) return n; /* all of it */
  while (n > 0 && ((unsigned char)z[n] & 0xC0) == 0x80) n--; /* z[n] continues a character */
  return n;
}

char *fin_describe(sqlite3_value *v) {
  switch (sqlite3_value_type(v)) {
    case SQLITE_INTEGER: return sqlite3_mprintf("%lld", sqlite3_value_int64(v));
    case SQLITE_FLOAT: return sqlite3_mprintf("%!.15g", sqlite3_value_double(v));
    case SQLITE_TEXT: {
      const char *z = (const char *)sqlite3_value_text(v);
      int n = sqlite3_value_bytes(v);
      if (n > 40 && z) return sqlite3_mprintf("text '%.*s...'", fin_utf8_prefix(z, 40), z);
      return sqlite3_mprintf("text '%s'", z ? z : "");
    }
    case SQLITE_BLOB: return sqlite3_mprintf("a blob");
    default: return sqlite3_mprintf("NULL");
  }
}

/* Builds "<fn>(): <arg> must be <rule>, got <value>". */
char *fin_must_be(const char *fn, const char *arg, const char *rule, sqlite3_value *v) {
  char *got = fin_describe(v);
  char *msg = got ? sqlite3_mprintf("%s(): %s must be %s, got %s", fn, arg, rule, got) : NULL;
  sqlite3_free(got);
  return msg;
}

int fin_read_number(sqlite3_value *v, const char *fn, const char *arg, double *out, char **err) {
  switch (sqlite3_value_type(v)) {
    case SQLITE_NULL: return FIN_READ_NULL;
    case SQLITE_INTEGER: *out = (double)sqlite3_value_int64(v); return FIN_READ_OK;
    case SQLITE_FLOAT:
      *out = sqlite3_value_double(v);
      if (isfinite(*out)) return FIN_READ_OK;
      *err = fin_must_be(fn, arg, "finite", v);
      return FIN_READ_ERR;
    default: *err = fin_must_be(fn, arg, "a number", v); return FIN_READ_ERR;
  }
}

/* A price stored as text is nearly always a CSV read by the shell's
** .import, which stores every field as text: say so, and how to fix it. */
static char *text_price_error(const char *fn, const char *arg, sqlite3_value *v) {
  const char *z = (const char *)sqlite3_value_text(v);
  if (!z) return NULL;
  char *end = NULL;
  strtod(z, &end);
  int numeric = *z && end && end != z && *end == 0;
  if (numeric)
    return sqlite3_mprintf("%s(): %s must be a number, got text '%.*s' (a number stored as text, "
                           "as .import stores every CSV field; load files with sql/load_csv.sh, or "
                           "pass CAST(%s AS REAL))",
                           fn, arg, fin_utf8_prefix(z, 40), z, arg);
  return fin_must_be(fn, arg, "a number", v);
}

int fin_read_price(sqlite3_value *v, const char *fn, const char *arg, double *out, char **err) {
  if (sqlite3_value_type(v) == SQLITE_TEXT) {
    /* An empty text is a missing number as CSV importers store it (the
    ** shell's .import, sqlite-utils in a FLOAT column): NULL, skipped. */
    if (sqlite3_value_bytes(v) == 0) return FIN_READ_NULL;
    *err = text_price_error(fn, arg, v);
    return FIN_READ_ERR;
  }
  int rc = fin_read_number(v, fn, arg, out, err);
  if (rc == FIN_READ_OK && !(*out > 0.0)) {
    *err = fin_must_be(fn, arg, "> 0", v);
    return FIN_READ_ERR;
  }
  return rc;
}

int fin_read_period(sqlite3_value *v, const char *fn, const char *arg, fin_period *out, char **err) {
  if (sqlite3_value_type(v) == SQLITE_NULL) return FIN_READ_NULL;
  const char *z = sqlite3_value_type(v) == SQLITE_TEXT ? (const char *)sqlite3_value_text(v) : NULL;
  if (z && !fin_k_parse_period(z, out)) return FIN_READ_OK;
  /* no text of a text value: out of memory, *err stays NULL */
  if (z || sqlite3_value_type(v) != SQLITE_TEXT) *err = fin_must_be(fn, arg, FIN_PERIOD_RULE, v);
  return FIN_READ_ERR;
}

int fin_read_threshold(sqlite3_value *v, const char *fn, const char *arg, int below_one,
                       double *out, char **err) {
  int rc = fin_read_number(v, fn, arg, out, err);
  if (rc == FIN_READ_OK && (*out < 0.0 || (below_one && *out >= 1.0))) {
    *err = fin_must_be(fn, arg, below_one ? ">= 0 and < 1" : ">= 0", v);
    return FIN_READ_ERR;
  }
  return rc;
}

int fin_read_count(sqlite3_value *v, const char *fn, const char *arg, int64_t lo, int64_t hi,
                   int64_t *out, char **err) {
  int t = sqlite3_value_type(v);
  double d = t == SQLITE_FLOAT ? sqlite3_value_double(v) : 0.0;
  if (t == SQLITE_INTEGER || (t == SQLITE_FLOAT && d == floor(d) && fabs(d) < 9e15)) {
    int64_t n = t == SQLITE_INTEGER ? sqlite3_value_int64(v) : (int64_t)d;
    if (n >= lo && n <= hi) {
      *out = n;
      return FIN_READ_OK;
    }
    char rule[96];
    sqlite3_snprintf(sizeof rule, rule, "between %lld and %lld", (long long)lo, (long long)hi);
    *err = fin_must_be(fn, arg, rule, v);
    return FIN_READ_ERR;
  }
  *err = fin_must_be(fn, arg, "a whole number", v);
  return FIN_READ_ERR;
}

int fin_read_time(sqlite3_value *v, const char *fn, const char *arg, int as_date, double *out,
                  int *is_text, char **err) {
  int t = sqlite3_value_type(v);
  if (t == SQLITE_NULL) return FIN_READ_NULL;
  if (t == SQLITE_TEXT) {
    int date_only;
    const char *z = (const char *)sqlite3_value_text(v);
    if (!z) { /* out of memory converting the text: no message (NULL means OOM) */
      *err = NULL;
      return FIN_READ_ERR;
    }
    int rc = fin_k_parse_iso(z, sqlite3_value_bytes(v), out, &date_only);
    if (rc == 0) {
      *is_text = 1;
      return FIN_READ_OK;
    }
    *err = fin_must_be(fn, arg,
                       rc == FIN_ISO_RANGE ? "a time of the years 0001 to 9999 (UTC)"
                                           : "ISO-8601 text (YYYY-MM-DD) or a number",
                       v);
    return FIN_READ_ERR;
  }
  if (t == SQLITE_INTEGER || t == SQLITE_FLOAT) {
    *out = sqlite3_value_double(v);
    *is_text = 0;
    if (!isfinite(*out)) {
      *err = fin_must_be(fn, arg, "finite", v);
      return FIN_READ_ERR;
    }
    if (as_date && (*out < FIN_JD_MIN || *out >= FIN_JD_END)) {
      *err = fin_must_be(fn, arg, "ISO-8601 text or a Julian day number (0001-01-01 to 9999-12-31)", v);
      return FIN_READ_ERR;
    }
    return FIN_READ_OK;
  }
  *err = fin_must_be(fn, arg, "ISO-8601 text (YYYY-MM-DD) or a number", v);
  return FIN_READ_ERR;
}

char *fin_describe_time(double t, int is_text) {
  if (!is_text) return sqlite3_mprintf("%!.15g", t);
  int y, m, d;
  fin_k_jd_to_ymd(t, &y, &m, &d);
  /* the time of day to the millisecond, the resolution of times */
  int64_t ms = (int64_t)floor((t - floor(t - 0.5) - 0.5) * 86400000.0 + 0.5);
  if (ms <= 0) return sqlite3_mprintf("%04d-%02d-%02d", y, m, d);
  int s = (int)(ms / 1000), f = (int)(ms % 1000);
  if (f) return sqlite3_mprintf("%04d-%02d-%02d %02d:%02d:%02d.%03d UTC", y, m, d, s / 3600, s / 60 % 60, s % 60, f);
  return sqlite3_mprintf("%04d-%02d-%02d %02d:%02d:%02d UTC", y, m, d, s / 3600, s / 60 % 60, s % 60);
}

char *fin_time_error(const char *fn, const char *what, fin_time_verdict v, double t, int is_text) {
  if (v == FIN_TIME_MIXED)
    return sqlite3_mprintf("%s(): %s must be all ISO-8601 text or all numbers, not both", fn, what);
  char *z = fin_describe_time(t, is_text);
  char *msg = !z ? NULL
              : v == FIN_TIME_REPEAT && strchr(z, ':')
                  ? sqlite3_mprintf("%s(): %s must not repeat, got %s twice (times are compared to "
                                    "the millisecond)",
                                    fn, what, z)
              : v == FIN_TIME_REPEAT
                  ? sqlite3_mprintf("%s(): %s must not repeat, got %s twice", fn, what, z)
                  : sqlite3_mprintf("%s(): %s must increase from row to row (ORDER BY time), "
                                    "got %s after a later time",
                                    fn, what, z);
  sqlite3_free(z);
  return msg;
}

void fin_result_double(sqlite3_context *ctx, double x) {
  if (isfinite(x)) {
    sqlite3_result_double(ctx, x);
    return;
  }
  fin_result_error(ctx, sqlite3_mprintf("%s(): the result is too large to represent (%s)",
                                        fin_fn_of(ctx)->name, x > 0 ? "+Inf" : x < 0 ? "-Inf" : "NaN"));
}

void fin_result_error(sqlite3_context *ctx, char *err) {
  if (!err) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  sqlite3_result_error(ctx, err, -1);
  sqlite3_free(err);
}

int fin_const_check(fin_const *c, double v, const char *fn, const char *arg, char **err) {
  if (!c->set) {
    c->set = 1;
    c->v = v;
    return FIN_READ_OK;
  }
  if (c->v == v) return FIN_READ_OK;
  *err = sqlite3_mprintf("%s(): %s must be the same for every row, got %.15g after %.15g", fn, arg,
                         v, c->v);
  return FIN_READ_ERR;
}

int fin_const_param(sqlite3_context *ctx, sqlite3_value *v, const char *arg, double lo, const char *rule,
                    fin_const *c) {
  const char *fn = fin_fn_of(ctx)->name;
  char *err = NULL;
  double x;
  int rc = fin_read_number(v, fn, arg, &x, &err);
  if (rc == FIN_READ_OK && !(x > lo)) {
    err = fin_must_be(fn, arg, rule, v);
    rc = FIN_READ_ERR;
  } else if (rc == FIN_READ_NULL) {
    err = sqlite3_mprintf("%s(): %s must be %s, got NULL", fn, arg, rule);
    rc = FIN_READ_ERR;
  }
  if (rc == FIN_READ_OK) rc = fin_const_check(c, x, fn, arg, &err);
  if (rc != FIN_READ_OK) fin_result_error(ctx, err);
  return rc != FIN_READ_OK;
}

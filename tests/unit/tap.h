/*
** tap.h - a minimal TAP producer for the C unit tests (Debian ships no C
** TAP library). plan(n) first; every check prints "ok N - name" or
** "not ok N - name" with "# got / expected" lines; done() returns the exit
** status, non-zero when a check failed or the count missed the plan.
*/
#ifndef FIN_TAP_H
#define FIN_TAP_H

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int tap_planned, tap_run, tap_failed;

static void plan(int n) {
  tap_planned = n;
  printf("1..%d\n", n);
}

static void diag(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fflush(stdout); /* diagnostics go to stderr, so prove shows them */
  fprintf(stderr, "# ");
  vfprintf(stderr, fmt, ap);
  fprintf(stderr, "\n");
  va_end(ap);
}

static int ok(int cond, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  printf("%s %d - ", cond ? "ok" : "not ok", ++tap_run);
  vprintf(fmt, ap);
  printf("\n");
  va_end(ap);
  if (!cond) tap_failed++;
  return cond;
}

#define is_int(got, want, ...)                                                       \
  do {                                                                               \
    long long g_ = (long long)(got), w_ = (long long)(want);                         \
    if (!ok(g_ == w_, __VA_ARGS__)) diag("got %lld, expected %lld", g_, w_);         \
  } while (0)

/* Equal within eps, absolute or relative to the expected magnitude. */
#define is_double(got, want, eps, ...)                                               \
  do {                                                                               \
    double g_ = (got), w_ = (want);                                                  \
    int c_ = (isnan(g_) && isnan(w_)) || fabs(g_ - w_) <= (eps) * (1.0 + fabs(w_));  \
    if (!ok(c_, __VA_ARGS__)) diag("got %.17g, expected %.17g", g_, w_);             \
  } while (0)

#define is_str(got, want, ...)                                                       \
  do {                                                                               \
    const char *g_ = (got), *w_ = (want);                                            \
    if (!ok(g_ && strcmp(g_, w_) == 0, __VA_ARGS__))                                 \
      diag("got '%s', expected '%s'", g_ ? g_ : "(null)", w_);                       \
  } while (0)

static int done(void) {
  if (tap_run != tap_planned) diag("planned %d checks, ran %d", tap_planned, tap_run);
  return tap_failed || tap_run != tap_planned;
}

#endif

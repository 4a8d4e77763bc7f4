/*
** fuzz_date.c - the ISO-8601 parser and the calendar behind every date:
** any bytes either fail to parse or give a Julian day inside the accepted
** years, whose civil date parses back to the same day, whose period labels
** have four-digit years, and which the same-month date cache reproduces.
*/
#include <stdint.h>
#include "fuzz.h"
#include "kernels.h"

static void require(int cond, const char *what, const unsigned char *d, size_t n) {
  if (cond) return;
  fprintf(stderr, "%s for input '%.*s'\n", what, (int)n, (const char *)d);
  abort();
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size) {
  if (size > 64) return 0;
  char z[65];
  memcpy(z, data, size);
  z[size] = 0;
  double jd;
  int date_only;
  if (fin_k_parse_iso(z, (int)size, &jd, &date_only) != 0) return 0;
  require(jd >= FIN_JD_MIN && jd < FIN_JD_END, "a parsed time outside 0001..9999", data, size);
  int y, m, d;
  fin_k_jd_to_ymd(jd, &y, &m, &d);
  require(y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= 31, "a civil date out of range",
          data, size);
  char day[16];
  snprintf(day, sizeof day, "%04d-%02d-%02d", y, m, d);
  double jd2;
  int only2;
  require(fin_k_parse_iso(day, 10, &jd2, &only2) == 0 && only2, "the civil date does not parse", data, size);
  require(jd2 == floor(jd - 0.5) + 0.5, "the civil date is another day", data, size);
  for (int p = FIN_YEAR; p <= FIN_WEEK; p++) {
    char label[FIN_LABEL_MAX];
    fin_k_period_label(jd, (fin_period)p, label);
    require(label[0] >= '0' && label[0] <= '9' && label[4] == (p == FIN_YEAR ? 0 : '-'),
            "a period label without a four-digit year", data, size);
    double lo, hi;
    fin_k_period_bounds(jd, (fin_period)p, &lo, &hi);
    require(lo <= jd && jd < hi, "a day outside its period's bounds", data, size);
  }
  /* The same-month cache must agree with the parser. */
  fin_date_cache c = {{0}, 0};
  fin_k_date_remember(&c, day, 10, jd2);
  char other[16];
  snprintf(other, sizeof other, "%04d-%02d-%02d", y, m, (d % 28) + 1);
  double via_cache, via_parse;
  int o;
  if (fin_k_date_cached(&c, other, 10, &via_cache))
    require(fin_k_parse_iso(other, 10, &via_parse, &o) == 0 && via_parse == via_cache,
            "the date cache disagrees with the parser", data, size);
  return 0;
}

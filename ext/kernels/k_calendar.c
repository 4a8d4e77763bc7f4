/*
** k_calendar.c - dates for period returns: ISO-8601 text to Julian day,
** Julian day to civil date, and calendar period ids and labels.
**
** Day arithmetic uses a count of days since 1970-01-01 on the proleptic
** Gregorian calendar (the calendar SQLite's date functions use), so a
** Julian day from julianday('2024-07-15') and the text '2024-07-15' land
** on the same day and the same period.
*/
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "kernels.h"

#define JD_UNIX_EPOCH 2440587.5 /* 1970-01-01 00:00 */

static int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) q--;
  return q;
}

/* Days since 1970-01-01 of a civil date (era-based: exact for all years). */
static int64_t days_from_civil(int64_t y, int m, int d) {
  y -= m <= 2;
  int64_t era = floor_div(y, 400);
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int *y, int *m, int *d) {
  z += 719468;
  int64_t era = floor_div(z, 146097);
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  *d = (int)(doy - (153 * mp + 2) / 5 + 1);
  *m = (int)(mp < 10 ? mp + 3 : mp - 9);
  *y = (int)(yoe + era * 400 + (*m <= 2));
}

static int64_t day_of_jd(double jd) { return (int64_t)floor(jd - JD_UNIX_EPOCH); }

void fin_k_jd_to_ymd(double jd, int *y, int *m, int *d) {
  civil_from_days(day_of_jd(jd), y, m, d);
}

double fin_k_ymd_to_jd(int y, int m, int d) { return (double)days_from_civil(y, m, d) + JD_UNIX_EPOCH; }

static int days_in_month(int y, int m) {
  static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
  return dm[m - 1];
}

double fin_k_shift(double jd, int months, int days) {
  int64_t day = day_of_jd(jd);
  double frac = jd - JD_UNIX_EPOCH - (double)day; /* the time of day stays */
  if (months) {
    int y, m, d;
    civil_from_days(day, &y, &m, &d);
    int64_t mm = (int64_t)y * 12 + (m - 1) + months;
    int64_t ny = floor_div(mm, 12);
    int nm = (int)(mm - ny * 12) + 1;
    int last = days_in_month((int)ny, nm);
    day = days_from_civil(ny, nm, d > last ? last : d); /* Jan 31 + 1 month: Feb 28/29 */
  }
  return JD_UNIX_EPOCH + (double)(day + days) + frac;
}

/* Reads exactly n digits at z[*i]; -1 if any is not a digit. */
static int digits(const char *z, int len, int *i, int n) {
  int v = 0;
  for (int k = 0; k < n; k++) {
    if (*i >= len || z[*i] < '0' || z[*i] > '9') return -1;
    v = v * 10 + (z[(*i)++] - '0');
  }
  return v;
}

int fin_k_parse_iso(const char *z, int n, double *jd, int *date_only) {
  /* Fast path: exactly YYYY-MM-DD, the form of nearly every daily series. */
  if (n == 10 && z[4] == '-' && z[7] == '-') {
    unsigned d[8] = {(unsigned)(z[0] - '0'), (unsigned)(z[1] - '0'), (unsigned)(z[2] - '0'),
                     (unsigned)(z[3] - '0'), (unsigned)(z[5] - '0'), (unsigned)(z[6] - '0'),
                     (unsigned)(z[8] - '0'), (unsigned)(z[9] - '0')};
    if ((d[0] | d[1] | d[2] | d[3] | d[4] | d[5] | d[6] | d[7]) < 10) {
      int y = (int)(d[0] * 1000 + d[1] * 100 + d[2] * 10 + d[3]);
      int m = (int)(d[4] * 10 + d[5]), dd = (int)(d[6] * 10 + d[7]);
      if (m < 1 || m > 12 || dd < 1 || dd > days_in_month(y, m)) return FIN_ISO_MALFORMED;
      *date_only = 1;
      *jd = (double)days_from_civil(y, m, dd) + JD_UNIX_EPOCH;
      return *jd >= FIN_JD_MIN ? 0 : FIN_ISO_RANGE;
    }
  }
  /* No blank before the date: the tables order times as text, and ' 2024-01-04'
  ** would sort before every date. */
  int i = 0;
  int y = digits(z, n, &i, 4);
  if (y < 0 || i >= n || z[i++] != '-') return FIN_ISO_MALFORMED;
  int m = digits(z, n, &i, 2);
  if (m < 1 || m > 12 || i >= n || z[i++] != '-') return FIN_ISO_MALFORMED;
  int d = digits(z, n, &i, 2);
  if (d < 1 || d > days_in_month(y, m)) return FIN_ISO_MALFORMED;
  int64_t ms = 0; /* the time of day in milliseconds: the resolution of times, as SQLite's */
  *date_only = 1;
  if (i < n && (z[i] == 'T' || z[i] == 't' || z[i] == ' ') && i + 1 < n && z[i + 1] >= '0' &&
      z[i + 1] <= '9') {
    i++;
    int hh = digits(z, n, &i, 2);
    if (hh < 0 || hh > 24 || i >= n || z[i++] != ':') return FIN_ISO_MALFORMED;
    int mi = digits(z, n, &i, 2);
    if (mi < 0 || mi > 59) return FIN_ISO_MALFORMED;
    int ss = 0, frac = 0;
    if (i < n && z[i] == ':') {
      i++;
      ss = digits(z, n, &i, 2);
      if (ss < 0 || ss > 59) return FIN_ISO_MALFORMED;
      if (i < n && z[i] == '.') {
        i++;
        if (i >= n || z[i] < '0' || z[i] > '9') return FIN_ISO_MALFORMED;
        /* milliseconds from the first three digits, rounded by the fourth */
        int k = 0;
        for (; i < n && z[i] >= '0' && z[i] <= '9'; i++, k++) {
          if (k < 3) frac = frac * 10 + (z[i] - '0');
          else if (k == 3 && z[i] >= '5') frac++;
        }
        for (; k < 3; k++) frac *= 10;
      }
    }
    ms = ((int64_t)hh * 3600 + mi * 60 + ss) * 1000 + frac;
    *date_only = 0;
    while (i < n && z[i] == ' ') i++;
    if (i < n && (z[i] == 'Z' || z[i] == 'z')) {
      i++;
    } else if (i < n && (z[i] == '+' || z[i] == '-')) {
      int sign = z[i++] == '-' ? -1 : 1;
      int oh = digits(z, n, &i, 2);
      if (oh < 0 || oh > 14 || i >= n || z[i++] != ':') return FIN_ISO_MALFORMED;
      int om = digits(z, n, &i, 2);
      if (om < 0 || om > 59) return FIN_ISO_MALFORMED;
      /* local = UTC + offset, so UTC = local - offset */
      ms -= sign * ((int64_t)oh * 60 + om) * 60000;
    }
  }
  if (i != n) return FIN_ISO_MALFORMED;
  *jd = (double)days_from_civil(y, m, d) + JD_UNIX_EPOCH + (double)ms / 86400000.0;
  /* An offset can carry a time out of the years 0001-9999. */
  return *jd >= FIN_JD_MIN && *jd < FIN_JD_END ? 0 : FIN_ISO_RANGE;
}

int fin_k_date_cached(const fin_date_cache *c, const char *z, int n, double *jd) {
  if (n != 10 || !c->ymd[0] || memcmp(z, c->ymd, 8) != 0) return 0;
  if (z[8] < '0' || z[8] > '2' || z[9] < '0' || z[9] > '9') return 0;
  int day = (z[8] - '0') * 10 + (z[9] - '0');
  if (day < 1 || day > 28) return 0;
  *jd = c->jd + (day - ((c->ymd[8] - '0') * 10 + (c->ymd[9] - '0')));
  return 1;
}

void fin_k_date_remember(fin_date_cache *c, const char *z, int n, double jd) {
  if (n != 10 || z[4] != '-' || z[7] != '-') return;
  memcpy(c->ymd, z, 10);
  c->jd = jd;
}

int64_t fin_k_period_id(double jd, fin_period p) {
  int64_t day = day_of_jd(jd);
  int y, m, d;
  switch (p) {
    case FIN_WEEK: {
      int64_t wd = (day + 3) % 7; /* 0 = Monday; 1970-01-01 was a Thursday */
      if (wd < 0) wd += 7;
      return day - wd; /* the week's Monday */
    }
    case FIN_YEAR: civil_from_days(day, &y, &m, &d); return y;
    case FIN_QUARTER: civil_from_days(day, &y, &m, &d); return (int64_t)y * 4 + (m - 1) / 3;
    default: civil_from_days(day, &y, &m, &d); return (int64_t)y * 12 + (m - 1);
  }
}

void fin_k_period_bounds(double jd, fin_period p, double *lo, double *hi) {
  int64_t day = day_of_jd(jd), a, b;
  int y, m, d;
  if (p == FIN_WEEK) {
    int64_t wd = (day + 3) % 7;
    if (wd < 0) wd += 7;
    a = day - wd;
    b = a + 7;
  } else {
    civil_from_days(day, &y, &m, &d);
    int first = p == FIN_YEAR ? 1 : p == FIN_QUARTER ? (m - 1) / 3 * 3 + 1 : m;
    int len = p == FIN_YEAR ? 12 : p == FIN_QUARTER ? 3 : 1;
    a = days_from_civil(y, first, 1);
    int ny = y + (first - 1 + len) / 12, nm = (first - 1 + len) % 12 + 1;
    b = days_from_civil(ny, nm, 1);
  }
  *lo = (double)a + JD_UNIX_EPOCH;
  *hi = (double)b + JD_UNIX_EPOCH;
}

void fin_k_period_label(double jd, fin_period p, char *buf) {
  int64_t day = day_of_jd(jd);
  int y, m, d;
  if (p == FIN_WEEK) {
    int64_t wd = (day + 3) % 7;
    if (wd < 0) wd += 7;
    int64_t thursday = day - wd + 3; /* an ISO week belongs to its Thursday's year */
    civil_from_days(thursday, &y, &m, &d);
    int64_t week = (thursday - days_from_civil(y, 1, 1)) / 7 + 1;
    snprintf(buf, FIN_LABEL_MAX, "%04d-W%02d", y, (int)week);
    return;
  }
  civil_from_days(day, &y, &m, &d);
  if (p == FIN_YEAR) snprintf(buf, FIN_LABEL_MAX, "%04d", y);
  else if (p == FIN_QUARTER) snprintf(buf, FIN_LABEL_MAX, "%04d-Q%d", y, (m - 1) / 3 + 1);
  else snprintf(buf, FIN_LABEL_MAX, "%04d-%02d", y, m);
}

int fin_k_parse_period(const char *z, fin_period *p) {
  static const char *names[] = {"year", "quarter", "month", "week"};
  for (int k = 0; k < 4; k++) {
    size_t n = strlen(names[k]);
    size_t i = 0;
    while (i < n && z[i] && (z[i] | 0x20) == names[k][i]) i++;
    if (i == n && z[i] == 0) {
      *p = (fin_period)k;
      return 0;
    }
  }
  return -1;
}

static const struct {
  const char *name;
  int days, months;
} units[] = {{"day", 1, 0}, {"week", 7, 0}, {"month", 0, 1}, {"year", 0, 12}};

static const char *skip_blanks(const char *s) {
  while (*s == ' ' || *s == '\t') s++;
  return s;
}

/* The unit the letters w[0..len) name, singular or plural, any case; -1. */
static int unit_named(const char *w, size_t len) {
  for (int u = 0; u < 4; u++) {
    size_t k = strlen(units[u].name), i = 0;
    if (len != k && !(len == k + 1 && (w[k] | 0x20) == 's')) continue;
    while (i < k && (w[i] | 0x20) == units[u].name[i]) i++;
    if (i == k) return u;
  }
  return -1;
}

int fin_k_offset_item(const char **ps, fin_offset_item *it) {
  memset(it, 0, sizeof *it);
  it->unit = -1;
  const char *s = skip_blanks(*ps);
  it->b = s;
  int neg = *s == '-';
  if (neg || *s == '+') s++;
  for (; *s >= '0' && *s <= '9'; s++, it->digits++)
    if (it->n < 1000000000000LL) it->n = it->n * 10 + (*s - '0');
  if (neg) it->n = -it->n;
  it->e = s;
  s = skip_blanks(s);
  const char *w = s;
  while ((*s | 0x20) >= 'a' && (*s | 0x20) <= 'z') s++;
  size_t len = (size_t)(s - w);
  if (len && it->digits) {
    if ((it->unit = unit_named(w, len)) < 0) return -1;
    it->e = s;
  } else if (len && w == it->b) {
    it->word = w;
    it->len = len;
  } else if (!it->digits || len) {
    return -1;
  }
  s = skip_blanks(s);
  if (*s && *s != ',') return -1;
  *ps = s;
  if (it->unit >= 0 && it->n >= 1 && it->n <= FIN_MAX_CALENDAR) {
    int n = (int)it->n;
    it->off.days = units[it->unit].days * n;
    it->off.months = units[it->unit].months * n;
    snprintf(it->label, sizeof it->label, "%d %s%s", n, units[it->unit].name, n == 1 ? "" : "s");
  }
  return 0;
}

void fin_k_ptd_init(fin_ptd *s, fin_period p) {
  memset(s, 0, sizeof *s);
  s->period = p;
}

int fin_k_ptd_finish(const fin_ptd *s, fin_ptd_closed *closed) {
  if (!s->has_last) return 0;
  closed->has_base = s->has_base;
  closed->base = s->base;
  closed->last = s->last;
  closed->last_jd = s->last_jd;
  return 1;
}

int fin_k_ptd_push(fin_ptd *s, double jd, double v, double *ret, fin_ptd_closed *closed) {
  int ev = 0;
  /* Most rows fall in the period of the row before: test its bounds first
  ** and do the calendar arithmetic only when a period starts. */
  if (!s->has_last || jd < s->lo || jd >= s->hi) {
    int64_t id = fin_k_period_id(jd, s->period);
    if (s->has_last && id != s->cur_id) {
      if (closed) fin_k_ptd_finish(s, closed);
      ev = FIN_PTD_CLOSED;
      s->base = s->last; /* the last close of the previous period anchors this one */
      s->has_base = 1;
    }
    s->cur_id = id;
    fin_k_period_bounds(jd, s->period, &s->lo, &s->hi);
  }
  s->last = v;
  s->last_jd = jd;
  s->has_last = 1;
  if (!s->has_base) return ev;
  *ret = fin_k_pct_change(v, s->base);
  return ev | FIN_PTD_RET;
}

int fin_k_period_ended(double last_jd, fin_period p, double now) {
  double lo, hi;
  fin_k_period_bounds(last_jd, p, &lo, &hi);
  return now >= hi - 1.0; /* hi: the next period's first day */
}

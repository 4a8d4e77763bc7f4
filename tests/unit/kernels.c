/*
** kernels.c - unit tests of the pure-C kernels (ext/k_*.c), with no SQLite
** involved: calendar arithmetic, returns, and the sliding structures,
** which are also checked against brute force on random series.
*/
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "kernels.h"
#include "tap.h"

static double jd_of(const char *z) {
  double jd;
  int d;
  if (fin_k_parse_iso(z, (int)strlen(z), &jd, &d)) return NAN;
  return jd;
}

static uint64_t rng = 88172645463325252ULL;
static double rnd(void) { /* xorshift64: deterministic, no libc state */
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return (double)(rng >> 11) / 9007199254740992.0;
}

static void test_calendar(void) {
  /* Julian days agree with SQLite's julianday(). */
  is_double(jd_of("2000-01-01"), 2451544.5, 1e-12, "julianday 2000-01-01");
  is_double(jd_of("1987-09-10"), 2447048.5, 1e-12, "julianday 1987-09-10");
  is_double(jd_of("2024-07-15T12:00:00"), 2460507.0, 1e-12, "ISO with T and time");
  is_double(jd_of("2024-07-15 18:00+06:00"), 2460507.0, 1e-12, "offset converts to UTC");
  is_double(jd_of("0001-01-01"), FIN_JD_MIN, 1e-12, "year 1 lower bound");
  double jd;
  int date_only;
  ok(fin_k_parse_iso("0000-12-31", 10, &jd, &date_only) != 0, "year 0 is out of range");
  ok(fin_k_parse_iso("0001-01-01T01:00+05:00", 22, &jd, &date_only) != 0,
     "an offset that moves a time before 0001-01-01 is out of range");
  ok(fin_k_parse_iso("9999-12-31T23:00-05:00", 22, &jd, &date_only) != 0,
     "an offset that moves a time past 9999-12-31 is out of range");
  ok(fin_k_parse_iso("9999-12-31T23:59:59Z", 20, &jd, &date_only) == 0, "the last second of 9999 is in range");
  ok(isnan(jd_of("2024-02-30")), "Feb 30 rejected");
  ok(isnan(jd_of("2023-02-29")), "Feb 29 in a non-leap year rejected");
  ok(!isnan(jd_of("2024-02-29")), "Feb 29 in a leap year accepted");
  ok(isnan(jd_of("2024/01/02")), "slashes rejected");
  ok(isnan(jd_of("2024-01-02x")), "trailing junk rejected");
  ok(isnan(jd_of("24-01-02")), "two-digit year rejected");
  int y, m, d;
  fin_k_jd_to_ymd(jd_of("1999-12-31") + 0.75, &y, &m, &d);
  ok(y == 1999 && m == 12 && d == 31, "jd -> ymd keeps the day for an evening time");
  fin_date_cache dc = {{0}, 0};
  double cj = 0;
  ok(!fin_k_date_cached(&dc, "2024-02-10", 10, &cj), "date cache: empty cache misses");
  fin_k_date_remember(&dc, "2024-02-10", 10, jd_of("2024-02-10"));
  ok(fin_k_date_cached(&dc, "2024-02-27", 10, &cj) && cj == jd_of("2024-02-27"), "date cache: same month hits");
  ok(!fin_k_date_cached(&dc, "2024-02-29", 10, &cj) && !fin_k_date_cached(&dc, "2024-02-00", 10, &cj) &&
         !fin_k_date_cached(&dc, "2024-03-01", 10, &cj) && !fin_k_date_cached(&dc, "2024-02-1x", 10, &cj),
     "date cache: days past 28, day 00, another month and junk go to the full parser");
  char buf[FIN_LABEL_MAX];
  fin_k_period_label(jd_of("2024-07-17"), FIN_WEEK, buf);
  is_str(buf, "2024-W29", "ISO week label");
  fin_k_period_label(jd_of("2021-01-03"), FIN_WEEK, buf);
  is_str(buf, "2020-W53", "ISO week of early January belongs to the previous year");
  fin_k_period_label(jd_of("2024-12-30"), FIN_WEEK, buf);
  is_str(buf, "2025-W01", "ISO week of late December belongs to the next year");
  fin_k_period_label(jd_of("2024-08-01"), FIN_QUARTER, buf);
  is_str(buf, "2024-Q3", "quarter label");
  fin_k_period_label(jd_of("2024-08-01"), FIN_MONTH, buf);
  is_str(buf, "2024-08", "month label");
  ok(fin_k_period_id(jd_of("2024-07-14"), FIN_WEEK) != fin_k_period_id(jd_of("2024-07-15"), FIN_WEEK),
     "Sunday and Monday are in different weeks");
  ok(fin_k_period_id(jd_of("2024-07-15"), FIN_WEEK) == fin_k_period_id(jd_of("2024-07-21"), FIN_WEEK),
     "Monday and Sunday of one week share a week");
  fin_period p;
  ok(fin_k_parse_period("Quarter", &p) == 0 && p == FIN_QUARTER, "period names are case-insensitive");
  ok(fin_k_parse_period("years", &p) != 0, "unknown period rejected");
  /* Offset lists: each item read up to its comma. */
  const char *list = " 5, +3 Months ,ytd,1 week";
  fin_offset_item it;
  int r1 = fin_k_offset_item(&list, &it);
  ok(r1 == 0 && it.n == 5 && it.unit < 0 && !it.word && *list == ',', "a count, up to its comma");
  list++;
  r1 = fin_k_offset_item(&list, &it);
  ok(r1 == 0 && it.n == 3 && it.off.months == 3 && it.off.days == 0 && !strcmp(it.label, "3 months") &&
         it.e - it.b == 9,
     "a signed count and a plural unit in any case, its text for messages");
  list++;
  r1 = fin_k_offset_item(&list, &it);
  ok(r1 == 0 && it.word && it.len == 3 && !strncmp(it.word, "ytd", 3), "a word alone, for the caller");
  list++;
  r1 = fin_k_offset_item(&list, &it);
  ok(r1 == 0 && it.off.days == 7 && !strcmp(it.label, "1 week") && *list == 0, "the last item ends the text");
  const char *bad[] = {"", "-", "5 weeksx", "-ytd", "5 x", "5 6", "ytd 5", "2 fortnights"};
  int refused = 0;
  for (int i = 0; i < 8; i++) {
    const char *b = bad[i];
    refused += fin_k_offset_item(&b, &it) != 0;
  }
  ok(refused == 8, "malformed items are refused (empty, a sign alone, no unit, a signed word, junk)");
  /* Year to date: anchored at the previous year's last value. */
  fin_ptd s;
  double r = 0;
  fin_k_ptd_init(&s, FIN_YEAR);
  ok(fin_k_ptd_push(&s, jd_of("2023-12-28"), 100, &r, NULL) == 0, "ytd: no base in the first year");
  fin_k_ptd_push(&s, jd_of("2023-12-29"), 120, &r, NULL);
  fin_ptd_closed cl;
  int ev = fin_k_ptd_push(&s, jd_of("2024-01-02"), 126, &r, &cl);
  ok(ev & FIN_PTD_RET, "ytd: base exists in the next year");
  is_double(r, 0.05, 1e-15, "ytd: based on the last value of the previous year");
  ok((ev & FIN_PTD_CLOSED) && !cl.has_base && cl.last == 120 && cl.last_jd == jd_of("2023-12-29"),
     "ptd: the first day of a year reports the year that ended, which had no base");
  ok(!(fin_k_ptd_push(&s, jd_of("2024-12-31"), 130, &r, &cl) & FIN_PTD_CLOSED),
     "ptd: no period ends inside a year");
  ok(fin_k_ptd_finish(&s, &cl) && cl.has_base && cl.base == 120 && cl.last == 130,
     "ptd: the open year is reported at the end with its base");

  /* The one time-order rule. */
  fin_timeline tl;
  fin_k_timeline_reset(&tl);
  ok(fin_k_timeline_next(&tl, 10, 0) == FIN_TIME_OK, "timeline: the first time is fine");
  ok(fin_k_timeline_next(&tl, 11, 0) == FIN_TIME_OK, "timeline: a later time is fine");
  ok(fin_k_timeline_next(&tl, 11, 0) == FIN_TIME_REPEAT, "timeline: a repeat is reported");
  ok(fin_k_timeline_next(&tl, 9, 0) == FIN_TIME_BACKWARD, "timeline: an earlier time is reported");
  ok(fin_k_timeline_next(&tl, 12, 1) == FIN_TIME_MIXED, "timeline: text after numbers is reported");
  ok(fin_k_timeline_next(&tl, 10, 0) == FIN_TIME_OK, "timeline: it goes on from the last good time");
}

static void test_returns(void) {
  is_double(fin_k_pct_change(110, 100), 0.1, 1e-15, "pct_change");
  is_double(fin_k_log_return(110, 100), log(1.1), 1e-15, "log_return");
  is_double(fin_k_cagr(100, 200, 5), pow(2, 0.2) - 1, 1e-14, "cagr doubles in 5 years");
  is_double(fin_k_annualize(0.1, 126, 252), 0.21, 1e-14, "annualize half a year");
  is_double(fin_k_annualize(-1, 10, 252), -1, 0, "annualize total loss stays -1");
  fin_gain_rule up1 = {0, 1, 0.01}, dn1 = {1, 1, 0.01}, up = {0, 0, 0};
  ok(fin_k_gain_ok(&up1, 2000, 2020), "a 1.00%% gain counts as at least 1%%");
  ok(fin_k_gain_ok(&up1, 3000, 3030), "another exact 1%% gain counts");
  ok(!fin_k_gain_ok(&up1, 2000, 2019.99), "0.9995%% is not 1%%");
  ok(fin_k_gain_ok(&dn1, 2000, 1980), "a 1%% fall counts as a loss of at least 1%%");
  ok(!fin_k_gain_ok(&up, 100, 100), "flat is not a strict gain");
}

static void test_buffers(void) {
  /* monotonic deque: sliding max and last occurrence vs brute force */
  enum { N = 3000 };
  static double x[N];
  for (int i = 0; i < N; i++) x[i] = 100 + (double)(int)(rnd() * 20); /* many ties */
  int bad = 0;
  for (int w = 1; w <= 40 && !bad; w += 13) {
    fin_maxq q;
    fin_k_maxq_init(&q, 0);
    for (int i = 0; i < N; i++) {
      fin_k_maxq_push(&q, x[i], i);
      fin_k_maxq_expire(&q, i - w + 1);
      double hi;
      int64_t at;
      fin_k_maxq_top(&q, &hi, &at);
      double bh = -1;
      int ba = -1;
      for (int j = i - w + 1 < 0 ? 0 : i - w + 1; j <= i; j++)
        if (x[j] >= bh) bh = x[j], ba = j;
      if (hi != bh || at != ba) bad++;
    }
    fin_k_maxq_free(&q);
  }
  is_int(bad, 0, "maxq: sliding max and its last row match brute force");
  /* The running high and the deque under a growing window: one tie rule. */
  {
    fin_maxq q;
    fin_high h = {0, 0, 0};
    fin_k_maxq_init(&q, 0);
    int differ = 0;
    for (int i = 0; i < N; i++) {
      fin_k_maxq_push(&q, x[i], i);
      fin_k_high_push(&h, x[i], i);
      double hi;
      int64_t at;
      fin_k_maxq_top(&q, &hi, &at);
      if (hi != h.v || at != h.row) differ++;
    }
    fin_k_maxq_free(&q);
    is_int(differ, 0, "the running high and the deque agree on the high and its last row");
  }
  /* min mode */
  fin_maxq q;
  fin_k_maxq_init(&q, 1);
  fin_k_maxq_push(&q, 5, 0);
  fin_k_maxq_push(&q, 3, 1);
  fin_k_maxq_push(&q, 4, 2);
  double lo;
  int64_t at;
  fin_k_maxq_top(&q, &lo, &at);
  ok(lo == 3 && at == 1, "maxq in min mode tracks the low");
  fin_k_maxq_free(&q);

  /* two-stack: sliding max drawdown and product vs brute force, random frames */
  fin_swag dd, pr;
  fin_k_swag_init(&dd, FIN_SWAG_MAXDD);
  fin_k_swag_init(&pr, FIN_SWAG_PRODUCT);
  int head = 0, tail = 0, bad_dd = 0, bad_pr = 0;
  double y[N];
  for (int i = 0; i < N; i++) y[i] = 1 + (rnd() - 0.5) * 0.1;
  while (tail < N) {
    if (tail - head < 1 || (rnd() < 0.55 && tail - head < 300)) {
      fin_k_swag_push(&dd, x[tail]);
      fin_k_swag_push(&pr, y[tail]);
      tail++;
    } else {
      fin_k_swag_pop(&dd);
      fin_k_swag_pop(&pr);
      head++;
    }
    fin_seg sd = fin_k_swag_query(&dd), sp = fin_k_swag_query(&pr);
    fin_seg bd = fin_k_seg_of(FIN_SWAG_MAXDD, x + head, (size_t)(tail - head));
    double prod = 1;
    for (int j = head; j < tail; j++) prod *= y[j];
    if (fabs(sd.c - bd.c) > 1e-15) bad_dd++;
    if (fabs(sp.a - prod) > 1e-12 * prod) bad_pr++;
  }
  is_int(bad_dd, 0, "swag: sliding max drawdown matches brute force");
  is_int(bad_pr, 0, "swag: sliding product matches brute force");
  fin_k_swag_free(&dd);
  fin_k_swag_free(&pr);
  double v[] = {100, 120, 90, 130, 65, 70};
  is_double(fin_k_seg_of(FIN_SWAG_MAXDD, v, 6).c, 65.0 / 130 - 1, 1e-15,
            "max drawdown takes the later, deeper fall");
  is_double(fin_k_seg_of(FIN_SWAG_MAXDD, v, 1).c, 0, 0, "max drawdown of one value is 0");

  fin_ring r;
  fin_k_ring_init(&r);
  for (int i = 0; i < 100; i++) {
    fin_k_ring_push(&r, i);
    if (r.len > 6) fin_k_ring_pop(&r);
  }
  ok(r.len == 6 && fin_k_ring_at(&r, 0) == 94 && fin_k_ring_at(&r, 5) == 99, "ring keeps the last n");
  fin_k_ring_free(&r);
}

static void test_episodes(void) {
  /* streaks of >= 1% gains */
  double v[] = {100, 101, 102.01, 103.5, 103.4, 104.5, 105.6, 106};
  fin_gain_rule rule = {0, 1, 0.01};
  fin_runs s;
  fin_run done;
  fin_k_runs_init(&s, &rule);
  int closed = 0, lens[8], starts = 0, ext = 0;
  fin_run runs[8];
  for (int i = 0; i < 8; i++) {
    int ev = fin_k_runs_push(&s, v[i], &done);
    if (ev & FIN_RUN_ENDED) runs[closed++] = done;
    if (ev & FIN_RUN_STARTED) starts++;
    if (ev & FIN_RUN_EXTENDED) ext++;
    lens[i] = (int)s.cur.length;
  }
  ok(runs[0].start_row == 1 && runs[0].end_row == 3 && runs[0].length == 3 &&
         runs[0].start_value == 100 && runs[0].end_value == 103.5,
     "the first run is rows 1-3, based on row 0");
  ok(runs[1].start_row == 5 && runs[1].end_row == 6 && runs[1].start_value == 103.4,
     "the second run is rows 5-6, based on row 4");
  ok(lens[0] == 0 && lens[3] == 3 && lens[4] == 0 && lens[6] == 2 && lens[7] == 0,
     "streak counts 0,..,3,0,1,2,0");
  is_int(closed, 2, "two runs closed by a failing row");
  is_int(starts, 2, "two runs started");
  is_int(ext, 5, "five rows were periods of a run");
  ok(!fin_k_runs_finish(&s, &done), "no run open at the end");

  /* drawdown episodes: equal highs, first row at the low, open episode */
  double w[] = {100, 110, 110, 99, 95, 95, 110, 120, 100};
  fin_dd d;
  fin_dd_episode e;
  fin_k_dd_init(&d);
  int eps = 0;
  int peaks = 0, troughs = 0;
  for (int i = 0; i < 9; i++) {
    int ev = fin_k_dd_push(&d, w[i], &e);
    peaks += (ev & FIN_DD_PEAK) != 0;
    troughs += (ev & FIN_DD_TROUGH) != 0;
    if (ev & FIN_DD_RECOVERED) {
      eps++;
      ok(e.peak_row == 2 && e.trough_row == 4 && e.recovery_row == 6, "peak at the last equal high, "
                                                                      "trough at the first low, "
                                                                      "recovery at the equal value");
    }
  }
  is_int(eps, 1, "one closed episode");
  is_int(peaks, 5, "rows at the running high: 100, 110, 110, 110 (recovery), 120");
  is_int(troughs, 3, "new lows of an open episode: 99, 95, 100");
  ok(fin_k_dd_finish(&d, &e) && e.peak_row == 7 && e.trough_row == 8 && e.recovery_row == -1,
     "the open episode is reported");
}

static void test_forward(void) {
  enum { N = 400 };
  double v[N];
  for (int i = 0; i < N; i++) v[i] = 100 * (1 + 0.3 * sin(i / 7.0)) + rnd();
  int64_t h[] = {1, 5, 21, 63};
  fin_fwd f;
  fin_k_fwd_init(&f, h, 4, NULL, 0);
  int bad = 0, seen = 0, last_row = -1;
  for (int pass = 0; pass < 2; pass++) { /* reset reuses the buffers */
    fin_k_fwd_reset(&f);
    seen = 0;
    last_row = -1;
    for (int i = 0; i <= N; i++) {
      if (i < N) fin_k_fwd_push(&f, i, v[i], i % 3 == 0);
      else fin_k_fwd_finish(&f);
      const fin_fwd_result *r;
      while ((r = fin_k_fwd_ready(&f))) {
        int a = (int)r->row;
        if (a <= last_row || a % 3) bad++;
        last_row = a;
        for (int j = 0; j < 4; j++) {
          int e = a + (int)h[j];
          if (e >= N) {
            if (r->done[j]) bad++;
            continue;
          }
          double hi = v[a], lo = v[a];
          for (int k = a; k <= e; k++) hi = fmax(hi, v[k]), lo = fmin(lo, v[k]);
          if (!r->done[j] || r->end[j] != v[e] || r->hi[j] != hi || r->lo[j] != lo) {
            if (bad < 3) diag("anchor %d h %d done %d end %g/%g hi %g/%g lo %g/%g", a, (int)h[j], r->done[j], r->end[j], v[e], r->hi[j], hi, r->lo[j], lo);
            bad++;
          }
        }
        seen++;
        fin_k_fwd_pop(&f);
      }
    }
  }
  is_int(seen, (N + 2) / 3, "every anchor reported once");
  is_int(bad, 0, "forward end, high and low match brute force; late horizons are not done");
  fin_k_fwd_free(&f);
}

/* Calendar offsets as pandas' DateOffset moves dates. */
static void test_shift(void) {
  const struct { const char *from; int months, days; const char *to; } c[] = {
      {"2024-01-31", 1, 0, "2024-02-29"}, {"2023-01-31", 1, 0, "2023-02-28"},
      {"2024-03-31", 1, 0, "2024-04-30"}, {"2024-12-31", 2, 0, "2025-02-28"},
      {"2024-02-29", 12, 0, "2025-02-28"}, {"2024-02-29", 48, 0, "2028-02-29"},
      {"2024-07-16", 1, 0, "2024-08-16"}, {"2024-07-16", 0, 7, "2024-07-23"},
      {"2024-12-28", 0, 7, "2025-01-04"}, {"1999-11-30", 3, 0, "2000-02-29"},
      {"2100-01-29", 1, 0, "2100-02-28"}, {"2024-08-31", -6, 0, "2024-02-29"}};
  for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
    double got = fin_k_shift(jd_of(c[i].from), c[i].months, c[i].days);
    is_double(got, jd_of(c[i].to), 0, "%s + %d months %d days = %s", c[i].from, c[i].months,
              c[i].days, c[i].to);
  }
  is_double(fin_k_shift(jd_of("2024-01-31 15:30"), 1, 0), jd_of("2024-02-29 15:30"), 1e-9,
            "the time of day is kept");
}

/* Calendar horizons against brute force: weekdays only (gaps), end at the
** first row at or after the moved date, mixed with horizons in rows. */
static void test_forward_calendar(void) {
  enum { N = 900 };
  static double t[N], v[N];
  double day = jd_of("2023-12-29");
  for (int i = 0; i < N; i++) {
    do day += 1;
    while (fmod(day + 1.5, 7) == 0 || fmod(day + 1.5, 7) == 6); /* (JD + 1.5) mod 7: 0 Sunday, 6 Saturday */
    t[i] = day;
    v[i] = 100 + 10 * sin(i / 11.0) + rnd();
  }
  int64_t h[] = {5, 21};
  fin_offset cal[] = {{0, 7}, {1, 0}, {3, 0}, {12, 0}};
  fin_fwd f;
  fin_k_fwd_init(&f, h, 2, cal, 4);
  int bad = 0, seen = 0;
  for (int i = 0; i <= N; i++) {
    if (i < N) fin_k_fwd_push(&f, t[i], v[i], i % 2 == 0);
    else fin_k_fwd_finish(&f);
    const fin_fwd_result *r;
    while ((r = fin_k_fwd_ready(&f))) {
      int a = (int)r->row;
      for (int j = 0; j < 6; j++) {
        int e = -1;
        if (j < 2) e = a + (int)h[j] < N ? a + (int)h[j] : -1;
        else {
          double target = fin_k_shift(t[a], cal[j - 2].months, cal[j - 2].days);
          for (int k = a + 1; k < N && e < 0; k++)
            if (t[k] >= target) e = k;
        }
        if (e < 0) {
          bad += r->done[j] != 0;
          continue;
        }
        double hi = v[a], lo = v[a];
        for (int k = a; k <= e; k++) hi = fmax(hi, v[k]), lo = fmin(lo, v[k]);
        if (!r->done[j] || r->end[j] != v[e] || r->hi[j] != hi || r->lo[j] != lo) {
          if (bad < 3) diag("anchor %d horizon %d end %g/%g", a, j, r->end[j], v[e]);
          bad++;
        }
      }
      seen++;
      fin_k_fwd_pop(&f);
    }
  }
  is_int(seen, N / 2, "calendar horizons: every anchor reported once");
  is_int(bad, 0, "calendar horizons: end at the first row on or after the moved date, high and low "
                 "match brute force; horizons past the end are not done");
  ok(f.cap <= 512, "the ring holds a year of weekdays, not the series (%zu slots)", f.cap);
  fin_k_fwd_free(&f);
}

static void test_quantile(void) {
  double x[] = {5, 1, 4, 2, 3};
  fin_k_sort_doubles(x, 5);
  is_double(fin_k_quantile_sorted(x, 5, 0.5), 3, 0, "median of 5");
  is_double(fin_k_quantile_sorted(x, 4, 0.5), 2.5, 0, "median of 4 interpolates");
  is_double(fin_k_quantile_sorted(x, 5, 0.9), 4.6, 1e-15, "p90 interpolates (type 7)");
  is_double(fin_k_quantile_sorted(x, 5, 1), 5, 0, "p=1 is the max");
  /* fin_qsel against sorting the frame: growing (heaps), then sliding
  ** (sorted array), many ties, several p. */
  enum { M = 600 };
  static double v[M], w[M];
  for (int i = 0; i < M; i++) v[i] = (double)(int)(rnd() * 30);
  double ps[] = {0, 0.1, 0.5, 0.9, 1};
  int bad = 0;
  for (int k = 0; k < 5; k++) {
    fin_qsel q;
    fin_k_qsel_init(&q, ps[k]);
    for (int i = 0; i < M; i++) {
      fin_k_qsel_push(&q, v[i]);
      int first = i >= 200 ? i - 199 : 0; /* grow to 200, then slide */
      if (i >= 200) fin_k_qsel_remove(&q, v[i - 200]);
      int n = i - first + 1;
      memcpy(w, v + first, (size_t)n * sizeof(double));
      fin_k_sort_doubles(w, (size_t)n);
      if (fin_k_qsel_count(&q) != (size_t)n || fin_k_qsel_value(&q) != fin_k_quantile_sorted(w, (size_t)n, ps[k]))
        bad++;
    }
    fin_k_qsel_free(&q);
  }
  is_int(bad, 0, "fin_qsel: heaps while growing, sorted array while sliding, equal to sorting");
}

static void test_pictures(void) {
  fin_ring r;
  unsigned char lv[16];
  double tmp[16];
  fin_k_ring_init(&r);
  for (int i = 1; i <= 8; i++) fin_k_ring_push(&r, i);
  size_t m = fin_k_spark_levels(&r, 100, lv, tmp);
  int ramp = m == 8;
  for (int i = 0; i < 8 && ramp; i++) ramp = lv[i] == i;
  ok(ramp, "a ramp of 8 values takes the 8 levels in turn");
  fin_k_ring_push(&r, 9);
  fin_k_ring_push(&r, 10); /* 1..10 in 3 runs: 1-3, 4-6, 7-10 */
  m = fin_k_spark_levels(&r, 3, lv, tmp);
  ok(m == 3 && tmp[0] == 2.0 && tmp[1] == 5.0 && tmp[2] == 8.5 && lv[0] == 0 && lv[2] == 7,
     "resampled: runs of 3, 3 and 4 values, each drawn at its mean");
  is_int(lv[1], 3, "(5 - 2) / (8.5 - 2) * 7 = 3.2: level 3");
  fin_k_ring_clear(&r);
  for (int i = 0; i < 4; i++) fin_k_ring_push(&r, -0.25);
  m = fin_k_spark_levels(&r, 4, lv, tmp);
  ok(m == 4 && lv[0] == 3 && lv[3] == 3, "a flat line sits at level 3");
  fin_k_ring_free(&r);

  is_int(fin_k_bar_eighths(0.5, 1.0, 20), 80, "half of a 20-character bar: 80 eighths");
  is_int(fin_k_bar_eighths(0.0625, 1.0, 1), 1, "half an eighth rounds up to one");
  is_int(fin_k_bar_eighths(0.05, 1.0, 1), 0, "less than half an eighth: nothing");
  is_int(fin_k_bar_eighths(3.0, 2.0, 5), 40, "past max: a full bar");

  fin_text o;
  memset(&o, 0, sizeof o);
  for (int i = 0; i < 1000; i++) fin_k_text_printf(&o, "abc");
  ok(o.len == 3000 && strlen(o.z) == 3000 && !o.nomem, "text grows to 3000 characters");
  fin_k_text_free(&o);

  is_double(fin_k_ymd_to_jd(2024, 7, 16), jd_of("2024-07-16"), 0, "ymd to Julian day");
  double t[4] = {jd_of("2024-01-02"), jd_of("2024-03-01"), jd_of("2024-05-01"), jd_of("2024-07-01")};
  double v[4] = {1000.0, 1250.0, 1000.0, 1234.5};
  fin_chart_opts opt = {"A <&> B", 400, 300, 0, 1};
  int rc = fin_k_chart_svg(t, v, 4, &opt, &o);
  ok(rc == FIN_OK && !strncmp(o.z, "<svg ", 5) && strstr(o.z, "</svg>\n") &&
     strstr(o.z, "<title>A &lt;&amp;&gt; B</title>"),
     "an SVG document whose title is escaped");
  ok(o.z && strstr(o.z, "2024-01-02 to 2024-07-01 \xc2\xb7 last 1,234.50 \xc2\xb7 deepest drawdown "
                        "\xe2\x88\x92" "20.0% (2024-03-01 to 2024-05-01) \xc2\xb7 now \xe2\x88\x92" "1.2%"),
     "the subtitle quotes the span, the last value, the deepest drawdown and where it stands");
  ok(o.z && strstr(o.z, "<rect id=\"price\" x=\"64\"") && strstr(o.z, ">2024-04</text>"),
     "the panels and month ticks of a half-year span");
  fin_k_text_free(&o);
}

/* fin_moms against a fresh two-pass computation of every frame, over a
** frame that grows, slides for thousands of rows (where a subtracting
** update would have drifted) and shrinks to nothing; at three scales, so
** that the scaled arithmetic is held to the same answers. */
static void test_moments(void) {
  enum { M = 5000, W = 50 };
  static double x[M], y[M];
  const double scales[] = {1.0, 1e-200, 1e200};
  for (int sc = 0; sc < 3; sc++) {
    double k = scales[sc];
    for (int i = 0; i < M; i++) {
      x[i] = 100 + 0.01 * (rnd() - 0.5); /* a large mean, small deviations: 1e-10 relative */
      y[i] = 0.5 * x[i] + rnd();
    }
    fin_moms q;
    fin_k_moms_init(&q);
    int bad = 0;
    size_t lo = 0;
    for (int i = 0; i < M + W; i++) {
      if (i < M) fin_k_moms_push(&q, x[i] * k, y[i] * k, -x[i] * k);
      if (i >= W) fin_k_moms_pop(&q), lo++;
      size_t hi = i < M ? (size_t)i + 1 : M, n = hi - lo;
      if (fin_k_moms_len(&q) != n) bad++;
      if (n < 2) continue;
      double mx = 0, my = 0, cxx = 0, cyy = 0, cxy = 0, d = 0, m3 = 0, m4 = 0;
      for (size_t j = lo; j < hi; j++) mx += x[j], my += y[j], d += x[j] * x[j];
      mx /= n, my /= n;
      for (size_t j = lo; j < hi; j++) {
        double a = x[j] - mx, b = y[j] - my;
        cxx += a * a, cyy += b * b, cxy += a * b, m3 += a * a * a, m4 += a * a * a * a;
      }
      fin_mom m = fin_k_moms_query(&q);
      double sd = sqrt(cxx / (n - 1)), beta = cxy / cyy, corr = cxy / sqrt(cxx * cyy);
      double skew = sqrt((double)n) * m3 / pow(cxx, 1.5), kurt = n * m4 / (cxx * cxx);
      double mskew = sqrt(m.n) * m.m3 / pow(m.cxx, 1.5), mkurt = m.n * m.m4 / (m.cxx * m.cxx);
      double err = fabs(fin_k_mom_sd_x(&q, &m) / k - sd) / sd + fabs(fin_k_mom_beta(&q, &m) - beta) / sqrt(cxx / cyy) +
                   fabs(fin_k_mom_corr(&m) - corr) + fabs(fin_k_mom_mean_x(&q, &m) / k - mx) / mx +
                   fabs(fin_k_mom_down(&q, &m) / k - sqrt(d / n)) / sqrt(d / n) +
                   fabs(mskew - skew) / fmax(fabs(skew), 1) * 1e-4 + fabs(mkurt - kurt) / kurt * 1e-4;
      if (m.n != (double)n || !(err < 1e-9)) {
        if (bad < 3) diag("scale %g, row %d: n %g/%zu, error %g", k, i, m.n, n, err);
        bad++;
      }
    }
    is_int(bad, 0, "moments: a growing, sliding and emptying frame equals a two-pass computation (scale %g)", k);
    fin_k_moms_free(&q);
  }
  fin_mom a = {2, 3, 0, 0.5, 0, 0, 0, 0, 0}, none = {0, 0, 0, 0, 0, 0, 0, 0, 0}, b = fin_k_mom_merge(a, none);
  ok(b.n == 2 && b.sx == 3 && b.cxx == 0.5, "moments: merging with an empty summary changes nothing");
  /* a value far above the first rescales the frame: (1e-100, 1e60, 2e60) */
  fin_moms q;
  fin_k_moms_init(&q);
  fin_k_moms_push(&q, 1e-100, 1e-100, 0);
  fin_k_moms_push(&q, 1e60, 1e60, 0);
  fin_k_moms_push(&q, 2e60, 2e60, 0);
  fin_mom m = fin_k_moms_query(&q);
  ok(fabs(fin_k_mom_sd_x(&q, &m) / 1e60 - 1.0) < 1e-12 && fabs(fin_k_mom_corr(&m) - 1) < 1e-12,
     "moments: a value 2^256 above the scale moves it (sd %g)", fin_k_mom_sd_x(&q, &m));
  fin_k_moms_fold(&q);
  fin_k_moms_push(&q, 3e60, 3e60, 0);
  m = fin_k_moms_query(&q);
  ok(fin_k_moms_len(&q) == 4 && fabs(fin_k_mom_mean_x(&q, &m) / 1.5e60 - 1) < 1e-12,
     "moments: folded, the queue keeps summing");
  fin_k_moms_free(&q);
}

/* The zigzag's legs by the definition read literally, O(n^2): the first
** turning point is the first running extreme (the low's first row, the
** high's last row) that a later row moves th from; then each leg, after the
** row that confirmed it, ends at its extreme before the first row that
** moves th back from it. Returns the number of legs written to out (the
** last one open, its end_row the extreme so far). */
static int brute_swings(const double *v, int n, double th, fin_swing_leg *out) {
  int start = -1, up = 0, conf = 0, k = 0;
  for (int j = 1; j < n && start < 0; j++) {
    int lo = 0, hi = 0;
    for (int i = 1; i <= j; i++) {
      if (v[i] < v[lo]) lo = i;
      if (v[i] >= v[hi]) hi = i;
    }
    if (lo < j && v[j] / v[lo] - 1 >= th - FIN_RET_EPS) start = lo, up = 1, conf = j;
    else if (hi < j && v[j] / v[hi] - 1 <= -th + FIN_RET_EPS) start = hi, up = 0, conf = j;
  }
  while (start >= 0) {
    int turn = -1;
    for (int j = conf + 1; j < n && turn < 0; j++) {
      int e = start; /* the extreme of rows start..j-1 */
      for (int i = start; i < j; i++)
        if (up ? v[i] >= v[e] : v[i] < v[e]) e = i;
      double back = v[j] / v[e] - 1;
      if (up ? back <= -th + FIN_RET_EPS : back >= th - FIN_RET_EPS) turn = j;
    }
    int last = turn < 0 ? n : turn, e = start;
    for (int i = start; i < last; i++)
      if (up ? v[i] >= v[e] : v[i] < v[e]) e = i;
    fin_swing_leg l = {up, v[start], v[e], v[conf], start, e, conf};
    out[k++] = l;
    if (turn < 0) break;
    start = e, up = !up, conf = turn;
  }
  return k;
}

static void test_swings(void) {
  /* by hand: up from the first row at the low (90), an equal high moves
  ** the end, a fall of 20% ends it; the down leg after goes on */
  double v[] = {100, 90, 90, 108, 120, 120, 96, 90, 100};
  int want[] = {FIN_SW_HIGH | FIN_SW_LOW, FIN_SW_LOW, 0, FIN_SW_HIGH | FIN_SW_BEGAN | FIN_SW_EXTREME,
                FIN_SW_EXTREME, FIN_SW_EXTREME, FIN_SW_ENDED | FIN_SW_BEGAN | FIN_SW_EXTREME,
                FIN_SW_EXTREME, 0};
  fin_swings s;
  fin_swing_leg done, ended = {0, 0, 0, 0, -1, -1, -1};
  fin_k_swings_init(&s, 0.2);
  int events_ok = 1;
  for (int i = 0; i < 9; i++) {
    int ev = fin_k_swings_push(&s, v[i], &done);
    if (ev != want[i]) {
      events_ok = 0;
      diag("row %d: events %d, want %d", i, ev, want[i]);
    }
    if (ev & FIN_SW_ENDED) ended = done;
  }
  ok(events_ok, "swings: the events of every row (running high and low, the first leg, extremes, a turn)");
  ok(ended.up && ended.start_row == 1 && ended.end_row == 5 && ended.confirm_row == 3 && ended.start == 90 &&
         ended.end == 120 && ended.confirm == 108,
     "swings: the up leg from the first row at 90 to the last at 120, confirmed at 108");
  ok(s.open && !s.leg.up && s.leg.start_row == 5 && s.leg.end_row == 7 && s.leg.confirm_row == 6 &&
         s.leg.end == 90,
     "swings: the open down leg from 120, confirmed at 96, its low so far 90 (row 7)");

  /* rule 6: 2000 -> 1600 is a fall of 20% although 1600/2000 - 1 rounds
  ** above -0.2; a hair less is not */
  fin_k_swings_init(&s, 0.2);
  fin_k_swings_push(&s, 2000, &done);
  ok(fin_k_swings_push(&s, 1600, &done) & FIN_SW_BEGAN, "swings: 2000 to 1600 is a move of 20%%");
  fin_k_swings_init(&s, 0.2);
  fin_k_swings_push(&s, 2000, &done);
  ok(!(fin_k_swings_push(&s, 1600.001, &done) & FIN_SW_BEGAN), "swings: 2000 to 1600.001 is not");

  /* random walks rounded to a tenth (so closes repeat and extremes tie),
  ** at several thresholds, against the literal definition */
  enum { N = 600 };
  static double w[N];
  static fin_swing_leg want_legs[N], got_legs[N];
  uint32_t seed = 12345;
  int series = 0, bad = 0, legs = 0;
  for (int r = 0; r < 40; r++) {
    double x = 100;
    for (int i = 0; i < N; i++) {
      seed = seed * 1664525u + 1013904223u;
      x *= 1 + ((double)(seed >> 8) / 16777216.0 - 0.5) * 0.06;
      w[i] = round(x * 10) / 10;
    }
    double ths[] = {0.03, 0.1, 0.2};
    for (int t = 0; t < 3; t++) {
      int nw = brute_swings(w, N, ths[t], want_legs), ng = 0;
      fin_k_swings_init(&s, ths[t]);
      for (int i = 0; i < N; i++)
        if (fin_k_swings_push(&s, w[i], &done) & FIN_SW_ENDED) got_legs[ng++] = done;
      if (s.open) got_legs[ng++] = s.leg;
      int same = ng == nw;
      for (int i = 0; same && i < ng; i++)
        same = got_legs[i].up == want_legs[i].up && got_legs[i].start_row == want_legs[i].start_row &&
               got_legs[i].end_row == want_legs[i].end_row &&
               got_legs[i].confirm_row == want_legs[i].confirm_row && got_legs[i].end == want_legs[i].end;
      if (!same && bad++ == 0) diag("walk %d at %g: %d legs, want %d", r, ths[t], ng, nw);
      series++;
      legs += nw;
    }
  }
  ok(!bad && legs > 1000, "swings: %d random walks, %d legs, each as the literal definition (%d differ)", series,
     legs, bad);
}

/* The indicators' recursions on hand-worked numbers (the worked values are
** TTR's: EMA(x, 3), RSI(x, 3), ATR(cbind(x + 1, x - 1, x), 3)), TA-Lib's
** MACD seeds worked by hand, and the bands and the rank multiset against
** brute force over a frame that grows and slides. */
static void test_indicators(void) {
  static const double x[] = {10, 11, 12, 11, 13, 14, 13, 15};
  static const double ema3[] = {11, 11, 12, 13, 13, 14}; /* from the 3rd price */
  static const double rsi3[] = {200.0 / 3, 250.0 / 3, 87.878787878787875, 62.365591397849464,
                                79.885057471264361}; /* from the 4th */
  static const double atr3[] = {2, 7.0 / 3, 20.0 / 9, 58.0 / 27, 197.0 / 81}; /* from the 4th */
  fin_smooth e;
  fin_rsi r;
  fin_atr a;
  fin_k_smooth_init(&e, 3, 0);
  fin_k_rsi_init(&r, 3);
  fin_k_atr_init(&a, 3);
  int bad = 0, warm = 0;
  for (int i = 0; i < 8; i++) {
    double rv = NAN, av = NAN;
    int he = fin_k_smooth_push(&e, x[i]), hr = fin_k_rsi_push(&r, x[i], &rv);
    int ha = fin_k_atr_push(&a, x[i] + 1, x[i] - 1, x[i], &av);
    warm += (he != (i >= 2)) + (hr != (i >= 3)) + (ha != (i >= 3));
    if (he && fabs(e.v - ema3[i - 2]) > 1e-12) bad++;
    if (hr && fabs(rv - rsi3[i - 3]) > 1e-12) bad++;
    if (ha && fabs(av - atr3[i - 3]) > 1e-12) bad++;
  }
  is_int(warm, 0, "indicators: EMA from the n-th price, RSI and ATR from the (n+1)-th");
  is_int(bad, 0, "indicators: EMA(3), RSI(3) and ATR(3) on a worked series");
  fin_k_smooth_init(&e, 4, 1);
  for (int i = 0; i < 5; i++) fin_k_smooth_push(&e, i < 4 ? 2.0 : 6.0);
  is_double(e.v, 3.0, 1e-15, "Wilder's smoothing: (2 * 3 + 6) / 4 after a seed of 2");
  fin_k_rsi_init(&r, 2);
  double rv = 0;
  int flat = fin_k_rsi_push(&r, 5, &rv) + fin_k_rsi_push(&r, 5, &rv) + fin_k_rsi_push(&r, 5, &rv);
  ok(flat == 1 && isnan(rv), "RSI of a flat series is undefined (NaN), not 0 or 50");
  fin_k_rsi_push(&r, 6, &rv);
  is_double(rv, 100, 1e-15, "RSI after a first rise is 100");
  is_double(fin_k_true_range(12, 10, 9), 3, 0, "true range: a gap up counts from the previous close");
  is_double(fin_k_true_range(12, 10, 14), 4, 0, "true range: a gap down too");
  is_double(fin_k_true_range(12, 10, 11), 2, 0, "true range: inside the bar, high - low");
  /* MACD(2, 3, 2), TA-Lib's seeds: on the 3rd price the slow EMA is
  ** mean(10, 11, 12) = 11 and the fast one mean(11, 12) = 11.5 (not the
  ** EMA(2) run from the 2nd price): line 0.5; 4th: fast 11.5 + (11 -
  ** 11.5) * 2/3 = 67/6, slow 11, line 1/6; signal mean(0.5, 1/6) = 1/3. */
  fin_macd m;
  fin_k_macd_init(&m, 2, 3, 2);
  double line = NAN, sig = NAN;
  int got[4];
  for (int i = 0; i < 4; i++) got[i] = fin_k_macd_push(&m, x[i], &line, &sig);
  ok(got[0] == 0 && got[1] == 0 && got[2] == FIN_MACD_LINE && got[3] == (FIN_MACD_LINE | FIN_MACD_SIGNAL),
     "MACD: the line from the slow-th price, the signal from the (slow + signal - 1)-th");
  ok(fabs(line - 1.0 / 6) < 1e-14 && fabs(sig - 1.0 / 3) < 1e-14,
     "MACD: both EMAs seeded on the slow-th price, the signal on the first line values (%g, %g)", line, sig);
  /* bands and ranks against brute force: a frame that grows to W, slides
  ** over M values with many ties, then (ranks) empties */
  enum { M = 3000, W = 50 };
  static double v[M];
  for (int i = 0; i < M; i++) v[i] = 100 + (double)(int)(rnd() * 40) / 4;
  fin_bands bd;
  fin_k_bands_init(&bd, W);
  fin_ranks t;
  fin_k_ranks_init(&t);
  int bad_bands = 0, bad_ranks = 0;
  for (int i = 0; i < M; i++) {
    int full;
    double mean = NAN, sd = NAN;
    if (fin_k_bands_push(&bd, v[i], &full, &mean, &sd) || fin_k_ranks_insert(&t, v[i])) bad_bands++;
    if (i >= W) fin_k_ranks_remove(&t, v[i - W]);
    int first = i >= W ? i - W + 1 : 0, n = i - first + 1;
    double s = 0, ss = 0;
    for (int j = first; j <= i; j++) s += v[j];
    for (int j = first; j <= i; j++) ss += (v[j] - s / n) * (v[j] - s / n);
    if (full != (n == W) || (full && (fabs(mean - s / n) > 1e-12 * mean || fabs(sd - sqrt(ss / n)) > 1e-11)))
      bad_bands++;
    double q = 100 + (double)(int)(rnd() * 44) / 4 - 0.5; /* ties and values outside */
    int64_t below = 0;
    for (int j = first; j <= i; j++) below += v[j] < q;
    if (fin_k_ranks_count(&t) != n || fin_k_ranks_below(&t, q) != below) bad_ranks++;
  }
  is_int(bad_bands, 0, "bands: mean and population sd of the last %d values equal a two-pass computation", W);
  for (int i = M - W; i < M; i++) bad_ranks += fin_k_ranks_remove(&t, v[i]) != 1;
  bad_ranks += fin_k_ranks_remove(&t, 100) != 0 || fin_k_ranks_count(&t) != 0 || t.free == -1;
  is_int(bad_ranks, 0, "ranks: counts below any value equal brute force while growing, sliding and emptying");
  ok(fin_k_ranks_insert(&t, -0.0) == FIN_OK && fin_k_ranks_insert(&t, 0.0) == FIN_OK &&
         fin_k_ranks_below(&t, 1) == 2 && fin_k_ranks_below(&t, 0.0) == 0 && fin_k_ranks_remove(&t, 0.0) &&
         fin_k_ranks_remove(&t, -0.0) && fin_k_ranks_count(&t) == 0,
     "ranks: -0 and 0 are one value");
  double fb = fin_k_bands_part(FIN_BAND_PERCENT_B, 104, 100, 2, 2);
  ok(fb == 1.0 && fin_k_bands_part(FIN_BAND_PERCENT_B, 96, 100, 2, 2) == 0.0 &&
         isnan(fin_k_bands_part(FIN_BAND_PERCENT_B, 100, 100, 0, 2)) &&
         fin_k_bands_part(FIN_BAND_WIDTH, 100, 100, 2, 2) == 0.08,
     "bands: %%b is 1 on the upper band, 0 on the lower, undefined with no spread; width (upper - lower) / middle");
  fin_k_bands_free(&bd);
  fin_k_ranks_free(&t);
}

/* The measures' kernels (measures.c, measures_dd.c): gains and losses and
** time under water over a frame that grows, slides and empties, against
** brute force over the frame; the normal quantile against known values. */
static void test_measures(void) {
  enum { M = 3000, W = 40 };
  static double x[M], p[M];
  for (int i = 0; i < M; i++) x[i] = rnd() < 0.1 ? 0.0 : rnd() - 0.45; /* some zeros */
  fin_tally t;
  fin_k_tally_init(&t);
  int bad = 0;
  size_t lo = 0;
  for (int i = 0; i < M + W; i++) {
    if (i < M) fin_k_tally_push(&t, x[i]);
    if (i >= W) fin_k_tally_pop(&t), lo++;
    size_t hi = i < M ? (size_t)i + 1 : M;
    double n = 0, np = 0, nn = 0, sp = 0, sn = 0, mx = -INFINITY, mn = INFINITY;
    for (size_t j = lo; j < hi; j++) {
      n++, np += x[j] > 0, nn += x[j] < 0, sp += x[j] > 0 ? x[j] : 0, sn += x[j] < 0 ? x[j] : 0;
      mx = fmax(mx, x[j]), mn = fmin(mn, x[j]);
    }
    fin_tsum s = fin_k_tally_query(&t);
    if (s.n != n || s.npos != np || s.nneg != nn || s.hi != mx || s.lo != mn ||
        !(fabs(s.spos - sp) <= 1e-12 * fmax(sp, 1e-300)) || !(fabs(s.sneg - sn) <= 1e-12 * fmax(-sn, 1e-300))) {
      if (bad < 3) diag("tally, row %d: n %g/%g sums %g/%g %g/%g", i, s.n, n, s.spos, sp, s.sneg, sn);
      bad++;
    }
  }
  is_int(bad, 0, "tally: a growing, sliding and emptying frame equals brute force (counts, sums, extremes)");
  fin_k_tally_free(&t);

  /* time under water: a frame that grows, slides and empties, against the
  ** definition computed afresh over each frame; the frames' lengths vary
  ** (W, then 7) so that pops come in runs too */
  p[0] = 100;
  for (int i = 1; i < M; i++) p[i] = p[i - 1] * (1 + (rnd() - 0.48) * 0.04);
  for (int i = 50; i < M; i += 97) p[i] = p[i - 1];             /* flat tops and steps */
  for (int i = 1500; i < 1700; i++) p[i] = p[i - 1] * 0.999;    /* a long fall */
  fin_uw u;
  fin_k_uw_init(&u);
  bad = 0;
  lo = 0;
  int episodes = 0, highs_left = 0;
  for (int i = 0; i < M + W; i++) {
    size_t w = i < 1000 ? W : i < 2000 ? 3 + i % 5 : 7;
    if (i < M && fin_k_uw_push(&u, 2.0 * i, p[i])) bad++;
    size_t hi = i < M ? (size_t)i + 1 : M;
    while (hi - lo > w || (i >= M && lo < hi && i % 3 == 0)) {
      if (u.has_open && u.open_row == (int64_t)lo) highs_left++;
      if (fin_k_uw_pop(&u)) bad++;
      lo++;
      if (i >= M) break;
    }
    double top = 0, s2 = 0, s1 = 0;
    int64_t peak = 0, longest = 0;
    for (size_t j = lo; j < hi; j++) {
      if (j == lo || p[j] >= top) {
        if (j > lo && (int64_t)j - peak >= 2 && (int64_t)j - peak > longest) longest = (int64_t)j - peak;
        top = p[j], peak = (int64_t)j;
        continue;
      }
      double dd = p[j] / top - 1;
      s2 += dd * dd, s1 -= dd;
      if ((int64_t)j - peak > longest) longest = (int64_t)j - peak;
    }
    int64_t cnt = (int64_t)(hi - lo), cur = hi > lo ? (int64_t)hi - 1 - peak : 0;
    episodes += longest > 0;
    fin_uwsum t = fin_k_uw_total(&u);
    if (fin_k_uw_count(&u) != cnt ||
        (cnt && (fin_k_uw_current(&u) != cur || t.len != longest || t.span != 2.0 * longest ||
                 fin_k_uw_current_t(&u) != 2.0 * cur || !(fabs(t.s2 - s2) <= 1e-12 * s2) ||
                 !(fabs(t.s1 - s1) <= 1e-12 * s1)))) {
      if (bad < 3) diag("underwater, row %d: count %lld/%lld current %lld/%lld longest %lld/%lld sums %g/%g", i,
                        (long long)fin_k_uw_count(&u), (long long)cnt, (long long)fin_k_uw_current(&u),
                        (long long)cur, (long long)t.len, (long long)longest, t.s2, s2);
      bad++;
    }
  }
  fin_k_uw_free(&u);
  is_int(bad, 0, "underwater: sums, current and longest episodes of a sliding frame equal brute force");
  ok(episodes > 100 && highs_left > 100, "underwater: the frames held %d episodes and lost their high %d times",
     episodes, highs_left);

  /* the normal quantile: sqrt(2) erfinv(2p - 1) to 17 digits (mpmath, 30 digits) */
  const double pz[][2] = {{0.05, -1.6448536269514727}, {0.5, 0.0}, {0.975, 1.9599639845400539},
                          {1e-10, -6.3613409024040562}, {0.2, -0.84162123357291417}};
  double worst = 0;
  for (int i = 0; i < 5; i++) worst = fmax(worst, fabs(fin_k_norm_quantile(pz[i][0]) - pz[i][1]) / fmax(fabs(pz[i][1]), 1));
  ok(worst < 1e-15, "normal quantile: 5 values to full precision (worst %g)", worst);
  ok(isnan(fin_k_norm_quantile(0)) && isnan(fin_k_norm_quantile(1)), "normal quantile: 0 and 1 have none");
  /* a normal law's Cornish-Fisher terms vanish: the gaussian answers */
  fin_tail_moments tm = {0.01, 0.02, 0.0, 0.0};
  double z = fin_k_norm_quantile(0.05);
  ok(fin_k_var_cornish_fisher(&tm, 0.05, z) == fin_k_var_gaussian(&tm, 0.05, z) &&
         fabs(fin_k_cvar_cornish_fisher(&tm, 0.05, z) - fin_k_cvar_gaussian(&tm, 0.05, z)) < 1e-17,
     "Cornish-Fisher with no skewness or excess kurtosis is the gaussian VaR and CVaR");
}

/* The tear sheet (k_sheet.c) and the ratios it shares (k_ratios.c):
** random daily series on consecutive days with repeated values (equal
** highs, equal lows, equal depths), each figure against its definition
** computed afresh in two passes over the whole series. */
static void test_sheet(void) {
  enum { M = 2500 };
  static double v[M], t[M], rb[M];
  int bad = 0, tied = 0, open_deepest = 0, have_years = 0;
  for (int run = 0; run < 40; run++) {
    int n = 2 + (int)(rnd() * (run < 10 ? 30 : M - 2));
    double t0 = fin_k_ymd_to_jd(1990 + run % 7, 1 + run % 12, 1 + run % 28);
    for (int i = 0; i < n; i++) { /* a walk on a coarse grid: values repeat */
      t[i] = t0 + i + (i / 5) * 2; /* weekends */
      v[i] = i ? fmax(1.0, v[i - 1] + (double)(int)((rnd() - 0.49) * 6.0)) : 50.0;
      rb[i] = (rnd() - 0.5) * 0.04;
      if (i % 17 == 3) rb[i] = 0.0; /* neither up nor down */
    }
    if (run % 4 == 1) { /* the walk again, 2^k higher: the same depths, exactly, in later episodes */
      double top = 0;
      for (int i = 0; i < n / 2; i++) top = fmax(top, v[i]);
      double c = exp2(ceil(log2(top / v[0])));
      for (int i = n / 2; i < n; i++) v[i] = v[i - n / 2] * c;
    }
    double now = run % 3 == 0 ? t[n - 1] + 300 : NAN; /* as_of past the end, or the last day */
    fin_sheet s;
    fin_k_sheet_init(&s);
    int64_t deep_peak = -1, deep_trough = -1, deep_rec = -1, peak = 0, trough = 0;
    for (int i = 0; i < n; i++) {
      int ev = fin_k_sheet_push(&s, t[i], v[i]);
      if (ev & FIN_SHEET_DEEPEST) deep_peak = peak, deep_trough = trough, deep_rec = i;
      if (ev & FIN_SHEET_PEAK) peak = i;
      if (ev & FIN_SHEET_TROUGH) trough = i;
      if (i) fin_k_sheet_pair(&s, v[i] / v[i - 1] - 1, rb[i]);
    }
    if (fin_k_sheet_finish(&s, now) & FIN_SHEET_DEEPEST) deep_peak = peak, deep_trough = trough, deep_rec = -1;
    /* the definitions, two passes */
    double mr = 0, ml = 0, sr = 0, sl = 0, dn = 0, k = n - 1;
    for (int i = 1; i < n; i++) mr += v[i] / v[i - 1] - 1, ml += log(v[i] / v[i - 1]);
    mr /= k, ml /= k;
    for (int i = 1; i < n; i++) {
      double r = v[i] / v[i - 1] - 1, l = log(v[i] / v[i - 1]);
      sr += (r - mr) * (r - mr), sl += (l - ml) * (l - ml), dn += r < 0 ? r * r : 0;
    }
    double vol = k >= 2 ? sqrt(sl / (k - 1)) * sqrt(252) : NAN;
    double sharpe = k >= 2 && sr > 0 ? mr / sqrt(sr / (k - 1)) * sqrt(252) : NAN;
    double sortino = dn > 0 ? mr / sqrt(dn / k) * sqrt(252) : NAN;
    /* the deepest fall: its first row, the last row at the high before it,
    ** the first row back at that high after it */
    double hi = v[0], mdd = 0;
    int64_t tr = -1;
    for (int i = 0; i < n; i++) {
      hi = fmax(hi, v[i]);
      if (v[i] / hi - 1 < mdd) mdd = v[i] / hi - 1, tr = i;
    }
    int64_t pk = -1, rec = -1;
    for (int64_t i = 0; i <= tr; i++)
      if (pk < 0 || v[i] >= v[pk]) pk = i;
    for (int64_t i = tr + 1; tr >= 0 && i < n && rec < 0; i++)
      if (v[i] >= v[pk]) rec = i;
    int eq = 0; /* another episode as deep: the tie rule decides */
    for (int i = 0, h = 0; i < n; i++) {
      if (v[i] >= v[h]) h = i;
      else if (v[i] / v[h] - 1 == mdd && h != pk) eq = 1;
    }
    tied += eq;
    open_deepest += tr >= 0 && rec < 0;
    /* whole years: year-end closes, the first year without a base, the
    ** last only when its Dec 31 is on or before now (or the last day) */
    double best = NAN, worst = NAN, base = NAN;
    int best_y = 0, worst_y = 0;
    for (int i = 0; i < n; i++) {
      int y, m, d, y2 = 0;
      fin_k_jd_to_ymd(t[i], &y, &m, &d);
      if (i + 1 < n) fin_k_jd_to_ymd(t[i + 1], &y2, &m, &d);
      if (i + 1 < n && y2 == y) continue; /* not the year's last value */
      int ended = i + 1 < n || (isnan(now) ? t[i] : now) >= fin_k_ymd_to_jd(y, 12, 31);
      if (!isnan(base) && ended) {
        double r = v[i] / base - 1;
        if (isnan(best) || r > best) best = r, best_y = y;
        if (isnan(worst) || r < worst) worst = r, worst_y = y;
      }
      base = v[i];
    }
    have_years += !isnan(best);
    /* the pairs: beta, correlation, information ratio, captures */
    double ma = 0, mb = 0, caa = 0, cbb = 0, cab = 0, me = 0, ce = 0, lu[2] = {0, 0}, ld[2] = {0, 0};
    int nu = 0, nd = 0;
    for (int i = 1; i < n; i++) ma += v[i] / v[i - 1] - 1, mb += rb[i], me += v[i] / v[i - 1] - 1 - rb[i];
    ma /= k, mb /= k, me /= k;
    for (int i = 1; i < n; i++) {
      double a = v[i] / v[i - 1] - 1, b = rb[i], e = a - b;
      caa += (a - ma) * (a - ma), cbb += (b - mb) * (b - mb), cab += (a - ma) * (b - mb), ce += (e - me) * (e - me);
      if (b > 0) lu[0] += log(1 + a), lu[1] += log(1 + b), nu++;
      if (b < 0) ld[0] += log(1 + a), ld[1] += log(1 + b), nd++;
    }
    double beta = k >= 2 ? cab / cbb : NAN, corr = k >= 2 ? cab / sqrt(caa * cbb) : NAN;
    double ir = k >= 2 && ce > 0 ? me * 252 / (sqrt(ce / (k - 1)) * sqrt(252)) : NAN;
    double upc = nu ? expm1(lu[0] / nu * 252) / expm1(lu[1] / nu * 252) : NAN;
    double dnc = nd ? expm1(ld[0] / nd * 252) / expm1(ld[1] / nd * 252) : NAN;
    double years = (t[n - 1] - t[0]) / 365.25, cagr = pow(v[n - 1] / v[0], 1 / years) - 1;
#define NEAR(a, b) ((isnan(a) && isnan(b)) || fabs((a) - (b)) <= 1e-9 * fmax(fabs(b), 1e-3))
    int good = s.n == n && NEAR(fin_k_sheet_total_return(&s), v[n - 1] / v[0] - 1) &&
               NEAR(fin_k_sheet_cagr(&s), cagr) && NEAR(fin_k_sheet_volatility(&s, 252), vol) &&
               NEAR(fin_k_sheet_sharpe(&s, 252), sharpe) && NEAR(fin_k_sheet_sortino(&s, 252), sortino) &&
               fin_k_sheet_max_drawdown(&s) == mdd && NEAR(fin_k_sheet_calmar(&s), mdd < 0 ? cagr / -mdd : NAN) &&
               (tr < 0 ? !s.has_deep : deep_peak == pk && deep_trough == tr && deep_rec == rec) &&
               s.deep.peak_row == (tr < 0 ? s.deep.peak_row : pk) && s.has_years == !isnan(best) &&
               (!s.has_years || (s.best == best && s.worst == worst)) &&
               NEAR(fin_k_sheet_beta(&s), beta) && NEAR(fin_k_sheet_correlation(&s), corr) &&
               NEAR(fin_k_sheet_information_ratio(&s, 252), ir) && NEAR(fin_k_sheet_up_capture(&s, 252), upc) &&
               NEAR(fin_k_sheet_down_capture(&s, 252), dnc);
    if (s.has_years) { /* the years' labels */
      char lb[FIN_LABEL_MAX], lw[FIN_LABEL_MAX], wb[16], ww[16];
      fin_k_period_label(s.best_jd, FIN_YEAR, lb);
      fin_k_period_label(s.worst_jd, FIN_YEAR, lw);
      snprintf(wb, sizeof wb, "%d", best_y);
      snprintf(ww, sizeof ww, "%d", worst_y);
      good = good && strcmp(lb, wb) == 0 && strcmp(lw, ww) == 0;
    }
#undef NEAR
    if (!good) {
      if (bad < 3)
        diag("sheet, run %d (%d values): mdd %g/%g peak %lld/%lld trough %lld/%lld recovery %lld/%lld best %g/%g", run,
             n, fin_k_sheet_max_drawdown(&s), mdd, (long long)deep_peak, (long long)pk, (long long)deep_trough,
             (long long)tr, (long long)deep_rec, (long long)rec, s.best, best);
      bad++;
    }
    fin_k_sheet_free(&s);
  }
  is_int(bad, 0, "sheet: 40 random series, every figure equals its definition computed in two passes");
  ok(tied > 3 && open_deepest > 3 && have_years > 20,
     "sheet: the series held ties of depth (%d), a deepest episode still open (%d) and whole years (%d)", tied,
     open_deepest, have_years);

  /* the ratios' edges */
  fin_growth g;
  fin_k_growth_init(&g);
  fin_k_growth_push(&g, 0.1, -1.0); /* a zero factor on y */
  fin_k_growth_push(&g, -2.0, 0.5); /* a negative factor on x */
  fin_mom m = fin_k_moms_query(&g.g);
  ok(fin_k_growth_annual(&g, &m, 1, 2) == -1.0 && isnan(fin_k_growth_annual(&g, &m, 0, 2)) &&
         fabs(fin_k_growth_cumulative(&g, &m, 0) - (1.1 * -1.0 - 1)) < 1e-15 && isnan(fin_k_growth_capture(&g, &m, 2)),
     "growth: a zero factor makes G -1, an odd count of negative ones no G, the cumulative growth stays defined");
  fin_k_growth_pop(&g, 0.1, -1.0);
  fin_k_growth_pop(&g, -2.0, 0.5);
  m = fin_k_moms_query(&g.g);
  ok(g.zero[1] == 0 && g.neg[0] == 0 && m.n == 0 && isnan(fin_k_growth_annual(&g, &m, 0, 2)),
     "growth: popping the pairs uncounts their factors; empty, no G");
  fin_k_growth_push(&g, 0.21, 0.1);
  fin_k_growth_push(&g, 0.0, 0.1);
  m = fin_k_moms_query(&g.g);
  is_double(fin_k_growth_capture(&g, &m, 1), (sqrt(1.21) - 1) / (sqrt(1.21) - 1), 1e-15,
            "growth: capture G(x) / G(y) over 2 pairs at 1 a year: sqrt(1.21) - 1 over sqrt(1.21) - 1");
  fin_k_growth_free(&g);
  ok(fin_k_period_ended(fin_k_ymd_to_jd(2024, 12, 31), FIN_YEAR, fin_k_ymd_to_jd(2024, 12, 31)) &&
         !fin_k_period_ended(fin_k_ymd_to_jd(2024, 12, 30), FIN_YEAR, fin_k_ymd_to_jd(2024, 12, 30)) &&
         fin_k_period_ended(fin_k_ymd_to_jd(2024, 3, 1), FIN_YEAR, fin_k_ymd_to_jd(2024, 12, 31) + 0.5),
     "a year has ended on its Dec 31 (a time of day included), not on Dec 30");
  fin_sheet s;
  fin_k_sheet_init(&s);
  fin_k_sheet_push(&s, 1, 100);
  fin_k_sheet_push(&s, 400, 120);
  fin_k_sheet_push(&s, 800, 90);
  fin_k_sheet_finish(&s, NAN);
  ok(!s.has_years && s.has_deep && s.deep.recovery_row == -1 && isnan(fin_k_sheet_sharpe(&s, 252)) == 0,
     "sheet: numeric times that are not dates have no years; the open episode is the deepest");
  fin_k_sheet_free(&s);
}

int main(void) {
  plan(150);
  test_calendar();
  test_returns();
  test_buffers();
  test_episodes();
  test_forward();
  test_shift();
  test_forward_calendar();
  test_quantile();
  test_moments();
  test_measures();
  test_pictures();
  test_swings();
  test_indicators();
  test_sheet();
  return done();
}

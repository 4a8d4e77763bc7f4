/*
** kernels.h - the finance kernels of sqlite-fin, in plain C.
**
** Nothing here knows about SQLite: every kernel takes doubles (prices,
** returns, Julian days) and row counters, so each one can be unit-tested
** alone (tests/unit/) and each SQL function or table in ext/ is a thin
** wrapper that validates arguments and moves values in and out.
**
** Conventions shared by all kernels:
**   - A "price" is a finite number > 0; callers validate before pushing.
**   - A "row" is a counter of the non-NULL values pushed so far in the
**     current series (0 for the first), so "rows between" is a difference.
**   - Memory comes from fin_malloc/fin_free, which the SQLite glue
**     implements with sqlite3_malloc64 and sqlite3_free.  A kernel that cannot grow a
**     buffer returns FIN_NOMEM and leaves its state usable.
*/
#ifndef FIN_KERNELS_H
#define FIN_KERNELS_H

#include <stddef.h>
#include <stdint.h>

#define FIN_OK 0
#define FIN_NOMEM 1

/* The allocator, provided by the host: the SQLite glue (args.c) implements
** it with sqlite3_malloc64 and sqlite3_free, so memory limits and OOM tests
** cover the kernels too. Functions, not hooks: nothing global is written
** when a connection loads the extension, so threads never race on it. */
void *fin_malloc(size_t n);
void fin_free(void *p);
/* The next capacity of a buffer that grows by doubling (from 16), or 0
** when n items of size sz would overflow (k_buffers.c). */
size_t fin_k_grow_cap(size_t cap, size_t sz);

/* Tolerance used when a return is compared with a user threshold
** (min_gain, min_loss, min_depth): a gain of 2000 -> 2020 is "at least 1%"
** although 2020.0/2000.0 - 1 is 0.0099999999999999 or 0.0100000000000001
** depending on rounding. 1e-12 is far below any quoted precision. */
#define FIN_RET_EPS 1e-12

/* ---------------------------------------------------------------- returns */
/* The simple return new/old - 1: the one place every return, drawdown and
** forward result is computed (inline: it runs for every row of a table). */
static inline double fin_k_pct_change(double new_v, double old_v) { return new_v / old_v - 1.0; }
double fin_k_log_return(double new_v, double old_v);
double fin_k_cagr(double start_v, double end_v, double years);
double fin_k_annualize(double ret, double periods, double per_year);

/* Direction of a streak and its threshold. */
typedef struct fin_gain_rule {
  int down;          /* 0: gains, 1: losses */
  int has_min;       /* 0: strict (> 0 or < 0), 1: >= min / <= -min */
  double min;        /* min_gain or min_loss, as a fraction (0.01 = 1%) */
} fin_gain_rule;

/* 1 when the move prev -> cur satisfies the rule. */
int fin_k_gain_ok(const fin_gain_rule *r, double prev, double cur);

/* ---------------------------------------------------------------- calendar */
/* Parses ISO-8601 "YYYY-MM-DD", optionally followed by "T" or " " and
** "HH:MM[:SS[.fff]]" and an optional "Z" or "+HH:MM"/"-HH:MM" offset, into
** a Julian day number (UTC). Seconds are read to the millisecond (rounded),
** the resolution of times, as SQLite's date functions have it. Returns 0,
** FIN_ISO_MALFORMED, or FIN_ISO_RANGE for a time outside the years
** 0001-9999 (UTC). No blanks around it. *date_only is set to 1 when no time
** of day was given. */
#define FIN_ISO_MALFORMED (-1)
#define FIN_ISO_RANGE (-2)
int fin_k_parse_iso(const char *z, int n, double *jd, int *date_only);

/* The last plain YYYY-MM-DD parsed, so that the next date of the same month
** (nearly every row of a daily series) needs no calendar arithmetic. */
typedef struct fin_date_cache {
  char ymd[10];  /* empty (ymd[0] == 0) until a date is remembered */
  double jd;
} fin_date_cache;
/* 1 and *jd when z is a day 01-28 (valid in any month) of the cached
** month; 0 otherwise (then parse with fin_k_parse_iso and remember). */
int fin_k_date_cached(const fin_date_cache *c, const char *z, int n, double *jd);
/* Remembers a date that fin_k_parse_iso accepted, when it is plain YYYY-MM-DD. */
void fin_k_date_remember(fin_date_cache *c, const char *z, int n, double jd);

/* The one time-order rule of every series: times are all of one kind (ISO
** text, read as Julian days, or plain numbers) and strictly increase. */
typedef enum fin_time_verdict {
  FIN_TIME_OK = 0,
  FIN_TIME_MIXED,    /* text after numbers or numbers after text */
  FIN_TIME_REPEAT,   /* the same time as the row before */
  FIN_TIME_BACKWARD  /* earlier than the row before */
} fin_time_verdict;
typedef struct fin_timeline {
  int kind;     /* 0: no time yet, 1: numbers, 2: ISO text */
  double last;  /* the time of the row before */
} fin_timeline;
static inline void fin_k_timeline_reset(fin_timeline *tl) { tl->kind = 0; }
/* Judges the next time against the row before and, unless the kinds mix,
** makes it the row before of the next call. (Inline: every row of every
** table passes here.) */
static inline fin_time_verdict fin_k_timeline_next(fin_timeline *tl, double t, int is_text) {
  int kind = is_text ? 2 : 1;
  if (tl->kind && tl->kind != kind) return FIN_TIME_MIXED;
  fin_time_verdict v = !tl->kind ? FIN_TIME_OK
                       : t == tl->last ? FIN_TIME_REPEAT
                       : t < tl->last  ? FIN_TIME_BACKWARD
                                       : FIN_TIME_OK;
  tl->kind = kind;
  tl->last = t;
  return v;
}

/* Julian day -> civil date (proleptic Gregorian, as SQLite's date()). */
void fin_k_jd_to_ymd(double jd, int *y, int *m, int *d);
/* Civil date -> the Julian day of its midnight. */
double fin_k_ymd_to_jd(int y, int m, int d);

/* jd moved by a calendar offset, as pandas' DateOffset(months=, days=)
** moves a timestamp: months first, the day of the month kept and clamped
** to the month's last day (Jan 31 + 1 month = Feb 28 or 29), then days;
** the time of day is kept. */
double fin_k_shift(double jd, int months, int days);

/* The Julian days accepted as dates: from 0001-01-01 (FIN_JD_MIN) to the
** end of 9999-12-31, that is up to FIN_JD_END (10000-01-01), exclusive. SQLite's
** date functions reach back to year 0000, but 0000-01-01 and -02 belong
** to an ISO week of year -1, which has no four-digit label; from
** 0001-01-01, a Monday, every day has a label of the form SQLite prints. */
#define FIN_JD_MIN 1721425.5
#define FIN_JD_END 5373484.5

typedef enum fin_period { FIN_YEAR = 0, FIN_QUARTER, FIN_MONTH, FIN_WEEK } fin_period;

/* A number that identifies the calendar period holding jd: equal for two
** days of the same period, increasing with time. Weeks are ISO weeks
** (Monday to Sunday). */
int64_t fin_k_period_id(double jd, fin_period p);
/* The Julian days [*lo, *hi) that the period holding jd spans. */
void fin_k_period_bounds(double jd, fin_period p, double *lo, double *hi);

/* Writes the period's label ('2024', '2024-Q3', '2024-07', '2024-W29',
** ISO week-year for weeks) for a day jd inside it into buf. */
#define FIN_LABEL_MAX 40
void fin_k_period_label(double jd, fin_period p, char *buf);

/* Parses 'year', 'quarter', 'month', 'week' (case-insensitive).
** Returns 0 and sets *p, or -1. */
int fin_k_parse_period(const char *z, fin_period *p);
/* 1 when the period holding last_jd had ended at day now: its last
** calendar day is on or before now (the partial rule of
** fin_calendar_returns, fin_bars and fin_summary's years). */
int fin_k_period_ended(double last_jd, fin_period p, double now);

/* Running period-to-date return: the base is the last value before the
** current period began. */
typedef struct fin_ptd {
  fin_period period;
  int has_last;      /* a value has been pushed */
  int64_t cur_id;    /* period id of the last value pushed */
  double last;       /* last value pushed */
  int has_base;      /* an earlier period exists */
  double base;       /* last value of the previous period */
  double last_jd;    /* day of the last value pushed */
  double lo, hi;     /* Julian days [lo, hi) of the current period: a cache */
} fin_ptd;
/* A period that ended: reported when the first value of the next period
** arrives, or by fin_k_ptd_finish at the end of the series. */
typedef struct fin_ptd_closed {
  int has_base;  /* an earlier period exists: base is its last value */
  double base;
  double last;   /* the period's last value */
  double last_jd;
} fin_ptd_closed;
void fin_k_ptd_init(fin_ptd *s, fin_period p);
/* What a push reports, as bits: */
#define FIN_PTD_RET 1    /* *ret is set: a base exists */
#define FIN_PTD_CLOSED 2 /* jd opened a new period: *closed holds the one that ended */
/* Pushes a value at day jd and returns the events (closed may be NULL
** when they are not wanted). Days must not decrease (the caller checks). */
int fin_k_ptd_push(fin_ptd *s, double jd, double v, double *ret, fin_ptd_closed *closed);
/* At the end of a series: 1 and *closed when a period is open. */
int fin_k_ptd_finish(const fin_ptd *s, fin_ptd_closed *closed);

/* ---------------------------------------------------------------- buffers */
/* Ring (FIFO) of doubles that grows on demand. Its capacity is a power of
** two (fin_k_grow_cap doubles from 16), so a slot is an index masked, not
** divided: the ring is on the per-row path of fin_series and the returns,
** hence inline. */
typedef struct fin_ring {
  double *v;
  size_t cap, head, len;
} fin_ring;
void fin_k_ring_init(fin_ring *r);
void fin_k_ring_free(fin_ring *r);
int fin_k_ring_grow(fin_ring *r); /* doubles the capacity: FIN_OK or FIN_NOMEM */
static inline int fin_k_ring_push(fin_ring *r, double x) { /* FIN_OK or FIN_NOMEM */
  if (r->len == r->cap && fin_k_ring_grow(r)) return FIN_NOMEM;
  r->v[(r->head + r->len++) & (r->cap - 1)] = x;
  return FIN_OK;
}
static inline double fin_k_ring_at(const fin_ring *r, size_t i) { /* 0 = oldest */
  return r->v[(r->head + i) & (r->cap - 1)];
}
static inline void fin_k_ring_pop(fin_ring *r) { /* drops the oldest */
  if (!r->len) return;
  r->head = (r->head + 1) & (r->cap - 1);
  r->len--;
}
void fin_k_ring_clear(fin_ring *r);

/* Text that grows on demand (an SVG picture). After a failed append the
** text stays as it was and nomem is set; later appends do nothing. */
typedef struct fin_text {
  char *z;
  size_t len, cap;
  int nomem;
} fin_text;
void fin_k_text_free(fin_text *t);
#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 2, 3)))
#endif
void fin_k_text_printf(fin_text *t, const char *fmt, ...);

/* Monotonic deque that answers "largest value in a sliding window, and
** the last row where it occurs" in O(1) amortized time. With sign = -1 it
** tracks the smallest value instead. Memory holds only the candidates:
** values larger than every value pushed after them. */
typedef struct fin_maxq {
  double *v;
  int64_t *row;
  size_t cap, head, len;
  double sign;
} fin_maxq;
void fin_k_maxq_init(fin_maxq *q, int want_min);
void fin_k_maxq_free(fin_maxq *q);
void fin_k_maxq_clear(fin_maxq *q);
int fin_k_maxq_push(fin_maxq *q, double x, int64_t row);
/* Drops candidates at rows < first_row (they left the window). */
void fin_k_maxq_expire(fin_maxq *q, int64_t first_row);
/* 0 when empty, else 1 with the extreme and its last row. */
int fin_k_maxq_top(const fin_maxq *q, double *x, int64_t *row);

/* Sliding-window aggregation of an associative operation with the
** two-stack method: O(1) amortized per push and pop, no subtraction, so no
** drift. A segment summary has three slots; what they mean depends on the
** operation. */
typedef struct fin_seg { double a, b, c; } fin_seg;
typedef enum fin_swag_op {
  FIN_SWAG_PRODUCT = 0,  /* a = product of the values */
  FIN_SWAG_MAXDD         /* a = max, b = min, c = deepest peak-to-trough fall */
} fin_swag_op;
typedef struct fin_swag {
  fin_swag_op op;
  double *v;        /* raw values, ring */
  fin_seg *suf;     /* suffix summaries of the front part, ring, lazy */
  size_t cap, head, mid, len; /* front = [head, head+mid), back = rest */
  fin_seg back;     /* summary of the back part */
  int folded;       /* fin_k_swag_fold: the values are gone, back is all */
} fin_swag;
void fin_k_swag_init(fin_swag *s, fin_swag_op op);
void fin_k_swag_free(fin_swag *s);
int fin_k_swag_push(fin_swag *s, double x);
int fin_k_swag_pop(fin_swag *s); /* FIN_NOMEM possible: first pop allocates */
size_t fin_k_swag_len(const fin_swag *s);
fin_seg fin_k_swag_query(const fin_swag *s);
/* Keeps the summary and drops the values (a plain aggregate: nothing will
** be popped); pushes go on, pops are then impossible. */
void fin_k_swag_fold(fin_swag *s);
/* Summary of a whole array, for buffered (sorted) computations. */
fin_seg fin_k_seg_of(fin_swag_op op, const double *x, size_t n);
/* The summaries themselves: of nothing, of one value, of l followed by r. */
fin_seg fin_k_seg_identity(fin_swag_op op);
fin_seg fin_k_seg_lift(fin_swag_op op, double x);
fin_seg fin_k_seg_combine(fin_swag_op op, fin_seg l, fin_seg r);

/* An ordered map from times to values (k_tmap.c, a treap): insert, delete
** by time, the earliest and latest pairs and the summary (fin_seg, op) of
** the values in time order, in O(log n) each, whatever order the times
** come in. For the (time, price) aggregates over rows not in time order. */
typedef struct fin_tnode fin_tnode;
typedef struct fin_tmap {
  fin_swag_op op;
  fin_tnode *node;  /* the nodes, by index */
  size_t len, cap, count;
  int32_t root, free; /* free: a list of deleted slots, through their left links */
  uint32_t seed;
} fin_tmap;
#define FIN_TMAP_REPEAT 2 /* fin_k_tmap_insert: the time is there already */
void fin_k_tmap_init(fin_tmap *m, fin_swag_op op);
void fin_k_tmap_free(fin_tmap *m);
int fin_k_tmap_insert(fin_tmap *m, double t, double v); /* FIN_OK, FIN_NOMEM, FIN_TMAP_REPEAT */
int fin_k_tmap_delete(fin_tmap *m, double t);          /* 1 when t was there */
size_t fin_k_tmap_count(const fin_tmap *m);
int fin_k_tmap_first(const fin_tmap *m, double *t, double *v); /* 0 when empty */
int fin_k_tmap_last(const fin_tmap *m, double *t, double *v);
fin_seg fin_k_tmap_summary(const fin_tmap *m);
/* Writes the pairs in time order into t[] and v[] (count each); returns
** their number, or (size_t)-1 when memory ran out. */
size_t fin_k_tmap_sorted(const fin_tmap *m, double *t, double *v);

/* ---------------------------------------------------------------- moments */
/* Moments of observations (x, y, s) for the risk aggregates and the
** measures built on them (k_moments.c): n, the sums of x and y, the
** co-moments about the means (Cxx = sum of (x - mean)^2, and so on), the
** third and fourth central moments of x (M3, M4) and the sum of s^2.
** Sample variance = Cxx/(n-1). A queue keeps x (and s) scaled by 2^-ex and
** y by 2^-ey, so squares neither overflow nor underflow: read answers in
** the inputs' units through the accessors. */
typedef struct fin_mom { double n, sx, sy, cxx, cyy, cxy, d, m3, m4; } fin_mom;
typedef struct fin_mom_item { double x, y, s; } fin_mom_item;
fin_mom fin_k_mom_merge(fin_mom a, fin_mom b); /* the summary of a then b */
/* A sliding frame of observations, oldest first: a two-stack queue, so a
** query merges two summaries and nothing is ever subtracted. */
typedef struct fin_moms {
  fin_mom_item *back; /* items pushed since the last move, oldest first */
  size_t nback, capback;
  fin_mom back_sum;   /* their summary */
  fin_mom *front;     /* front[j]: summary of the j+1 newest front items */
  size_t nfront, capfront;
  int ex, ey, has_ex, has_ey; /* the scales: x is kept as x * 2^-ex */
  int folded;         /* fin_k_moms_fold: the items are gone, back_sum is all */
} fin_moms;
void fin_k_moms_init(fin_moms *q);
void fin_k_moms_free(fin_moms *q);
int fin_k_moms_push(fin_moms *q, double x, double y, double s); /* FIN_OK or FIN_NOMEM */
int fin_k_moms_pop(fin_moms *q); /* drops the oldest; FIN_NOMEM possible (a move allocates) */
size_t fin_k_moms_len(const fin_moms *q);
fin_mom fin_k_moms_query(const fin_moms *q); /* on the queue's scales */
/* Keeps the summary and drops the items (a plain aggregate: nothing will
** be popped): memory stays constant; pops are then impossible. */
void fin_k_moms_fold(fin_moms *q);
/* Answers in the inputs' units from a query's summary; NaN where undefined
** (n < 2 for deviations, a zero variance for beta and correlation). */
double fin_k_mom_mean_x(const fin_moms *q, const fin_mom *m);
double fin_k_mom_mean_y(const fin_moms *q, const fin_mom *m);
double fin_k_mom_sd_x(const fin_moms *q, const fin_mom *m); /* sample, n - 1 */
double fin_k_mom_sd_y(const fin_moms *q, const fin_mom *m);
double fin_k_mom_beta(const fin_moms *q, const fin_mom *m); /* cov(x, y) / var(y) */
double fin_k_mom_corr(const fin_mom *m);                    /* Pearson's r */
double fin_k_mom_down(const fin_moms *q, const fin_mom *m); /* sqrt(sum s^2 / n) */

/* ---------------------------------------------------------------- the high */
/* The running high: the highest value so far and the LAST row where it was
** reached, so an equal high moves it (a flat top is not a drawdown). The
** one rule behind drawdown episodes and fin_series' peak; fin_maxq applies
** the same tie rule over sliding windows, and a unit test holds the two
** together. */
typedef struct fin_high {
  int has;
  double v;
  int64_t row;
} fin_high;
/* Returns 1 when v is at or above the high: this row is the peak now. */
static inline int fin_k_high_push(fin_high *h, double v, int64_t row) {
  if (h->has && v < h->v) return 0;
  h->has = 1;
  h->v = v;
  h->row = row;
  return 1;
}

/* ---------------------------------------------------------------- runs */
/* Consecutive periods that satisfy a gain rule. */
typedef struct fin_run {
  int64_t start_row;   /* first period of the run */
  int64_t end_row;     /* last period of the run */
  int64_t length;      /* periods in the run */
  double start_value;  /* value before the run */
  double end_value;    /* value at its last period */
} fin_run;
typedef struct fin_runs {
  fin_gain_rule rule;
  int64_t row;         /* rows pushed */
  double prev;         /* last value */
  fin_run cur;         /* cur.length == 0: no run open */
} fin_runs;
void fin_k_runs_init(fin_runs *s, const fin_gain_rule *rule);
/* What a push reports, as bits: */
#define FIN_RUN_ENDED 1    /* the value broke the open run: *done holds it */
#define FIN_RUN_STARTED 2  /* the value is the first period of a new run */
#define FIN_RUN_EXTENDED 4 /* the value is a period of the open run (with STARTED too) */
/* Pushes the next value and returns the events it caused (0: none).
** s->cur.length is the streak at this row. */
int fin_k_runs_push(fin_runs *s, double v, fin_run *done);
/* At the end of a series: returns 1 and fills *done if a run is open. */
int fin_k_runs_finish(fin_runs *s, fin_run *done);

/* ---------------------------------------------------------------- drawdowns */
typedef struct fin_dd_episode {
  double peak, trough;
  int64_t peak_row, trough_row;
  int64_t recovery_row;  /* -1 while under water */
} fin_dd_episode;
typedef struct fin_dd {
  int64_t row;          /* rows pushed */
  fin_high high;        /* the running high and its last row */
  int under;            /* an episode is open */
  double trough;
  int64_t trough_row;   /* first row at the low */
} fin_dd;
void fin_k_dd_init(fin_dd *s);
/* What a push reports, as bits: */
#define FIN_DD_PEAK 1      /* the value is the running high: the next episode's peak */
#define FIN_DD_TROUGH 2    /* the value is the low of the open episode (its first row) */
#define FIN_DD_RECOVERED 4 /* the value closed an episode: *done holds it (PEAK is set too) */
/* Pushes the next value and returns the events it caused (0: none). */
int fin_k_dd_push(fin_dd *s, double v, fin_dd_episode *done);
/* Returns 1 and fills *open when an episode is still under water. */
int fin_k_dd_finish(const fin_dd *s, fin_dd_episode *open);

/* ---------------------------------------------------------------- forward */
/* Forward returns after anchor rows, over several horizons: in rows (h
** rows later) or calendar offsets (the first row at or after the anchor's
** time moved by the offset, fin_k_shift). For every anchor: the value at
** the horizon's end, and the best and worst value over the rows from the
** anchor to that end. Memory is bounded by the longest horizon alone,
** whatever the number of horizons: a ring of the rows from the oldest
** waiting anchor on (H+1 rows for H rows; the rows of the longest calendar
** span otherwise) with a max and a min segment tree over it. Protocol:
** after each push, take the ready anchors (fin_k_fwd_ready, fin_k_fwd_pop)
** before the next push. */
typedef struct fin_offset {
  int months, days;      /* '1 year' = 12 months, '1 week' = 7 days */
} fin_offset;

/* One item of a comma-separated list of horizons or periods: a count with
** an optional sign ('5', '+21'), a count and a calendar unit ('3 months',
** '1 Year'; day, week, month, year, singular or plural), or a word alone
** ('ytd'), for the caller to look up. The one grammar of
** fin_forward_returns' horizons and fin_trailing_returns' periods. */
#define FIN_MAX_CALENDAR 10000 /* units of one offset: 10000 years is past any date */
typedef struct fin_offset_item {
  const char *b, *e; /* the count and its unit as written, for messages */
  int64_t n;         /* the count with its sign (digits past 10^12 are dropped) */
  int digits;        /* digits in the count; 0: no count */
  int unit;          /* 0 day, 1 week, 2 month, 3 year after the count; -1 none */
  const char *word;  /* a word alone (no sign, no count), not 0-terminated */
  size_t len;        /* its length; 0: no word */
  fin_offset off;    /* n units, when unit >= 0 and 1 <= n <= FIN_MAX_CALENDAR */
  char label[32];    /* '3 months' for the same */
} fin_offset_item;
/* Reads the item at *s and moves *s to the comma after it or to the end.
** Returns 0, or -1 when the item is malformed: empty, a count followed by
** a word that is no unit, a signed word, or anything else before the
** comma. The caller checks the count's range. */
int fin_k_offset_item(const char **s, fin_offset_item *it);
typedef struct fin_fwd_result {
  int64_t row;          /* anchor row */
  double start;         /* value at the anchor */
  /* per horizon, rows (fin_fwd.h) first, then calendar (fin_fwd.cal): */
  const double *end;    /* value at the horizon's end */
  const double *hi;     /* highest value over the rows from the anchor to the end */
  const double *lo;     /* lowest value over the same rows */
  const unsigned char *done; /* 0: the series ended before the horizon did */
} fin_fwd_result;
typedef struct fin_fwd {
  int nh, nc;
  int64_t *h;            /* horizons in rows, ascending, distinct */
  fin_offset *cal;       /* calendar horizons */
  int64_t row;           /* rows pushed */
  int finished;
  size_t cap;            /* ring slots: a power of two, grown to hold the waiting rows */
  double *v, *t, *mx, *mn; /* ring of values and times (slot = row & (cap-1)); trees of 2*cap
                              nodes, leaves at cap+slot */
  int64_t *arow;         /* pending anchors, a FIFO */
  size_t acap, ahead, alen;
  int64_t computed;      /* the anchor whose results are in out, -1: none */
  int64_t targeted;      /* the anchor whose calendar targets are in tgt, -1: none */
  double *tgt, tmax;     /* nc targets (times) and the latest of them */
  double *end, *hi, *lo; /* nh + nc each */
  unsigned char *done;
  fin_fwd_result out;
} fin_fwd;
/* h sorted, distinct, >= 1; cal: offsets > 0 (either may be empty). */
int fin_k_fwd_init(fin_fwd *s, const int64_t *h, int nh, const fin_offset *cal, int nc);
void fin_k_fwd_free(fin_fwd *s);
void fin_k_fwd_reset(fin_fwd *s);  /* new series, same horizons */
/* Pushes a value at time t (increasing; a Julian day when there are
** calendar horizons); anchor != 0 makes this row an anchor. */
int fin_k_fwd_push(fin_fwd *s, double t, double v, int anchor);
/* The oldest pending anchor when all its horizons are known (or after
** fin_k_fwd_finish), else NULL. Valid until the next call; then pop it. */
const fin_fwd_result *fin_k_fwd_ready(fin_fwd *s);
void fin_k_fwd_pop(fin_fwd *s);
void fin_k_fwd_finish(fin_fwd *s);  /* series ended: everything is ready */

/* ---------------------------------------------------------------- pictures */
/* The levels (0 = lowest, 7 = highest) of a sparkline of the values in x,
** oldest first: one per value when they fit in width, else width points,
** each the mean of a run of consecutive values (runs differ in length by one
** at most). The lowest point is level 0, the highest level 7, the others
** the nearest of the eight evenly spaced levels; a flat line is level 3. level and tmp hold min(len, width)
** entries. Returns the number of points. */
size_t fin_k_spark_levels(const fin_ring *x, size_t width, unsigned char *level, double *tmp);

/* The length, in eighths of a character, of a bar for x >= 0 on a scale
** where max > 0 fills width characters; rounded to the nearest eighth,
** and a full bar past max. */
int64_t fin_k_bar_eighths(double x, double max, int width);

/* The SVG of fin_chart (k_chart.c: the layout and its contract) for n >= 1
** points in increasing time, values > 0, appended to o. FIN_NOMEM when
** memory runs out (o then holds a part: free it). */
typedef struct fin_chart_opts {
  const char *title; /* NULL or "": none */
  int width, height; /* pixels, at least 240 x 160 */
  int log_scale;
  int dates;         /* times are Julian days (else plain numbers) */
} fin_chart_opts;
int fin_k_chart_svg(const double *t, const double *v, size_t n, const fin_chart_opts *opt,
                    fin_text *o);

/* ---------------------------------------------------------------- quantile */
/* Quantile p in [0,1] of n sorted values, linear interpolation between
** closest ranks (type 7: numpy's default, R's default). */
double fin_k_quantile_sorted(const double *x, size_t n, double p);
void fin_k_sort_doubles(double *x, size_t n);

/* A sample that grows and loses values (a window frame), answering its
** p-quantile with fin_k_quantile_sorted's arithmetic: two heaps while it
** only grows (O(log n) a push), a sorted array from the first removal on
** (binary search and one memmove). */
typedef struct fin_qsel {
  double p;
  int sorted;            /* 0: heaps, 1: sorted array */
  double *lo, *hi;       /* heaps: lo = the low ranks negated (max-heap), hi = the rest */
  size_t nlo, nhi, caplo, caphi;
  double *x;             /* sorted array */
  size_t n, cap;
} fin_qsel;
void fin_k_qsel_init(fin_qsel *q, double p);
void fin_k_qsel_free(fin_qsel *q);
int fin_k_qsel_push(fin_qsel *q, double v);   /* FIN_OK or FIN_NOMEM */
int fin_k_qsel_remove(fin_qsel *q, double v); /* one copy of v, if held; FIN_NOMEM possible */
size_t fin_k_qsel_count(const fin_qsel *q);
double fin_k_qsel_value(const fin_qsel *q);   /* count > 0 */

/* ---------------------------------------------------------------- swings */
/* The zigzag of a series (k_swings.c): alternating legs, each a move of at
** least th (a fraction, rule 6's tolerance) from the last turning point.
** An up leg ends at its highest value before a fall of th from it, a down
** leg at its lowest before a rise of th. Ties follow the running high and
** the drawdown trough: an equal high moves an up leg's end to the later
** row, an equal low leaves a down leg's end at the first row. Before the
** first leg the running high (last row) and low (first row) are watched;
** the first of them that a move of th confirms is the first turning point.
** Constant memory. */
typedef struct fin_swing_leg {
  int up;              /* 1: an up leg (low to high), 0: a down leg */
  double start, end;   /* values at its turning points; end: the extreme so far while open */
  double confirm;      /* value at the row that confirmed the leg */
  int64_t start_row, end_row, confirm_row;
} fin_swing_leg;
typedef struct fin_swings {
  double th;
  int64_t row;          /* rows pushed */
  int open;             /* a leg is open (confirmed) */
  fin_high hi;          /* before the first leg: the running high and its last row */
  double lo;            /* ... and the running low and its first row */
  int64_t lo_row;
  fin_swing_leg leg;    /* the open leg */
} fin_swings;
void fin_k_swings_init(fin_swings *s, double th);
/* What a push reports, as bits: */
#define FIN_SW_HIGH 1     /* before the first leg: the row is the running high */
#define FIN_SW_LOW 2      /* before the first leg: the row is the running low */
#define FIN_SW_BEGAN 4    /* the row confirmed a new leg: s->leg; its start is the running
                             high or low (the first leg) or the end of the leg that ENDED */
#define FIN_SW_EXTREME 8  /* the row is the open leg's extreme (with BEGAN too) */
#define FIN_SW_ENDED 16   /* a leg ended at its extreme: *done holds it (BEGAN is set too) */
/* Pushes the next value and returns the events it caused (0: none). */
int fin_k_swings_push(fin_swings *s, double v, fin_swing_leg *done);
/* ---------------------------------------------------------------- indicators */
/* The recursions of the technical indicators (k_indicators.c), on prices
** pushed oldest first. Each push returns 1 (or bits) once the value is
** defined; before that the indicator is warming up. */

/* A moving average seeded with the mean of its first n values, then the
** EMA (alpha 2/(n+1)) or, with wilder set, Wilder's (alpha 1/n). */
typedef struct fin_smooth {
  int64_t n, count; /* the period; values pushed */
  int wilder;
  double alpha;     /* the EMA's 2/(n+1) */
  double v;         /* the sum of the values while count < n, then the average */
} fin_smooth;
void fin_k_smooth_init(fin_smooth *s, int64_t n, int wilder);
int fin_k_smooth_push(fin_smooth *s, double x); /* 1: s->v is the average */

/* Wilder's RSI over n changes: 1 with *rsi from the (n+1)-th price on,
** NaN while the averages of gains and losses are both 0 (no move). */
typedef struct fin_rsi {
  fin_smooth gain, loss;
  int has_prev;
  double prev;
} fin_rsi;
void fin_k_rsi_init(fin_rsi *r, int64_t n);
int fin_k_rsi_push(fin_rsi *r, double price, double *rsi);

/* The MACD line (fast EMA - slow EMA, both seeded on the slow-th price)
** and its signal (an EMA of the line seeded with its first `signal`
** values): the push returns FIN_MACD_LINE from the slow-th price on, with
** FIN_MACD_SIGNAL too from the (slow + signal - 1)-th. 1 <= fast <= slow. */
#define FIN_MACD_LINE 1
#define FIN_MACD_SIGNAL 2
typedef struct fin_macd {
  int64_t fast_n, slow_n, count;
  double kf, ks;     /* the EMAs' alphas */
  double fast, slow; /* the seeds' sums up to the slow-th price, then the EMAs */
  fin_smooth signal;
} fin_macd;
void fin_k_macd_init(fin_macd *m, int64_t fast, int64_t slow, int64_t signal);
int fin_k_macd_push(fin_macd *m, double price, double *line, double *signal);

/* The true range of a bar (high >= low) after a close: max(high,
** prev_close) - min(low, prev_close). */
double fin_k_true_range(double high, double low, double prev_close);
/* Wilder's average of n true ranges: the first bar has none, so 1 with
** *atr from the (n+1)-th bar on. */
typedef struct fin_atr {
  fin_smooth tr;
  int has_prev;
  double prev_close;
} fin_atr;
void fin_k_atr_init(fin_atr *a, int64_t n);
int fin_k_atr_push(fin_atr *a, double high, double low, double close, double *atr);

/* Bollinger bands: the mean and population sd of the last n values (a
** two-stack moment queue: no subtraction, no drift). A push returns
** FIN_OK or FIN_NOMEM and sets *full once n values are in, with *mean and
** *sd. */
typedef struct fin_bands {
  int64_t n;
  fin_moms q;
} fin_bands;
void fin_k_bands_init(fin_bands *b, int64_t n);
void fin_k_bands_free(fin_bands *b);
int fin_k_bands_push(fin_bands *b, double x, int *full, double *mean, double *sd);
typedef enum fin_band_part {
  FIN_BAND_LOWER = 0,  /* mean - k sd */
  FIN_BAND_MIDDLE,     /* mean */
  FIN_BAND_UPPER,      /* mean + k sd */
  FIN_BAND_PERCENT_B,  /* (price - lower) / (upper - lower); NaN when sd = 0 */
  FIN_BAND_WIDTH       /* (upper - lower) / middle */
} fin_band_part;
double fin_k_bands_part(fin_band_part part, double price, double mean, double sd, double k);

/* A multiset of doubles with the count of values below any v, insertion
** and removal in O(log n) (k_ranks.c, a treap with subtree sizes): the
** frame of fin_percent_rank. */
typedef struct fin_rnode fin_rnode;
typedef struct fin_ranks {
  fin_rnode *node;   /* the nodes, by index */
  size_t len, cap;
  int32_t root, free; /* free: a list of removed slots, through their left links */
  uint32_t seed;
} fin_ranks;
void fin_k_ranks_init(fin_ranks *t);
void fin_k_ranks_free(fin_ranks *t);
int fin_k_ranks_insert(fin_ranks *t, double v);        /* FIN_OK or FIN_NOMEM */
int fin_k_ranks_remove(fin_ranks *t, double v);        /* 1 when one copy of v was there */
int64_t fin_k_ranks_below(const fin_ranks *t, double v); /* values < v */
int64_t fin_k_ranks_count(const fin_ranks *t);
/* ------------------------------------------------ measures (measures.c) */
/* Gains and losses of a sliding frame (k_tally.c): for observations x
** (returns less a threshold), the count, the counts and sums of the
** positive and the negative ones, and the largest and smallest x. A
** two-stack queue like fin_moms: summaries are only ever added and
** merged, never a leaving row subtracted, so nothing drifts; O(1)
** amortized a push or pop. */
typedef struct fin_tsum { double n, npos, nneg, spos, sneg, hi, lo; } fin_tsum;
typedef struct fin_tally {
  double *back;       /* items pushed since the last move, oldest first */
  size_t nback, capback;
  fin_tsum back_sum;  /* their summary */
  fin_tsum *front;    /* front[j]: summary of the j+1 newest front items */
  size_t nfront, capfront;
  int folded;         /* fin_k_tally_fold: the items are gone, back_sum is all */
} fin_tally;
void fin_k_tally_init(fin_tally *t);
void fin_k_tally_free(fin_tally *t);
int fin_k_tally_push(fin_tally *t, double x); /* FIN_OK or FIN_NOMEM */
int fin_k_tally_pop(fin_tally *t);           /* drops the oldest; FIN_NOMEM possible */
fin_tsum fin_k_tally_query(const fin_tally *t);
/* Keeps the summary and drops the items (a plain aggregate). */
void fin_k_tally_fold(fin_tally *t);

/* The left tail of a sample (k_tails.c): value at risk and expected
** shortfall (CVaR) as returns (a loss is negative), at a tail probability
** alpha = 1 - level, by three methods. */
/* The standard normal quantile of p in (0, 1), to full double precision. */
double fin_k_norm_quantile(double p);
double fin_k_norm_pdf(double x);
/* The moments the parametric methods take: mean, population standard
** deviation sqrt(M2 / n), skewness M3 sqrt(n) / M2^1.5 and excess
** kurtosis n M4 / M2^2 - 3 (PerformanceAnalytics' centred moments). */
typedef struct fin_tail_moments { double mean, sd, skew, exkurt; } fin_tail_moments;
/* Each takes alpha and z = fin_k_norm_quantile(alpha), which callers with
** a constant level work out once. */
/* Gaussian: mean + z sd; mean - sd phi(z) / alpha. */
double fin_k_var_gaussian(const fin_tail_moments *m, double alpha, double z);
double fin_k_cvar_gaussian(const fin_tail_moments *m, double alpha, double z);
/* Cornish-Fisher (modified) VaR, mean + h sd, and the modified expected
** shortfall of Boudt, Peterson and Croux (2008) in its "operational" form,
** never above the VaR (PerformanceAnalytics' ES, method "modified"). */
double fin_k_var_cornish_fisher(const fin_tail_moments *m, double alpha, double z);
double fin_k_cvar_cornish_fisher(const fin_tail_moments *m, double alpha, double z);
/* Historical expected shortfall: the mean of the values at ranks 0 to the
** lower rank of the sample's alpha quantile, floor((n - 1) alpha), that
** fin_qsel (built with p = alpha) keeps (empyrical's
** conditional_value_at_risk). O(that rank). NaN when empty. */
double fin_k_qsel_tail_mean(const fin_qsel *q);

/* Time under water (k_underwater.c): the drawdowns of a frame of prices
** from the frame's own running high (the last row at the high, as
** fin_high), and what the measures built on them need: the sums of dd^2
** and |dd| (Ulcer and pain indices), the longest episode in rows and in
** time units (peak to recovery, or to the last row while under water) and
** the current one, over a frame that slides: O(1) amortized a push, and a
** pop rescans the rows the leaving price was the running high of (see the
** file). Prices come in time order; rows count prices. */
typedef struct fin_uwsum {
  double s2, s1;  /* sums of dd^2 and of -dd */
  int64_t len;    /* the longest episode's rows (0: none) */
  double span;    /* the longest episode's time (may be another episode) */
} fin_uwsum;
typedef struct fin_uwnode { int64_t row; fin_uwsum seg, agg; } fin_uwnode;
typedef struct fin_uw {
  fin_ring v, t;         /* the frame's prices and times, oldest first */
  int64_t first, n;      /* rows: the frame's first, and the next to push */
  fin_uwnode *f;         /* front of the chain of records, a stack: f[nf - 1] heads it; */
  size_t nf, capf;       /* agg combines an entry and all below it */
  fin_uwnode *b;         /* back of the chain, in order (closed segments) */
  size_t nb, capb;
  fin_uwsum bsum;        /* their combination */
  int has_open;          /* the frame's high (its last row) and its segment so far */
  int64_t open_row;
  double open_v, open_t;
  fin_uwsum open;
  double last_t;         /* the time of the last price */
  fin_uwnode *tmp;       /* scratch for a pop */
  size_t captmp;
  int folded;            /* fin_k_uw_fold: rows gone, pushes go on, no pops */
} fin_uw;
void fin_k_uw_init(fin_uw *u);
void fin_k_uw_free(fin_uw *u);
int fin_k_uw_push(fin_uw *u, double t, double v); /* FIN_OK or FIN_NOMEM */
int fin_k_uw_pop(fin_uw *u);                     /* drops the oldest; FIN_NOMEM possible */
/* Keeps the summary and drops the rows (a plain aggregate). */
void fin_k_uw_fold(fin_uw *u);
static inline int64_t fin_k_uw_count(const fin_uw *u) { return u->n - u->first; }
/* The frame's sums and longest episode. */
fin_uwsum fin_k_uw_total(const fin_uw *u);
/* The current episode: rows and time since the frame's high (0 at it). */
static inline int64_t fin_k_uw_current(const fin_uw *u) { return u->n - 1 - u->open_row; }
static inline double fin_k_uw_current_t(const fin_uw *u) { return u->last_t - u->open_t; }

/* The best and worst calendar-period return of a frame that slides
** (k_periods.c): each period's return is its last price over the last
** price of the period before (fin_ptd's rule), so a period counts while
** the frame holds that base; the period in progress counts with its
** return to date. Closed periods wait in two monotonic deques keyed by
** their base's row: O(1) amortized a push or a drop. Prices come in time
** order, at Julian days. */
typedef struct fin_pext {
  fin_ptd ptd;          /* periods and bases */
  int64_t row;          /* prices pushed */
  int64_t first;        /* rows dropped from the front */
  int64_t base_row;     /* the row of the current period's base (ptd.has_base) */
  double cur;           /* the current period's return to date (ptd.has_base) */
  fin_maxq hi, lo;      /* closed periods' returns, by the row of their base */
  int folded;           /* fin_k_pext_fold: no drops; the extremes are kept alone */
  int has_closed;
  double best, worst;   /* folded: the closed periods' extremes */
} fin_pext;
void fin_k_pext_init(fin_pext *e, fin_period period);
void fin_k_pext_free(fin_pext *e);
int fin_k_pext_push(fin_pext *e, double jd, double v); /* FIN_OK or FIN_NOMEM */
void fin_k_pext_drop_first(fin_pext *e);
/* Keeps the extremes and drops the deques (a plain aggregate). */
void fin_k_pext_fold(fin_pext *e);
/* 1 and the best and worst period returns of the frame; 0: no period has
** its base in the frame. */
int fin_k_pext_query(const fin_pext *e, double *best, double *worst);

/* ------------------------------------------------ ratios and the tear sheet */
/* The annualised ratios of the risk and benchmark measures (k_ratios.c),
** from a moments summary (m = fin_k_moms_query(q)), one definition each for
** the aggregates (risk.c, benchmark_measures.c) and fin_summary; NaN where
** undefined (too few observations, a zero deviation where it divides). */
double fin_k_ratio_volatility(const fin_moms *q, const fin_mom *m, double ppy); /* sd(x) sqrt(ppy) */
/* (mean(x) - rf) / sd(x) * sqrt(ppy) */
double fin_k_ratio_sharpe(const fin_moms *q, const fin_mom *m, double rf, double ppy);
/* (mean(x) - rf) / sqrt(sum s^2 / n) * sqrt(ppy), s = min(x - rf, 0) pushed beside x */
double fin_k_ratio_sortino(const fin_moms *q, const fin_mom *m, double rf, double ppy);
/* mean(x) * ppy / (sd(x) sqrt(ppy)), x the active returns: the arithmetic information ratio */
double fin_k_ratio_information(const fin_moms *q, const fin_mom *m, double ppy);

/* Compound growth of pairs of returns (x, y) (k_ratios.c): the means of
** log|1 + x| and log|1 + y| in a moments queue, and the factors 1 + x
** that are zero or negative counted by side, so that a product with a
** zero factor is 0 and one with an odd number of negative factors has no
** real root. Slides as fin_moms does; fold it for constant memory. */
typedef struct fin_growth {
  fin_moms g;
  int64_t zero[2], neg[2]; /* by side: 0 x, 1 y */
} fin_growth;
void fin_k_growth_init(fin_growth *g);
void fin_k_growth_free(fin_growth *g);
int fin_k_growth_push(fin_growth *g, double x, double y); /* FIN_OK or FIN_NOMEM */
int fin_k_growth_pop(fin_growth *g, double x, double y);  /* the oldest pair, (x, y) as pushed */
void fin_k_growth_fold(fin_growth *g);
/* With m = fin_k_moms_query(&g->g), of one side: the annualised growth
** G = (prod(1 + x))^(ppy / n) - 1 (-1 with a zero factor, NaN when empty
** or without a real root), and the cumulative growth prod(1 + x) - 1
** (defined for any sign; NaN when empty). */
double fin_k_growth_annual(const fin_growth *g, const fin_mom *m, int side, double ppy);
double fin_k_growth_cumulative(const fin_growth *g, const fin_mom *m, int side);
/* The geometric capture ratio G(x) / G(y); NaN when either is undefined or G(y) = 0. */
double fin_k_growth_capture(const fin_growth *g, const fin_mom *m, double ppy);


/* The tear sheet of one series (k_sheet.c, fin_summary): values pushed in
** time order, each at a time t (a Julian day for dates), in constant
** memory. It keeps the first and last values, the moments of the simple
** returns (with their shortfalls below 0) and of the log returns, the
** drawdown episodes (fin_dd) and the deepest of them, the calendar years
** (fin_ptd) and the best and worst whole year, and, for pairs of returns
** against a benchmark, their moments, the moments of their differences
** and their compound growth on the benchmark's up and down sides. */
typedef struct fin_sheet {
  int64_t n;               /* values pushed */
  double t0, v0, t1, v1;   /* the first and the last (time, value) */
  fin_moms simple, logr;   /* the returns, folded: summaries only */
  fin_dd dd;
  int has_deep;            /* deep: the deepest episode so far (its depth deep_depth) */
  fin_dd_episode deep;
  double deep_depth;
  fin_ptd years;
  int dates;               /* every time so far is a date (a Julian day of 0001-9999) */
  int has_years;           /* the best and worst whole years are set */
  double best, worst;      /* their returns */
  double best_jd, worst_jd; /* a day of each (its label: fin_k_period_label) */
  int64_t pairs;           /* pairs of returns against the benchmark */
  fin_moms pair, active;   /* (r, b), and r - b */
  fin_growth up, down;     /* (r, b) where b > 0, where b < 0 */
} fin_sheet;
void fin_k_sheet_init(fin_sheet *s);
void fin_k_sheet_free(fin_sheet *s);
/* What a push or the finish reports, as bits: */
#define FIN_SHEET_PEAK 1    /* the value is the running high: the next episode's peak */
#define FIN_SHEET_TROUGH 2  /* the value is the low of the open episode (its first row at it) */
#define FIN_SHEET_DEEPEST 4 /* an episode ended here (recovered at this row, or still open at
                               the finish) and is the deepest so far, s->deep: its peak and
                               trough are the open episode's; strictly deeper replaces, so on
                               a tie the earlier episode stays */
/* Pushes the value v > 0 at time t (increasing) and returns its events. */
int fin_k_sheet_push(fin_sheet *s, double t, double v);
/* One more pair of simple returns common to the series and its benchmark. */
void fin_k_sheet_pair(fin_sheet *s, double r, double b);
/* At the end of the series: the open episode competes for the deepest
** (FIN_SHEET_DEEPEST, with deep.recovery_row -1), and the last year counts
** when it had ended at day now (as_of; NaN: the last value's day). */
int fin_k_sheet_finish(fin_sheet *s, double now);
/* The answers, NaN where undefined (risk-free rate 0, ppy periods a year). */
double fin_k_sheet_total_return(const fin_sheet *s);
double fin_k_sheet_cagr(const fin_sheet *s);        /* years of 365.25 days of t */
double fin_k_sheet_volatility(const fin_sheet *s, double ppy);
double fin_k_sheet_sharpe(const fin_sheet *s, double ppy);
double fin_k_sheet_sortino(const fin_sheet *s, double ppy);
double fin_k_sheet_max_drawdown(const fin_sheet *s); /* <= 0; 0 without a drawdown */
double fin_k_sheet_calmar(const fin_sheet *s);
double fin_k_sheet_beta(const fin_sheet *s);
double fin_k_sheet_correlation(const fin_sheet *s);
double fin_k_sheet_information_ratio(const fin_sheet *s, double ppy);
double fin_k_sheet_up_capture(const fin_sheet *s, double ppy);
double fin_k_sheet_down_capture(const fin_sheet *s, double ppy);

#endif

/*
** skeleton.c - a calendar's rows by seeks: fin_calendar_returns needs only
** each period's first and last values, so where the series has an index
** on (key, time) the reader finds those through it instead of reading
** every row (a year of daily closes is two seeks, not 252 rows).
**
** Per key, in time order: the key's first row; then for each period, its
** first row with a value and its last row with a value before the next
** period starts (or as_of), each one SELECT ... ORDER BY t LIMIT 1 through
** the index. Every row read is validated as every row is (time, kind,
** order, value); the rows between are not read, so not validated either:
** a bad price inside a year does not stop the yearly returns (the README
** says so). The times SQL compares (text order for ISO text) are checked
** against the calendar on each row read, so times in mixed formats are an
** error, not a wrong period. Used when the first key's first row came
** through an index with no sort and no full scan, and its time is a date
** (YYYY-MM-DD) or a number; otherwise the rows are read whole, as always.
*/
#include <math.h>
#include <string.h>
#include "tables.h"

typedef struct fin_skeleton {
  fin_period period;
  int keyed, asked;       /* rows have keys; one was asked for */
  sqlite3_stmt *first_key, *next_key; /* keys in order (when none was asked) */
  sqlite3_stmt *first;    /* the key's first row */
  sqlite3_stmt *last;     /* its last row with a value before ?2 (and at or before ?3) */
  sqlite3_stmt *next;     /* its first row with a value at or after ?2 */
  sqlite3_stmt *count;    /* its rows up to ?2 (as_of) or all (NULL), for a message */
  fin_tval probed;        /* the key bound now */
  int state;              /* 0 next key, 1 first row, 2 after a NULL first row, 3 period end,
                             4 next period, 5 key done */
  int text;               /* times are ISO text (else numbers) */
  int handed;             /* a row of this key was handed out */
  double t_first, hi;     /* the period's first row with a value, and where it ends */
  char bound[16];         /* hi (or as_of's day) as text for ISO times */
} fin_skeleton;

static int prep(sqlite3 *db, char *sql, sqlite3_stmt **st) {
  *st = NULL;
  if (!sql) return SQLITE_NOMEM;
  int rc = sqlite3_prepare_v2(db, sql, -1, st, NULL);
  sqlite3_free(sql);
  return rc == SQLITE_OK ? SQLITE_OK : rc == SQLITE_NOMEM ? SQLITE_NOMEM : SQLITE_ERROR;
}

void fin_sk_close(fin_source *s) {
  fin_skeleton *k = s->sk;
  if (!k) return;
  sqlite3_finalize(k->first_key);
  sqlite3_finalize(k->next_key);
  sqlite3_finalize(k->first);
  sqlite3_finalize(k->last);
  sqlite3_finalize(k->next);
  sqlite3_finalize(k->count);
  fin_tval_free(&k->probed);
  sqlite3_free(k);
  s->sk = NULL;
  s->rd = s->stmt;
}

/* A statement that reached its row through an index: no full scan, no sort. */
static int indexed(sqlite3_stmt *st) {
  return sqlite3_stmt_status(st, SQLITE_STMTSTATUS_FULLSCAN_STEP, 0) == 0 &&
         sqlite3_stmt_status(st, SQLITE_STMTSTATUS_SORT, 0) == 0;
}

/* Binds the key to the three row statements. */
static int bind_key(fin_skeleton *k, const fin_tval *key) {
  sqlite3_reset(k->first);
  sqlite3_reset(k->last);
  sqlite3_reset(k->next);
  return fin_tval_bind(k->first, 1, key) || fin_tval_bind(k->last, 1, key) || fin_tval_bind(k->next, 1, key);
}

/* Moves to the next key (the first when first is set): 1, 0 at the end. */
static int next_key(fin_skeleton *k, int first, int *rc) {
  sqlite3_stmt *st = first ? k->first_key : k->next_key;
  sqlite3_reset(st);
  if (!first && (*rc = fin_tval_bind(st, 1, &k->probed)) != SQLITE_OK) return 0;
  *rc = sqlite3_step(st);
  if (*rc == SQLITE_DONE) {
    *rc = SQLITE_OK;
    return 0;
  }
  if (*rc != SQLITE_ROW) return 0;
  *rc = fin_tval_set(&k->probed, sqlite3_column_value(st, 0));
  if (*rc == SQLITE_OK) *rc = bind_key(k, &k->probed) ? SQLITE_NOMEM : SQLITE_OK;
  return *rc == SQLITE_OK;
}

int fin_sk_attach(fin_source *s, sqlite3 *db, const char *cte, int period, sqlite3_value *key, int keyed) {
  fin_skeleton *k = sqlite3_malloc64(sizeof *k);
  if (!k) return SQLITE_NOMEM;
  memset(k, 0, sizeof *k);
  k->period = (fin_period)period;
  k->keyed = keyed;
  k->asked = key != NULL;
  s->sk = k;
  const char *kf = keyed ? "k = ?1 AND k = ?1 COLLATE BINARY" : "?1 IS NULL";
  /* a value as the reader takes one: not NULL, not the empty text of a
  ** missing CSV field */
  int rc = prep(db, sqlite3_mprintf("%sSELECT * FROM \"fin source\" WHERE %s ORDER BY t LIMIT 1", cte, kf), &k->first);
  if (rc == SQLITE_OK)
    rc = prep(db, sqlite3_mprintf("%sSELECT * FROM \"fin source\" WHERE %s AND t < ?2 AND (?3 IS NULL OR t < ?3) AND "
                                  "v IS NOT NULL AND v <> '' ORDER BY t DESC LIMIT 1",
                                  cte, kf),
              &k->last);
  if (rc == SQLITE_OK)
    rc = prep(db, sqlite3_mprintf("%sSELECT * FROM \"fin source\" WHERE %s AND t >= ?2 AND v IS NOT NULL AND v <> '' "
                                  "ORDER BY t LIMIT 1",
                                  cte, kf),
              &k->next);
  if (rc == SQLITE_OK)
    rc = prep(db, sqlite3_mprintf("%sSELECT count(*) FROM \"fin source\" WHERE %s AND (?2 IS NULL OR t < ?2)", cte, kf),
              &k->count);
  if (rc == SQLITE_OK && keyed && !key) {
    rc = prep(db, sqlite3_mprintf("%sSELECT k FROM \"fin source\" ORDER BY k COLLATE BINARY LIMIT 1", cte), &k->first_key);
    if (rc == SQLITE_OK)
      rc = prep(db, sqlite3_mprintf("%sSELECT k FROM \"fin source\" WHERE k > ?1 COLLATE BINARY ORDER BY k COLLATE "
                                    "BINARY LIMIT 1",
                                    cte),
                &k->next_key);
  }
  /* Try the first key: through an index, and with times the seeks can
  ** bound (a date, or a number)? Otherwise read the rows, as always. */
  int usable = rc == SQLITE_OK;
  if (usable && keyed && key) {
    fin_tval kv;
    memset(&kv, 0, sizeof kv);
    rc = fin_tval_set(&kv, key);
    if (rc == SQLITE_OK) rc = fin_tval_copy(&k->probed, &kv) || bind_key(k, &kv) ? SQLITE_NOMEM : SQLITE_OK;
    fin_tval_free(&kv);
    usable = rc == SQLITE_OK;
  } else if (usable && keyed) {
    usable = next_key(k, 1, &rc) && indexed(k->first_key);
    if (rc != SQLITE_OK && rc != SQLITE_ROW) usable = 0;
  }
  if (usable) {
    int r = sqlite3_step(k->first);
    sqlite3_value *t = r == SQLITE_ROW ? sqlite3_column_value(k->first, keyed) : NULL;
    int type = t ? sqlite3_value_type(t) : 0;
    usable = r == SQLITE_ROW && indexed(k->first) &&
             ((type == SQLITE_TEXT && sqlite3_value_bytes(t) == 10) || type == SQLITE_INTEGER || type == SQLITE_FLOAT);
    k->text = type == SQLITE_TEXT;
    sqlite3_reset(k->first);
    if (r != SQLITE_ROW && r != SQLITE_DONE) rc = r;
  }
  if (rc == SQLITE_NOMEM || !usable) {
    fin_sk_close(s);
    return rc == SQLITE_NOMEM ? SQLITE_NOMEM : SQLITE_OK;
  }
  k->state = 1; /* the first key is bound */
  return SQLITE_OK;
}

int fin_sk_fits(const fin_source *s) {
  /* as_of with a time of day, on ISO times, cannot bound a text seek */
  return !(s->has_upto && s->upto_kind == 2 && s->upto_incl);
}

void fin_sk_rewind(fin_source *s) {
  fin_skeleton *k = s->sk;
  int rc;
  sqlite3_reset(k->first);
  sqlite3_reset(k->last);
  sqlite3_reset(k->next);
  k->state = 1;
  k->handed = 0;
  if (k->keyed && !k->asked && !next_key(k, 1, &rc)) k->state = 6;
}

/* as_of as parameter i, exclusive (NULL when none): a date as the day
** after it (fin_src_upto keeps it so), a number as the next double after
** it (fin_sk_fits refuses a time of day, which text order could not bound). */
static int bind_upto(fin_source *s, fin_skeleton *k, sqlite3_stmt *st, int i) {
  if (!s->has_upto) return sqlite3_bind_null(st, i);
  if (k->text) {
    int y, m, d;
    char b[16];
    fin_k_jd_to_ymd(s->upto, &y, &m, &d);
    sqlite3_snprintf((int)sizeof b, b, "%04d-%02d-%02d", y, m, d);
    return sqlite3_bind_text(st, i, b, -1, SQLITE_TRANSIENT);
  }
  return sqlite3_bind_double(st, i, s->upto_incl ? nextafter(s->upto, INFINITY) : s->upto);
}

/* The period bound hi, and as_of, as the statements compare them. */
static int bind_bounds(fin_source *s, fin_skeleton *k, sqlite3_stmt *st, int with_upto) {
  double lo;
  fin_k_period_bounds(k->t_first, k->period, &lo, &k->hi);
  int rc;
  if (k->text) {
    int y, m, d;
    fin_k_jd_to_ymd(k->hi, &y, &m, &d);
    sqlite3_snprintf((int)sizeof k->bound, k->bound, "%04d-%02d-%02d", y, m, d);
    rc = sqlite3_bind_text(st, 2, k->bound, -1, SQLITE_TRANSIENT);
  } else {
    rc = sqlite3_bind_double(st, 2, k->hi);
  }
  if (rc == SQLITE_OK && with_upto) rc = bind_upto(s, k, st, 3);
  return rc;
}

int64_t fin_sk_rows(fin_source *s) {
  fin_skeleton *k = s->sk;
  sqlite3_stmt *st = k->count;
  int64_t n = -1;
  sqlite3_reset(st);
  int rc = k->keyed ? fin_tval_bind(st, 1, &s->key) : SQLITE_OK;
  if (rc == SQLITE_OK) rc = bind_upto(s, k, st, 2);
  if (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) n = sqlite3_column_int64(st, 0);
  sqlite3_reset(st);
  return n;
}

static int sk_error(fin_source *s, sqlite3_stmt *st, int rc, char **err) {
  s->errcode = rc;
  *err = rc == SQLITE_NOMEM ? NULL
                            : sqlite3_mprintf("%s(): %s: %s", s->fn, s->arg, sqlite3_errmsg(sqlite3_db_handle(st)));
  return FIN_SRC_ERROR;
}

/* Hands out the row st stands on: validated as every row is. */
static int hand_out(fin_source *s, sqlite3_stmt *st, char **err) {
  s->rd = st;
  s->sk->handed = 1;
  s->tv_stale = 0;
  return fin_src_read_row(s, err) ? FIN_SRC_ERROR : FIN_SRC_ROW;
}

static int mixed_formats(fin_source *s, char **err) {
  *err = sqlite3_mprintf("%s(): %s: SQL orders the times differently from the calendar around %s "
                         "(times in mixed formats?); write them in one format",
                         s->fn, s->arg, s->time ? (s->tv.type == SQLITE_TEXT ? s->tv.z : "a time") : "a time");
  return FIN_SRC_ERROR;
}

int fin_sk_step(fin_source *s, char **err) {
  fin_skeleton *k = s->sk;
  for (;;) {
    if (s->past && k->state != 0 && k->state != 6) k->state = 5; /* past as_of: the key ends */
    switch (k->state) {
      case 0: { /* the next key */
        int rc;
        if (!k->keyed || k->asked || !next_key(k, 0, &rc)) {
          if (k->keyed && !k->asked && rc != SQLITE_OK) return sk_error(s, k->next_key, rc, err);
          k->state = 6;
          continue;
        }
        k->state = 1;
        continue;
      }
      case 1: { /* the key's first row */
        sqlite3_reset(k->last);
        sqlite3_reset(k->next);
        int r = sqlite3_step(k->first);
        if (r == SQLITE_DONE) {
          k->state = 5;
          continue;
        }
        if (r != SQLITE_ROW) return sk_error(s, k->first, r, err);
        if (k->keyed && fin_tval_set(&s->key, sqlite3_column_value(k->first, 0))) return sk_error(s, k->first, SQLITE_NOMEM, err);
        fin_k_timeline_reset(&s->tl);
        s->past = s->given = 0;
        s->state = 1;
        r = hand_out(s, k->first, err);
        if (r != FIN_SRC_ROW) return r;
        if (s->v_null) {
          k->state = 2;
        } else {
          k->t_first = s->t;
          k->state = 3;
        }
        return FIN_SRC_ROW;
      }
      case 2:   /* after a first row without a value: the first with one */
      case 4: { /* the next period's first row with a value */
        sqlite3_stmt *st = k->next;
        sqlite3_reset(st);
        int rc = k->state == 2 ? fin_tval_bind(st, 2, &s->tv) : bind_bounds(s, k, st, 0);
        if (rc != SQLITE_OK) return sk_error(s, st, rc, err);
        double hi = k->hi;
        int from_null = k->state == 2;
        int r = sqlite3_step(st);
        if (r == SQLITE_DONE) {
          k->state = 5;
          continue;
        }
        if (r != SQLITE_ROW) return sk_error(s, st, r, err);
        r = hand_out(s, st, err);
        if (r != FIN_SRC_ROW) return r;
        if (!from_null && s->t < hi) return mixed_formats(s, err);
        k->t_first = s->t;
        k->state = 3;
        return FIN_SRC_ROW;
      }
      case 3: { /* the period's last row with a value */
        sqlite3_stmt *st = k->last;
        sqlite3_reset(st);
        int rc = bind_bounds(s, k, st, 1);
        if (rc != SQLITE_OK) return sk_error(s, st, rc, err);
        k->state = 4;
        int r = sqlite3_step(st);
        if (r == SQLITE_DONE) continue;
        if (r != SQLITE_ROW) return sk_error(s, st, r, err);
        /* the period's first row again: nothing more to hand out */
        sqlite3_value *t = sqlite3_column_value(st, k->keyed);
        if (fin_tval_same(&s->tv, t)) continue;
        r = hand_out(s, st, err);
        if (r != FIN_SRC_ROW) return r;
        if (s->t >= k->hi) return mixed_formats(s, err);
        return FIN_SRC_ROW;
      }
      case 5: { /* the key ended (past as_of: its end was handed out already) */
        int end = k->handed && !s->past;
        k->state = 0;
        s->time = NULL;
        k->handed = 0;
        s->past = 0; /* the next key starts before as_of, as any key does */
        if (end) return FIN_SRC_END_KEY;
        continue;
      }
      default: /* 6: no more keys */
        s->state = 3;
        return FIN_SRC_EOF;
    }
  }
}

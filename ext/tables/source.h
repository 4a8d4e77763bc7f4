/*
** source.h - the series argument of the table-valued functions, read as a
** stream of (key, time, value) rows ordered by key, then time.
*/
#ifndef FIN_SOURCE_H
#define FIN_SOURCE_H

#include <stdint.h>
#include <string.h>
#include "../fin_ext.h"

/* A saved copy of an SQL value (a key or a time) whose buffer is reused, so
** saving the time of every row costs a memcpy, not a malloc. */
typedef struct fin_tval {
  int type;          /* SQLITE_NULL, _INTEGER, _FLOAT, _TEXT, _BLOB */
  sqlite3_int64 i;
  double d;
  char *z;
  int n, cap;
} fin_tval;
int fin_tval_set(fin_tval *t, sqlite3_value *v);       /* SQLITE_OK or SQLITE_NOMEM */
int fin_tval_bind(sqlite3_stmt *st, int i, const fin_tval *t); /* as sqlite3_bind_value */
char *fin_tval_quote(const fin_tval *t);               /* as fin_describe: text 'abc', 42 */
int fin_tval_copy(fin_tval *t, const fin_tval *from);
void fin_tval_result(sqlite3_context *ctx, const fin_tval *t);
int fin_tval_same(const fin_tval *t, sqlite3_value *v); /* same key? */
/* <0, 0, >0 as ORDER BY ... COLLATE BINARY sorts t against the key a. */
int fin_tval_cmp(const fin_tval *a, const fin_tval *t);
char *fin_tval_describe(const fin_tval *t);            /* for messages */
void fin_tval_free(fin_tval *t);

/* The block of a packed copy being read (packed.c loads it): rows [i, n)
** are still to come. Times are little-endian on disk: day numbers since
** 1970-01-01 in 4 bytes (FIN_CHUNK_DATE), or 8-byte integers or doubles;
** values are 8-byte doubles, and a bitmap marks the NULLs when there are. */
#define FIN_CHUNK_DATE 1
#define FIN_CHUNK_INT 2
#define FIN_CHUNK_REAL 3
#define FIN_JD_UNIX_EPOCH 2440587.5
typedef struct fin_chunk {
  const unsigned char *tdata, *vdata, *nulls;
  int kind, n, i;
  int fast; /* every row is handed out in turn (no skeleton, no as_of): fin_src_step takes them inline */
} fin_chunk;

/* Little-endian reads: a little-endian host (every common one) loads with
** memcpy, which compilers make one instruction; the byte loops are the
** portable rule. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define FIN_LE_HOST 1
#else
#define FIN_LE_HOST 0
#endif
static inline uint32_t fin_le_u32(const unsigned char *p) {
  uint32_t x;
  if (FIN_LE_HOST) {
    memcpy(&x, p, 4);
    return x;
  }
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static inline uint64_t fin_le_u64(const unsigned char *p) {
  uint64_t x = 0;
  if (FIN_LE_HOST) {
    memcpy(&x, p, 8);
    return x;
  }
  for (int i = 7; i >= 0; i--) x = x << 8 | p[i];
  return x;
}
static inline double fin_le_f64(const unsigned char *p) {
  uint64_t x = fin_le_u64(p);
  double d;
  memcpy(&d, &x, 8);
  return d;
}
static inline int fin_chunk_null(const fin_chunk *ch, int i) {
  return ch->nulls && (ch->nulls[i / 8] >> (i % 8) & 1);
}
static inline double fin_chunk_t(const fin_chunk *ch, int i) {
  if (ch->kind == FIN_CHUNK_DATE) return (double)(int32_t)fin_le_u32(ch->tdata + 4 * (size_t)i) + FIN_JD_UNIX_EPOCH;
  if (ch->kind == FIN_CHUNK_INT) return (double)(int64_t)fin_le_u64(ch->tdata + 8 * (size_t)i);
  return fin_le_f64(ch->tdata + 8 * (size_t)i);
}

#define FIN_SRC_EXTRA 4 /* extra columns a table may read beside the value */

/* What fin_src_step returns. */
#define FIN_SRC_ROW 1     /* a row of the current key */
#define FIN_SRC_END_KEY 2 /* the current key has no more rows */
#define FIN_SRC_EOF 3     /* no more rows at all */
#define FIN_SRC_ERROR 4   /* *err is set; NULL means out of memory */

typedef struct fin_source {
  const char *fn;        /* table name, for messages */
  const char *arg;       /* argument name, for messages */
  const char *what;      /* "time", or "events time": the time's name in messages */
  const char *vname;     /* the value's name in messages: its column (close), or "value" */
  char vcol[80];         /* where vname points: "close", "benchmark adj_close", "value"... */
  sqlite3_stmt *stmt;
  sqlite3_stmt *rd;      /* the statement rows are read from now: stmt, or one of the packed copy's */
  struct fin_packed *pk; /* the packed copy this read comes from (packed.c), or NULL */
  struct fin_skeleton *sk; /* a calendar's skeleton read by seeks (skeleton.c), or NULL */
  sqlite3_stmt *back;    /* seekable: the rows at or before an event, latest first */
  sqlite3_stmt *first_key, *next_key; /* by_key: the first key, the first after ?1 */
  fin_tval probed;       /* by_key: the key bound now */
  int seekable;          /* opened with seek, and one key (or none) to seek in */
  int has_value;         /* a value column is expected (series, not events) */
  int keyed;             /* the rows have a key column */
  int ti, vi;            /* column of the time and of the value */
  int state;             /* 0 before the first row, 1 in a key, 2 row pending, 3 eof */
  fin_tval key;          /* key of the current series */
  /* the current row */
  const fin_tval *time;  /* the time as given (&tv, or NULL between keys): read it with fin_src_time */
  fin_tval tv;           /* the current row's time, copied */
  int tv_stale;          /* packed: tv's text is formatted when asked for (fin_src_time) */
  double t;              /* time as a number: Julian day for ISO text */
  int v_null;            /* the value is NULL: skip it */
  double v;
  fin_timeline tl;       /* the time-order rule; tl.kind: 1 numbers, 2 ISO text */
  fin_date_cache dates;  /* same-month dates skip the calendar arithmetic */
  int empty;             /* a key was asked of an unkeyed series: no rows */
  int errcode;           /* after FIN_SRC_ERROR: SQLite's code (INTERRUPT, NOMEM...) or 0 */
  /* Inside a statement that writes, the rows are read whole first (see
  ** source.c): ncol values per row, copied. */
  int ncol;
  sqlite3_value **buf;
  size_t nbuf, capbuf, pos; /* values held, their room, next row's first value */
  /* Rows with a time of day, held back until no row to come can precede
  ** them (source.c): a heap by instant. */
  struct fin_held *held;
  size_t nheld, capheld;
  uint64_t seq;             /* arrival counter */
  double held_bound;        /* no row still to come is earlier than this */
  fin_tval held_key;        /* the key of the held rows */
  sqlite3_value **cur;      /* the current row when it was held back (owned), else NULL */
  int ahead_rc;             /* the raw row after the held rows: SQLITE_ROW, DONE, error; 0: none */
  /* as_of (fin_src_upto): rows after it do not exist for this read. */
  int has_upto;
  double upto;           /* the bound, on the scale of s->t */
  int upto_incl;         /* 1: t <= upto passes; 0: t < upto (a date: its whole day) */
  int upto_kind;         /* fin_timeline's kinds: 1 number, 2 ISO text */
  int past;              /* the current key went past as_of: skip its other rows */
  int given;             /* a row of the current key has been handed out */
  int one_key;           /* the read is one key (asked for) or unkeyed */
  int asked;             /* one key was asked for (WHERE key = ...) */
  int extra[FIN_SRC_EXTRA]; /* per extra column asked: its column in the rows, or -1 */
  fin_chunk chunk;       /* packed: the block being read */
  int skips;             /* a calendar's skeleton: rows between a period's ends are not read */
  int64_t krows, kvals;  /* rows and values of the current key handed out */
} fin_source;

/* How a series argument is opened (fin_src_open). */
typedef struct fin_src_opts {
  sqlite3 *db;
  const char *fn, *arg; /* the table and the argument, for messages */
  int has_value;        /* a series (time, value) or an events list (time) */
  int names_only;       /* sqlite3_fin_safe_init: names only, never SQL text */
  sqlite3_value *key;   /* one key asked for, or NULL */
  int seek;             /* read one event at a time (fin_src_seek) */
  int by_key;           /* with seek and no key: seek key by key (fin_src_next_key) */
  const char *value_column; /* the value column by name (value_column = ...), or NULL */
  /* A calendar's skeleton (fin_period + 1, or 0): each period's first and
  ** last rows with a value are enough (fin_calendar_returns); the reader
  ** may skip the rows between (from the packed copy, or by seeks through
  ** an index on (key, time)), and then does not read them. */
  int skeleton;
  /* Extra columns to read beside the value, by name (NULL-terminated, at
  ** most FIN_SRC_EXTRA): those the series has come after the value (see
  ** s->extra), the others are absent. Only with named columns. */
  const char *const *extra;
} fin_src_opts;

/* Opens a series (has_value = 1: 2 or 3 columns) or an events list
** (has_value = 0: 1 or 2 columns). text is the argument: one read-only
** SELECT, or a table or view name (only a name when names_only is set).
** key, when not NULL, keeps the rows of that key only (read through the
** source's own index); an unkeyed source then has no rows. seek = 1 asks
** for a series read one event at a time (fin_src_seek); it is granted
** (s->seekable) when the rows are of one key: a key asked for, or a series
** without keys. Otherwise the series opens for a plain read. The statement
** is audited before it runs (source.c): a DIRECTONLY function and a
** table-valued pragma are refused. */
int fin_src_open(fin_source *s, const fin_src_opts *o, sqlite3_value *text, char **err);
/* Seekable sources: positions the read at the anchor of an event at time,
** the last row at or before it with a value (in the order SQL compares the
** times), found through the index. *anchored: there is one, and the next
** fin_src_step returns it; else the read starts at the event's time.
** *before: some row (with a value or not) is at or before time. SQLITE_OK
** or FIN_SRC_ERROR (*err set; NULL means out of memory). */
int fin_src_seek(fin_source *s, const fin_tval *time, int *anchored, int *before, char **err);
/* A source opened by_key: moves to the next key of the series (the first
** when first is set) and binds it, so that fin_src_seek works in that
** key. *found is 0 after the last key. *slow is set instead when the keys
** cannot be found through an index (SQLite scanned the whole table for
** the first one): the caller then reads the series whole, once, instead
** of once per key. SQLITE_OK or an error code (with *err). */
int fin_src_next_key(fin_source *s, int first, int *found, int *slow, char **err);
/* The result code for the last FIN_SRC_ERROR: SQLite's own code when the
** statement failed (an interrupt stays SQLITE_INTERRUPT), else SQLITE_ERROR. */
int fin_src_errcode(const fin_source *s);
/* Ends the read at as_of, "as it stood at that close": rows after it are
** not read (not even validated), as if the series stopped there. A date
** (YYYY-MM-DD) covers its whole day; a time with a time of day or a number
** is a bound included. Its kind must match the series times (checked on the
** first row). SQLITE_OK, or SQLITE_ERROR with *err (NULL: out of memory). */
int fin_src_upto(fin_source *s, sqlite3_value *as_of, char **err);
/* 1 when time t (on the scale of s->t) is after as_of. */
int fin_src_beyond(const fin_source *s, double t);
/* The next row: FIN_SRC_ROW, FIN_SRC_END_KEY, FIN_SRC_EOF or FIN_SRC_ERROR
** with *err. The rows of a packed block are taken here, inline (the path of
** nearly every row of a packed table); the rest, and every block's first
** row, in fin_src_step_slow. */
int fin_src_step_slow(fin_source *s, char **err);
/* Makes row i of the packed block current: its time (a date's text is
** written only when asked for: fin_src_time), its value, NULL or not. */
static inline void fin_chunk_row(fin_source *s, int i) {
  const fin_chunk *ch = &s->chunk;
  s->v_null = fin_chunk_null(ch, i);
  s->v = fin_le_f64(ch->vdata + 8 * (size_t)i);
  s->time = &s->tv;
  if (ch->kind == FIN_CHUNK_DATE) {
    s->t = (double)(int32_t)fin_le_u32(ch->tdata + 4 * (size_t)i) + FIN_JD_UNIX_EPOCH;
    s->tv.type = SQLITE_TEXT;
    s->tv_stale = 1;
  } else if (ch->kind == FIN_CHUNK_INT) {
    s->tv.type = SQLITE_INTEGER;
    s->tv.i = (int64_t)fin_le_u64(ch->tdata + 8 * (size_t)i);
    s->t = (double)s->tv.i;
  } else {
    s->tv.type = SQLITE_FLOAT;
    s->tv.d = s->t = fin_le_f64(ch->tdata + 8 * (size_t)i);
  }
}
static inline int fin_src_step(fin_source *s, char **err) {
  fin_chunk *ch = &s->chunk;
  if (ch->fast && ch->i < ch->n) {
    double last = s->tl.last;
    fin_chunk_row(s, ch->i);
    /* the time-order rule, as every row: a copy written over is caught (the
    ** kind of time is the block's, checked on its first row) */
    if (s->t > last) {
      ch->i++;
      s->tl.last = s->t;
      s->krows++;
      s->kvals += !s->v_null;
      return FIN_SRC_ROW;
    }
  }
  return fin_src_step_slow(s, err);
}
/* " at time X, key K" for messages about the current row (with_time = 0:
** ", key K" only, for a message that shows the time already). */
char *fin_src_where(fin_source *s, int with_time);
/* Extra column i of the current row (fin_src_opts.extra), or NULL when the
** series has no such column. */
static inline sqlite3_value *fin_src_extra(fin_source *s, int i) {
  return s->extra[i] < 0 ? NULL : s->cur ? s->cur[s->extra[i]] : sqlite3_column_value(s->rd, s->extra[i]);
}
/* The current row's time (NULL between keys). */
const fin_tval *fin_pk_time(fin_source *s);
static inline const fin_tval *fin_src_time(fin_source *s) {
  return s->tv_stale ? fin_pk_time(s) : s->time;
}

/* ---- between the reader (source.c) and the packed copy (packed.c) */
/* A name as the tables take it ("table" or "schema.table"). */
int fin_src_is_name(const char *z);
/* Which of n column names are the key and the time (-1: no key), by the
** reader's name rules; 1 with *why (sqlite3_mprintf) when they do not say. */
int fin_src_roles(const char *const *names, int n, int *key, int *time, char **why);
/* The next raw row of s->rd in time order (rows with a time of day held
** back as for any read): SQLITE_ROW, SQLITE_DONE, an error code, or < 0 for
** out of memory; then fin_src_read_row validates it into the source. */
int fin_src_next_raw(fin_source *s);
int fin_src_read_row(fin_source *s, char **err);
void fin_src_reset_rows(fin_source *s); /* before s->rd changes */
/* The packed copy: attached when the table has a trusted one holding these
** columns (s->pk set; else the rows are read); stepped, rewound, closed. */
int fin_pk_attach(fin_source *s, sqlite3 *db, const char *table, const char *key_col, const char *time_col,
                  const char *value_col, sqlite3_value *key, const char *cte, int skeleton, char **err);
int fin_pk_step(fin_source *s, char **err);
void fin_pk_rewind(fin_source *s);
void fin_pk_close(fin_source *s);
/* A calendar's skeleton by seeks through an index (skeleton.c): attached
** when the first key's first row came through an index with a date or a
** number for its time (s->sk set; else the rows are read). */
int fin_sk_attach(fin_source *s, sqlite3 *db, const char *cte, int period, sqlite3_value *key, int keyed);
int fin_sk_fits(const fin_source *s); /* 0: as_of cannot bound the seeks: read the rows */
int fin_sk_step(fin_source *s, char **err);
void fin_sk_rewind(fin_source *s);
/* The current key's rows (up to as_of), counted for a message; -1 if unknown. */
int64_t fin_sk_rows(fin_source *s);
void fin_sk_close(fin_source *s);
int fin_src_rewind(fin_source *s); /* back to the first row */
void fin_src_close(fin_source *s);

#endif

/*
** source.h - the series argument of the table-valued functions, read as a
** stream of (key, time, value) rows ordered by key, then time; and the
** small generic frame (tables.c) that every table plugs its engine into.
*/
#ifndef FIN_SOURCE_H
#define FIN_SOURCE_H

#include "fin_ext.h"

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
int fin_tval_copy(fin_tval *t, const fin_tval *from);
void fin_tval_result(sqlite3_context *ctx, const fin_tval *t);
int fin_tval_same(const fin_tval *t, sqlite3_value *v); /* same key? */
/* <0, 0, >0 as ORDER BY ... COLLATE BINARY sorts t against the key a. */
int fin_tval_cmp(const fin_tval *a, const fin_tval *t);
char *fin_tval_describe(const fin_tval *t);            /* for messages */
void fin_tval_free(fin_tval *t);

/* What fin_src_step returns. */
#define FIN_SRC_ROW 1     /* a row of the current key */
#define FIN_SRC_END_KEY 2 /* the current key has no more rows */
#define FIN_SRC_EOF 3     /* no more rows at all */
#define FIN_SRC_ERROR 4   /* *err is set; NULL means out of memory */

typedef struct fin_source {
  const char *fn;        /* table name, for messages */
  const char *arg;       /* argument name, for messages */
  sqlite3_stmt *stmt;
  int has_value;         /* a value column is expected (series, not events) */
  int keyed;             /* the rows have a key column */
  int ti, vi;            /* column of the time and of the value */
  int state;             /* 0 before the first row, 1 in a key, 2 row pending, 3 eof */
  fin_tval key;          /* key of the current series */
  /* the current row */
  sqlite3_value *time;   /* the time as given (valid until the next step) */
  double t;              /* time as a number: Julian day for ISO text */
  int v_null;            /* the value is NULL: skip it */
  double v;
  double last_t;         /* time of the previous row of this key */
  int has_last;
  int kind;              /* 0 unknown, 1 numbers, 2 text: times must not mix */
  fin_date_cache dates;  /* same-month dates skip the calendar arithmetic */
} fin_source;

/* Opens a series (has_value = 1: 2 or 3 columns) or an events list
** (has_value = 0: 1 or 2 columns). text is the argument: one read-only
** SELECT, or a table or view name. */
int fin_src_open(fin_source *s, sqlite3 *db, const char *fn, const char *arg, sqlite3_value *text,
                 int has_value, char **err);
int fin_src_step(fin_source *s, char **err);
int fin_src_rewind(fin_source *s); /* back to the first row */
void fin_src_close(fin_source *s);

/* -------------------------------------------------- the table frame */
#define FIN_MAX_COLS 16

typedef enum { CELL_NULL = 0, CELL_INT, CELL_REAL, CELL_TEXT, CELL_TVAL, CELL_VALUE } fin_cell_type;
typedef struct fin_cell {
  fin_cell_type type;
  sqlite3_int64 i;
  double d;
  const char *z;          /* CELL_TEXT: lives as long as the row */
  const fin_tval *tv;     /* CELL_TVAL */
  sqlite3_value *v;       /* CELL_VALUE: a column of the current source row */
} fin_cell;

typedef struct fin_cursor fin_cursor;
typedef struct fin_tvf {
  const char *name;
  const char *schema;    /* CREATE TABLE x(outputs..., args HIDDEN...) */
  int ncol;              /* output columns */
  int nargs;             /* hidden argument columns; the first is required */
  size_t cursor_size;
  /* args[i] is NULL when argument i was not given. */
  int (*start)(fin_cursor *c, sqlite3_value **args, char **err);
  /* Fills c->cell with the next row, or sets c->eof. SQLITE_OK or error. */
  int (*next)(fin_cursor *c, char **err);
  void (*stop)(fin_cursor *c); /* frees the engine; may run twice */
} fin_tvf;

struct fin_cursor {
  sqlite3_vtab_cursor base;
  const fin_tvf *def;
  sqlite3 *db;
  sqlite3_value *args[4];
  int eof;
  sqlite3_int64 rowid;
  fin_cell cell[FIN_MAX_COLS];
};

/* Cell setters for engines (inline: they run for every cell of every row). */
static inline void fin_cell_null(fin_cursor *c, int i) { c->cell[i].type = CELL_NULL; }
static inline void fin_cell_int(fin_cursor *c, int i, sqlite3_int64 v) {
  c->cell[i].type = CELL_INT;
  c->cell[i].i = v;
}
static inline void fin_cell_real(fin_cursor *c, int i, double v) {
  c->cell[i].type = CELL_REAL;
  c->cell[i].d = v;
}
static inline void fin_cell_text(fin_cursor *c, int i, const char *z) {
  c->cell[i].type = CELL_TEXT;
  c->cell[i].z = z;
}
static inline void fin_cell_tval(fin_cursor *c, int i, const fin_tval *t) {
  c->cell[i].type = CELL_TVAL;
  c->cell[i].tv = t;
}
static inline void fin_cell_value(fin_cursor *c, int i, sqlite3_value *v) {
  c->cell[i].type = CELL_VALUE;
  c->cell[i].v = v;
}
/* The key column: NULL for a series without key. */
static inline void fin_cell_key(fin_cursor *c, int i, const fin_source *s) {
  if (s->keyed) fin_cell_tval(c, i, &s->key);
  else fin_cell_null(c, i);
}
/* One step of an engine's read loop: returns FIN_SRC_ROW or FIN_SRC_END_KEY
** for the engine to act on, or 0 when the engine must return *rc at once
** (an error, or the end of the data with c->eof set). */
int fin_engine_step(fin_cursor *c, fin_source *s, char **err, int *rc);
/* Calendar days between two times when both are ISO text, else NULL. */
void fin_cell_days(fin_cursor *c, int i, int text, double from, double to);

extern const fin_tvf fin_tvf_series, fin_tvf_drawdowns, fin_tvf_streaks, fin_tvf_down_streaks,
    fin_tvf_forward_returns, fin_tvf_calendar_returns;

#endif

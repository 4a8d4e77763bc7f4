/*
** tables.h - the small generic frame (tables.c) that every table-valued
** function plugs its engine into: a fin_tvf describes a table (schema,
** arguments, engine callbacks), a fin_cursor holds the row being returned
** as cells that the engine sets.
*/
#ifndef FIN_TABLES_H
#define FIN_TABLES_H

#include "source.h"

#define FIN_MAX_COLS 32 /* fin_summary has 24; c->cols has a bit for each */
#define FIN_MAX_ARGS 8 /* hidden argument columns of a table, at most */

typedef enum { CELL_NULL = 0, CELL_INT, CELL_REAL, CELL_TEXT, CELL_TVAL, CELL_VALUE } fin_cell_type;
typedef struct fin_cell {
  fin_cell_type type;
  sqlite3_int64 i;
  double d;
  const char *z;          /* CELL_TEXT: lives as long as the row */
  const fin_tval *tv;     /* CELL_TVAL */
  sqlite3_value *v;       /* CELL_VALUE: a column of the current source row */
} fin_cell;

/* What the tables of one connection share (fin.c allocates it when the
** extension is loaded; every module holds a reference). */
#define FIN_MAX_DEPTH 8 /* tables reading tables reading tables... */
typedef struct fin_conn {
  int depth;      /* table calls in progress on this connection (nesting) */
  int names_only; /* loaded by sqlite3_fin_safe_init: series are names, never SQL text */
  int refs;       /* modules holding this block */
} fin_conn;

typedef struct fin_cursor fin_cursor;
typedef struct fin_tvf {
  const char *name;
  const char *schema;    /* CREATE TABLE x(outputs..., args HIDDEN...) */
  int ncol;              /* output columns */
  int nargs;             /* hidden argument columns; the first is required */
  int variant;           /* tells a shared engine which table it serves */
  int seek_col;          /* an output column whose = constraint is passed to the
                            engine (c->seek), or 0 */
  int bkey_col;          /* the benchmark_key output column (c->bkey), or 0 */
  int bench_arg;         /* with bkey_col: the argument that is the benchmark */
  size_t cursor_size;
  /* args[i] is NULL when argument i was not given. */
  int (*start)(fin_cursor *c, sqlite3_value **args, char **err);
  /* Fills c->cell with the next row, or sets c->eof. SQLITE_OK or error. */
  int (*next)(fin_cursor *c, char **err);
  void (*stop)(fin_cursor *c); /* frees the engine; may run twice */
} fin_tvf;

/* The client data of a table's module: the table and its connection. */
typedef struct fin_module_aux {
  const fin_tvf *def;
  fin_conn *conn;
} fin_module_aux;

struct fin_cursor {
  sqlite3_vtab_cursor base;
  const fin_tvf *def;
  fin_conn *conn;
  sqlite3 *db;
  sqlite3_value *args[FIN_MAX_ARGS];
  sqlite3_value *key;    /* the key asked for (WHERE key = ..., a join), or NULL */
  sqlite3_value *seek;   /* the value asked for of the seek column, or NULL */
  sqlite3_value *as_of;  /* WHERE as_of = ...: the series ends there (fin_src_upto), or NULL */
  sqlite3_value *bkey;   /* WHERE benchmark_key = ...: the benchmark's key, or NULL */
  sqlite3_value *vcol;   /* WHERE value_column = ...: the value column by name, or NULL */
  unsigned cols;         /* the output columns the query reads: bit i = column i */
  int skeleton;          /* the series may be read as a calendar's skeleton (fin_src_opts) */
  int eof;
  sqlite3_int64 rowid;
  fin_cell cell[FIN_MAX_COLS];
};

/* The index of the lowest set bit of m (m != 0). */
static inline int fin_lowest_bit(unsigned m) {
#if defined(__GNUC__)
  return __builtin_ctz(m);
#else
  int i = 0;
  while (!(m & 1)) m >>= 1, i++;
  return i;
#endif
}

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
/* The value column asked for (text), or NULL. */
static inline const char *fin_cursor_vcol(fin_cursor *c) {
  return c->vcol ? (const char *)sqlite3_value_text(c->vcol) : NULL;
}
/* Opens a series argument of this cursor's table (fin_src_open with the
** table's name, the connection's mode and the key asked for). seek: 0, 1
** (fin_src_seek), or FIN_SEEK_BY_KEY (seek key by key when no key is asked). */
#define FIN_SEEK_BY_KEY 2
int fin_cursor_source(fin_cursor *c, fin_source *s, const char *arg, sqlite3_value *text,
                      int has_value, int seek, char **err);
/* The same, reading extra columns by name beside the value (fin_src_opts.extra). */
int fin_cursor_source_x(fin_cursor *c, fin_source *s, const char *arg, sqlite3_value *text,
                        int has_value, int seek, const char *const *extra, char **err);
/* A table's period argument: 'year', 'quarter', 'month' or 'week' (an
** error names the table and shows what was given). */
int fin_cursor_period(fin_cursor *c, sqlite3_value *arg, fin_period *period, char **err);
/* The current row's time is a date the calendar can place: ISO text, or a
** Julian day number from 0001-01-01 to 9999-12-31. SQLITE_OK or an error. */
int fin_src_need_date(const fin_cursor *c, fin_source *s, char **err);
/* One step of an engine's read loop: returns FIN_SRC_ROW or FIN_SRC_END_KEY
** for the engine to act on, or 0 when the engine must return *rc at once
** (an error, or the end of the data with c->eof set). */
static inline int fin_engine_step(fin_cursor *c, fin_source *s, char **err, int *rc) {
  int r = fin_src_step(s, err);
  if (r == FIN_SRC_ROW || r == FIN_SRC_END_KEY) return r;
  if (r == FIN_SRC_EOF) {
    c->eof = 1;
    *rc = SQLITE_OK;
  } else {
    *rc = fin_src_errcode(s); /* a missing message becomes SQLITE_NOMEM (tables.c: fail) */
  }
  return 0;
}

/* A table's benchmark argument (benchmark.c): a series of one key, the one
** asked for with benchmark_key (a keyed benchmark needs it, an unkeyed one
** must not have it), ended at as_of like the series. */
typedef struct fin_bench {
  fin_source src;
  int open;  /* src is open */
  int state; /* 0: the next row is not read, 1: src holds it, 2: no more rows */
  int has;   /* v holds the last value at or before the time last asked */
  double v;
  double last_t; /* time of the last row read */
  int sought;    /* the read is positioned for this key (else: at the next time asked) */
  int anchored;  /* the seek found an anchor, not yet checked against the calendar */
  double seek_t; /* the time sought */
} fin_bench;
/* Opens the benchmark (seekable: it is one series). */
int fin_bench_open(fin_cursor *c, fin_bench *b, sqlite3_value *text, char **err);
/* A new key of the series: the benchmark is sought again at its first time. */
void fin_bench_restart(fin_bench *b);
/* Positions the read at its last row with a value at or before time (t is
** time on the series' scale), from where it goes on. */
int fin_bench_seek(fin_bench *b, const fin_tval *time, double t, char **err);
/* Makes the benchmark's next row pending (b->state 1, its values in b->src)
** unless one is, or notes the end (b->state 2); b->state = 0 consumes it.
** The first call for a key seeks at the series' current row's time. Its
** times must be of the series' kind. SQLITE_OK or an error. */
int fin_bench_peek(fin_bench *b, fin_source *series, char **err);
/* Reads on through the rows at or before t (increasing from call to call;
** on the series' scale, whose kind of times it must share): then b->has,
** *v is the benchmark's value as of t, NaN for none: before its first
** value and after its last row. SQLITE_OK or an error. */
int fin_bench_at(fin_bench *b, fin_source *series, double t, double *v, char **err);
/* fin_relative's merge on common times: brings the benchmark to its first
** row at or after t (the series' time, increasing), counting in *passed
** the benchmark times before t that the series lacks; *common is 1 when
** the benchmark has a row at t (then consumed: b->src holds its value,
** maybe NULL). SQLITE_OK or an error. */
int fin_bench_match(fin_bench *b, fin_source *series, double t, int64_t *passed, int *common, char **err);
void fin_bench_close(fin_bench *b);
/* Calendar days between two times when both are ISO text, else NULL. */
void fin_cell_days(fin_cursor *c, int i, int text, double from, double to);

extern const fin_tvf fin_tvf_series, fin_tvf_drawdowns, fin_tvf_streaks, fin_tvf_down_streaks,
    fin_tvf_forward_returns, fin_tvf_calendar_returns, fin_tvf_relative, fin_tvf_swings,
    fin_tvf_trailing_returns, fin_tvf_bars, fin_tvf_summary;

/* The one module behind every table; its client data (pAux) is a
** fin_module_aux. */
extern const sqlite3_module fin_tvf_module;

#endif

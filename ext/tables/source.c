/*
** source.c - reads the series argument of the table-valued functions.
**
** The argument is the text of one read-only SELECT (or WITH ... SELECT, or
** VALUES) whose columns are (time, value) or (key, time, value), or the
** name of a table or view with such columns. The text is checked alone
** first: exactly one statement, read-only, not EXPLAIN, no parameters. It
** is then wrapped as
**     SELECT * FROM (<text>) ORDER BY 1 COLLATE BINARY, 2
** so that rows come by key, then time, whatever order the source has; an
** index on (key, time) lets SQLite skip the sort. The wrapped statement is
** checked again (one statement, read-only), so no text can escape the
** subquery. A name is quoted as an identifier ("%w"), never pasted.
**
** A table used by a statement that writes (INSERT INTO t SELECT ... FROM
** fin_series('t')) would otherwise read the rows that statement adds while
** it adds them, and never end. So when the connection has a writing
** statement under way, the series is read whole into memory before the
** first row is handed out, as SQLite itself materialises the SELECT of an
** INSERT INTO t SELECT ... FROM t. Memory then holds the series.
**
** Every row is validated: time is ISO-8601 text or a number (not both in
** one series), strictly increasing within a key (a repeat is an error);
** the value is NULL (skipped) or a number > 0. Errors name the row's time.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "source.h"

/* ------------------------------------------------------------ fin_tval */
int fin_tval_set(fin_tval *t, sqlite3_value *v) {
  t->type = sqlite3_value_type(v);
  if (t->type == SQLITE_INTEGER) t->i = sqlite3_value_int64(v);
  else if (t->type == SQLITE_FLOAT) t->d = sqlite3_value_double(v);
  else if (t->type == SQLITE_TEXT || t->type == SQLITE_BLOB) {
    const void *p = t->type == SQLITE_TEXT ? (const void *)sqlite3_value_text(v) : sqlite3_value_blob(v);
    int n = sqlite3_value_bytes(v);
    if (n + 1 > t->cap) {
      int cap = n + 1 < 32 ? 32 : n + 1;
      char *z = sqlite3_realloc64(t->z, (sqlite3_uint64)cap);
      if (!z) {
        t->type = SQLITE_NULL;
        return SQLITE_NOMEM;
      }
      t->z = z;
      t->cap = cap;
    }
    if (n) memcpy(t->z, p, (size_t)n);
    t->z[n] = 0;
    t->n = n;
  }
  return SQLITE_OK;
}

int fin_tval_copy(fin_tval *t, const fin_tval *from) {
  if (from->type == SQLITE_TEXT || from->type == SQLITE_BLOB) {
    if (from->n + 1 > t->cap) {
      char *z = sqlite3_realloc64(t->z, (sqlite3_uint64)from->n + 1);
      if (!z) return SQLITE_NOMEM;
      t->z = z;
      t->cap = from->n + 1;
    }
    memcpy(t->z, from->z, (size_t)from->n + 1);
  }
  t->type = from->type;
  t->i = from->i;
  t->d = from->d;
  t->n = from->n;
  return SQLITE_OK;
}

void fin_tval_result(sqlite3_context *ctx, const fin_tval *t) {
  switch (t->type) {
    case SQLITE_INTEGER: sqlite3_result_int64(ctx, t->i); break;
    case SQLITE_FLOAT: sqlite3_result_double(ctx, t->d); break;
    case SQLITE_TEXT: sqlite3_result_text(ctx, t->z, t->n, SQLITE_TRANSIENT); break;
    case SQLITE_BLOB: sqlite3_result_blob(ctx, t->z, t->n, SQLITE_TRANSIENT); break;
    default: sqlite3_result_null(ctx);
  }
}

/* Keys are compared as ORDER BY ... COLLATE BINARY groups them. */
int fin_tval_same(const fin_tval *t, sqlite3_value *v) {
  int ty = sqlite3_value_type(v);
  int tnum = t->type == SQLITE_INTEGER || t->type == SQLITE_FLOAT;
  int vnum = ty == SQLITE_INTEGER || ty == SQLITE_FLOAT;
  if (tnum && vnum) {
    if (t->type == SQLITE_INTEGER && ty == SQLITE_INTEGER) return t->i == sqlite3_value_int64(v);
    double a = t->type == SQLITE_INTEGER ? (double)t->i : t->d;
    return a == sqlite3_value_double(v);
  }
  if (t->type != ty) return 0;
  if (ty == SQLITE_NULL) return 1;
  const void *p = ty == SQLITE_TEXT ? (const void *)sqlite3_value_text(v) : sqlite3_value_blob(v);
  int n = sqlite3_value_bytes(v);
  return n == t->n && (n == 0 || memcmp(p, t->z, (size_t)n) == 0);
}

static int type_rank(int type) {
  return type == SQLITE_NULL ? 0 : type == SQLITE_INTEGER || type == SQLITE_FLOAT ? 1
                                 : type == SQLITE_TEXT                            ? 2
                                                                                  : 3;
}

int fin_tval_cmp(const fin_tval *a, const fin_tval *t) {
  int ra = type_rank(a->type), rt = type_rank(t->type);
  if (ra != rt) return ra - rt;
  if (ra == 0) return 0;
  if (ra == 1) {
    /* Integers compare exactly: above 2^53 two keys can share a double. */
    if (a->type == SQLITE_INTEGER && t->type == SQLITE_INTEGER) return (a->i > t->i) - (a->i < t->i);
    double x = a->type == SQLITE_INTEGER ? (double)a->i : a->d;
    double y = t->type == SQLITE_INTEGER ? (double)t->i : t->d;
    if (x != y) return (x > y) - (x < y);
    /* Equal as doubles: an integer and a real are then ordered the way
    ** SQLite orders them, by the integer against the real's integer part. */
    const fin_tval *in = a->type == SQLITE_INTEGER ? a : t;
    double r = a->type == SQLITE_INTEGER ? y : x;
    if (r >= 9223372036854775807.0 || r < -9223372036854775808.0) return 0;
    int64_t ri = (int64_t)r;
    int c = (in->i > ri) - (in->i < ri);
    return a->type == SQLITE_INTEGER ? c : -c;
  }
  int n = a->n < t->n ? a->n : t->n;
  int c = n ? memcmp(a->z, t->z, (size_t)n) : 0;
  return c ? c : a->n - t->n;
}

char *fin_tval_quote(const fin_tval *t) {
  switch (t->type) {
    case SQLITE_INTEGER: return sqlite3_mprintf("%lld", t->i);
    case SQLITE_FLOAT: return sqlite3_mprintf("%!.15g", t->d);
    case SQLITE_TEXT:
      return t->n > 40 ? sqlite3_mprintf("text '%.*s...'", fin_utf8_prefix(t->z, 40), t->z)
                       : sqlite3_mprintf("text '%s'", t->z);
    case SQLITE_BLOB: return sqlite3_mprintf("a blob");
    default: return sqlite3_mprintf("NULL");
  }
}

char *fin_tval_describe(const fin_tval *t) {
  switch (t->type) {
    case SQLITE_INTEGER: return sqlite3_mprintf("%lld", t->i);
    case SQLITE_FLOAT: return sqlite3_mprintf("%!.15g", t->d);
    case SQLITE_TEXT: return sqlite3_mprintf("%.*s", fin_utf8_prefix(t->z, 40), t->z);
    case SQLITE_BLOB: return sqlite3_mprintf("(a blob)");
    default: return sqlite3_mprintf("NULL");
  }
}

void fin_tval_free(fin_tval *t) {
  sqlite3_free(t->z);
  memset(t, 0, sizeof *t);
}

/* ------------------------------------------------------------ rows */
/* 1 when another statement of the connection is running and writes. */
static int writer_running(sqlite3 *db, sqlite3_stmt *self) {
  for (sqlite3_stmt *st = sqlite3_next_stmt(db, NULL); st; st = sqlite3_next_stmt(db, st))
    if (st != self && sqlite3_stmt_busy(st) && !sqlite3_stmt_readonly(st)) return 1;
  return 0;
}

static void buf_free(fin_source *s) {
  for (size_t i = 0; i < s->nbuf; i++) sqlite3_value_free(s->buf[i]);
  sqlite3_free(s->buf);
  s->buf = NULL;
  s->nbuf = s->capbuf = s->pos = 0;
}

/* Reads every row of the statement into s->buf. */
static int materialise(fin_source *s, char **err) {
  int rc;
  while ((rc = sqlite3_step(s->stmt)) == SQLITE_ROW) {
    if (s->nbuf + (size_t)s->ncol > s->capbuf) {
      size_t cap = s->capbuf ? s->capbuf * 2 : 64;
      sqlite3_value **b = sqlite3_realloc64(s->buf, cap * sizeof *b);
      if (!b) return SQLITE_NOMEM;
      s->buf = b;
      s->capbuf = cap;
    }
    for (int i = 0; i < s->ncol; i++) {
      sqlite3_value *v = sqlite3_value_dup(sqlite3_column_value(s->stmt, i));
      if (!v) return SQLITE_NOMEM;
      s->buf[s->nbuf++] = v;
    }
  }
  if (rc != SQLITE_DONE) {
    s->errcode = rc;
    *err = sqlite3_mprintf("%s(): %s: %s", s->fn, s->arg, sqlite3_errmsg(sqlite3_db_handle(s->stmt)));
    return rc == SQLITE_NOMEM ? rc : rc == SQLITE_INTERRUPT ? rc : SQLITE_ERROR;
  }
  s->pos = 0;
  return SQLITE_OK;
}

/* The next row of the statement (or of the materialised copy). */
static int raw_next(fin_source *s) {
  if (s->empty) return SQLITE_DONE;
  if (!s->buf) return sqlite3_step(s->rd);
  if (s->pos >= s->nbuf) return SQLITE_DONE;
  s->pos += (size_t)s->ncol;
  return SQLITE_ROW;
}

static sqlite3_value *raw_col(fin_source *s, int i) {
  return s->buf ? s->buf[s->pos - (size_t)s->ncol + (size_t)i] : sqlite3_column_value(s->rd, i);
}

/* ---- rows with a time of day, in time order
** Rows come in text order of (key, time). For dates, and for times of one
** format and offset, that is time order; but '2024-01-02 10:00' sorts before
** '2024-01-02T09:00', '...00.5Z' before '...00Z', and '2024-01-01T23:00-05:00'
** (04:00 UTC on the 2nd) before '2024-01-02T01:00Z'. A row's instant lies
** within [its date - 14 h, its date + 38 h) (offsets run from -14:00 to
** +14:00), and rows come with their dates in order, so no row still to come
** is earlier than the last row's date - 14 h. Rows with a time of day are
** therefore held back in a heap by instant (then by arrival) and each is
** handed out once every row that could precede it has been read: the
** stream comes out in time order. Memory: the rows of about two days; a
** daily series (times of 10 characters) holds nothing back and pays
** nothing. A row that cannot be held (another key, a time that does not
** parse, NULL, a number) lets the held rows out first, then takes its turn
** (its error, if any, is then raised at its place). */
typedef struct fin_held {
  double t;           /* the instant (Julian day, UTC) */
  uint64_t seq;       /* arrival order, for equal instants */
  sqlite3_value **v;  /* the row's ncol values, copied */
} fin_held;

#define HOLD_NOMEM (-1) /* next_row: our own copy failed */
#define MAX_OFFSET (14.0 / 24.0)

static void free_row(sqlite3_value **v, int ncol) {
  if (!v) return;
  for (int i = 0; i < ncol; i++) sqlite3_value_free(v[i]);
  sqlite3_free(v);
}

static void held_clear(fin_source *s) {
  for (size_t i = 0; i < s->nheld; i++) free_row(s->held[i].v, s->ncol);
  s->nheld = 0;
  free_row(s->cur, s->ncol);
  s->cur = NULL;
  fin_tval_free(&s->held_key);
}

static int held_less(const fin_held *a, const fin_held *b) {
  return a->t < b->t || (a->t == b->t && a->seq < b->seq);
}

/* The raw row's time as an instant, and the bound it sets for every row to
** come; 0 when it cannot be held (not text, or not a time). */
static int holdable(fin_source *s, double *t, double *bound) {
  sqlite3_value *tv = raw_col(s, s->ti);
  if (sqlite3_value_type(tv) != SQLITE_TEXT) return 0;
  const char *z = (const char *)sqlite3_value_text(tv);
  int n = sqlite3_value_bytes(tv), date_only;
  double day;
  if (!z || fin_k_parse_iso(z, n, t, &date_only) || fin_k_parse_iso(z, 10, &day, &date_only)) return 0;
  *bound = day - MAX_OFFSET;
  return 1;
}

/* Copies the raw row into the heap. */
static int hold(fin_source *s, double t) {
  if (s->nheld == s->capheld) {
    size_t cap = s->capheld ? s->capheld * 2 : 16;
    fin_held *h = sqlite3_realloc64(s->held, cap * sizeof *h);
    if (!h) return HOLD_NOMEM;
    s->held = h;
    s->capheld = cap;
  }
  sqlite3_value **v = sqlite3_malloc64((size_t)s->ncol * sizeof *v);
  if (!v) return HOLD_NOMEM;
  for (int i = 0; i < s->ncol; i++) {
    v[i] = sqlite3_value_dup(raw_col(s, i));
    if (!v[i]) {
      free_row(v, i);
      return HOLD_NOMEM;
    }
  }
  if (s->nheld == 0 && s->keyed && fin_tval_set(&s->held_key, raw_col(s, 0))) {
    free_row(v, s->ncol);
    return HOLD_NOMEM;
  }
  fin_held x = {t, s->seq++, v};
  size_t i = s->nheld++;
  while (i > 0 && held_less(&x, &s->held[(i - 1) / 2])) { /* sift up */
    s->held[i] = s->held[(i - 1) / 2];
    i = (i - 1) / 2;
  }
  s->held[i] = x;
  return SQLITE_OK;
}

/* Takes the earliest held row out: it becomes the current row. */
static void release(fin_source *s) {
  s->cur = s->held[0].v;
  fin_held last = s->held[--s->nheld];
  size_t i = 0;
  for (;;) { /* sift down */
    size_t c = 2 * i + 1;
    if (c >= s->nheld) break;
    if (c + 1 < s->nheld && held_less(&s->held[c + 1], &s->held[c])) c++;
    if (!held_less(&s->held[c], &last)) break;
    s->held[i] = s->held[c];
    i = c;
  }
  if (s->nheld) s->held[i] = last;
}

/* The next row in time order: SQLITE_ROW, SQLITE_DONE, the statement's
** error code, or HOLD_NOMEM. */
static int next_row(fin_source *s);
int fin_src_next_raw(fin_source *s) { return next_row(s); }
void fin_src_reset_rows(fin_source *s) {
  held_clear(s);
  s->ahead_rc = 0;
}
static int next_row(fin_source *s) {
  free_row(s->cur, s->ncol); /* the row handed out last is done with */
  s->cur = NULL;
  for (;;) {
    double t, bound;
    if (s->nheld) {
      /* Out once no row to come can precede it, or once the stream has
      ** moved on (another key, a row that cannot be held, the end). */
      if (s->ahead_rc || s->held[0].t < s->held_bound) {
        release(s);
        if (!s->nheld) fin_tval_free(&s->held_key);
        return SQLITE_ROW;
      }
      int rc = raw_next(s);
      if (rc == SQLITE_ROW && (!s->keyed || fin_tval_same(&s->held_key, raw_col(s, 0))) &&
          holdable(s, &t, &bound)) {
        if (hold(s, t)) return HOLD_NOMEM;
        s->held_bound = bound;
      } else {
        s->ahead_rc = rc; /* the raw row, the end or the error waits for the held rows */
      }
      continue;
    }
    int rc = s->ahead_rc ? s->ahead_rc : raw_next(s);
    s->ahead_rc = 0;
    if (rc != SQLITE_ROW) return rc;
    sqlite3_value *tv = raw_col(s, s->ti);
    /* A time of day (text longer than a date) starts holding; dates pass. */
    if (sqlite3_value_type(tv) != SQLITE_TEXT || sqlite3_value_bytes(tv) <= 10 ||
        !holdable(s, &t, &bound))
      return SQLITE_ROW;
    if (hold(s, t)) return HOLD_NOMEM;
    s->held_bound = bound;
  }
}

/* Column i of the current row. */
static sqlite3_value *col(fin_source *s, int i) {
  return s->cur ? s->cur[i] : raw_col(s, i);
}

/* ------------------------------------------------------------ opening */
/* Skips white space and SQL comments. */
static const char *skip_space(const char *z) {
  for (;;) {
    while (*z == ' ' || *z == '\t' || *z == '\n' || *z == '\r' || *z == '\f') z++;
    if (z[0] == '-' && z[1] == '-') {
      while (*z && *z != '\n') z++;
    } else if (z[0] == '/' && z[1] == '*') {
      const char *e = strstr(z + 2, "*/");
      if (!e) return z + strlen(z);
      z = e + 2;
    } else {
      return z;
    }
  }
}

/* 1 when the n bytes of SQL at z end inside a block comment (strings,
** quoted names and line comments are skipped as SQLite's tokenizer does). */
static int ends_in_comment(const char *z, size_t n) {
  size_t i = 0;
  while (i < n) {
    char c = z[i];
    if (c == '\'' || c == '"' || c == '`' || c == '[') {
      char close = c == '[' ? ']' : c;
      for (i++; i < n && z[i] != close; i++) {
      }
      i++; /* past the closing quote ('' is two strings back to back) */
    } else if (c == '-' && i + 1 < n && z[i + 1] == '-') {
      while (i < n && z[i] != '\n') i++;
    } else if (c == '/' && i + 1 < n && z[i + 1] == '*') {
      for (i += 2; i + 1 < n && !(z[i] == '*' && z[i + 1] == '/'); i++) {
      }
      if (i + 1 >= n) return 1;
      i += 2;
    } else {
      i++;
    }
  }
  return 0;
}

/* 1 when z starts with keyword kw (case-insensitive) as a whole word. */
static int starts_with_word(const char *z, const char *kw) {
  size_t n = strlen(kw);
  for (size_t i = 0; i < n; i++)
    if ((z[i] | 0x20) != kw[i]) return 0;
  char c = z[n];
  return !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_');
}

/* A table or view name, optionally "schema.name": letters, digits, '_',
** '$' and non-ASCII bytes, no spaces. Anything else (a PRAGMA, a DELETE, a
** name with a quote in it) is refused before any SQL is built from it. */
int fin_src_is_name(const char *z) {
  int dots = 0;
  if (!*z || *z == '.') return 0;
  for (const unsigned char *p = (const unsigned char *)z; *p; p++) {
    if (*p == '.') {
      if (++dots > 1 || !p[1]) return 0;
    } else if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
                 *p == '_' || *p == '$' || *p >= 0x80)) {
      return 0;
    }
  }
  return 1;
}

/* Prepares exactly one read-only statement from z. */
static int prepare_one(sqlite3 *db, const char *fn, const char *arg, const char *z, int nparams,
                       sqlite3_stmt **out, const char **end, char **err) {
  const char *tail = NULL;
  sqlite3_stmt *st = NULL;
  *out = NULL;
  int rc = sqlite3_prepare_v2(db, z, -1, &st, &tail);
  if (rc != SQLITE_OK) {
    *err = sqlite3_mprintf("%s(): %s: %s", fn, arg, sqlite3_errmsg(db));
    return rc == SQLITE_NOMEM ? rc : SQLITE_ERROR;
  }
  if (!st) {
    *err = sqlite3_mprintf("%s(): %s is empty", fn, arg);
    return SQLITE_ERROR;
  }
  if (end) *end = tail;
  /* Whatever follows must be nothing but ';', spaces and comments. */
  for (tail = skip_space(tail); *tail == ';'; tail = skip_space(tail + 1)) {
  }
  if (*tail) {
    sqlite3_finalize(st);
    *err = sqlite3_mprintf("%s(): %s must be a single SELECT statement, found more after it", fn, arg);
    return SQLITE_ERROR;
  }
  if (!sqlite3_stmt_readonly(st) || sqlite3_stmt_isexplain(st)) {
    sqlite3_finalize(st);
    *err = sqlite3_mprintf("%s(): %s must be a read-only SELECT", fn, arg);
    return SQLITE_ERROR;
  }
  if (sqlite3_bind_parameter_count(st) != nparams) { /* only the wrapper's own ?1 */
    sqlite3_finalize(st);
    *err = sqlite3_mprintf("%s(): %s must not contain parameters (?, :name): bind the whole "
                           "text as the argument instead",
                           fn, arg);
    return SQLITE_ERROR;
  }
  *out = st;
  return SQLITE_OK;
}

/* ---- what a series statement may do besides reading
** sqlite3_stmt_readonly says the statement itself writes nothing, but a
** table-valued pragma runs its pragma (pragma_optimize runs ANALYZE, which
** writes sqlite_stat1), and text stored in a database (a watchlist's series
** column) may call a function such as writefile(). So the statement's
** program is read (EXPLAIN) before it runs, and refused when it
**  - calls a function SQLite marks DIRECTONLY: SQLite keeps such functions
**    out of views and triggers, text that comes from a database, and a
**    series text is held to the same rule;
**  - reads a table-valued pragma (any: they run pragmas, some of which
**    write). A virtual table is known by its module: every pragma shares
**    one, found by reading a harmless pragma's program the same way.
** What is left (functions that are not DIRECTONLY, other virtual tables)
** is SQLite's own contract for text from a database; an application whose
** functions or modules have side effects registers them DIRECTONLY, as
** SQLite advises, or loads sqlite3_fin_safe_init (README, Safety). */
#define FN_DIRECTONLY 0x080000 /* SQLITE_DIRECTONLY, as pragma_function_list shows it */

/* Functions known to be DIRECTONLY, for a SQLite without pragma_function_list. */
static const char *const known_direct[] = {"writefile", "readfile", "edit", "load_extension",
                                           "fts3_tokenizer", NULL};

/* The module of the virtual table an EXPLAIN row's VOpen opens: P4 reads
** "vtab:<address of its sqlite3_vtab>", alive while that EXPLAIN is. */
static const sqlite3_module *vopen_module(sqlite3_stmt *ex) {
  const char *p4 = (const char *)sqlite3_column_text(ex, 5);
  if (!p4 || strncmp(p4, "vtab:", 5) != 0) return NULL;
  uintptr_t a = (uintptr_t)strtoull(p4 + 5, NULL, 16);
  return a ? ((const sqlite3_vtab *)a)->pModule : NULL;
}

/* The module every table-valued pragma shares (NULL when none answers). */
static int pragma_module(sqlite3 *db, const sqlite3_module **m) {
  sqlite3_stmt *ex = NULL;
  *m = NULL;
  int rc = sqlite3_prepare_v2(db, "EXPLAIN SELECT * FROM pragma_table_info('')", -1, &ex, NULL);
  if (rc != SQLITE_OK) return rc == SQLITE_NOMEM ? rc : SQLITE_OK; /* no pragma vtabs here */
  while ((rc = sqlite3_step(ex)) == SQLITE_ROW) {
    const char *op = (const char *)sqlite3_column_text(ex, 1);
    if (op && strcmp(op, "VOpen") == 0) *m = vopen_module(ex);
  }
  sqlite3_finalize(ex);
  return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static int audit(fin_source *s, sqlite3 *db, const char *sql, char **err) {
  sqlite3_stmt *ex = NULL, *list = NULL;
  const sqlite3_module *pragmas = NULL;
  int looked = 0;
  char *q = sqlite3_mprintf("EXPLAIN %s", sql);
  int rc = q ? sqlite3_prepare_v2(db, q, -1, &ex, NULL) : SQLITE_NOMEM;
  sqlite3_free(q);
  if (rc == SQLITE_OK &&
      sqlite3_prepare_v2(db, "SELECT flags FROM pragma_function_list WHERE name = ?1 AND narg = ?2",
                         -1, &list, NULL) != SQLITE_OK) {
    if (sqlite3_errcode(db) == SQLITE_NOMEM) rc = SQLITE_NOMEM;
    list = NULL; /* an older or trimmed SQLite: the fixed list below */
  }
  while (rc == SQLITE_OK && (rc = sqlite3_step(ex)) == SQLITE_ROW) {
    rc = SQLITE_OK;
    const char *op = (const char *)sqlite3_column_text(ex, 1);
    if (!op) continue;
    if (strcmp(op, "VOpen") == 0) {
      if (!looked && (rc = pragma_module(db, &pragmas)) != SQLITE_OK) break;
      looked = 1;
      if (pragmas && vopen_module(ex) == pragmas) {
        *err = sqlite3_mprintf("%s(): %s must not read a table-valued pragma (pragma_...): "
                               "pragmas may change the database (pragma_optimize runs ANALYZE), "
                               "and a series only reads",
                               s->fn, s->arg);
        rc = SQLITE_ERROR;
        break;
      }
      continue;
    }
    if (strcmp(op, "Function") != 0 && strcmp(op, "PureFunc") != 0 && strncmp(op, "Agg", 3) != 0)
      continue;
    const char *p4 = (const char *)sqlite3_column_text(ex, 5); /* "name(narg)" */
    const char *paren = p4 ? strchr(p4, '(') : NULL;
    if (!paren) continue;
    int len = (int)(paren - p4), flags = 0;
    if (list) {
      sqlite3_reset(list);
      sqlite3_bind_text(list, 1, p4, len, SQLITE_STATIC);
      sqlite3_bind_int(list, 2, atoi(paren + 1));
      int r = sqlite3_step(list);
      if (r == SQLITE_ROW) flags = sqlite3_column_int(list, 0);
      else if (r != SQLITE_DONE) {
        rc = r;
        break;
      }
    } else {
      for (int i = 0; known_direct[i]; i++)
        if ((int)strlen(known_direct[i]) == len && sqlite3_strnicmp(p4, known_direct[i], len) == 0)
          flags = FN_DIRECTONLY;
    }
    if (flags & FN_DIRECTONLY) {
      *err = sqlite3_mprintf("%s(): %s must not call %.*s(), a function SQLite allows only in "
                             "top-level SQL (SQLITE_DIRECTONLY): it keeps such functions out of "
                             "views and triggers, and a series is held to the same rule",
                             s->fn, s->arg, len, p4);
      rc = SQLITE_ERROR;
      break;
    }
  }
  if (rc == SQLITE_DONE) rc = SQLITE_OK;
  if (rc == SQLITE_ERROR && !*err) *err = sqlite3_mprintf("%s(): %s: %s", s->fn, s->arg, sqlite3_errmsg(db));
  else if (rc != SQLITE_OK && rc != SQLITE_ERROR) rc = SQLITE_NOMEM;
  sqlite3_finalize(list);
  sqlite3_finalize(ex);
  return rc;
}

int fin_src_errcode(const fin_source *s) { return s->errcode ? s->errcode : SQLITE_ERROR; }

/* ---- which column is which
** A series names its columns or puts them in order. By name: a time column
** (date, time, datetime or timestamp), a key column (symbol, ticker, key or
** code) if any, and the value: the column value_column asks for, or close,
** or else the one column left; names compare without case, spaces or
** underscores ('Adj Close' is adj_close), so a price table as sqlite-utils,
** DB Browser or the shell's .import make it reads as it is. By position, as
** before: (time, value) or (key, time, value). Names win when they say
** everything; a table of two or three columns whose names do not is read
** by position; anything else is an error that lists the columns found. */
typedef struct fin_src_cols {
  int k, t, v;         /* source columns (-1: none); by position: 0/1/2 */
  char *list;          /* by name: the select list ("symbol", "date", "close"), else NULL */
  char vname[64];      /* by name: the value column's name, for messages */
  char kname[64], tname[64]; /* by name: the key's and the time's */
  int extra[FIN_SRC_EXTRA];  /* by name: the extra columns asked for (-1: absent) */
  int nextra;
} fin_src_cols;

/* name in lower case without spaces, underscores or dots, into buf */
static void canon(const char *z, char *buf, size_t n) {
  size_t k = 0;
  for (; z && *z && k + 1 < n; z++) {
    if (*z == ' ' || *z == '_' || *z == '.') continue;
    buf[k++] = (char)(*z >= 'A' && *z <= 'Z' ? *z + 32 : *z);
  }
  buf[k] = 0;
}

static int is_one_of(const char *c, const char *const *words) {
  for (; *words; words++)
    if (strcmp(c, *words) == 0) return 1;
  return 0;
}

static const char *const time_names[] = {"date", "time", "datetime", "timestamp", NULL};
static const char *const key_names[] = {"symbol", "ticker", "key", "code", NULL};

/* "a, b, c": the columns found, for messages. */
static char *column_list(sqlite3_stmt *st, int ncol) {
  char *z = sqlite3_mprintf("");
  for (int i = 0; z && i < ncol; i++) {
    const char *name = sqlite3_column_name(st, i);
    char *w = sqlite3_mprintf("%s%s%s", z, i ? ", " : "", name ? name : "?");
    sqlite3_free(z);
    z = w;
  }
  return z;
}

int fin_src_roles(const char *const *names, int n, int *key, int *time, char **why) {
  int nt = 0, nk = 0;
  char c[64];
  *key = *time = -1;
  for (int i = 0; i < n; i++) {
    canon(names[i], c, sizeof c);
    if (is_one_of(c, time_names) && nt++ == 0) *time = i;
    else if (is_one_of(c, key_names) && nk++ == 0) *key = i;
  }
  if (nt == 1 && nk <= 1) return 0;
  *why = sqlite3_mprintf("%s: name the time column date, time, datetime or timestamp, and the key "
                         "column symbol, ticker, key or code",
                         nt == 0 ? "no time column" : nt > 1 ? "two time columns" : "two key columns");
  return 1;
}

static int columns(fin_source *s, const fin_src_opts *o, sqlite3_stmt *st, int ncol, fin_src_cols *cl,
                   char **err) {
  const char *fn = s->fn, *arg = s->arg;
  int has_value = s->has_value, lo = has_value ? 2 : 1;
  int by_position = ncol == lo || ncol == lo + 1;
  memset(cl, 0, sizeof *cl);
  cl->k = cl->t = cl->v = -1;
  for (int i = 0; i < FIN_SRC_EXTRA; i++) cl->extra[i] = -1;
  int nt = 0, nk = 0, close = -1, asked = -1;
  char want[64] = "", c[64];
  if (o->value_column) canon(o->value_column, want, sizeof want);
  for (int i = 0; i < ncol; i++) {
    const char *name = sqlite3_column_name(st, i);
    if (!name) return SQLITE_NOMEM;
    canon(name, c, sizeof c);
    if (is_one_of(c, time_names) && nt++ == 0) cl->t = i;
    else if (is_one_of(c, key_names) && nk++ == 0) cl->k = i;
    if (strcmp(c, "close") == 0 && close < 0) close = i;
    if (want[0] && strcmp(c, want) == 0 && asked < 0) asked = i;
  }
  const char *why = NULL; /* why the names do not say which is which */
  if (nt != 1) why = nt ? "two time columns" : "no time column";
  else if (nk > 1) why = "two key columns";
  if (!why && has_value) {
    if (want[0]) {
      cl->v = asked;
      if (asked < 0 || asked == cl->t || asked == cl->k) why = "no such value column";
    } else if (close >= 0 && close != cl->k) {
      cl->v = close;
    } else { /* the one column left */
      int left = 0;
      for (int i = 0; i < ncol; i++)
        if (i != cl->t && i != cl->k && left++ == 0) cl->v = i;
      if (left != 1) why = left ? "no close column" : "no value column";
    }
  }
  if (!why) {
    int idx[3 + FIN_SRC_EXTRA], n = 0;
    if (cl->k >= 0) idx[n++] = cl->k;
    idx[n++] = cl->t;
    if (has_value) idx[n++] = cl->v;
    /* the extra columns the table asked for, after the value */
    for (int e = 0; has_value && o->extra && e < FIN_SRC_EXTRA && o->extra[e]; e++) {
      char want_e[64];
      canon(o->extra[e], want_e, sizeof want_e);
      for (int i = 0; i < ncol; i++) {
        canon(sqlite3_column_name(st, i), c, sizeof c);
        if (strcmp(c, want_e) == 0 && i != cl->k && i != cl->t) {
          cl->extra[e] = n;
          idx[n++] = i;
          break;
        }
      }
    }
    cl->nextra = n - (cl->k >= 0) - 1 - has_value;
    cl->list = sqlite3_mprintf("");
    for (int i = 0; cl->list && i < n; i++) {
      char *w = sqlite3_mprintf("%s%s\"%w\"", cl->list, i ? ", " : "", sqlite3_column_name(st, idx[i]));
      sqlite3_free(cl->list);
      cl->list = w;
    }
    if (!cl->list) return SQLITE_NOMEM;
    if (has_value) sqlite3_snprintf((int)sizeof cl->vname, cl->vname, "%s", sqlite3_column_name(st, cl->v));
    if (cl->k >= 0) sqlite3_snprintf((int)sizeof cl->kname, cl->kname, "%s", sqlite3_column_name(st, cl->k));
    sqlite3_snprintf((int)sizeof cl->tname, cl->tname, "%s", sqlite3_column_name(st, cl->t));
    return SQLITE_OK;
  }
  /* By position, unless a time column named elsewhere says the columns are
  ** not in that order (date, open, high would read the date as a key). */
  if (by_position && !o->value_column && (nt != 1 || cl->t == (ncol == lo + 1 ? 1 : 0))) {
    cl->k = ncol == lo + 1 ? 0 : -1;
    cl->t = cl->k + 1;
    cl->v = has_value ? cl->t + 1 : -1;
    return SQLITE_OK;
  }
  char *found = column_list(st, ncol);
  if (!found) return SQLITE_NOMEM;
  if (o->value_column && strcmp(why, "no such value column") == 0)
    *err = sqlite3_mprintf("%s(): %s has no value column '%s' (value_column): its columns are %s", fn,
                           arg, o->value_column, found);
  else if (o->value_column)
    *err = sqlite3_mprintf("%s(): %s must name its time column (date, time, datetime or timestamp) "
                           "for value_column = '%s', found %s in its columns: %s",
                           fn, arg, o->value_column, why, found);
  else if (has_value)
    *err = sqlite3_mprintf("%s(): %s must have 2 columns (time, value) or 3 (key, time, value), or "
                           "name them: a time column (date, time, datetime or timestamp), a key "
                           "column (symbol, ticker, key or code) if any, and close (or another "
                           "column chosen with value_column = '...'); found %s in its %d column%s: %s",
                           fn, arg, why, ncol, ncol == 1 ? "" : "s", found);
  else
    *err = sqlite3_mprintf("%s(): %s must have 1 column (time) or 2 (key, time), or name them: a "
                           "time column (date, time, datetime or timestamp) and a key column "
                           "(symbol, ticker, key or code) if any; found %s in its %d column%s: %s",
                           fn, arg, why, ncol, ncol == 1 ? "" : "s", found);
  sqlite3_free(found);
  return SQLITE_ERROR;
}

int fin_src_open(fin_source *s, const fin_src_opts *o, sqlite3_value *text, char **err) {
  sqlite3 *db = o->db;
  const char *fn = o->fn, *arg = o->arg;
  int has_value = o->has_value, names_only = o->names_only, seek = o->seek;
  sqlite3_value *key = o->key;
  int by_key = seek && o->by_key && !key;
  memset(s, 0, sizeof *s);
  s->fn = fn;
  s->arg = arg;
  /* Errors in a second series (events) say whose time is wrong. */
  s->what = strcmp(arg, "series") == 0      ? "time"
            : strcmp(arg, "benchmark") == 0 ? "benchmark time"
                                            : "events time";
  s->has_value = has_value;
  if (sqlite3_value_type(text) != SQLITE_TEXT) {
    char *got = fin_describe(text);
    *err = sqlite3_mprintf("%s(): %s must be the text of a SELECT or a table name, got %s", fn, arg,
                           got ? got : "?");
    sqlite3_free(got);
    return SQLITE_ERROR;
  }
  const char *z = (const char *)sqlite3_value_text(text);
  if (!z) return SQLITE_NOMEM; /* the text could not be converted (UTF-16 database) */
  const char *body = skip_space(z);
  char *from = NULL;
  int ncol;
  sqlite3_stmt *st;
  int is_query = starts_with_word(body, "select") || starts_with_word(body, "with") ||
                 starts_with_word(body, "values");
  if (is_query && names_only) {
    *err = sqlite3_mprintf("%s(): %s must be the name of a table or view: this connection loaded "
                           "fin with sqlite3_fin_safe_init, which runs no SQL text",
                           fn, arg);
    return SQLITE_ERROR;
  }
  if (is_query) {
    const char *end;
    int rc = prepare_one(db, fn, arg, body, 0, &st, &end, err);
    if (rc) return rc;
    ncol = sqlite3_column_count(st);
    /* Keep the statement up to its end, less the ';', to nest it in (...). */
    size_t n = (size_t)(end - body);
    while (n && (body[n - 1] == ';' || body[n - 1] == ' ' || body[n - 1] == '\n' ||
                 body[n - 1] == '\t' || body[n - 1] == '\r'))
      n--;
    /* A block comment left open at the end ('SELECT 1, 2' and a comment with no end) is one
    ** SQLite accepts; nested, it would swallow the closing parenthesis. */
    from = sqlite3_mprintf("(\n%.*s%s\n)", (int)n, body, ends_in_comment(body, n) ? " */" : "");
  } else if (*body == 0) {
    *err = sqlite3_mprintf("%s(): %s is empty", fn, arg);
    return SQLITE_ERROR;
  } else if (!fin_src_is_name(body)) {
    *err = sqlite3_mprintf("%s(): %s must be a read-only SELECT (or WITH ... SELECT, VALUES) or "
                           "the name of a table or view, got '%.*s'",
                           fn, arg, fin_utf8_prefix(body, 40), body);
    return SQLITE_ERROR;
  } else {
    /* A name: "table" or "schema.table", each part quoted. */
    const char *dot = strchr(body, '.');
    from = dot ? sqlite3_mprintf("\"%.*w\".\"%w\"", (int)(dot - body), body, dot + 1)
                     : sqlite3_mprintf("\"%w\"", body);
    char *q = from ? sqlite3_mprintf("SELECT * FROM %s", from) : NULL;
    int rc = q ? prepare_one(db, fn, arg, q, 0, &st, NULL, err) : SQLITE_NOMEM;
    sqlite3_free(q);
    if (rc) {
      sqlite3_free(from);
      return rc;
    }
    ncol = sqlite3_column_count(st);
  }
  /* Which column is which: by name, or by position (columns()). */
  fin_src_cols cl;
  int rc0 = from ? columns(s, o, st, ncol, &cl, err) : SQLITE_NOMEM;
  sqlite3_finalize(st);
  if (rc0) {
    sqlite3_free(from);
    return rc0;
  }
  int keyed = cl.k >= 0;
  /* The rows are named by position (k, t, v) in a CTE, so the filters
  ** below never depend on the names the source gives its columns. One key
  ** asked for (WHERE key = ?, IN, a join): the filter goes inside, so
  ** SQLite reads that key through an index on (key, time) instead of every
  ** key; SQLite still checks the key on the table's output with its own
  ** comparison. An unkeyed series has no key (NULL), which equals nothing.
  ** A seek (one event at a time) also bounds the time from below: ?2. */
  int filter = (key || by_key) && keyed; /* by_key: the key is bound key by key */
  int seekable = seek && has_value && (filter || !keyed);
  const char *cols = has_value ? (keyed ? "k,t,v" : "t,v") : (keyed ? "k,t" : "t");
  static const char *const extra_cols[] = {"", ",x1", ",x1,x2", ",x1,x2,x3", ",x1,x2,x3,x4"};
  char *cte = sqlite3_mprintf("WITH \"fin source\"(%s%s) AS (SELECT %s FROM %s) ", cols,
                              extra_cols[cl.nextra], cl.list ? cl.list : "*", from);
  sqlite3_free(from);
  sqlite3_free(cl.list);
  /* k = ?1 reaches the index with the key column's own collation; the
  ** second term keeps only the key that compares equal byte for byte, the
  ** rule by which the tables tell keys apart (COLLATE NOCASE would let
  ** 'IDX' and 'idx' both through). */
  const char *where = filter && seekable ? " WHERE k = ?1 AND k = ?1 COLLATE BINARY AND t >= ?2"
                      : filter           ? " WHERE k = ?1 AND k = ?1 COLLATE BINARY"
                      : seekable         ? " WHERE t >= ?2"
                                         : "";
  char *sql = cte ? sqlite3_mprintf("%sSELECT * FROM \"fin source\"%s ORDER BY %s", cte, where,
                                    keyed ? "k COLLATE BINARY, t" : "t")
                  : NULL;
  /* The rows at or before the event, latest first: the anchor is the
  ** first of them with a value. */
  char *back = cte && seekable
                   ? sqlite3_mprintf("%sSELECT t, v FROM \"fin source\" WHERE %st <= ?2 ORDER BY %s",
                                     cte, filter ? "k = ?1 AND k = ?1 COLLATE BINARY AND " : "",
                                     keyed ? "k COLLATE BINARY DESC, t DESC" : "t DESC")
                   : NULL;
  /* by_key: the first key, and the next key after ?1, in the tables'
  ** order, through the index on the key. */
  char *fk = cte && filter && by_key
                 ? sqlite3_mprintf("%sSELECT k FROM \"fin source\" ORDER BY k COLLATE BINARY LIMIT 1", cte)
                 : NULL;
  char *nk = cte && filter && by_key
                 ? sqlite3_mprintf("%sSELECT k FROM \"fin source\" WHERE k > ?1 COLLATE BINARY "
                                   "ORDER BY k COLLATE BINARY LIMIT 1",
                                   cte)
                 : NULL;
  /* the packed copy and the skeleton read the rows of a key through the same CTE */
  char *pack_cte = has_value && !seekable && cte && ((!is_query && cl.tname[0]) || o->skeleton) ? cte : NULL;
  if (!pack_cte) sqlite3_free(cte);
  if (key && !keyed) s->empty = 1;
  if (!sql || (seekable && !back)) {
    sqlite3_free(pack_cte);
    sqlite3_free(sql);
    sqlite3_free(back);
    return SQLITE_NOMEM;
  }
  int nparams = seekable ? 2 : filter;
  int rc = prepare_one(db, fn, arg, sql, nparams, &s->stmt, NULL, err);
  if (!rc && seekable) rc = prepare_one(db, fn, arg, back, nparams, &s->back, NULL, err);
  if (!rc && filter && by_key) {
    rc = fk && nk ? prepare_one(db, fn, arg, fk, 0, &s->first_key, NULL, err) : SQLITE_NOMEM;
    if (!rc) rc = prepare_one(db, fn, arg, nk, 1, &s->next_key, NULL, err);
  }
  sqlite3_free(fk);
  sqlite3_free(nk);
  if (!rc) rc = audit(s, db, sql, err);
  sqlite3_free(sql);
  sqlite3_free(back);
  s->rd = s->stmt;
  /* A table with a packed copy holding these columns, read whole (not by
  ** seeks, not inside a statement that writes): from the copy. */
  int writing = pack_cte && writer_running(db, s->stmt);
  if (!rc && pack_cte && !writing && !is_query && cl.tname[0] && !cl.nextra)
    rc = fin_pk_attach(s, db, body, cl.k >= 0 ? cl.kname : NULL, cl.tname, cl.vname, key, pack_cte,
                       o->skeleton, err);
  /* no packed copy, and a calendar: its skeleton by seeks, if an index serves */
  if (!rc && pack_cte && !writing && !s->pk && o->skeleton && !cl.nextra)
    rc = fin_sk_attach(s, db, pack_cte, o->skeleton - 1, key, keyed);
  sqlite3_free(pack_cte);
  if (rc) return rc;
  s->skips = s->sk != NULL || (s->pk != NULL && o->skeleton);
  if (filter && key && sqlite3_bind_value(s->stmt, 1, key) != SQLITE_OK) return SQLITE_NOMEM;
  if (filter && key && seekable && sqlite3_bind_value(s->back, 1, key) != SQLITE_OK) return SQLITE_NOMEM;
  s->seekable = seekable;
  s->one_key = filter || !keyed; /* by_key: one key at a time */
  s->asked = key != NULL && keyed;
  s->keyed = keyed;
  s->ti = s->keyed;
  s->vi = s->ti + 1;
  s->ncol = keyed + 1 + has_value + cl.nextra;
  for (int e = 0; e < FIN_SRC_EXTRA; e++) s->extra[e] = cl.extra[e];
  /* Messages name the value by its column when the columns were named. */
  if (cl.vname[0])
    sqlite3_snprintf((int)sizeof s->vcol, s->vcol, "%s%s", strcmp(arg, "benchmark") == 0 ? "benchmark " : "",
                     cl.vname);
  else
    sqlite3_snprintf((int)sizeof s->vcol, s->vcol, "%s", strcmp(arg, "benchmark") == 0 ? "benchmark value" : "value");
  s->vname = s->vcol;
  /* A seek reads its few rows inside one call of the table (fin_src_seek
  ** and the steps after it), so no writing statement can run between them. */
  if (!seekable && writer_running(db, s->stmt)) return materialise(s, err);
  return SQLITE_OK;
}

int fin_src_rewind(fin_source *s) {
  held_clear(s);
  s->ahead_rc = 0;
  s->krows = s->kvals = 0;
  if (s->pk) fin_pk_rewind(s);
  if (s->sk) fin_sk_rewind(s);
  if (s->buf) s->pos = 0;
  else sqlite3_reset(s->stmt);
  s->state = 0;
  s->past = 0;
  s->given = 0;
  fin_k_timeline_reset(&s->tl);
  return SQLITE_OK;
}

void fin_src_close(fin_source *s) {
  fin_pk_close(s);
  fin_sk_close(s);
  buf_free(s);
  held_clear(s);
  sqlite3_free(s->held);
  sqlite3_finalize(s->stmt);
  sqlite3_finalize(s->back);
  sqlite3_finalize(s->first_key);
  sqlite3_finalize(s->next_key);
  fin_tval_free(&s->key);
  fin_tval_free(&s->probed);
  fin_tval_free(&s->tv);
  memset(s, 0, sizeof *s);
}

char *fin_src_where(fin_source *s, int with_time) {
  char *t = s->time ? fin_tval_quote(fin_src_time(s)) : sqlite3_mprintf("?");
  char *k = s->keyed ? fin_tval_describe(&s->key) : NULL;
  char *w = !t || (s->keyed && !k) ? NULL
            : with_time && k       ? sqlite3_mprintf(" at time %s, key %s", t, k)
            : with_time            ? sqlite3_mprintf(" at time %s", t)
            : k                    ? sqlite3_mprintf(", key %s", k)
                                   : sqlite3_mprintf("");
  sqlite3_free(t);
  sqlite3_free(k);
  return w;
}

/* Validates the row the statement stands on. */
int fin_src_read_row(fin_source *s, char **err) {
  sqlite3_value *tv = col(s, s->ti);
  if (fin_tval_set(&s->tv, tv)) {
    *err = NULL; /* out of memory */
    return SQLITE_ERROR;
  }
  s->time = &s->tv;
  char *e = NULL;
  int is_text = 0;
  /* "bad" decides; e is only the message, which may fail to allocate. */
  int rc, with_time = 1;
  const char *z = sqlite3_value_type(tv) == SQLITE_TEXT ? (const char *)sqlite3_value_text(tv) : NULL;
  int n = z ? sqlite3_value_bytes(tv) : 0;
  if (z && fin_k_date_cached(&s->dates, z, n, &s->t)) {
    is_text = 1;
    rc = FIN_READ_OK;
  } else {
    rc = fin_read_time(tv, s->fn, s->what, 0, &s->t, &is_text, &e);
    if (rc == FIN_READ_OK && z) fin_k_date_remember(&s->dates, z, n, s->t);
  }
  int bad = rc != FIN_READ_OK;
  if (rc == FIN_READ_NULL) e = sqlite3_mprintf("%s(): %s must not be NULL", s->fn, s->what);
  if (!bad) {
    fin_time_verdict v = fin_k_timeline_next(&s->tl, s->t, is_text);
    if (v != FIN_TIME_OK) {
      bad = 1;
      with_time = v == FIN_TIME_MIXED;
      e = fin_time_error(s->fn, s->what, v, s->t, is_text);
    }
  }
  if (!bad && s->has_value) {
    rc = fin_read_price(col(s, s->vi), s->fn, s->vname, &s->v, &e);
    s->v_null = rc == FIN_READ_NULL;
    bad = rc == FIN_READ_ERR;
  }
  if (bad) {
    char *w = e ? fin_src_where(s, with_time) : NULL;
    *err = w ? sqlite3_mprintf("%s%s", e, w) : NULL; /* NULL: out of memory */
    sqlite3_free(e);
    sqlite3_free(w);
    return SQLITE_ERROR;
  }
  return SQLITE_OK;
}

/* A statement of the source failed: keep SQLite's code and message. */
static int step_error(fin_source *s, int rc, char **err) {
  s->errcode = rc;
  /* An error of a table nested in the series already names its table. */
  const char *m = sqlite3_errmsg(sqlite3_db_handle(s->stmt));
  *err = strncmp(m, "fin_", 4) == 0 ? sqlite3_mprintf("%s", m)
                                    : sqlite3_mprintf("%s(): %s: %s", s->fn, s->arg, m);
  return FIN_SRC_ERROR;
}

int fin_tval_bind(sqlite3_stmt *st, int i, const fin_tval *t) {
  switch (t->type) {
    case SQLITE_INTEGER: return sqlite3_bind_int64(st, i, t->i);
    case SQLITE_FLOAT: return sqlite3_bind_double(st, i, t->d);
    case SQLITE_TEXT: return sqlite3_bind_text(st, i, t->z, t->n, SQLITE_TRANSIENT);
    case SQLITE_BLOB: return sqlite3_bind_blob(st, i, t->z, t->n, SQLITE_TRANSIENT);
    default: return sqlite3_bind_null(st, i);
  }
}

int fin_src_next_key(fin_source *s, int first, int *found, int *slow, char **err) {
  *found = *slow = 0;
  sqlite3_stmt *st = first ? s->first_key : s->next_key;
  sqlite3_reset(st);
  if (!first && fin_tval_bind(st, 1, &s->probed) != SQLITE_OK) return SQLITE_NOMEM;
  int rc = sqlite3_step(st);
  if (rc == SQLITE_DONE) return SQLITE_OK;
  if (rc != SQLITE_ROW) {
    s->errcode = rc;
    const char *m = sqlite3_errmsg(sqlite3_db_handle(st));
    *err = sqlite3_mprintf("%s(): %s: %s", s->fn, s->arg, m);
    return rc == SQLITE_NOMEM || rc == SQLITE_INTERRUPT ? rc : SQLITE_ERROR;
  }
  /* A whole-table scan or a sort (no index on the key), or a NULL key
  ** (which = never matches): the keys are read in one pass instead. */
  if ((first && (sqlite3_stmt_status(st, SQLITE_STMTSTATUS_FULLSCAN_STEP, 0) > 0 ||
                 sqlite3_stmt_status(st, SQLITE_STMTSTATUS_SORT, 0) > 0)) ||
      sqlite3_column_type(st, 0) == SQLITE_NULL) {
    *slow = 1;
    return SQLITE_OK;
  }
  fin_src_rewind(s); /* the statements take their key while reset */
  sqlite3_reset(s->back);
  if (fin_tval_set(&s->probed, sqlite3_column_value(st, 0)) ||
      fin_tval_bind(s->stmt, 1, &s->probed) != SQLITE_OK || fin_tval_bind(s->back, 1, &s->probed) != SQLITE_OK)
    return SQLITE_NOMEM;
  *found = 1;
  return SQLITE_OK;
}

int fin_src_seek(fin_source *s, const fin_tval *time, int *anchored, int *before, char **err) {
  *anchored = *before = 0;
  fin_src_rewind(s);
  sqlite3_reset(s->back);
  if (fin_tval_bind(s->back, 2, time) != SQLITE_OK) return FIN_SRC_ERROR;
  int rc;
  while ((rc = sqlite3_step(s->back)) == SQLITE_ROW) {
    *before = 1;
    if (sqlite3_column_type(s->back, 1) != SQLITE_NULL) {
      *anchored = 1;
      break;
    }
  }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
    step_error(s, rc, err);
    sqlite3_reset(s->back);
    return FIN_SRC_ERROR;
  }
  /* Read on from the anchor, or, with none, from the event (to learn
  ** whether the key has rows and what kind of times). */
  rc = *anchored ? sqlite3_bind_value(s->stmt, 2, sqlite3_column_value(s->back, 0))
                 : fin_tval_bind(s->stmt, 2, time);
  sqlite3_reset(s->back);
  return rc == SQLITE_OK ? SQLITE_OK : FIN_SRC_ERROR;
}

int fin_src_upto(fin_source *s, sqlite3_value *as_of, char **err) {
  int is_text = 0;
  int rc = fin_read_time(as_of, s->fn, "as_of", 0, &s->upto, &is_text, err);
  if (rc == FIN_READ_NULL) { /* = NULL would match nothing: say so instead */
    *err = sqlite3_mprintf("%s(): as_of must be a date (ISO-8601 text) or a number, got NULL", s->fn);
    return SQLITE_ERROR;
  }
  if (rc != FIN_READ_OK) return SQLITE_ERROR;
  s->has_upto = 1;
  s->upto_kind = is_text ? 2 : 1;
  s->upto_incl = 1;
  if (is_text && sqlite3_value_bytes(as_of) == 10) { /* a date: up to the end of its day */
    s->upto += 1.0;
    s->upto_incl = 0;
  }
  if (s->sk && !fin_sk_fits(s)) fin_sk_close(s); /* nothing read yet: read the rows */
  return SQLITE_OK;
}

int fin_src_beyond(const fin_source *s, double t) {
  return s->has_upto && (s->upto_incl ? t > s->upto : t >= s->upto);
}

static int step(fin_source *s, char **err);

static int step_upto(fin_source *s, char **err);

/* A key asked for (WHERE key = ...) whose rows hold no value at all is an
** error, not an empty answer: a file loaded without adjusted closes, read
** for a total-return question, says so instead of printing nothing. Only
** for a whole read (a seek reads a few rows). */
int fin_src_step_slow(fin_source *s, char **err) {
  int r = step_upto(s, err);
  if (r == FIN_SRC_ROW) {
    s->krows++;
    s->kvals += !s->v_null;
    return r;
  }
  if ((r == FIN_SRC_END_KEY || r == FIN_SRC_EOF) && s->asked && s->has_value && !s->seekable &&
      s->krows > 0 && s->kvals == 0) {
    char *k = fin_tval_describe(&s->key);
    /* a calendar's skeleton skipped rows: counted by a query, or not told */
    int64_t rows = s->sk ? fin_sk_rows(s) : s->skips ? -1 : s->krows;
    char *n = rows < 0 ? sqlite3_mprintf("its rows") : sqlite3_mprintf("its %lld rows", (long long)rows);
    *err = k && n ? sqlite3_mprintf("%s(): key %s has no %s: %s%s hold NULL there", s->fn, k,
                                    strcmp(s->vname, "value") == 0 ? "values" : s->vname, n,
                                    s->has_upto ? " up to as_of" : "")
                  : NULL;
    sqlite3_free(n);
    sqlite3_free(k);
    s->krows = 0;
    return FIN_SRC_ERROR;
  }
  if (r == FIN_SRC_END_KEY) s->krows = s->kvals = 0;
  return r;
}

static int step_upto(fin_source *s, char **err) {
  for (;;) {
    int r = step(s, err);
    if (r != FIN_SRC_ROW || !s->has_upto) return r;
    if (s->tl.kind != s->upto_kind) {
      *err = sqlite3_mprintf("%s(): as_of is %s but the %s values are %s", s->fn,
                             s->upto_kind == 2 ? "ISO-8601 text" : "a number", s->what,
                             s->tl.kind == 2 ? "ISO-8601 text" : "numbers");
      return FIN_SRC_ERROR;
    }
    if (!fin_src_beyond(s, s->t)) {
      s->given = 1;
      return r;
    }
    /* Past as_of: the key ends here. One key in the read: so does the
    ** read, and the rows after are never fetched. */
    s->time = NULL;
    if (s->one_key) {
      s->state = 3;
      return s->given ? FIN_SRC_END_KEY : FIN_SRC_EOF;
    }
    s->past = 1;
    if (s->given) return FIN_SRC_END_KEY; /* step() skips the key's other rows */
  }
}

/* A new key starts at the current row: its own timeline, nothing handed
** out yet, not past as_of. */
static int begin_key(fin_source *s) {
  fin_k_timeline_reset(&s->tl);
  s->past = 0;
  s->given = 0;
  return fin_tval_set(&s->key, col(s, 0));
}

static int step(fin_source *s, char **err) {
  if (s->state == 3) return FIN_SRC_EOF;
  if (s->pk) return fin_pk_step(s, err);
  if (s->sk) return fin_sk_step(s, err);
  if (s->state == 2) { /* the first row of the next key was held back */
    s->state = 1;
    if (begin_key(s)) return FIN_SRC_ERROR;
    return fin_src_read_row(s, err) ? FIN_SRC_ERROR : FIN_SRC_ROW;
  }
  for (;;) {
    int rc = next_row(s);
    if (rc == SQLITE_DONE) {
      /* A key that went past as_of has had its end already. */
      int was_in_key = s->state == 1 && !s->past;
      s->state = 3;
      s->time = NULL;
      return was_in_key ? FIN_SRC_END_KEY : FIN_SRC_EOF;
    }
    if (rc == HOLD_NOMEM) {
      s->errcode = SQLITE_NOMEM;
      *err = NULL;
      return FIN_SRC_ERROR;
    }
    if (rc != SQLITE_ROW) return step_error(s, rc, err);
    if (s->keyed && (s->state == 0 || !fin_tval_same(&s->key, col(s, 0)))) {
      if (s->state == 1 && !s->past) { /* hand the old key's end out first */
        s->state = 2;
        s->time = NULL;
        return FIN_SRC_END_KEY;
      }
      if (begin_key(s)) return FIN_SRC_ERROR;
    } else if (s->past) {
      continue; /* a row after as_of, of the key that went past it */
    }
    s->state = 1;
    return fin_src_read_row(s, err) ? FIN_SRC_ERROR : FIN_SRC_ROW;
  }
}

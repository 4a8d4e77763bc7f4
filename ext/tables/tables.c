/*
** tables.c - the one virtual-table module behind every table-valued
** function (series.c is the template). Each table is a fin_tvf: a schema
** whose trailing HIDDEN columns are the arguments, and an engine with
** start / next / stop. This file does the SQLite side once:
**
**   xBestIndex  Only EQ constraints on hidden columns are arguments. The
**               plan's idxNum is a bitmask: bit i set = argument i given;
**               argvIndex runs 1, 2, ... in argument order, omit = 1.
**               An EQ constraint on the key column (key = ?, one value of
**               key IN (...), a key from a join) follows the arguments
**               (FIN_PLAN_KEY) with omit = 0: the series is read for that
**               key only, and SQLite checks the key again on the output.
**               A table with a seek column (fin_forward_returns' event_time)
**               gets that column's EQ value too (FIN_PLAN_SEEK, omit = 0):
**               with the key, one indexed lookup serves it.
**               A table with a benchmark (fin_relative) gets the EQ value
**               of its benchmark_key column (FIN_PLAN_BKEY, omit = 0): the
**               benchmark is read for that key only.
**               as_of, the hidden column after the arguments, is not an
**               argument of any engine but of the frame: its EQ value
**               (FIN_PLAN_ASOF, omit = 1) ends the series there
**               (fin_src_upto), for every table alike.
**               Any argument present but not usable yet (its value comes
**               from a table later in the join) -> SQLITE_CONSTRAINT, so
**               the planner tries another join order. The first argument
**               (series) is required: missing -> a prohibitive cost, and
**               xFilter raises the error if such a plan is ever run.
**               The output columns the statement reads (colUsed) ride in
**               idxNum's bits from FIN_PLAN_COLS up (a table of more
**               columns than fit says FIN_PLAN_ALL); c->cols hands them to
**               the engine, which may leave the others uncomputed.
**   xFilter     stops the previous run, copies the arguments (xColumn
**               returns them for the hidden columns), starts the engine.
**   xColumn     returns the engine's current cells.
**
** The tables run SQL text they are given, so xConnect marks them
** SQLITE_VTAB_DIRECTONLY: usable in top-level queries, never from a view,
** trigger or schema object that an attacker could plant (security.html;
** csv.c takes the same stance for files).
*/
#include <math.h>
#include <string.h>
#include "tables.h"

#define FIN_PLAN_KEY 0x100  /* idxNum: an argv value after the arguments is the key asked for */
#define FIN_PLAN_SEEK 0x200 /* idxNum: an argv value after the key is the seek column's */
#define FIN_PLAN_ASOF 0x400 /* idxNum: the last argv value is as_of */
#define FIN_PLAN_BKEY 0x800 /* idxNum: an argv value after the seek is the benchmark key */
#define FIN_PLAN_VCOL 0x1000 /* idxNum: an argv value after as_of is value_column */
#define FIN_PLAN_ALL 0x2000 /* idxNum: the query may read every output column */
#define FIN_PLAN_COLS 14    /* idxNum >> 14: the output columns the query reads... */
#define FIN_PLAN_NCOLS 17   /* ...when the table has at most 17 (bits 14 to 30) */

/* as_of and value_column, the hidden columns every table has, follow the
** arguments (the frame adds value_column to each schema). */
static int as_of_col(const fin_tvf *def) { return def->ncol + def->nargs; }
static int vcol_col(const fin_tvf *def) { return def->ncol + def->nargs + 1; }

typedef struct fin_vtab {
  sqlite3_vtab base;
  const fin_tvf *def;
  fin_conn *conn;
  sqlite3 *db;
} fin_vtab;

static int tvf_connect(sqlite3 *db, void *pAux, int argc, const char *const *argv,
                       sqlite3_vtab **ppVtab, char **pzErr) {
  (void)argc;
  (void)argv;
  const fin_module_aux *aux = pAux;
  const fin_tvf *def = aux->def;
  /* every schema ends "as_of HIDDEN)": value_column follows it */
  char *schema = sqlite3_mprintf("%.*s, value_column HIDDEN)", (int)strlen(def->schema) - 1, def->schema);
  if (!schema) return SQLITE_NOMEM;
  int rc = sqlite3_declare_vtab(db, schema);
  sqlite3_free(schema);
  if (rc != SQLITE_OK) {
    *pzErr = sqlite3_mprintf("%s: %s", def->name, sqlite3_errmsg(db));
    return rc;
  }
  fin_vtab *v = sqlite3_malloc(sizeof *v);
  if (!v) return SQLITE_NOMEM;
  memset(v, 0, sizeof *v);
  v->def = def;
  v->conn = aux->conn;
  v->db = db;
  sqlite3_vtab_config(db, SQLITE_VTAB_DIRECTONLY);
  *ppVtab = &v->base;
  return SQLITE_OK;
}

static int tvf_disconnect(sqlite3_vtab *p) {
  sqlite3_free(p);
  return SQLITE_OK;
}

/* The operator of a constraint, as SQL writes it, for messages. */
static const char *op_name(int op) {
  switch (op) {
    case SQLITE_INDEX_CONSTRAINT_GT: return ">";
    case SQLITE_INDEX_CONSTRAINT_LE: return "<=";
    case SQLITE_INDEX_CONSTRAINT_LT: return "<";
    case SQLITE_INDEX_CONSTRAINT_GE: return ">=";
    case SQLITE_INDEX_CONSTRAINT_MATCH: return "MATCH";
    case SQLITE_INDEX_CONSTRAINT_LIKE: return "LIKE";
    case SQLITE_INDEX_CONSTRAINT_GLOB: return "GLOB";
    case SQLITE_INDEX_CONSTRAINT_REGEXP: return "REGEXP";
    case SQLITE_INDEX_CONSTRAINT_NE: return "<> (or !=)";
    case SQLITE_INDEX_CONSTRAINT_ISNOT: return "IS NOT";
    case SQLITE_INDEX_CONSTRAINT_ISNOTNULL: return "IS NOT NULL";
    case SQLITE_INDEX_CONSTRAINT_ISNULL: return "IS NULL";
    case SQLITE_INDEX_CONSTRAINT_IS: return "IS";
    default: return "a comparison other than =";
  }
}

/* The name of hidden column i (an argument or as_of), from the schema. */
static void hidden_name(const fin_tvf *def, int col, char *buf, int n) {
  if (col == def->ncol + def->nargs + 1) { /* added by the frame */
    sqlite3_snprintf(n, buf, "value_column");
    return;
  }
  /* the schema lists "name" or "name HIDDEN" by column, comma-separated */
  const char *z = strchr(def->schema, '(') + 1;
  for (int i = 0; i < col && z; i++) z = strchr(z, ',') ? strchr(z, ',') + 1 : NULL;
  while (z && *z == ' ') z++;
  int k = 0;
  while (z && z[k] && z[k] != ' ' && z[k] != ',' && z[k] != ')') k++;
  sqlite3_snprintf(n, buf, "%.*s", k, z ? z : "?");
}

static int tvf_best_index(sqlite3_vtab *p, sqlite3_index_info *info) {
  const fin_tvf *def = ((fin_vtab *)p)->def;
  int given[FIN_MAX_ARGS]; /* constraint index of each argument */
  for (int i = 0; i < FIN_MAX_ARGS; i++) given[i] = -1;
  int unusable = 0, key = -1, seek = -1, seek_later = 0, as_of = -1, bkey = -1, vcol = -1;
  for (int i = 0; i < info->nConstraint; i++) {
    const struct sqlite3_index_constraint *c = &info->aConstraint[i];
    /* An argument (or as_of) reaches the table only through =: any other
    ** comparison would be checked against the argument's own value, which
    ** matches nothing, and the query would answer with no rows. Refuse it. */
    if (c->iColumn >= def->ncol && c->op != SQLITE_INDEX_CONSTRAINT_EQ) {
      char name[32];
      hidden_name(def, c->iColumn, name, sizeof name);
      sqlite3_free(p->zErrMsg);
      p->zErrMsg = sqlite3_mprintf("%s(): %s is an argument of the table: give it with = (%s = "
                                   "...), not %s%s",
                                   def->name, name, name, op_name(c->op),
                                   strcmp(name, "as_of") == 0
                                       ? "; for the series as it stood at several dates, join a "
                                         "list of dates on as_of = x.date"
                                       : "");
      return SQLITE_ERROR;
    }
    /* key = value (an IN list arrives as one such value per run) */
    int eq = c->op == SQLITE_INDEX_CONSTRAINT_EQ && c->usable;
    if (eq && c->iColumn == 0 && key < 0) key = i;
    if (eq && def->seek_col && c->iColumn == def->seek_col && seek < 0) seek = i;
    /* benchmark_key picks the benchmark's series, as an argument does: a
    ** plan without its value (it comes later in the join) cannot run. */
    if (def->bkey_col && c->iColumn == def->bkey_col && c->op == SQLITE_INDEX_CONSTRAINT_EQ) {
      if (!c->usable) return SQLITE_CONSTRAINT;
      if (bkey < 0) bkey = i;
    }
    if (!c->usable && c->op == SQLITE_INDEX_CONSTRAINT_EQ && def->seek_col &&
        c->iColumn == def->seek_col)
      seek_later = 1;
    /* as_of changes the answer, as an argument does: a plan without its
    ** value (it comes later in the join) cannot run. */
    if (c->iColumn == as_of_col(def) && c->op == SQLITE_INDEX_CONSTRAINT_EQ) {
      if (!c->usable) return SQLITE_CONSTRAINT;
      if (as_of < 0) as_of = i;
    }
    if (c->iColumn == vcol_col(def) && c->op == SQLITE_INDEX_CONSTRAINT_EQ) {
      if (!c->usable) return SQLITE_CONSTRAINT;
      if (vcol < 0) vcol = i;
    }
    int arg = c->iColumn - def->ncol;
    if (arg < 0 || arg >= def->nargs || c->op != SQLITE_INDEX_CONSTRAINT_EQ) continue;
    if (!c->usable) unusable |= 1 << arg;
    else given[arg] = i;
  }
  /* An argument whose value comes from a table not yet in the loop: this
  ** plan cannot run; SQLite tries another join order. Every argument, not
  ** only the series, or a plan would run without it and drop it. */
  for (int arg = 0; arg < def->nargs; arg++)
    if (given[arg] < 0 && (unusable & (1 << arg))) return SQLITE_CONSTRAINT;
  /* The seek column's value is an event, not a filter, unless the events
  ** argument is given and not NULL, which only xFilter can tell: a plan
  ** that would read without the value (it comes later in the join) could
  ** answer another question, so it is never taken. */
  if (seek < 0 && seek_later) return SQLITE_CONSTRAINT;
  int mask = 0, next = 1;
  for (int arg = 0; arg < def->nargs; arg++) {
    if (given[arg] < 0) continue;
    mask |= 1 << arg;
    info->aConstraintUsage[given[arg]].argvIndex = next++;
    info->aConstraintUsage[given[arg]].omit = 1;
  }
  if (key >= 0) {
    /* Not omitted: SQLite checks the key again on the output, with its
    ** own comparison, so the answer is the one a plain filter gives. */
    info->aConstraintUsage[key].argvIndex = next++;
    mask |= FIN_PLAN_KEY;
  }
  if (seek >= 0) { /* not omitted either: the engine may not use it */
    info->aConstraintUsage[seek].argvIndex = next++;
    mask |= FIN_PLAN_SEEK;
  }
  if (bkey >= 0) { /* not omitted: SQLite checks it on the output, as the key */
    info->aConstraintUsage[bkey].argvIndex = next++;
    mask |= FIN_PLAN_BKEY;
  }
  if (as_of >= 0) { /* omitted: xColumn returns the value asked for */
    info->aConstraintUsage[as_of].argvIndex = next++;
    info->aConstraintUsage[as_of].omit = 1;
    mask |= FIN_PLAN_ASOF;
  }
  if (vcol >= 0) { /* omitted too */
    info->aConstraintUsage[vcol].argvIndex = next++;
    info->aConstraintUsage[vcol].omit = 1;
    mask |= FIN_PLAN_VCOL;
  }
  /* The output columns the statement reads (colUsed: bit i for column i,
  ** bit 63 for any beyond): an engine may skip computing the others. */
  if (def->ncol <= FIN_PLAN_NCOLS) {
    unsigned all = (1u << def->ncol) - 1;
    unsigned cols = info->colUsed >> 63 ? all : (unsigned)(info->colUsed & all);
    info->idxNum = mask | (int)(cols << FIN_PLAN_COLS);
  } else { /* a wide table (fin_summary): every column, always */
    info->idxNum = mask | FIN_PLAN_ALL;
  }
  /* Without the series the plan is useless: price it out. The planner may
  ** still probe such plans (for OR terms, say), so the error for a truly
  ** missing series is raised in xFilter, not here. */
  int both = (mask & FIN_PLAN_KEY) && (mask & FIN_PLAN_SEEK); /* an indexed lookup */
  info->estimatedCost = !(mask & 1) ? 1e300 : both ? 10.0 : (mask & FIN_PLAN_KEY) ? 100.0 : 1000.0;
  info->estimatedRows = !(mask & 1) ? 2147483647 : both ? 10 : (mask & FIN_PLAN_KEY) ? 100 : 1000;
  return SQLITE_OK;
}

static int tvf_open(sqlite3_vtab *p, sqlite3_vtab_cursor **pp) {
  fin_vtab *v = (fin_vtab *)p;
  fin_cursor *c = sqlite3_malloc64(v->def->cursor_size);
  if (!c) return SQLITE_NOMEM;
  memset(c, 0, v->def->cursor_size);
  c->def = v->def;
  c->conn = v->conn;
  c->db = v->db;
  c->eof = 1;
  *pp = &c->base;
  return SQLITE_OK;
}

static void clear_args(fin_cursor *c) {
  for (int i = 0; i < FIN_MAX_ARGS; i++) {
    sqlite3_value_free(c->args[i]);
    c->args[i] = NULL;
  }
  sqlite3_value_free(c->key);
  sqlite3_value_free(c->seek);
  sqlite3_value_free(c->as_of);
  sqlite3_value_free(c->bkey);
  sqlite3_value_free(c->vcol);
  c->key = c->seek = c->as_of = c->bkey = c->vcol = NULL;
}

static int tvf_close(sqlite3_vtab_cursor *cur) {
  fin_cursor *c = (fin_cursor *)cur;
  c->def->stop(c);
  clear_args(c);
  sqlite3_free(c);
  return SQLITE_OK;
}

/* Moves an engine error into the vtab; NULL means out of memory. */
static int fail(fin_cursor *c, int rc, char *err) {
  c->eof = 1;
  if (!err) return rc == SQLITE_OK || rc == SQLITE_ERROR ? SQLITE_NOMEM : rc;
  sqlite3_free(c->base.pVtab->zErrMsg);
  c->base.pVtab->zErrMsg = err;
  return rc == SQLITE_OK ? SQLITE_ERROR : rc;
}

/* Every call that may step an inner statement goes through here: a series
** text can name a table whose series text names a table..., even itself,
** and each level costs C stack. The depth is counted per connection. */
static int enter(fin_cursor *c) {
  if (c->conn->depth < FIN_MAX_DEPTH) {
    c->conn->depth++;
    return SQLITE_OK;
  }
  return fail(c, SQLITE_ERROR,
              sqlite3_mprintf("%s(): tables are nested more than %d deep (does a series read "
                              "the table that reads it?)",
                              c->def->name, FIN_MAX_DEPTH));
}

/* The next row (inlined in xNext, the path of every row). */
#if defined(__GNUC__)
__attribute__((always_inline))
#endif
static inline int next_row(fin_cursor *c) {
  char *err = NULL;
  /* only the cells the statement reads: SQLite asks for no others */
  for (unsigned m = c->cols; m; m &= m - 1) c->cell[fin_lowest_bit(m)].type = CELL_NULL;
  int rc = c->def->next(c, &err);
  if (rc != SQLITE_OK) return fail(c, rc, err);
  c->rowid++;
  return SQLITE_OK;
}

static int tvf_next(sqlite3_vtab_cursor *cur) {
  fin_cursor *c = (fin_cursor *)cur;
  int rc = enter(c);
  if (rc) return rc;
  rc = next_row(c);
  c->conn->depth--;
  return rc;
}

static int filter(fin_cursor *c, int idxNum, int argc, sqlite3_value **argv) {
  c->def->stop(c);
  clear_args(c);
  c->eof = 0;
  c->rowid = 0;
  c->cols = (idxNum & FIN_PLAN_ALL) ? (unsigned)((1ull << c->def->ncol) - 1) : (unsigned)idxNum >> FIN_PLAN_COLS;
  int k = 0;
  for (int arg = 0; arg < c->def->nargs && k < argc; arg++) {
    if (!(idxNum & (1 << arg))) continue;
    c->args[arg] = sqlite3_value_dup(argv[k++]);
    if (!c->args[arg]) return fail(c, SQLITE_NOMEM, NULL);
  }
  if ((idxNum & FIN_PLAN_KEY) && k < argc && !(c->key = sqlite3_value_dup(argv[k++])))
    return fail(c, SQLITE_NOMEM, NULL);
  if ((idxNum & FIN_PLAN_SEEK) && k < argc && !(c->seek = sqlite3_value_dup(argv[k++])))
    return fail(c, SQLITE_NOMEM, NULL);
  if ((idxNum & FIN_PLAN_BKEY) && k < argc && !(c->bkey = sqlite3_value_dup(argv[k++])))
    return fail(c, SQLITE_NOMEM, NULL);
  if ((idxNum & FIN_PLAN_ASOF) && k < argc && !(c->as_of = sqlite3_value_dup(argv[k++])))
    return fail(c, SQLITE_NOMEM, NULL);
  if ((idxNum & FIN_PLAN_VCOL) && k < argc && !(c->vcol = sqlite3_value_dup(argv[k++])))
    return fail(c, SQLITE_NOMEM, NULL);
  char *err = NULL;
  if (c->vcol && sqlite3_value_type(c->vcol) != SQLITE_TEXT)
    return fail(c, SQLITE_ERROR, fin_must_be(c->def->name, "value_column", "the name of a column, such as 'high'", c->vcol));
  if (!c->args[0])
    return fail(c, SQLITE_ERROR,
                sqlite3_mprintf("%s(): the first argument, series, is required", c->def->name));
  /* benchmark_key picks a series of the benchmark: without one it would
  ** quietly match nothing */
  sqlite3_value *bench = c->def->bkey_col ? c->args[c->def->bench_arg] : NULL;
  if (c->bkey && (!bench || sqlite3_value_type(bench) == SQLITE_NULL)) {
    char *got = fin_describe(c->bkey);
    err = sqlite3_mprintf("%s(): benchmark_key = %s needs a benchmark (the benchmark argument)",
                          c->def->name, got ? got : "?");
    sqlite3_free(got);
    return fail(c, SQLITE_ERROR, err);
  }
  int rc = c->def->start(c, c->args, &err);
  if (rc != SQLITE_OK) return fail(c, rc, err);
  return next_row(c);
}

static int tvf_filter(sqlite3_vtab_cursor *cur, int idxNum, const char *idxStr, int argc,
                      sqlite3_value **argv) {
  (void)idxStr;
  fin_cursor *c = (fin_cursor *)cur;
  int rc = enter(c);
  if (rc) return rc;
  rc = filter(c, idxNum, argc, argv);
  c->conn->depth--;
  return rc;
}

static int tvf_eof(sqlite3_vtab_cursor *cur) { return ((fin_cursor *)cur)->eof; }

static int tvf_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int i) {
  fin_cursor *c = (fin_cursor *)cur;
  if (i >= c->def->ncol) {
    sqlite3_value *v = i == as_of_col(c->def)  ? c->as_of
                       : i == vcol_col(c->def) ? c->vcol
                                               : c->args[i - c->def->ncol];
    if (v) sqlite3_result_value(ctx, v);
    return SQLITE_OK;
  }
  const fin_cell *x = &c->cell[i];
  if (x->type == CELL_REAL && isfinite(x->d)) { /* most cells: a number */
    sqlite3_result_double(ctx, x->d);
    return SQLITE_OK;
  }
  switch (x->type) {
    case CELL_INT: sqlite3_result_int64(ctx, x->i); break;
    case CELL_REAL:
      if (isfinite(x->d)) {
        sqlite3_result_double(ctx, x->d);
      } else { /* finite inputs whose ratio overflows (1e308 over 1e-308) */
        char *m = sqlite3_mprintf("%s(): a result is too large to represent (%s)", c->def->name,
                                  x->d > 0 ? "+Inf" : "-Inf");
        if (!m) return SQLITE_NOMEM;
        sqlite3_result_error(ctx, m, -1);
        sqlite3_free(m);
      }
      break;
    case CELL_TEXT: sqlite3_result_text(ctx, x->z, -1, SQLITE_TRANSIENT); break;
    case CELL_TVAL: fin_tval_result(ctx, x->tv); break;
    case CELL_VALUE: sqlite3_result_value(ctx, x->v); break;
    default: break;
  }
  return SQLITE_OK;
}

static int tvf_rowid(sqlite3_vtab_cursor *cur, sqlite_int64 *pRowid) {
  *pRowid = ((fin_cursor *)cur)->rowid;
  return SQLITE_OK;
}

/* Eponymous only (xCreate = 0): used as fin_x(...), never CREATE VIRTUAL
** TABLE. Designated initializers keep it building against older headers. */
const sqlite3_module fin_tvf_module = {
    .iVersion = 0,
    .xConnect = tvf_connect,
    .xBestIndex = tvf_best_index,
    .xDisconnect = tvf_disconnect,
    .xOpen = tvf_open,
    .xClose = tvf_close,
    .xFilter = tvf_filter,
    .xNext = tvf_next,
    .xEof = tvf_eof,
    .xColumn = tvf_column,
    .xRowid = tvf_rowid,
};

int fin_cursor_source(fin_cursor *c, fin_source *s, const char *arg, sqlite3_value *text,
                      int has_value, int seek, char **err) {
  return fin_cursor_source_x(c, s, arg, text, has_value, seek, NULL, err);
}

int fin_cursor_source_x(fin_cursor *c, fin_source *s, const char *arg, sqlite3_value *text,
                        int has_value, int seek, const char *const *extra, char **err) {
  /* The key asked for narrows the series, never the events (events of
  ** other keys are skipped by the engine anyway). */
  sqlite3_value *key = strcmp(arg, "series") == 0 ? c->key : NULL;
  fin_src_opts o = {.db = c->db, .fn = c->def->name, .arg = arg, .has_value = has_value,
                    .names_only = c->conn->names_only, .key = key, .seek = seek != 0,
                    .by_key = seek == FIN_SEEK_BY_KEY, .value_column = has_value ? fin_cursor_vcol(c) : NULL,
                    .skeleton = strcmp(arg, "series") == 0 ? c->skeleton : 0, .extra = extra};
  int rc = fin_src_open(s, &o, text, err);
  /* as_of bounds the events too: an event after it has not happened yet. */
  if (rc == SQLITE_OK && c->as_of) rc = fin_src_upto(s, c->as_of, err);
  return rc;
}

int fin_cursor_period(fin_cursor *c, sqlite3_value *arg, fin_period *period, char **err) {
  if (!arg) {
    *err = sqlite3_mprintf("%s(): period must be " FIN_PERIOD_RULE ", got nothing", c->def->name);
    return SQLITE_ERROR;
  }
  int r = fin_read_period(arg, c->def->name, "period", period, err);
  if (r == FIN_READ_OK) return SQLITE_OK;
  if (r == FIN_READ_NULL) *err = fin_must_be(c->def->name, "period", FIN_PERIOD_RULE, arg);
  return *err ? SQLITE_ERROR : SQLITE_NOMEM;
}

int fin_src_need_date(const fin_cursor *c, fin_source *s, char **err) {
  if (s->tl.kind == 2 || (s->t >= FIN_JD_MIN && s->t < FIN_JD_END)) return SQLITE_OK;
  char *t = fin_tval_quote(fin_src_time(s));
  *err = sqlite3_mprintf("%s(): time must be ISO-8601 text or a Julian day number (0001-01-01 "
                         "to 9999-12-31), got %s",
                         c->def->name, t ? t : "?");
  sqlite3_free(t);
  return SQLITE_ERROR;
}

/* ------------------------------------------------------------ cells */
void fin_cell_days(fin_cursor *c, int i, int text, double from, double to) {
  if (!text) {
    fin_cell_null(c, i);
    return;
  }
  double d = to - from;
  if (d == (double)(sqlite3_int64)d) fin_cell_int(c, i, (sqlite3_int64)d);
  else fin_cell_real(c, i, d);
}

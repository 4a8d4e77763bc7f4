/*
** packed.c - the packed copy of a price table: fin_pack(table) writes it,
** fin_unpack(table) removes it, and the series reader (source.c) reads it
** instead of the rows when a table is given the table by name.
**
**   SELECT fin_pack('prices' [, 'close, adj_close'])   -- on, or rebuilt
**   SELECT fin_unpack('prices')                         -- off, every trace gone
**
** WHAT IS KEPT. For each key, its times and the values of each packed
** column (every column but the key and the time, or those listed), in
** chunks of FIN_PACK_CHUNK sessions, one BLOB a column a chunk, in shadow
** tables of the table's own database:
**   fin_packs                  one row a packed table: its key and time
**                              columns by name, and the columns packed
**   "fin_pack_<table>_keys"    per key: its rows, its last time (until),
**                              and the columns whose values are not all
**                              prices (bad: read those from the rows)
**   "fin_pack_<table>_chunks"  (col, key, chunk) -> data BLOB; col 0 is
**                              the time, col i the i-th packed column
**   "fin_pack_<table>_dirty"   the keys written since
** A time chunk is a kind byte (1: dates YYYY-MM-DD as 32-bit day numbers,
** 2: 64-bit integers, 3: doubles), a 32-bit count and the times; a value
** chunk a flag byte (bit 1: some NULLs, then a bitmap of them), the count
** and the doubles. All little-endian, so a database copied to another
** machine still reads. A key is packed only when it reads cleanly (times
** of one kind, strictly increasing, no time of day); otherwise it is
** dirty from the start and read from the rows, which give its errors.
**
** THE TABLE STAYS THE TRUTH. fin_pack installs three triggers in plain
** SQL on the table: after an UPDATE or DELETE, and after an INSERT that is
** not an append (a time past the key's packed end), they record the key in
** the dirty table, in the writer's own transaction, so any client of the
** database (without this extension, in another process, on a WAL
** database) keeps the mark, and a rolled-back write rolls it back too. A
** reader then reads a dirty key from its rows, and a clean key from its
** chunks followed by its rows after until (the appends, through the index
** on (key, time)). The copy is trusted only while the three triggers are
** there with exactly the text fin_pack wrote and the key and time columns
** are the ones it packed; otherwise every read is from the rows. One way
** round the triggers is left, and the README says so: a connection that
** switches triggers off (SQLITE_DBCONFIG_ENABLE_TRIGGER) and then writes.
** fin_pack runs in one transaction (a savepoint): a process killed while
** it rebuilds leaves the old copy or none, never half of one.
**
** fin_pack and fin_unpack read and write tables, so they are DIRECTONLY.
*/
#include <math.h>
#include <string.h>
#include "tables.h"

#define FIN_PACK_CHUNK 4096 /* sessions a chunk */
/* the kinds of times a chunk holds: FIN_CHUNK_DATE, _INT, _REAL (source.h) */
#define KIND_DATE FIN_CHUNK_DATE
#define KIND_INT FIN_CHUNK_INT
#define KIND_REAL FIN_CHUNK_REAL

/* ------------------------------------------------------------ encoding */
/* Little-endian on disk whatever the host (fin_le_u32 and its kin read it,
** source.h). */
static void put_u32(unsigned char *p, uint32_t x) {
  for (int i = 0; i < 4; i++) p[i] = (unsigned char)(x >> (8 * i));
}
static void put_u64(unsigned char *p, uint64_t x) {
  for (int i = 0; i < 8; i++) p[i] = (unsigned char)(x >> (8 * i));
}
static void put_f64(unsigned char *p, double d) {
  uint64_t x;
  memcpy(&x, &d, 8);
  put_u64(p, x);
}
#define JD_UNIX_EPOCH FIN_JD_UNIX_EPOCH

/* ------------------------------------------------------------ names */
/* The names a packed table's objects take, from its schema and name. */
typedef struct pack_names {
  char *schema;   /* "main" when none was given */
  char *table;
  char *keys, *chunks, *dirty; /* fin_pack_<table>_... */
  char *trig[3];               /* its triggers: ins, upd, del */
} pack_names;

static void names_free(pack_names *n) {
  sqlite3_free(n->schema);
  sqlite3_free(n->table);
  sqlite3_free(n->keys);
  sqlite3_free(n->chunks);
  sqlite3_free(n->dirty);
  for (int i = 0; i < 3; i++) sqlite3_free(n->trig[i]);
  memset(n, 0, sizeof *n);
}

/* From "table" or "schema.table": SQLITE_OK, SQLITE_NOMEM. */
static int names_of(const char *z, pack_names *n) {
  memset(n, 0, sizeof *n);
  const char *dot = strchr(z, '.');
  n->schema = dot ? sqlite3_mprintf("%.*s", (int)(dot - z), z) : sqlite3_mprintf("main");
  n->table = sqlite3_mprintf("%s", dot ? dot + 1 : z);
  if (n->table) {
    n->keys = sqlite3_mprintf("fin_pack_%s_keys", n->table);
    n->chunks = sqlite3_mprintf("fin_pack_%s_chunks", n->table);
    n->dirty = sqlite3_mprintf("fin_pack_%s_dirty", n->table);
    n->trig[0] = sqlite3_mprintf("fin_pack_%s_ins", n->table);
    n->trig[1] = sqlite3_mprintf("fin_pack_%s_upd", n->table);
    n->trig[2] = sqlite3_mprintf("fin_pack_%s_del", n->table);
  }
  int ok = n->schema && n->table && n->keys && n->chunks && n->dirty && n->trig[0] && n->trig[1] &&
           n->trig[2];
  if (!ok) names_free(n);
  return ok ? SQLITE_OK : SQLITE_NOMEM;
}

/* The key expression of the triggers: the key column, or 0 for a table
** without keys (one series, kept under the key 0). */
static char *key_expr(const char *row, const char *key_col) {
  return key_col ? sqlite3_mprintf("%s.\"%w\"", row, key_col) : sqlite3_mprintf("0");
}

/* The SQL of trigger i, exactly: written by fin_pack, compared by readers. */
static char *trigger_sql(const pack_names *n, int i, const char *key_col, const char *time_col) {
  char *nk = key_expr("NEW", key_col), *ok = key_expr("OLD", key_col);
  char *sql = NULL;
  if (nk && ok) {
    if (i == 0)
      sql = sqlite3_mprintf("CREATE TRIGGER \"%w\".\"%w\" AFTER INSERT ON \"%w\" WHEN NOT EXISTS (SELECT 1 "
                            "FROM \"%w\" WHERE key IS %s AND NEW.\"%w\" > until) BEGIN INSERT OR IGNORE "
                            "INTO \"%w\"(key) VALUES (%s); END",
                            n->schema, n->trig[0], n->table, n->keys, nk, time_col, n->dirty, nk);
    else if (i == 1)
      sql = sqlite3_mprintf("CREATE TRIGGER \"%w\".\"%w\" AFTER UPDATE ON \"%w\" BEGIN INSERT OR IGNORE "
                            "INTO \"%w\"(key) VALUES (%s); INSERT OR IGNORE INTO \"%w\"(key) VALUES (%s); END",
                            n->schema, n->trig[1], n->table, n->dirty, ok, n->dirty, nk);
    else
      sql = sqlite3_mprintf("CREATE TRIGGER \"%w\".\"%w\" AFTER DELETE ON \"%w\" BEGIN INSERT OR IGNORE "
                            "INTO \"%w\"(key) VALUES (%s); END",
                            n->schema, n->trig[2], n->table, n->dirty, ok);
  }
  sqlite3_free(nk);
  sqlite3_free(ok);
  return sql;
}

/* ------------------------------------------------------------ helpers */
static int exec(sqlite3 *db, char *sql) { /* frees sql; SQLITE_NOMEM when it is NULL */
  if (!sql) return SQLITE_NOMEM;
  int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
  sqlite3_free(sql);
  return rc;
}

static int prep(sqlite3 *db, char *sql, sqlite3_stmt **st) { /* frees sql */
  *st = NULL;
  if (!sql) return SQLITE_NOMEM;
  int rc = sqlite3_prepare_v2(db, sql, -1, st, NULL);
  sqlite3_free(sql);
  return rc;
}

/* The registry row of a packed table: its key and time columns and the
** packed columns (comma-separated), or 0 when there is none. */
typedef struct pack_entry {
  char *key_col, *time_col, *cols;
} pack_entry;

static void entry_free(pack_entry *e) {
  sqlite3_free(e->key_col);
  sqlite3_free(e->time_col);
  sqlite3_free(e->cols);
  memset(e, 0, sizeof *e);
}

static char *dup_text(sqlite3_stmt *st, int i) {
  const char *z = (const char *)sqlite3_column_text(st, i);
  return z ? sqlite3_mprintf("%s", z) : NULL;
}

/* 1 with *e filled, 0 when the table is not in the registry (or has no
** registry), or an error code < 0 (-SQLITE_NOMEM...). */
static int entry_of(sqlite3 *db, const pack_names *n, pack_entry *e) {
  sqlite3_stmt *st;
  memset(e, 0, sizeof *e);
  int rc = prep(db, sqlite3_mprintf("SELECT key_col, time_col, cols FROM \"%w\".fin_packs WHERE tbl = ?1",
                                    n->schema),
                &st);
  if (rc != SQLITE_OK) return rc == SQLITE_NOMEM ? -SQLITE_NOMEM : 0; /* no registry */
  sqlite3_bind_text(st, 1, n->table, -1, SQLITE_STATIC);
  rc = sqlite3_step(st);
  int found = 0;
  if (rc == SQLITE_ROW) {
    e->key_col = sqlite3_column_type(st, 0) == SQLITE_NULL ? NULL : dup_text(st, 0);
    e->time_col = dup_text(st, 1);
    e->cols = dup_text(st, 2);
    found = e->time_col && e->cols && (sqlite3_column_type(st, 0) == SQLITE_NULL || e->key_col) ? 1 : -SQLITE_NOMEM;
    if (found < 0) entry_free(e);
  } else if (rc != SQLITE_DONE) {
    found = -rc;
  }
  sqlite3_finalize(st);
  return found;
}

/* 1 when the three triggers are there with exactly the text fin_pack wrote. */
static int triggers_intact(sqlite3 *db, const pack_names *n, const pack_entry *e, int *nomem) {
  sqlite3_stmt *st;
  *nomem = 0;
  if (prep(db, sqlite3_mprintf("SELECT sql FROM \"%w\".sqlite_schema WHERE type = 'trigger' AND name = ?1 "
                               "AND tbl_name = ?2",
                               n->schema),
           &st) != SQLITE_OK) {
    *nomem = 1;
    return 0;
  }
  int good = 1;
  for (int i = 0; i < 3 && good; i++) {
    char *want = trigger_sql(n, i, e->key_col, e->time_col);
    if (!want) {
      *nomem = 1;
      good = 0;
      break;
    }
    sqlite3_reset(st);
    sqlite3_bind_text(st, 1, n->trig[i], -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, n->table, -1, SQLITE_STATIC);
    int r = sqlite3_step(st);
    const char *have = r == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;
    if ((r == SQLITE_ROW && !have) || r == SQLITE_NOMEM) *nomem = 1;
    /* sqlite_schema keeps the statement as written, with the schema name
    ** taken out: compare from "TRIGGER <name>" on */
    const char *w = strstr(want, "\" AFTER ");
    const char *h = have ? strstr(have, "\" AFTER ") : NULL;
    good = w && h && strcmp(w, h) == 0;
    sqlite3_free(want);
  }
  sqlite3_finalize(st);
  return good;
}

/* 1 when column name (canonical compare is the source's business: here the
** exact names the registry holds) is among the packed columns; *idx its
** index, 1-based (0 is the time). */
static int col_index(const char *cols, const char *name, int *idx) {
  int i = 1;
  size_t n = strlen(name);
  for (const char *p = cols; *p; i++) {
    const char *e = strchr(p, ',');
    size_t len = e ? (size_t)(e - p) : strlen(p);
    if (len == n && memcmp(p, name, n) == 0) {
      *idx = i;
      return 1;
    }
    p = e ? e + 1 : p + len;
  }
  return 0;
}

/* ================================================================ fin_pack */
/* A chunk being built: the times and, for each packed column, the values
** and which are NULL. */
typedef struct builder {
  int ncols, kind, n;
  int64_t ti[FIN_PACK_CHUNK];
  double tr[FIN_PACK_CHUNK];
  double *v;             /* ncols * FIN_PACK_CHUNK */
  unsigned char *isnull; /* ncols * FIN_PACK_CHUNK */
  unsigned char *blob;   /* room for the largest chunk */
} builder;

static int flush_chunk(sqlite3_stmt *ins, builder *b, sqlite3_value *key, int chunk) {
  if (b->n == 0) return SQLITE_OK;
  unsigned char *p = b->blob;
  size_t len = 5;
  p[0] = (unsigned char)b->kind;
  put_u32(p + 1, (uint32_t)b->n);
  for (int i = 0; i < b->n; i++) {
    if (b->kind == KIND_DATE) {
      put_u32(p + len, (uint32_t)(int32_t)b->ti[i]);
      len += 4;
    } else if (b->kind == KIND_INT) {
      put_u64(p + len, (uint64_t)b->ti[i]);
      len += 8;
    } else {
      put_f64(p + len, b->tr[i]);
      len += 8;
    }
  }
  int rc;
  sqlite3_reset(ins);
  sqlite3_bind_int(ins, 1, 0);
  sqlite3_bind_value(ins, 2, key);
  sqlite3_bind_int(ins, 3, chunk);
  sqlite3_bind_blob(ins, 4, p, (int)len, SQLITE_STATIC);
  if ((rc = sqlite3_step(ins)) != SQLITE_DONE) return rc;
  for (int c = 0; c < b->ncols; c++) {
    const double *v = b->v + (size_t)c * FIN_PACK_CHUNK;
    const unsigned char *nul = b->isnull + (size_t)c * FIN_PACK_CHUNK;
    int any = 0;
    for (int i = 0; i < b->n && !any; i++) any = nul[i];
    len = 5;
    p[0] = (unsigned char)(any ? 2 : 0);
    put_u32(p + 1, (uint32_t)b->n);
    if (any) {
      size_t nb = ((size_t)b->n + 7) / 8;
      memset(p + len, 0, nb);
      for (int i = 0; i < b->n; i++)
        if (nul[i]) p[len + (size_t)i / 8] |= (unsigned char)(1u << (i % 8));
      len += nb;
    }
    for (int i = 0; i < b->n; i++, len += 8) put_f64(p + len, nul[i] ? 0.0 : v[i]);
    sqlite3_reset(ins);
    sqlite3_bind_int(ins, 1, c + 1);
    sqlite3_bind_value(ins, 2, key);
    sqlite3_bind_int(ins, 3, chunk);
    sqlite3_bind_blob(ins, 4, p, (int)len, SQLITE_STATIC);
    if ((rc = sqlite3_step(ins)) != SQLITE_DONE) return rc;
  }
  b->n = 0;
  return SQLITE_OK;
}

/* The time of a row as a packed time: its kind (0 when it cannot be packed:
** NULL, text that is not a plain date, a blob) and its number. */
static int time_kind(sqlite3_value *v, int64_t *i, double *r) {
  switch (sqlite3_value_type(v)) {
    case SQLITE_INTEGER: *i = sqlite3_value_int64(v); *r = (double)*i; return KIND_INT;
    case SQLITE_FLOAT: *r = sqlite3_value_double(v); *i = 0; return isfinite(*r) ? KIND_REAL : 0;
    case SQLITE_TEXT: {
      const char *z = (const char *)sqlite3_value_text(v);
      double jd;
      int date_only;
      if (!z || sqlite3_value_bytes(v) != 10 || fin_k_parse_iso(z, 10, &jd, &date_only) || !date_only)
        return 0;
      *r = jd;
      *i = (int64_t)(jd - JD_UNIX_EPOCH);
      return KIND_DATE;
    }
    default: return 0;
  }
}

typedef struct pack_stats {
  int64_t keys, rows, dirty;
} pack_stats;

/* Reads the table in (key, time) order and writes the chunks and the keys;
** a key that cannot be packed goes to the dirty table. */
static int pack_rows(sqlite3 *db, const pack_names *n, const char *key_col, const char *time_col,
                     char **cols, int ncols, pack_stats *stats) {
  sqlite3_stmt *rd = NULL, *ins = NULL, *key_ins = NULL, *dirty_ins = NULL;
  builder *b = sqlite3_malloc64(sizeof *b);
  if (!b) return SQLITE_NOMEM;
  memset(b, 0, sizeof *b);
  b->ncols = ncols;
  b->v = sqlite3_malloc64((size_t)ncols * FIN_PACK_CHUNK * sizeof(double) + 1);
  b->isnull = sqlite3_malloc64((size_t)ncols * FIN_PACK_CHUNK + 1);
  b->blob = sqlite3_malloc64(5 + FIN_PACK_CHUNK / 8 + 1 + (size_t)FIN_PACK_CHUNK * 8);
  char *list = sqlite3_mprintf("%s \"%w\"", key_col ? "" : "0,", time_col);
  if (key_col && list) {
    char *w = sqlite3_mprintf("\"%w\", %s", key_col, list);
    sqlite3_free(list);
    list = w;
  }
  for (int c = 0; list && c < ncols; c++) {
    char *w = sqlite3_mprintf("%s, \"%w\"", list, cols[c]);
    sqlite3_free(list);
    list = w;
  }
  int rc = b->v && b->isnull && b->blob && list ? SQLITE_OK : SQLITE_NOMEM;
  if (rc == SQLITE_OK)
    rc = prep(db, sqlite3_mprintf("SELECT %s FROM \"%w\".\"%w\" ORDER BY 1 COLLATE BINARY, 2", list, n->schema,
                                  n->table),
              &rd);
  if (rc == SQLITE_OK)
    rc = prep(db, sqlite3_mprintf("INSERT INTO \"%w\".\"%w\"(col, key, chunk, data) VALUES (?1, ?2, ?3, ?4)",
                                  n->schema, n->chunks),
              &ins);
  if (rc == SQLITE_OK)
    rc = prep(db, sqlite3_mprintf("INSERT INTO \"%w\".\"%w\"(key, until, n, bad) VALUES (?1, ?2, ?3, ?4)",
                                  n->schema, n->keys),
              &key_ins);
  if (rc == SQLITE_OK)
    rc = prep(db, sqlite3_mprintf("INSERT OR IGNORE INTO \"%w\".\"%w\"(key) VALUES (?1)", n->schema, n->dirty),
              &dirty_ins);
  sqlite3_free(list);
  /* per key: its value (a copy), whether it packs, its chunks so far */
  sqlite3_value *key = NULL;
  int packs = 0, chunk = 0, kind = 0;
  int64_t nrows = 0, bad = 0, last_ti = 0;
  double last_tr = 0;
  sqlite3_value *until = NULL;
  int step = SQLITE_ROW;
  while (rc == SQLITE_OK) {
    step = sqlite3_step(rd);
    if (step != SQLITE_ROW && step != SQLITE_DONE) {
      rc = step;
      break;
    }
    sqlite3_value *k = step == SQLITE_ROW ? sqlite3_column_value(rd, 0) : NULL;
    int same = key && k && sqlite3_value_type(k) == sqlite3_value_type(key) &&
               sqlite3_value_bytes(k) == sqlite3_value_bytes(key) &&
               (sqlite3_value_type(k) == SQLITE_INTEGER ? sqlite3_value_int64(k) == sqlite3_value_int64(key)
                : sqlite3_value_type(k) == SQLITE_FLOAT ? sqlite3_value_double(k) == sqlite3_value_double(key)
                : memcmp(sqlite3_value_blob(k), sqlite3_value_blob(key), (size_t)sqlite3_value_bytes(k)) == 0);
    if (key && !same) { /* the key ended: its chunks and its row, or dirty */
      if (packs) rc = flush_chunk(ins, b, key, chunk++);
      sqlite3_stmt *w = packs ? key_ins : dirty_ins;
      if (rc == SQLITE_OK) {
        sqlite3_reset(w);
        sqlite3_bind_value(w, 1, key);
        if (packs) {
          sqlite3_bind_value(w, 2, until);
          sqlite3_bind_int64(w, 3, nrows);
          sqlite3_bind_int64(w, 4, bad);
        }
        if ((rc = sqlite3_step(w)) == SQLITE_DONE) rc = SQLITE_OK;
      }
      stats->keys++;
      stats->dirty += !packs;
      sqlite3_value_free(key);
      sqlite3_value_free(until);
      key = until = NULL;
    }
    if (step == SQLITE_DONE || rc != SQLITE_OK) break;
    if (!key) { /* a new key */
      if (sqlite3_value_type(k) == SQLITE_NULL) {
        rc = SQLITE_CONSTRAINT; /* reported by the caller */
        break;
      }
      if (!(key = sqlite3_value_dup(k))) {
        rc = SQLITE_NOMEM;
        break;
      }
      packs = 1;
      chunk = 0;
      kind = 0;
      nrows = bad = 0;
      b->n = 0;
    }
    stats->rows++;
    if (!packs) continue;
    int64_t ti;
    double tr;
    int kd = time_kind(sqlite3_column_value(rd, 1), &ti, &tr);
    /* one kind, strictly increasing (a repeat comes as an equal time) */
    if (!kd || (kind && kd != kind) || (nrows && (kd == KIND_REAL ? tr <= last_tr : ti <= last_ti))) {
      packs = 0;
      continue;
    }
    last_ti = ti;
    last_tr = tr;
    kind = kd;
    b->kind = kd;
    b->ti[b->n] = ti;
    b->tr[b->n] = tr;
    for (int c = 0; c < ncols; c++) {
      sqlite3_value *v = sqlite3_column_value(rd, 2 + c);
      int t = sqlite3_value_type(v);
      double d = t == SQLITE_INTEGER ? (double)sqlite3_value_int64(v) : sqlite3_value_double(v);
      int isnull = t == SQLITE_NULL || (t == SQLITE_TEXT && sqlite3_value_bytes(v) == 0);
      /* not a price: this column of this key is read from the rows */
      if (!isnull && (!(t == SQLITE_INTEGER || t == SQLITE_FLOAT) || !isfinite(d) || !(d > 0)) && c < 63)
        bad |= (int64_t)1 << c;
      b->v[(size_t)c * FIN_PACK_CHUNK + (size_t)b->n] = d;
      b->isnull[(size_t)c * FIN_PACK_CHUNK + (size_t)b->n] = (unsigned char)isnull;
    }
    sqlite3_value_free(until);
    if (!(until = sqlite3_value_dup(sqlite3_column_value(rd, 1)))) {
      rc = SQLITE_NOMEM;
      break;
    }
    nrows++;
    if (++b->n == FIN_PACK_CHUNK) rc = flush_chunk(ins, b, key, chunk++);
  }
  sqlite3_value_free(key);
  sqlite3_value_free(until);
  sqlite3_finalize(rd);
  sqlite3_finalize(ins);
  sqlite3_finalize(key_ins);
  sqlite3_finalize(dirty_ins);
  if (b) {
    sqlite3_free(b->v);
    sqlite3_free(b->isnull);
    sqlite3_free(b->blob);
  }
  sqlite3_free(b);
  return rc;
}

/* Drops every object of the pack (not the registry row). */
static int drop_objects(sqlite3 *db, const pack_names *n) {
  int rc = SQLITE_OK;
  for (int i = 0; i < 3 && rc == SQLITE_OK; i++)
    rc = exec(db, sqlite3_mprintf("DROP TRIGGER IF EXISTS \"%w\".\"%w\"", n->schema, n->trig[i]));
  if (rc == SQLITE_OK) rc = exec(db, sqlite3_mprintf("DROP TABLE IF EXISTS \"%w\".\"%w\"", n->schema, n->keys));
  if (rc == SQLITE_OK) rc = exec(db, sqlite3_mprintf("DROP TABLE IF EXISTS \"%w\".\"%w\"", n->schema, n->chunks));
  if (rc == SQLITE_OK) rc = exec(db, sqlite3_mprintf("DROP TABLE IF EXISTS \"%w\".\"%w\"", n->schema, n->dirty));
  return rc;
}

/* The table's columns: which is the key, which the time (by the source's
** name rules), and the others; in *cols (sqlite3_malloc'd strings). */
static int table_columns(sqlite3 *db, const pack_names *n, char **key_col, char **time_col, char ***cols,
                         int *ncols, char **why) {
  sqlite3_stmt *st;
  *key_col = *time_col = NULL;
  *cols = NULL;
  *ncols = 0;
  int rc = prep(db, sqlite3_mprintf("SELECT name, type FROM pragma_table_xinfo(?1, ?2) WHERE hidden = 0"), &st);
  if (rc != SQLITE_OK) return rc;
  sqlite3_bind_text(st, 1, n->table, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, n->schema, -1, SQLITE_STATIC);
  char **all = NULL;
  int nall = 0, cap = 0;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    if (nall == cap) {
      cap = cap ? cap * 2 : 16;
      char **a = sqlite3_realloc64(all, (size_t)cap * sizeof *a);
      if (!a) {
        rc = SQLITE_NOMEM;
        break;
      }
      all = a;
    }
    if (!(all[nall++] = dup_text(st, 0))) {
      rc = SQLITE_NOMEM;
      break;
    }
  }
  sqlite3_finalize(st);
  if (rc == SQLITE_DONE) rc = SQLITE_OK;
  int kt[2];
  if (rc == SQLITE_OK) {
    const char *names[64];
    int m = nall < 64 ? nall : 64;
    for (int i = 0; i < m; i++) names[i] = all[i];
    if (fin_src_roles(names, m, &kt[0], &kt[1], why)) rc = SQLITE_ERROR;
  }
  if (rc == SQLITE_OK) {
    *cols = sqlite3_malloc64((size_t)(nall ? nall : 1) * sizeof **cols);
    if (!*cols) rc = SQLITE_NOMEM;
  }
  for (int i = 0; i < nall; i++) {
    if (rc == SQLITE_OK && i == kt[0]) *key_col = all[i];
    else if (rc == SQLITE_OK && i == kt[1]) *time_col = all[i];
    else if (rc == SQLITE_OK) (*cols)[(*ncols)++] = all[i];
    else sqlite3_free(all[i]);
  }
  sqlite3_free(all);
  return rc;
}

static void free_cols(char **cols, int n) {
  for (int i = 0; cols && i < n; i++) sqlite3_free(cols[i]);
  sqlite3_free(cols);
}

/* Keeps the columns named in list ('close, adj_close'), in that order. */
static int choose_cols(char ***cols, int *ncols, const char *list, char **bad) {
  char **keep = sqlite3_malloc64((size_t)(*ncols ? *ncols : 1) * sizeof *keep);
  int nk = 0;
  if (!keep) return SQLITE_NOMEM;
  for (const char *p = list; *p;) {
    while (*p == ' ' || *p == ',') p++;
    if (!*p) break;
    const char *e = p;
    while (*e && *e != ',') e++;
    const char *q = e;
    while (q > p && q[-1] == ' ') q--;
    int found = -1;
    for (int i = 0; i < *ncols; i++)
      if ((*cols)[i] && (int)strlen((*cols)[i]) == q - p && sqlite3_strnicmp((*cols)[i], p, (int)(q - p)) == 0)
        found = i;
    if (found < 0) {
      *bad = sqlite3_mprintf("%.*s", (int)(q - p), p);
      for (int i = 0; i < nk; i++) sqlite3_free(keep[i]);
      sqlite3_free(keep);
      return *bad ? SQLITE_ERROR : SQLITE_NOMEM;
    }
    keep[nk++] = (*cols)[found];
    (*cols)[found] = NULL;
    p = e;
  }
  free_cols(*cols, *ncols);
  *cols = keep;
  *ncols = nk;
  return SQLITE_OK;
}

static void pack_func(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  const char *fn = fin_fn_of(ctx)->name;
  sqlite3 *db = sqlite3_context_db_handle(ctx);
  int unpack = fin_fn_of(ctx)->variant;
  const char *z = sqlite3_value_type(argv[0]) == SQLITE_TEXT ? (const char *)sqlite3_value_text(argv[0]) : NULL;
  const char *asked = argc > 1 && sqlite3_value_type(argv[1]) == SQLITE_TEXT ? (const char *)sqlite3_value_text(argv[1]) : NULL;
  if ((!z && sqlite3_value_type(argv[0]) == SQLITE_TEXT) || (!asked && argc > 1 && sqlite3_value_type(argv[1]) == SQLITE_TEXT)) {
    sqlite3_result_error_nomem(ctx); /* the text in UTF-8 */
    return;
  }
  if (!z || !fin_src_is_name(z)) {
    fin_result_error(ctx, fin_must_be(fn, "table", "the name of a table ('prices' or 'main.prices')", argv[0]));
    return;
  }
  if (argc > 1 && sqlite3_value_type(argv[1]) != SQLITE_TEXT) {
    fin_result_error(ctx, fin_must_be(fn, "columns", "text listing columns, such as 'close, adj_close'", argv[1]));
    return;
  }
  pack_names n;
  if (names_of(z, &n)) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  char *key_col = NULL, *time_col = NULL, *why = NULL, *bad = NULL, *list = NULL;
  char **cols = NULL;
  int ncols = 0, rc;
  pack_stats stats = {0, 0, 0};
  /* It must be a table (views have no triggers to keep a copy current). */
  sqlite3_stmt *st = NULL;
  int is_table = 0;
  rc = prep(db, sqlite3_mprintf("SELECT type FROM \"%w\".sqlite_schema WHERE name = ?1 COLLATE NOCASE",
                                n.schema),
            &st);
  if (rc == SQLITE_OK) {
    rc = sqlite3_bind_text(st, 1, n.table, -1, SQLITE_STATIC);
    int r = rc == SQLITE_OK ? sqlite3_step(st) : rc;
    const char *type = r == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;
    if (r == SQLITE_ROW && !type) rc = SQLITE_NOMEM;
    else if (r == SQLITE_ROW) is_table = strcmp(type, "table") == 0 ? 1 : 2;
    else if (r != SQLITE_DONE) rc = r;
  }
  sqlite3_finalize(st);
  if (rc != SQLITE_OK && rc != SQLITE_NOMEM) { /* an unknown schema */
    fin_result_error(ctx, sqlite3_mprintf("%s(): %s: %s", fn, z, sqlite3_errmsg(db)));
    names_free(&n);
    return;
  }
  if (rc == SQLITE_OK && is_table != 1) {
    fin_result_error(ctx, sqlite3_mprintf("%s(): table must be a table of the database, got '%s' (%s)", fn, z,
                                          is_table == 2 ? "a view: pack the table it reads" : "no such table"));
    names_free(&n);
    return;
  }
  if (rc == SQLITE_OK) rc = exec(db, sqlite3_mprintf("SAVEPOINT fin_pack"));
  if (rc != SQLITE_OK) {
    fin_result_error(ctx, rc == SQLITE_NOMEM ? NULL : sqlite3_mprintf("%s(): %s: %s", fn, z, sqlite3_errmsg(db)));
    names_free(&n);
    return;
  }
  rc = drop_objects(db, &n);
  if (rc == SQLITE_OK)
    rc = exec(db, sqlite3_mprintf("CREATE TABLE IF NOT EXISTS \"%w\".fin_packs(tbl TEXT PRIMARY KEY, key_col TEXT, "
                                  "time_col TEXT NOT NULL, cols TEXT NOT NULL)",
                                  n.schema));
  if (rc == SQLITE_OK)
    rc = exec(db, sqlite3_mprintf("DELETE FROM \"%w\".fin_packs WHERE tbl = %Q", n.schema, n.table));
  if (rc == SQLITE_OK && unpack) { /* the registry goes too once it is empty */
    sqlite3_stmt *cnt = NULL;
    rc = prep(db, sqlite3_mprintf("SELECT count(*) FROM \"%w\".fin_packs", n.schema), &cnt);
    int left = rc == SQLITE_OK && sqlite3_step(cnt) == SQLITE_ROW ? sqlite3_column_int(cnt, 0) : -1;
    sqlite3_finalize(cnt);
    if (rc == SQLITE_OK && left == 0) rc = exec(db, sqlite3_mprintf("DROP TABLE \"%w\".fin_packs", n.schema));
  }
  if (rc == SQLITE_OK && !unpack) {
    rc = table_columns(db, &n, &key_col, &time_col, &cols, &ncols, &why);
    if (rc == SQLITE_OK && argc > 1) rc = choose_cols(&cols, &ncols, asked, &bad);
    if (rc == SQLITE_OK && ncols == 0) rc = SQLITE_ERROR;
  }
  if (rc == SQLITE_OK && !unpack) {
    rc = exec(db, sqlite3_mprintf("CREATE TABLE \"%w\".\"%w\"(key PRIMARY KEY, until, n INTEGER, bad INTEGER)",
                                  n.schema, n.keys));
    if (rc == SQLITE_OK)
      rc = exec(db, sqlite3_mprintf("CREATE TABLE \"%w\".\"%w\"(col INTEGER, key, chunk INTEGER, data BLOB, "
                                    "PRIMARY KEY (col, key, chunk))",
                                    n.schema, n.chunks));
    if (rc == SQLITE_OK)
      rc = exec(db, sqlite3_mprintf("CREATE TABLE \"%w\".\"%w\"(key PRIMARY KEY)", n.schema, n.dirty));
    if (rc == SQLITE_OK) rc = pack_rows(db, &n, key_col, time_col, cols, ncols, &stats);
    for (int i = 0; i < 3 && rc == SQLITE_OK; i++) {
      char *sql = trigger_sql(&n, i, key_col, time_col);
      rc = exec(db, sql);
    }
    for (int i = 0; rc == SQLITE_OK && i < ncols; i++) {
      char *w = sqlite3_mprintf("%s%s%s", list ? list : "", list ? "," : "", cols[i]);
      sqlite3_free(list);
      list = w;
      if (!list) rc = SQLITE_NOMEM;
    }
    if (rc == SQLITE_OK)
      rc = exec(db, sqlite3_mprintf("INSERT INTO \"%w\".fin_packs(tbl, key_col, time_col, cols) VALUES (%Q, %Q, %Q, %Q)",
                                    n.schema, n.table, key_col, time_col, list));
  }
  char *msg = NULL;
  if (rc == SQLITE_OK) {
    exec(db, sqlite3_mprintf("RELEASE fin_pack"));
    msg = unpack ? sqlite3_mprintf("unpacked %s", n.table)
                 : sqlite3_mprintf("packed %s: %lld keys (%lld read from the rows), %lld rows, %d column%s: %s",
                                   n.table, (long long)stats.keys, (long long)stats.dirty,
                                   (long long)stats.rows, ncols, ncols == 1 ? "" : "s", list);
    if (msg) sqlite3_result_text(ctx, msg, -1, sqlite3_free);
    else sqlite3_result_error_nomem(ctx);
  } else {
    char *e = rc == SQLITE_NOMEM ? NULL
              : bad   ? sqlite3_mprintf("%s(): columns: %s has no column '%s' to pack (nor can it pack its key or "
                                        "time)", fn, z, bad)
              : why   ? sqlite3_mprintf("%s(): %s: %s", fn, z, why)
              : ncols == 0 && !unpack && key_col ? sqlite3_mprintf("%s(): %s has no column to pack beside its key and time", fn, z)
              : rc == SQLITE_CONSTRAINT ? sqlite3_mprintf("%s(): %s has rows whose %s is NULL: give every row a key first",
                                                          fn, z, key_col ? key_col : "key")
                                        : sqlite3_mprintf("%s(): %s: %s", fn, z, sqlite3_errmsg(db));
    exec(db, sqlite3_mprintf("ROLLBACK TO fin_pack"));
    exec(db, sqlite3_mprintf("RELEASE fin_pack"));
    fin_result_error(ctx, e);
    if (rc != SQLITE_NOMEM && rc != SQLITE_ERROR && rc != SQLITE_CONSTRAINT) sqlite3_result_error_code(ctx, rc);
  }
  sqlite3_free(list);
  sqlite3_free(key_col);
  sqlite3_free(time_col);
  sqlite3_free(why);
  sqlite3_free(bad);
  free_cols(cols, ncols);
  names_free(&n);
}

/* ================================================================ reading */
typedef struct fin_packed {
  pack_names names;
  int vcol;               /* the value column's index among the packed ones */
  int keyed;
  sqlite3_stmt *keys;     /* (key, until, bad, dirty) of the keys to read */
  sqlite3_stmt *chunks;   /* (time data, value data) of a key, in order */
  sqlite3_stmt *rows;     /* the rows of a key (dirty, or a column that is not all prices) */
  sqlite3_stmt *tail;     /* the rows of a key after its packed end */
  int state;              /* 0: next key; 1: in chunks; 2: in rows (s->rd) */
  int key_given;          /* a row of the current key was handed out */
  /* the chunk being read is s->chunk */
  double month_lo, month_hi; /* day numbers of the month last formatted: [lo, hi) */
  /* the skeleton of a calendar (fin_src_opts.skeleton): of each stretch of
  ** a chunk within one period, only its first and last rows with a value */
  int skel;               /* 0, or the fin_period + 1 */
  int pend;               /* a row of this chunk to hand out next, or -1 */
  int key_rows;           /* rows of this key handed out */
  double hi;              /* the current period ends before this time (JD) */
} fin_packed;

int fin_pk_attach(fin_source *s, sqlite3 *db, const char *table, const char *key_col, const char *time_col,
                  const char *value_col, sqlite3_value *key, const char *cte, int skeleton, char **err) {
  (void)err;
  pack_names n;
  pack_entry e;
  if (names_of(table, &n)) return SQLITE_NOMEM;
  int found = entry_of(db, &n, &e), nomem = 0, vcol = 0;
  /* the columns the read resolved must be the ones packed, and the copy
  ** must be kept current by its triggers */
  int ok = found == 1 && strcmp(e.time_col, time_col) == 0 &&
           ((!e.key_col && !key_col) || (e.key_col && key_col && strcmp(e.key_col, key_col) == 0)) &&
           col_index(e.cols, value_col, &vcol) && triggers_intact(db, &n, &e, &nomem);
  entry_free(&e);
  if (found < 0 || nomem) {
    names_free(&n);
    return SQLITE_NOMEM;
  }
  if (!ok) {
    names_free(&n);
    return SQLITE_OK; /* read the rows */
  }
  fin_packed *pk = sqlite3_malloc64(sizeof *pk);
  if (!pk) {
    names_free(&n);
    return SQLITE_NOMEM;
  }
  memset(pk, 0, sizeof *pk);
  pk->names = n;
  pk->vcol = vcol;
  pk->keyed = key_col != NULL;
  pk->skel = skeleton;
  pk->pend = -1;
  const char *one = key ? " AND key = ?1" : "";
  int rc = prep(db, sqlite3_mprintf("SELECT key, until, bad, 0 FROM \"%w\".\"%w\" WHERE key NOT IN (SELECT key FROM "
                                    "\"%w\".\"%w\")%s UNION ALL SELECT key, NULL, NULL, 1 FROM \"%w\".\"%w\" WHERE 1%s "
                                    "ORDER BY 1",
                                    n.schema, n.keys, n.schema, n.dirty, one, n.schema, n.dirty, one),
                &pk->keys);
  if (rc == SQLITE_OK)
    rc = prep(db, sqlite3_mprintf("SELECT t.data, v.data FROM \"%w\".\"%w\" t JOIN \"%w\".\"%w\" v ON v.col = %d AND "
                                  "v.key = t.key AND v.chunk = t.chunk WHERE t.col = 0 AND t.key = ?1 ORDER BY t.chunk",
                                  n.schema, n.chunks, n.schema, n.chunks, vcol),
              &pk->chunks);
  if (rc == SQLITE_OK)
    rc = prep(db, sqlite3_mprintf("%sSELECT * FROM \"fin source\" WHERE %s ORDER BY t", cte,
                                  pk->keyed ? "k = ?1 AND k = ?1 COLLATE BINARY" : "1"),
              &pk->rows);
  if (rc == SQLITE_OK)
    rc = prep(db, sqlite3_mprintf("%sSELECT * FROM \"fin source\" WHERE %s t > ?2 ORDER BY t", cte,
                                  pk->keyed ? "k = ?1 AND k = ?1 COLLATE BINARY AND" : ""),
              &pk->tail);
  if (rc == SQLITE_OK && key) rc = sqlite3_bind_value(pk->keys, 1, key);
  if (rc != SQLITE_OK) {
    s->pk = pk;
    fin_pk_close(s);
    return SQLITE_NOMEM;
  }
  /* room for a date's text, formatted in place row by row */
  if (s->tv.cap < 16) {
    char *z = sqlite3_realloc64(s->tv.z, 16);
    if (!z) {
      s->pk = pk;
      fin_pk_close(s);
      return SQLITE_NOMEM;
    }
    s->tv.z = z;
    s->tv.cap = 16;
  }
  s->pk = pk;
  return SQLITE_OK;
}

void fin_pk_close(fin_source *s) {
  fin_packed *pk = s->pk;
  if (!pk) return;
  sqlite3_finalize(pk->keys);
  sqlite3_finalize(pk->chunks);
  sqlite3_finalize(pk->rows);
  sqlite3_finalize(pk->tail);
  names_free(&pk->names);
  sqlite3_free(pk);
  s->pk = NULL;
  memset(&s->chunk, 0, sizeof s->chunk);
  s->rd = s->stmt;
}

void fin_pk_rewind(fin_source *s) {
  fin_packed *pk = s->pk;
  sqlite3_reset(pk->keys);
  sqlite3_reset(pk->chunks);
  sqlite3_reset(pk->rows);
  sqlite3_reset(pk->tail);
  pk->state = 0;
  memset(&s->chunk, 0, sizeof s->chunk);
  pk->pend = -1;
}

/* The current row's time as text, formatted when it is first asked for:
** most rows of a month share its first eight characters, so only the day's
** two digits are written unless the month changes. */
const fin_tval *fin_pk_time(fin_source *s) {
  fin_packed *pk = s->pk;
  if (s->chunk.kind == FIN_CHUNK_DATE && s->tv.type == SQLITE_TEXT && s->tv_stale) {
    double day = s->t - JD_UNIX_EPOCH;
    char *z = s->tv.z;
    if (!(day >= pk->month_lo && day < pk->month_hi)) {
      int y, m, d;
      fin_k_jd_to_ymd(s->t, &y, &m, &d);
      z[0] = (char)('0' + y / 1000 % 10), z[1] = (char)('0' + y / 100 % 10);
      z[2] = (char)('0' + y / 10 % 10), z[3] = (char)('0' + y % 10), z[4] = '-';
      z[5] = (char)('0' + m / 10), z[6] = (char)('0' + m % 10), z[7] = '-';
      double lo, hi;
      fin_k_period_bounds(s->t, FIN_MONTH, &lo, &hi);
      pk->month_lo = lo - JD_UNIX_EPOCH;
      pk->month_hi = hi - JD_UNIX_EPOCH;
    }
    int d = (int)(day - pk->month_lo) + 1;
    z[8] = (char)('0' + d / 10), z[9] = (char)('0' + d % 10), z[10] = 0;
    s->tv.n = 10;
    s->tv_stale = 0;
  }
  return &s->tv;
}

/* The next row to hand out of the current chunk, or -1 when it is done.
** Every row, or, for a calendar's skeleton, the first and the last row with
** a value of each stretch of the chunk that lies in one period (and the
** key's first row, so that a key of NULLs is seen): the calendar reads only
** a period's first and last values, and an extra row changes nothing. */
static int chunk_next(fin_source *s, fin_packed *pk) {
  fin_chunk *ch = &s->chunk;
  if (pk->pend >= 0) {
    int k = pk->pend;
    pk->pend = -1;
    return k;
  }
  if (!pk->skel || pk->key_rows == 0) return ch->i < ch->n ? ch->i++ : -1;
  while (ch->i < ch->n && fin_chunk_null(ch, ch->i)) ch->i++;
  if (ch->i >= ch->n) return -1;
  int i = ch->i;
  double t = fin_chunk_t(ch, i);
  if (!(t < pk->hi)) { /* a new period */
    double lo;
    fin_k_period_bounds(t, (fin_period)(pk->skel - 1), &lo, &pk->hi);
  }
  /* the end of the stretch: the first row at or after hi, or after as_of
  ** (the rows after it do not exist for this read): a binary search */
  int a = i + 1, b = ch->n;
  while (a < b) {
    int m = a + (b - a) / 2;
    double tm = fin_chunk_t(ch, m);
    if (tm < pk->hi && !fin_src_beyond(s, tm)) a = m + 1;
    else b = m;
  }
  int k = a - 1;
  while (k > i && fin_chunk_null(ch, k)) k--;
  if (k > i) pk->pend = k;
  ch->i = a;
  return i;
}

/* Loads the next chunk of the current key: 1, 0 at the end, or an error. */
static int next_chunk(fin_source *s, fin_packed *pk, int *rc) {
  fin_chunk *ch = &s->chunk;
  ch->n = ch->i = 0;
  *rc = sqlite3_step(pk->chunks);
  if (*rc != SQLITE_ROW) return 0;
  const unsigned char *t = sqlite3_column_blob(pk->chunks, 0);
  int tn = sqlite3_column_bytes(pk->chunks, 0);
  const unsigned char *v = sqlite3_column_blob(pk->chunks, 1);
  int vn = sqlite3_column_bytes(pk->chunks, 1);
  if (!t || !v || tn < 5 || vn < 5) {
    *rc = SQLITE_CORRUPT;
    return 0;
  }
  int kind = t[0], n = (int)fin_le_u32(t + 1);
  size_t tw = kind == FIN_CHUNK_DATE ? 4 : 8, nb = ((size_t)n + 7) / 8;
  int has_nulls = v[0] & 2;
  if ((kind < FIN_CHUNK_DATE || kind > FIN_CHUNK_REAL) || n < 0 || (int)fin_le_u32(v + 1) != n ||
      (size_t)tn != 5 + tw * (size_t)n || (size_t)vn != 5 + (has_nulls ? nb : 0) + 8 * (size_t)n) {
    *rc = SQLITE_CORRUPT; /* a copy someone wrote over: refuse it rather than guess */
    return 0;
  }
  ch->kind = kind;
  ch->n = n;
  ch->tdata = t + 5;
  ch->nulls = has_nulls ? v + 5 : NULL;
  ch->vdata = v + 5 + (has_nulls ? nb : 0);
  /* with every row handed out in turn, fin_src_step takes the rest inline */
  ch->fast = !pk->skel && !s->has_upto;
  pk->pend = -1;
  *rc = SQLITE_OK;
  return 1;
}

static int pk_error(fin_source *s, sqlite3_stmt *st, int rc, char **err) {
  s->errcode = rc;
  *err = rc == SQLITE_CORRUPT
             ? sqlite3_mprintf("%s(): %s: the packed copy of %s is not as fin_pack wrote it: run SELECT "
                               "fin_pack('%s') again",
                               s->fn, s->arg, s->pk->names.table, s->pk->names.table)
             : sqlite3_mprintf("%s(): %s: %s", s->fn, s->arg, sqlite3_errmsg(sqlite3_db_handle(st)));
  return FIN_SRC_ERROR;
}

int fin_pk_step(fin_source *s, char **err) {
  fin_packed *pk = s->pk;
  for (;;) {
    if (pk->state == 1) { /* the chunks */
      if (s->past) { /* past as_of: the rest of the key is not read */
        sqlite3_reset(pk->chunks);
        memset(&s->chunk, 0, sizeof s->chunk);
        pk->state = 3;
        continue;
      }
      int rc, i = chunk_next(s, pk);
      if (i < 0 && !next_chunk(s, pk, &rc)) {
        if (rc != SQLITE_DONE) return pk_error(s, pk->chunks, rc, err);
        /* then the rows appended since: the tail */
        sqlite3_reset(pk->chunks);
        memset(&s->chunk, 0, sizeof s->chunk);
        sqlite3_reset(pk->tail);
        if (pk->keyed && fin_tval_bind(pk->tail, 1, &s->key) != SQLITE_OK) return pk_error(s, pk->tail, SQLITE_NOMEM, err);
        if (sqlite3_bind_value(pk->tail, 2, sqlite3_column_value(pk->keys, 1)) != SQLITE_OK)
          return pk_error(s, pk->tail, SQLITE_NOMEM, err);
        fin_src_reset_rows(s);
        s->rd = pk->tail;
        pk->state = 2;
        continue;
      }
      if (i < 0) continue; /* the next chunk is loaded */
      fin_chunk_row(s, i);
      pk->key_rows++;
      int text = s->chunk.kind == FIN_CHUNK_DATE;
      fin_time_verdict v = fin_k_timeline_next(&s->tl, s->t, text);
      if (v != FIN_TIME_OK) { /* the tail or the copy disagrees with the rows' order */
        *err = fin_time_error(s->fn, s->what, v, s->t, text);
        return FIN_SRC_ERROR;
      }
      s->time = &s->tv;
      pk->key_given = 1;
      return FIN_SRC_ROW;
    }
    if (pk->state == 2) { /* rows of the table: ordered and validated as every row is */
      int rc = s->past ? SQLITE_DONE : fin_src_next_raw(s);
      if (rc == SQLITE_ROW) {
        s->tv_stale = 0;
        if (fin_src_read_row(s, err)) return FIN_SRC_ERROR;
        pk->key_given = 1;
        return FIN_SRC_ROW;
      }
      if (rc != SQLITE_DONE) return pk_error(s, s->rd, rc < 0 ? SQLITE_NOMEM : rc, err);
      fin_src_reset_rows(s);
      sqlite3_reset(s->rd);
      pk->state = 3;
      continue;
    }
    if (pk->state == 3) { /* the key ended */
      pk->state = 0;
      s->time = NULL;
      if (pk->key_given && !s->past) return FIN_SRC_END_KEY;
      continue;
    }
    /* state 0: the next key */
    int rc = sqlite3_step(pk->keys);
    if (rc == SQLITE_DONE) {
      s->state = 3;
      return FIN_SRC_EOF;
    }
    if (rc != SQLITE_ROW) return pk_error(s, pk->keys, rc, err);
    if (fin_tval_set(&s->key, sqlite3_column_value(pk->keys, 0))) return pk_error(s, pk->keys, SQLITE_NOMEM, err);
    fin_k_timeline_reset(&s->tl);
    s->past = s->given = 0;
    s->state = 1;
    pk->key_given = 0;
    int64_t bad = sqlite3_column_int64(pk->keys, 2);
    int dirty = sqlite3_column_int(pk->keys, 3);
    if (dirty || (pk->vcol <= 63 && (bad >> (pk->vcol - 1) & 1))) { /* from the rows */
      sqlite3_reset(pk->rows);
      if (pk->keyed && fin_tval_bind(pk->rows, 1, &s->key) != SQLITE_OK) return pk_error(s, pk->rows, SQLITE_NOMEM, err);
      fin_src_reset_rows(s);
      s->rd = pk->rows;
      pk->state = 2;
    } else {
      sqlite3_reset(pk->chunks);
      if (fin_tval_bind(pk->chunks, 1, &s->key) != SQLITE_OK) return pk_error(s, pk->chunks, SQLITE_NOMEM, err);
      memset(&s->chunk, 0, sizeof s->chunk);
      pk->pend = -1;
      pk->key_rows = 0;
      pk->hi = -INFINITY;
      pk->state = 1;
    }
  }
}

/* ------------------------------------------------------------ registration */
static const fin_fn pack_fns[] = {
    /* they read and write tables: top-level SQL only */
    {.name = "fin_pack", .nArg = 1, .flags = SQLITE_UTF8 | SQLITE_DIRECTONLY, .xFunc = pack_func},
    {.name = "fin_pack", .nArg = 2, .flags = SQLITE_UTF8 | SQLITE_DIRECTONLY, .xFunc = pack_func},
    {.name = "fin_unpack", .nArg = 1, .flags = SQLITE_UTF8 | SQLITE_DIRECTONLY, .variant = 1, .xFunc = pack_func},
};
const fin_fn_list fin_pack_fns = FIN_FN_LIST(pack_fns);

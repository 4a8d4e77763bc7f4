/*
** genprices.c - deterministic generator of realistic daily index series,
** for the samples, the demo and the benchmarks. The same arguments always
** give the same numbers, on any machine (own PRNG, no libc random).
**
**   genprices --csv SYMBOL [--days N] [--seed S] [--start YYYY-MM-DD]
**       one symbol as a vendor CSV (Date,Open,High,Low,Close,Adj Close,
**       Volume) on standard output
**   genprices --db FILE [--symbols N] [--days N] [--seed S] [--start DATE]
**       N symbols (S000, S001, ...) into FILE's prices table (the layout of
**       sql/schema.sql, created if missing), one transaction
**
** The model: a common market factor plus each symbol's own noise; daily
** volatility follows GARCH(1,1), so calm years and crises alternate and
** real drawdowns, rebounds and streaks appear; rare jump days add crashes.
** Sessions are weekdays less New Year's Day, Independence Day and
** Christmas. Prices are rounded to cents.
*/
#include <math.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct rng { uint64_t s; } rng;
static double uniform(rng *r) { /* xorshift64*, 53-bit uniform in (0,1) */
  r->s ^= r->s >> 12;
  r->s ^= r->s << 25;
  r->s ^= r->s >> 27;
  return ((double)((r->s * 2685821657736338717ULL) >> 11) + 0.5) / 9007199254740992.0;
}
static double normal(rng *r) { /* Box-Muller */
  double u = uniform(r), v = uniform(r);
  return sqrt(-2.0 * log(u)) * cos(6.283185307179586 * v);
}

/* Civil date <-> days since 1970-01-01. */
static int64_t days_from_civil(int64_t y, int m, int d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400, yoe = y - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}
static void civil_from_days(int64_t z, int *y, int *m, int *d) {
  z += 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097, doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
  *d = (int)(doy - (153 * mp + 2) / 5 + 1);
  *m = (int)(mp < 10 ? mp + 3 : mp - 9);
  *y = (int)(yoe + era * 400 + (*m <= 2));
}
static int is_session(int64_t z) {
  int wd = (int)(((z + 3) % 7 + 7) % 7); /* 0 = Monday */
  int y, m, d;
  if (wd >= 5) return 0;
  civil_from_days(z, &y, &m, &d);
  return !((m == 1 && d == 1) || (m == 7 && d == 4) || (m == 12 && d == 25));
}

typedef struct sym {
  rng r;
  double price, var, beta, drift, omega, alpha, garch, jump_p;
} sym;

static void sym_init(sym *s, uint64_t seed, int i) {
  s->r.s = seed * 0x9E3779B97F4A7C15ULL + (uint64_t)(i + 1) * 0xD1B54A32D192ED03ULL;
  for (int k = 0; k < 8; k++) uniform(&s->r);
  s->price = 50.0 + 450.0 * uniform(&s->r);
  s->beta = 0.6 + 0.3 * uniform(&s->r); /* correlation with the market */
  s->drift = 0.0002 + 0.0003 * uniform(&s->r);
  s->alpha = 0.07 + 0.03 * uniform(&s->r);
  s->garch = 0.89 - 0.02 * uniform(&s->r);
  double target = pow(0.008 + 0.005 * uniform(&s->r), 2); /* long-run daily variance */
  s->omega = target * (1.0 - s->alpha - s->garch);
  s->var = target;
  s->jump_p = 0.002;
}

/* One session: the market move m is shared by every symbol. */
static void sym_step(sym *s, double m, double *open, double *high, double *low, double *close,
                     int64_t *volume) {
  double sd = sqrt(s->var);
  /* unit variance mix of the market move and the symbol's own */
  double e = sd * (s->beta * m + sqrt(1.0 - s->beta * s->beta) * normal(&s->r));
  if (uniform(&s->r) < s->jump_p) e -= sd * (3.0 + 4.0 * uniform(&s->r)); /* a crash day */
  double r = s->drift - 0.5 * s->var + e;
  s->var = s->omega + s->alpha * e * e + s->garch * s->var;
  if (s->var > 0.0025) s->var = 0.0025; /* cap at 5% daily */
  double prev = s->price;
  s->price = prev * exp(r);
  if (s->price < 0.05) s->price = 0.05;
  *close = round(s->price * 100.0) / 100.0;
  *open = round(prev * exp(0.3 * sd * normal(&s->r)) * 100.0) / 100.0;
  double top = *open > *close ? *open : *close, bot = *open < *close ? *open : *close;
  *high = round(top * exp(fabs(0.5 * sd * normal(&s->r))) * 100.0) / 100.0;
  *low = round(bot * exp(-fabs(0.5 * sd * normal(&s->r))) * 100.0) / 100.0;
  if (*low < 0.01) *low = 0.01;
  if (*open < *low) *open = *low;
  if (*close < *low) *close = *low;
  *volume = (int64_t)(1e6 * (1.0 + 20.0 * sd) * exp(0.3 * normal(&s->r)));
}

static int usage(void) {
  fprintf(stderr, "usage: genprices --csv SYMBOL | --db FILE [--symbols N] [--days N] [--seed S] "
                  "[--start YYYY-MM-DD]\n");
  return 2;
}

int main(int argc, char **argv) {
  const char *csv = NULL, *db_path = NULL, *start = "1990-01-02";
  long symbols = 1, days = 2520;
  unsigned long long seed = 42;
  for (int i = 1; i < argc; i++) {
    if (i + 1 >= argc) return usage();
    if (!strcmp(argv[i], "--csv")) csv = argv[++i];
    else if (!strcmp(argv[i], "--db")) db_path = argv[++i];
    else if (!strcmp(argv[i], "--symbols")) symbols = atol(argv[++i]);
    else if (!strcmp(argv[i], "--days")) days = atol(argv[++i]);
    else if (!strcmp(argv[i], "--seed")) seed = strtoull(argv[++i], NULL, 10);
    else if (!strcmp(argv[i], "--start")) start = argv[++i];
    else return usage();
  }
  int y, m, d;
  if ((!csv == !db_path) || symbols < 1 || symbols > 100000 || days < 1 ||
      sscanf(start, "%d-%d-%d", &y, &m, &d) != 3)
    return usage();
  int64_t day0 = days_from_civil(y, m, d);
  if (csv) symbols = 1;
  sym *s = calloc((size_t)symbols, sizeof *s);
  if (!s) return 1;
  rng market = {seed ^ 0xA5A5A5A5DEADBEEFULL};
  uint64_t name_hash = 1469598103934665603ULL; /* FNV-1a of the CSV symbol */
  for (const char *p = csv ? csv : ""; *p; p++) name_hash = (name_hash ^ (unsigned char)*p) * 1099511628211ULL;
  for (long i = 0; i < symbols; i++) sym_init(&s[i], csv ? seed ^ name_hash : seed, (int)i);

  sqlite3 *db = NULL;
  sqlite3_stmt *ins = NULL;
  if (db_path) {
    if (sqlite3_open(db_path, &db) != SQLITE_OK ||
        sqlite3_exec(db,
                     "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
                     "CREATE TABLE IF NOT EXISTS prices(symbol TEXT NOT NULL, date TEXT NOT NULL,"
                     " open REAL, high REAL, low REAL, close REAL, adj_close REAL, volume INTEGER,"
                     " PRIMARY KEY (symbol, date)) WITHOUT ROWID;"
                     "CREATE VIEW IF NOT EXISTS closes AS SELECT symbol, date, close FROM prices;"
                     "BEGIN;",
                     NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "INSERT INTO prices VALUES (?,?,?,?,?,?,?,?)", -1, &ins, NULL)) {
      fprintf(stderr, "genprices: %s\n", sqlite3_errmsg(db));
      return 1;
    }
  } else {
    printf("Date,Open,High,Low,Close,Adj Close,Volume\n");
  }
  /* Symbols are generated day by day so they share each day's market move;
  ** rows are written symbol by symbol in date order, the table's key order,
  ** by keeping each symbol's series in memory only for --db. */
  double *o = NULL, *h = NULL, *l = NULL, *c = NULL;
  int64_t *v = NULL, *dates = malloc(sizeof(int64_t) * (size_t)days);
  if (db_path) {
    size_t n = (size_t)symbols * (size_t)days;
    o = malloc(n * sizeof *o), h = malloc(n * sizeof *h), l = malloc(n * sizeof *l);
    c = malloc(n * sizeof *c), v = malloc(n * sizeof *v);
    if (!o || !h || !l || !c || !v) {
      fprintf(stderr, "genprices: out of memory\n");
      return 1;
    }
  }
  int64_t z = day0;
  for (long t = 0; t < days; t++, z++) {
    while (!is_session(z)) z++;
    dates[t] = z;
    double mk = normal(&market);
    for (long i = 0; i < symbols; i++) {
      double oo, hh, ll, cc;
      int64_t vv;
      sym_step(&s[i], mk, &oo, &hh, &ll, &cc, &vv);
      civil_from_days(z, &y, &m, &d);
      if (csv) {
        printf("%04d-%02d-%02d,%.2f,%.2f,%.2f,%.2f,%.2f,%lld\n", y, m, d, oo, hh, ll, cc, cc, (long long)vv);
      } else {
        size_t k = (size_t)i * (size_t)days + (size_t)t;
        o[k] = oo, h[k] = hh, l[k] = ll, c[k] = cc, v[k] = vv;
      }
    }
  }
  if (db_path) {
    char sym_name[16], date[16];
    for (long i = 0; i < symbols; i++) {
      snprintf(sym_name, sizeof sym_name, "S%03ld", i);
      for (long t = 0; t < days; t++) {
        size_t k = (size_t)i * (size_t)days + (size_t)t;
        civil_from_days(dates[t], &y, &m, &d);
        snprintf(date, sizeof date, "%04d-%02d-%02d", y, m, d);
        sqlite3_bind_text(ins, 1, sym_name, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 2, date, -1, SQLITE_STATIC);
        sqlite3_bind_double(ins, 3, o[k]);
        sqlite3_bind_double(ins, 4, h[k]);
        sqlite3_bind_double(ins, 5, l[k]);
        sqlite3_bind_double(ins, 6, c[k]);
        sqlite3_bind_double(ins, 7, c[k]);
        sqlite3_bind_int64(ins, 8, v[k]);
        if (sqlite3_step(ins) != SQLITE_DONE) {
          fprintf(stderr, "genprices: %s\n", sqlite3_errmsg(db));
          return 1;
        }
        sqlite3_reset(ins);
      }
    }
    sqlite3_finalize(ins);
    if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
      fprintf(stderr, "genprices: %s\n", sqlite3_errmsg(db));
      return 1;
    }
    sqlite3_close(db);
  }
  free(o), free(h), free(l), free(c), free(v), free(dates), free(s);
  return 0;
}

/*
** pictures.c - pictures in SQL:
**
**   fin_sparkline(value [, width])   ▁▂▃▅▇█ one character per value, or
**                                    width characters, each the mean of
**                                    a run of values; aggregate and window
**   fin_bar(x [, max [, width]])     ████▍ x on a scale where max fills
**                                    width characters (1 and 20 unless given)
**   fin_chart(time, price [, options])
**                                    an SVG: the price line over its
**                                    underwater panel (k_chart.c)
**
** Requirements:
**  1. NULL values are skipped (sparkline, chart) or give NULL (bar). No
**     rows: NULL.
**  2. fin_sparkline draws rows in the order SQLite feeds them (the
**     window's ORDER BY, or an ordered subquery for a plain aggregate);
**     fin_chart sorts its rows by time, so it needs no order.
**  3. Widths and options are the same on every row of a call.
**  4. The text is UTF-8; the pictures' geometry is in kernels.h.
*/
#include <string.h>
#include "../fin_ext.h"

/* U+2581..U+2588, the eight heights of a sparkline, and U+258F..U+2589,
** a character filled one to seven eighths from the left. */
static const char *const spark_glyph[8] = {"\xe2\x96\x81", "\xe2\x96\x82", "\xe2\x96\x83",
                                           "\xe2\x96\x84", "\xe2\x96\x85", "\xe2\x96\x86",
                                           "\xe2\x96\x87", "\xe2\x96\x88"};
static const char *const bar_part[8] = {"",             "\xe2\x96\x8f", "\xe2\x96\x8e",
                                        "\xe2\x96\x8d", "\xe2\x96\x8c", "\xe2\x96\x8b",
                                        "\xe2\x96\x8a", "\xe2\x96\x89"};
#define GLYPH_BYTES 3

#define SPARK_MAX_WIDTH 10000
#define BAR_MAX_WIDTH 1000

/* --------------------------------------------------------- fin_sparkline */
typedef struct spark_ctx {
  fin_ring v;
  fin_const width; /* two-argument form */
} spark_ctx;

static void spark_step(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  spark_ctx *p = sqlite3_aggregate_context(ctx, sizeof *p);
  if (!p) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  const char *fn = fin_fn_of(ctx)->name;
  char *err = NULL;
  int64_t w;
  int rc = FIN_READ_OK;
  if (argc == 2) {
    rc = fin_read_count(argv[1], fn, "width", 1, SPARK_MAX_WIDTH, &w, &err);
    if (rc == FIN_READ_OK) rc = fin_const_check(&p->width, (double)w, fn, "width", &err);
  }
  double x;
  if (rc == FIN_READ_OK) rc = fin_read_number(argv[0], fn, "value", &x, &err);
  if (rc == FIN_READ_ERR) fin_result_error(ctx, err);
  if (rc == FIN_READ_OK && fin_k_ring_push(&p->v, x)) sqlite3_result_error_nomem(ctx);
}

static void spark_inverse(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  spark_ctx *p = sqlite3_aggregate_context(ctx, 0);
  if (p && p->v.len && sqlite3_value_type(argv[0]) != SQLITE_NULL) fin_k_ring_pop(&p->v);
}

static void spark_result(sqlite3_context *ctx, spark_ctx *p) {
  if (!p || !p->v.len) return;
  size_t n = p->v.len, w = p->width.set ? (size_t)p->width.v : n, m = n < w ? n : w;
  double *tmp = sqlite3_malloc64(m * (sizeof(double) + 1));
  char *z = sqlite3_malloc64(m * GLYPH_BYTES + 1);
  if (!tmp || !z) {
    sqlite3_free(tmp);
    sqlite3_free(z);
    sqlite3_result_error_nomem(ctx);
    return;
  }
  unsigned char *level = (unsigned char *)(tmp + m);
  m = fin_k_spark_levels(&p->v, w, level, tmp);
  for (size_t i = 0; i < m; i++) memcpy(z + i * GLYPH_BYTES, spark_glyph[level[i]], GLYPH_BYTES);
  z[m * GLYPH_BYTES] = 0;
  sqlite3_free(tmp);
  sqlite3_result_text(ctx, z, (int)(m * GLYPH_BYTES), sqlite3_free);
}

static void spark_value(sqlite3_context *ctx) { spark_result(ctx, sqlite3_aggregate_context(ctx, 0)); }

static void spark_final(sqlite3_context *ctx) {
  spark_ctx *p = sqlite3_aggregate_context(ctx, 0);
  spark_result(ctx, p);
  if (p) fin_k_ring_free(&p->v);
}

/* ---------------------------------------------------------------- fin_bar */
static void bar_func(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  const char *fn = fin_fn_of(ctx)->name;
  char *err = NULL;
  double x, max = 1.0;
  int64_t width = 20;
  int rc = fin_read_number(argv[0], fn, "x", &x, &err);
  if (rc == FIN_READ_OK && x < 0.0) {
    err = fin_must_be(fn, "x", ">= 0 (draw a loss as -x)", argv[0]);
    rc = FIN_READ_ERR;
  }
  if (rc != FIN_READ_ERR && argc > 1) {
    int r = fin_read_price(argv[1], fn, "max", &max, &err);
    if (r == FIN_READ_NULL) err = fin_must_be(fn, "max", "a number > 0", argv[1]);
    if (r != FIN_READ_OK) rc = FIN_READ_ERR;
  }
  if (rc != FIN_READ_ERR && argc > 2 &&
      fin_read_count(argv[2], fn, "width", 1, BAR_MAX_WIDTH, &width, &err) != FIN_READ_OK) {
    rc = FIN_READ_ERR;
  }
  if (rc == FIN_READ_ERR) {
    fin_result_error(ctx, err);
    return;
  }
  if (rc == FIN_READ_NULL) return; /* x is NULL: no bar (max and width were checked) */
  int64_t e = fin_k_bar_eighths(x, max, (int)width);
  char *z = sqlite3_malloc64((size_t)(e / 8 + 1) * GLYPH_BYTES + 1);
  if (!z) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  size_t len = 0;
  for (int64_t i = 0; i < e / 8; i++, len += GLYPH_BYTES) memcpy(z + len, spark_glyph[7], GLYPH_BYTES);
  size_t k = strlen(bar_part[e % 8]);
  memcpy(z + len, bar_part[e % 8], k);
  len += k;
  z[len] = 0;
  sqlite3_result_text(ctx, z, (int)len, sqlite3_free);
}

/* -------------------------------------------------------------- fin_chart */
typedef struct chart_ctx {
  fin_timed tm;
  char *options;       /* the first row's options text, to compare with later rows */
  fin_chart_opts opt;
  char *title;         /* opt.title points here */
  int failed;          /* options refused: the error is reported, nothing to draw */
} chart_ctx;

/* Trims blanks at both ends of [*a, *b). */
static void trim(const char **a, const char **b) {
  while (*a < *b && (**a == ' ' || **a == '\t' || **a == '\n')) (*a)++;
  while (*b > *a && ((*b)[-1] == ' ' || (*b)[-1] == '\t' || (*b)[-1] == '\n')) (*b)--;
}

/* Parses 'title=...; width=800; height=480; scale=linear|log'. Returns
** NULL, or the message (sqlite3_mprintf; NULL for memory is told apart by
** *nomem). */
static char *parse_options(const char *fn, const char *z, chart_ctx *p, int *nomem) {
  const char *s = z;
  while (*s) {
    const char *end = strchr(s, ';');
    if (!end) end = s + strlen(s);
    const char *ka = s, *eq = memchr(s, '=', (size_t)(end - s));
    s = *end ? end + 1 : end;
    const char *kb = eq ? eq : end;
    trim(&ka, &kb);
    if (ka == kb && !eq) continue; /* an empty item: 'width=800;' */
    if (!eq) return sqlite3_mprintf("%s(): options: '%.*s' must be key=value, in '%s'", fn,
                                    (int)(kb - ka), ka, z);
    const char *va = eq + 1, *vb = end;
    trim(&va, &vb);
    int klen = (int)(kb - ka), vlen = (int)(vb - va);
    if (klen == 5 && !sqlite3_strnicmp(ka, "title", 5)) {
      sqlite3_free(p->title);
      p->title = sqlite3_mprintf("%.*s", vlen, va);
      if (!p->title) {
        *nomem = 1;
        return NULL;
      }
      p->opt.title = p->title;
    } else if ((klen == 5 && !sqlite3_strnicmp(ka, "width", 5)) ||
               (klen == 6 && !sqlite3_strnicmp(ka, "height", 6))) {
      int is_w = klen == 5, lo = is_w ? 240 : 160, hi = is_w ? 4000 : 3000, n = 0, i = 0;
      for (; i < vlen && va[i] >= '0' && va[i] <= '9' && n <= hi; i++) n = n * 10 + (va[i] - '0');
      if (vlen == 0 || i < vlen || n < lo || n > hi) {
        return sqlite3_mprintf("%s(): options: %s must be a whole number of pixels between %d and "
                               "%d, got '%.*s'",
                               fn, is_w ? "width" : "height", lo, hi, vlen, va);
      }
      if (is_w) p->opt.width = n;
      else p->opt.height = n;
    } else if (klen == 5 && !sqlite3_strnicmp(ka, "scale", 5)) {
      if (vlen == 3 && !sqlite3_strnicmp(va, "log", 3)) p->opt.log_scale = 1;
      else if (vlen == 6 && !sqlite3_strnicmp(va, "linear", 6)) p->opt.log_scale = 0;
      else return sqlite3_mprintf("%s(): options: scale must be 'linear' or 'log', got '%.*s'", fn,
                                  vlen, va);
    } else {
      return sqlite3_mprintf("%s(): options: unknown key '%.*s' (the keys are title, width, height "
                             "and scale), in '%s'",
                             fn, klen, ka, z);
    }
  }
  return NULL;
}

static void chart_step(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  chart_ctx *p = sqlite3_aggregate_context(ctx, sizeof *p);
  if (!p) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  if (p->failed) return;
  const char *fn = fin_fn_of(ctx)->name;
  if (!p->options) {
    fin_timed_init(&p->tm, FIN_SWAG_MAXDD, 0); /* every point is drawn: none dropped */
    p->opt.width = 800;
    p->opt.height = 480;
    const char *z = "";
    if (argc == 3 && sqlite3_value_type(argv[2]) != SQLITE_TEXT) {
      p->failed = 1;
      fin_result_error(ctx, fin_must_be(fn, "options", "text such as 'title=RUT; width=800'", argv[2]));
      return;
    }
    if (argc == 3) z = (const char *)sqlite3_value_text(argv[2]);
    p->options = sqlite3_mprintf("%s", z ? z : "");
    int nomem = !p->options;
    char *err = nomem ? NULL : parse_options(fn, p->options, p, &nomem);
    if (err || nomem) {
      p->failed = 1;
      if (err) fin_result_error(ctx, err);
      else sqlite3_result_error_nomem(ctx);
      return;
    }
  } else if (argc == 3) {
    const char *z = (const char *)sqlite3_value_text(argv[2]);
    if (!z || strcmp(z, p->options) != 0) {
      p->failed = 1;
      fin_result_error(ctx, sqlite3_mprintf("%s(): options must be the same for every row", fn));
      return;
    }
  }
  double v;
  int moved, dropped;
  if (fin_timed_step(ctx, &p->tm, argv, &v, &moved, &dropped) == FIN_READ_ERR) p->failed = 1;
}

static void chart_final(sqlite3_context *ctx) {
  chart_ctx *p = sqlite3_aggregate_context(ctx, 0);
  if (!p) return;
  size_t n = p->options ? fin_timed_count(&p->tm) : 0;
  if (!p->failed && n) {
    double *t = NULL, *v = fin_timed_sorted(ctx, &p->tm, &t);
    if (v) {
      fin_text o;
      memset(&o, 0, sizeof o);
      p->opt.dates = p->tm.tl.kind == 2;
      if (fin_k_chart_svg(t, v, n, &p->opt, &o) != FIN_OK) {
        sqlite3_result_error_nomem(ctx);
        fin_k_text_free(&o);
      } else {
        sqlite3_result_text64(ctx, o.z, o.len, sqlite3_free, SQLITE_UTF8);
      }
      sqlite3_free(v);
    }
  }
  if (p->options) fin_timed_free(&p->tm);
  sqlite3_free(p->options);
  sqlite3_free(p->title);
}

/* ------------------------------------------------------------ registration */
#define SPARK(n) \
  {.name = "fin_sparkline", .nArg = n, .flags = FIN_PURE, .xStep = spark_step, \
   .xFinal = spark_final, .xValue = spark_value, .xInverse = spark_inverse}
#define BAR(n) {.name = "fin_bar", .nArg = n, .flags = FIN_PURE, .xFunc = bar_func}
#define CHART(n) {.name = "fin_chart", .nArg = n, .flags = FIN_PURE, .xStep = chart_step, .xFinal = chart_final}

static const fin_fn pictures[] = {SPARK(1), SPARK(2), BAR(1), BAR(2), BAR(3), CHART(2), CHART(3)};
const fin_fn_list fin_picture_fns = FIN_FN_LIST(pictures);

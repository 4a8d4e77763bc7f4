/*
** k_underwater.c - time under water over a frame that slides: the
** drawdowns of the frame's prices from the frame's own running high,
** summed and timed for the measures built on them (measures_dd.c): the
** Ulcer index (the root of the mean of dd^2), the pain index (the mean of
** |dd|), and the longest and the current episode under water, in rows and
** in time units.
**
** An episode follows fin_drawdowns' rule (k_episodes.c): the peak is the
** last row at the running high, the episode lasts until the first row back
** at or above it (the recovery) or, while under water, to the last row;
** equal highs never start one. Its length is recovery (or last) row minus
** peak row, and its time the same difference of their times.
**
** HOW IT WORKS. The running highs of a frame that starts at row s are its
** records: s, then the first row at least as high as s, and so on to the
** frame's high (the chain of s). Each record c owns the rows from it to
** the next record, whose drawdowns are from c's price: its segment, summed
** once (dd^2, |dd|, and its episode's rows and time when rows between were
** under water). The frame's answer combines the segments of the chain:
** sums add, lengths take the larger, nothing is ever subtracted.
**   - A push extends the last segment (the frame's high), or closes it and
**     starts a new one at a new high: O(1).
**   - When s leaves, the chain of s + 1 is the records between s and the
**     next record c1 (every row there is below s), then c1 onwards
**     unchanged. Those records and their segments are found by one scan
**     of the rows between s and c1, the rows s's segment held.
** The chain is a deque: records found by a scan go to its front, new highs
** to its back. The front is a stack whose every entry also holds the
** combination of itself and the entries below it; the back is a list with
** a running combination; when the front runs empty, the back moves over.
** So the answer is three combinations, O(1). A row is scanned again each
** time a record that covers it leaves: as many times as there are higher
** rows before it in the frame with no row as high in between (the depth
** of the running high's staircase at that row), in practice a few, in the
** worst case (a frame that only falls) the frame.
*/
#include <string.h>
#include "kernels.h"

static const fin_uwsum sum_empty = {0.0, 0.0, 0, 0.0};

static fin_uwsum combine(fin_uwsum a, fin_uwsum b) {
  fin_uwsum s = {a.s2 + b.s2, a.s1 + b.s1, a.len > b.len ? a.len : b.len, a.span > b.span ? a.span : b.span};
  return s;
}

void fin_k_uw_init(fin_uw *u) {
  memset(u, 0, sizeof *u);
  u->bsum = u->open = sum_empty;
}

void fin_k_uw_free(fin_uw *u) {
  fin_k_ring_free(&u->v);
  fin_k_ring_free(&u->t);
  fin_free(u->f);
  fin_free(u->b);
  fin_free(u->tmp);
  fin_k_uw_init(u);
}

/* Room for need nodes in *p. */
static int reserve(fin_uwnode **p, size_t *cap, size_t need) {
  size_t n = *cap;
  while (n < need)
    if (!(n = fin_k_grow_cap(n, sizeof **p))) return FIN_NOMEM;
  if (n == *cap) return FIN_OK;
  fin_uwnode *np = fin_malloc(n * sizeof *np);
  if (!np) return FIN_NOMEM;
  if (*p) memcpy(np, *p, *cap * sizeof *np);
  fin_free(*p);
  *p = np;
  *cap = n;
  return FIN_OK;
}

static double v_at(const fin_uw *u, int64_t row) { return fin_k_ring_at(&u->v, (size_t)(row - u->first)); }
static double t_at(const fin_uw *u, int64_t row) { return fin_k_ring_at(&u->t, (size_t)(row - u->first)); }

/* A record's segment from row c to row end (excluded), all below c's price;
** closed: end is the recovery (else the rows run to the last). */
static fin_uwsum segment(const fin_uw *u, int64_t c, int64_t end, int closed) {
  fin_uwsum s = sum_empty;
  double top = v_at(u, c);
  for (int64_t i = c + 1; i < end; i++) {
    double dd = fin_k_pct_change(v_at(u, i), top);
    s.s2 += dd * dd;
    s.s1 -= dd;
  }
  int64_t last = closed ? end : end - 1; /* the recovery, or the last row */
  if (end - c >= 2 || (!closed && last > c)) {
    s.len = last - c;
    s.span = t_at(u, last) - t_at(u, c);
  }
  return s;
}

/* The back list gets a closed segment. */
static int back_push(fin_uw *u, int64_t row, fin_uwsum seg) {
  if (!u->folded) {
    if (reserve(&u->b, &u->capb, u->nb + 1)) return FIN_NOMEM;
    u->b[u->nb].row = row;
    u->b[u->nb].seg = seg;
    u->nb++;
  }
  u->bsum = combine(u->bsum, seg);
  return FIN_OK;
}

/* The front stack gets a segment on top (before everything it holds). */
static void front_push(fin_uw *u, int64_t row, fin_uwsum seg) {
  fin_uwnode *n = &u->f[u->nf];
  n->row = row;
  n->seg = seg;
  n->agg = u->nf ? combine(seg, u->f[u->nf - 1].agg) : seg;
  u->nf++;
}

int fin_k_uw_push(fin_uw *u, double t, double v) {
  if (!u->folded) {
    if (fin_k_ring_push(&u->v, v)) return FIN_NOMEM;
    if (fin_k_ring_push(&u->t, t)) {
      u->v.len--;
      return FIN_NOMEM;
    }
  }
  int64_t row = u->n;
  if (u->has_open && v >= u->open_v) {
    /* a new high closes the last segment: its episode recovered here */
    fin_uwsum seg = u->open;
    if (row - u->open_row >= 2) {
      seg.len = row - u->open_row;
      seg.span = t - u->open_t;
    } else {
      seg.len = 0;
      seg.span = 0.0;
    }
    if (back_push(u, u->open_row, seg)) {
      if (!u->folded) u->v.len--, u->t.len--;
      return FIN_NOMEM;
    }
    u->has_open = 0;
  }
  if (!u->has_open) {
    u->has_open = 1;
    u->open_row = row;
    u->open_v = v;
    u->open_t = t;
    u->open = sum_empty;
  } else {
    double dd = fin_k_pct_change(v, u->open_v);
    u->open.s2 += dd * dd;
    u->open.s1 -= dd;
    u->open.len = row - u->open_row;
    u->open.span = t - u->open_t;
  }
  u->last_t = t;
  u->n++;
  return FIN_OK;
}

/* The records of the rows (from, to) in order into u->tmp, each with its
** segment to the next record; the last one's ends at to, a recovery when
** closed (else the rows run to the frame's last). Their number. */
static size_t records(fin_uw *u, int64_t from, int64_t to, int closed) {
  size_t k = 0;
  int64_t r = from + 1;
  while (r < to) {
    int64_t next = r + 1;
    double top = v_at(u, r);
    while (next < to && v_at(u, next) < top) next++;
    u->tmp[k].row = r;
    u->tmp[k].seg = segment(u, r, next, next < to || closed);
    k++;
    r = next;
  }
  return k;
}

int fin_k_uw_pop(fin_uw *u) {
  if (u->folded) return FIN_NOMEM; /* callers check fin_keep first; never reached */
  int64_t s = u->first, e = u->n - 1;
  if (s > e) return FIN_OK;
  if (reserve(&u->tmp, &u->captmp, (size_t)(e - s + 1))) return FIN_NOMEM;
  if (reserve(&u->f, &u->capf, u->nf + u->nb + (size_t)(e - s + 1))) return FIN_NOMEM;
  if (reserve(&u->b, &u->capb, u->nb + (size_t)(e - s + 1))) return FIN_NOMEM; /* no failure below */
  if (u->nf == 0 && u->nb > 0) {
    /* the front ran empty: the back moves over, its oldest on top */
    for (size_t i = u->nb; i-- > 0;) front_push(u, u->b[i].row, u->b[i].seg);
    u->nb = 0;
    u->bsum = sum_empty;
  }
  if (u->nf > 0) {
    /* s heads the chain on the front: its successor c1 is next */
    u->nf--;
    int64_t c1 = u->nf ? u->f[u->nf - 1].row : u->nb ? u->b[0].row : u->open_row;
    size_t k = records(u, s, c1, 1);
    for (size_t i = k; i-- > 0;) front_push(u, u->tmp[i].row, u->tmp[i].seg);
  } else if (s < e) {
    /* s was the frame's high: the rows after it hold new records, the
    ** last of them the new high, whose segment is still open */
    size_t k = records(u, s, e + 1, 0);
    for (size_t i = 0; i + 1 < k; i++) back_push(u, u->tmp[i].row, u->tmp[i].seg);
    int64_t r = u->tmp[k - 1].row;
    u->open_row = r;
    u->open_v = v_at(u, r);
    u->open_t = t_at(u, r);
    u->open = u->tmp[k - 1].seg;
  } else {
    u->has_open = 0; /* the frame is empty */
  }
  fin_k_ring_pop(&u->v);
  fin_k_ring_pop(&u->t);
  u->first++;
  return FIN_OK;
}

void fin_k_uw_fold(fin_uw *u) {
  if (u->folded) return;
  /* the closed segments become one summary; the open one stays */
  u->bsum = combine(u->nf ? u->f[u->nf - 1].agg : sum_empty, u->bsum);
  fin_k_ring_free(&u->v);
  fin_k_ring_free(&u->t);
  fin_free(u->f);
  fin_free(u->b);
  fin_free(u->tmp);
  u->f = u->b = u->tmp = NULL;
  u->nf = u->nb = u->capf = u->capb = u->captmp = 0;
  u->folded = 1;
}

fin_uwsum fin_k_uw_total(const fin_uw *u) {
  fin_uwsum s = combine(u->nf ? u->f[u->nf - 1].agg : sum_empty, u->bsum);
  return u->has_open ? combine(s, u->open) : s;
}

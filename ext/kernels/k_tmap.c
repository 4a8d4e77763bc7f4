/*
** k_tmap.c - an ordered map from times to values, for the (time, price)
** aggregates when rows come in another order than time (a plain aggregate
** over an unsorted group, or OVER (ORDER BY time DESC)): insert, delete by
** time, the earliest and latest pair, and the segment summary of all the
** values in time order (fin_seg: their drawdown), each in O(log n).
**
** A treap: a binary search tree on the time whose nodes also form a heap
** on a priority drawn from a fixed sequence (xorshift of the insertion
** count), so its shape is that of a random tree whatever the order of the
** times, and its depth is O(log n) with high probability. Each node keeps
** the summary of its subtree, so the whole frame's summary is the root's.
** Nodes live in one array, addressed by index (a deleted node's slot is
** reused), so growing the array moves no pointer.
*/
#include <string.h>
#include "kernels.h"

#define NIL (-1)

typedef struct fin_tnode {
  double t, v;
  fin_seg sum; /* of the subtree, in time order */
  uint32_t pri;
  int32_t l, r;
} fin_tnode;

void fin_k_tmap_init(fin_tmap *m, fin_swag_op op) {
  memset(m, 0, sizeof *m);
  m->op = op;
  m->root = m->free = NIL;
  m->seed = 0x9e3779b9u;
}

void fin_k_tmap_free(fin_tmap *m) {
  fin_free(m->node);
  fin_k_tmap_init(m, m->op);
}

static fin_seg sum_of(const fin_tmap *m, int32_t i) {
  return i == NIL ? fin_k_seg_identity(m->op) : m->node[i].sum;
}

static void update(fin_tmap *m, int32_t i) {
  fin_tnode *x = &m->node[i];
  x->sum = fin_k_seg_combine(m->op, fin_k_seg_combine(m->op, sum_of(m, x->l), fin_k_seg_lift(m->op, x->v)),
                             sum_of(m, x->r));
}

/* Splits the tree at i into times < t (*a) and times >= t (*b). */
static void split(fin_tmap *m, int32_t i, double t, int32_t *a, int32_t *b) {
  if (i == NIL) {
    *a = *b = NIL;
    return;
  }
  if (m->node[i].t < t) {
    split(m, m->node[i].r, t, &m->node[i].r, b);
    *a = i;
  } else {
    split(m, m->node[i].l, t, a, &m->node[i].l);
    *b = i;
  }
  update(m, i);
}

/* Joins a and b, every time of a before every time of b. */
static int32_t merge(fin_tmap *m, int32_t a, int32_t b) {
  if (a == NIL) return b;
  if (b == NIL) return a;
  if (m->node[a].pri > m->node[b].pri) {
    m->node[a].r = merge(m, m->node[a].r, b);
    update(m, a);
    return a;
  }
  m->node[b].l = merge(m, a, m->node[b].l);
  update(m, b);
  return b;
}

int fin_k_tmap_insert(fin_tmap *m, double t, double v) {
  for (int32_t i = m->root; i != NIL; i = t < m->node[i].t ? m->node[i].l : m->node[i].r)
    if (m->node[i].t == t) return FIN_TMAP_REPEAT;
  int32_t k = m->free;
  if (k != NIL) {
    m->free = m->node[k].l;
  } else {
    if (m->len == m->cap) {
      size_t n = fin_k_grow_cap(m->cap, sizeof(fin_tnode));
      if (!n || n > INT32_MAX) return FIN_NOMEM;
      fin_tnode *p = fin_malloc(n * sizeof *p);
      if (!p) return FIN_NOMEM;
      if (m->len) memcpy(p, m->node, m->len * sizeof *p);
      fin_free(m->node);
      m->node = p;
      m->cap = n;
    }
    k = (int32_t)m->len++;
  }
  m->seed ^= m->seed << 13;
  m->seed ^= m->seed >> 17;
  m->seed ^= m->seed << 5;
  fin_tnode *x = &m->node[k];
  x->t = t;
  x->v = v;
  x->pri = m->seed;
  x->l = x->r = NIL;
  update(m, k);
  int32_t a, b;
  split(m, m->root, t, &a, &b);
  m->root = merge(m, merge(m, a, k), b);
  m->count++;
  return FIN_OK;
}

/* Removes the node of time t below i; returns the new subtree. */
static int32_t erase(fin_tmap *m, int32_t i, double t, int *found) {
  if (i == NIL) return NIL;
  fin_tnode *x = &m->node[i];
  if (x->t == t) {
    int32_t j = merge(m, x->l, x->r);
    x->l = m->free; /* the slot goes on the free list */
    m->free = i;
    *found = 1;
    return j;
  }
  if (t < x->t) x->l = erase(m, x->l, t, found);
  else x->r = erase(m, x->r, t, found);
  update(m, i);
  return i;
}

int fin_k_tmap_delete(fin_tmap *m, double t) {
  int found = 0;
  m->root = erase(m, m->root, t, &found);
  if (found) m->count--;
  return found;
}

size_t fin_k_tmap_count(const fin_tmap *m) { return m->count; }

int fin_k_tmap_first(const fin_tmap *m, double *t, double *v) {
  int32_t i = m->root;
  if (i == NIL) return 0;
  while (m->node[i].l != NIL) i = m->node[i].l;
  *t = m->node[i].t;
  *v = m->node[i].v;
  return 1;
}

int fin_k_tmap_last(const fin_tmap *m, double *t, double *v) {
  int32_t i = m->root;
  if (i == NIL) return 0;
  while (m->node[i].r != NIL) i = m->node[i].r;
  *t = m->node[i].t;
  *v = m->node[i].v;
  return 1;
}

fin_seg fin_k_tmap_summary(const fin_tmap *m) { return sum_of(m, m->root); }

/* In-order walk with a stack of the path's left turns (at most count). */
size_t fin_k_tmap_sorted(const fin_tmap *m, double *t, double *v) {
  size_t n = 0;
  int32_t i = m->root;
  int32_t *stack = fin_malloc((m->count + 1) * sizeof *stack);
  size_t top = 0;
  if (!stack) return (size_t)-1;
  while (i != NIL || top) {
    while (i != NIL) {
      stack[top++] = i;
      i = m->node[i].l;
    }
    i = stack[--top];
    t[n] = m->node[i].t;
    v[n] = m->node[i].v;
    n++;
    i = m->node[i].r;
  }
  fin_free(stack);
  return n;
}

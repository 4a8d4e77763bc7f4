/*
** k_ranks.c - a multiset of doubles that answers "how many values are
** below v" in O(log n), with insertion and removal of any value in
** O(log n): the frame of fin_percent_rank, which slides (the oldest value
** leaves, whatever its rank).
**
** A treap: a binary search tree on the value whose nodes also form a heap
** on a priority drawn from a fixed sequence (xorshift), so its shape is
** that of a random tree whatever order the values come in (a rising
** series would make a plain search tree a list), and its depth is
** O(log n) with high probability. A node holds one distinct value, how
** many copies of it the set has, and the number of values in its subtree,
** which is what a rank query adds up on its way down. Nodes live in one
** array, addressed by index; a removed node's slot goes on a free list.
** Equal values are one node: -0.0 and 0.0 compare equal and share one.
*/
#include <string.h>
#include "kernels.h"

#define NIL (-1)

struct fin_rnode {
  double v;
  int64_t copies; /* of v in the set */
  int64_t size;   /* values in the subtree, copies counted */
  uint32_t pri;
  int32_t l, r;
};

void fin_k_ranks_init(fin_ranks *t) {
  memset(t, 0, sizeof *t);
  t->root = t->free = NIL;
  t->seed = 0x2545f491u;
}

void fin_k_ranks_free(fin_ranks *t) {
  fin_free(t->node);
  fin_k_ranks_init(t);
}

int64_t fin_k_ranks_count(const fin_ranks *t) { return t->root == NIL ? 0 : t->node[t->root].size; }

static int64_t size_of(const fin_ranks *t, int32_t i) { return i == NIL ? 0 : t->node[i].size; }

static void resize(fin_ranks *t, int32_t i) {
  fin_rnode *x = &t->node[i];
  x->size = x->copies + size_of(t, x->l) + size_of(t, x->r);
}

/* The rotations that lift a child above its parent i; they return the
** subtree's new root. */
static int32_t lift_left(fin_ranks *t, int32_t i) {
  int32_t c = t->node[i].l;
  t->node[i].l = t->node[c].r;
  t->node[c].r = i;
  resize(t, i);
  resize(t, c);
  return c;
}
static int32_t lift_right(fin_ranks *t, int32_t i) {
  int32_t c = t->node[i].r;
  t->node[i].r = t->node[c].l;
  t->node[c].l = i;
  resize(t, i);
  resize(t, c);
  return c;
}

/* Inserts v below i; a new value takes the free slot k with priority pri
** (*used set). */
static int32_t insert(fin_ranks *t, int32_t i, double v, int32_t k, uint32_t pri, int *used) {
  if (i == NIL) {
    fin_rnode *x = &t->node[k];
    x->v = v;
    x->copies = x->size = 1;
    x->pri = pri;
    x->l = x->r = NIL;
    *used = 1;
    return k;
  }
  fin_rnode *x = &t->node[i];
  if (v == x->v) {
    x->copies++;
    x->size++;
    return i;
  }
  if (v < x->v) {
    int32_t c = insert(t, x->l, v, k, pri, used);
    t->node[i].l = c;
    resize(t, i);
    if (t->node[c].pri > t->node[i].pri) return lift_left(t, i);
  } else {
    int32_t c = insert(t, x->r, v, k, pri, used);
    t->node[i].r = c;
    resize(t, i);
    if (t->node[c].pri > t->node[i].pri) return lift_right(t, i);
  }
  return i;
}

int fin_k_ranks_insert(fin_ranks *t, double v) {
  /* A slot for a new node first, so that a failure changes nothing. */
  int32_t k = t->free, next_free = NIL;
  if (k != NIL) {
    next_free = t->node[k].l;
  } else {
    if (t->len == t->cap) {
      size_t n = fin_k_grow_cap(t->cap, sizeof(fin_rnode));
      if (!n || n > INT32_MAX) return FIN_NOMEM;
      fin_rnode *p = fin_malloc(n * sizeof *p);
      if (!p) return FIN_NOMEM;
      if (t->len) memcpy(p, t->node, t->len * sizeof *p);
      fin_free(t->node);
      t->node = p;
      t->cap = n;
    }
    k = (int32_t)t->len;
  }
  t->seed ^= t->seed << 13;
  t->seed ^= t->seed >> 17;
  t->seed ^= t->seed << 5;
  int used = 0;
  t->root = insert(t, t->root, v, k, t->seed, &used);
  if (used) {
    if (k == t->free) t->free = next_free;
    else t->len++;
  }
  return FIN_OK;
}

/* Joins a and b, every value of a below every value of b. */
static int32_t join(fin_ranks *t, int32_t a, int32_t b) {
  if (a == NIL) return b;
  if (b == NIL) return a;
  if (t->node[a].pri > t->node[b].pri) {
    t->node[a].r = join(t, t->node[a].r, b);
    resize(t, a);
    return a;
  }
  t->node[b].l = join(t, a, t->node[b].l);
  resize(t, b);
  return b;
}

/* Removes one copy of v below i (*found set when it was there). */
static int32_t erase(fin_ranks *t, int32_t i, double v, int *found) {
  if (i == NIL) return NIL;
  fin_rnode *x = &t->node[i];
  if (v == x->v) {
    *found = 1;
    if (x->copies > 1) {
      x->copies--;
      x->size--;
      return i;
    }
    int32_t j = join(t, x->l, x->r);
    t->node[i].l = t->free; /* the slot goes on the free list */
    t->free = i;
    return j;
  }
  if (v < x->v) t->node[i].l = erase(t, x->l, v, found);
  else t->node[i].r = erase(t, x->r, v, found);
  resize(t, i);
  return i;
}

int fin_k_ranks_remove(fin_ranks *t, double v) {
  int found = 0;
  t->root = erase(t, t->root, v, &found);
  return found;
}

int64_t fin_k_ranks_below(const fin_ranks *t, double v) {
  int64_t below = 0;
  for (int32_t i = t->root; i != NIL;) {
    const fin_rnode *x = &t->node[i];
    if (v <= x->v) {
      i = x->l;
    } else {
      below += size_of(t, x->l) + x->copies;
      i = x->r;
    }
  }
  return below;
}

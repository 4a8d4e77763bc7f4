/*
** threads.c - four threads open connections at once, each loading the
** extension (auto extension) and running functions and tables. Built with
** ThreadSanitizer by tests/03-threads.t: loading must write nothing that
** other threads read (the kernels' allocator was once a pair of global
** hooks rewritten by every load).
*/
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>

int sqlite3_fin_init(sqlite3 *db, char **pzErrMsg, const sqlite3_api_routines *pApi);

static void *work(void *arg) {
  int *failures = arg;
  for (int i = 0; i < 30; i++) {
    sqlite3 *db;
    sqlite3_open(":memory:", &db);
    if (sqlite3_exec(db,
                     "CREATE TABLE p(d, c); INSERT INTO p VALUES ('2024-01-02', 1), ('2024-01-03', 2);"
                     "SELECT fin_drawdown(c) OVER (ORDER BY d), fin_median(c) OVER (ORDER BY d) FROM p;"
                     "SELECT * FROM fin_forward_returns('p', '1,2'); SELECT * FROM fin_series('p');",
                     NULL, NULL, NULL) != SQLITE_OK)
      (*failures)++;
    sqlite3_close(db);
  }
  return NULL;
}

int main(void) {
  sqlite3_auto_extension((void (*)(void))sqlite3_fin_init);
  pthread_t t[4];
  int failures[4] = {0, 0, 0, 0};
  for (int i = 0; i < 4; i++) pthread_create(&t[i], NULL, work, &failures[i]);
  for (int i = 0; i < 4; i++) pthread_join(t[i], NULL);
  int f = failures[0] + failures[1] + failures[2] + failures[3];
  printf("%d failed statements\n", f);
  return f != 0;
}

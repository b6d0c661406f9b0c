/*
 * Four worker threads for gdb tests: they start, meet main at a barrier, and wait at a second
 * one while main sits in all_started(), where the tests break and list the threads.
 */
#include <pthread.h>
#include <stdio.h>

#define WORKERS 4

static pthread_barrier_t started;
static pthread_barrier_t release;

static void *worker(void *arg)
{
    (void)arg;
    pthread_barrier_wait(&started);
    pthread_barrier_wait(&release);
    return NULL;
}

void all_started(int n)
{
    printf("all %d started\n", n);
}

int main(void)
{
    pthread_t t[WORKERS];
    setvbuf(stdout, NULL, _IONBF, 0);
    pthread_barrier_init(&started, NULL, WORKERS + 1);
    pthread_barrier_init(&release, NULL, WORKERS + 1);
    for (long i = 0; i < WORKERS; i++)
        pthread_create(&t[i], NULL, worker, (void *)i);
    pthread_barrier_wait(&started);
    all_started(WORKERS);
    pthread_barrier_wait(&release);
    for (int i = 0; i < WORKERS; i++)
        pthread_join(t[i], NULL);
    printf("done\n");
    return 0;
}

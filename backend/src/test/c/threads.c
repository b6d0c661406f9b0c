/*
 * Four threads, each with its own counter, adding to a mutex-protected shared total. The
 * test checkpoints while they run; every run to the end, restarted or not, must end with a
 * total equal to the sum of the counters ("ok").
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

#define THREADS 4
#define ROUNDS 3000000L

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long total;
static long counters[THREADS];
static volatile int started;

static void *work(void *arg)
{
    long id = (long)arg;
    __atomic_add_fetch(&started, 1, __ATOMIC_SEQ_CST);
    for (long i = 0; i < ROUNDS; i++) {
        pthread_mutex_lock(&lock);
        total++;
        counters[id]++;
        pthread_mutex_unlock(&lock);
    }
    return NULL;
}

int main(void)
{
    pthread_t t[THREADS];
    setvbuf(stdout, NULL, _IONBF, 0);
    for (long i = 0; i < THREADS; i++)
        pthread_create(&t[i], NULL, work, (void *)i);
    while (__atomic_load_n(&started, __ATOMIC_SEQ_CST) < THREADS)
        usleep(1000);
    printf("started %d\n", getpid());
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    long sum = 0;
    for (int i = 0; i < THREADS; i++)
        sum += counters[i];
    printf("total %ld sum %ld %s\n", total, sum, total == sum && total == THREADS * ROUNDS ? "ok" : "BAD");
    return 0;
}

/*
 * One thread blocks in read() on stdin, another sleeps in nanosleep() in a loop (resuming
 * after EINTR with the time left, as robust code does). After a restart both must carry on:
 * the reader prints what it reads, the sleeper keeps counting.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static void *sleeper(void *arg)
{
    (void)arg;
    printf("sleeper %ld\n", (long)syscall(SYS_gettid));
    for (int n = 1;; n++) {
        struct timespec req = { 0, 200 * 1000 * 1000 }, rem;
        while (nanosleep(&req, &rem) == -1 && errno == EINTR)
            req = rem;
        printf("slept %d\n", n);
    }
    return NULL;
}

int main(void)
{
    pthread_t t;
    char buf[64];
    setvbuf(stdout, NULL, _IONBF, 0);
    printf("reader %ld\n", (long)syscall(SYS_gettid));
    pthread_create(&t, NULL, sleeper, NULL);
    ssize_t n = read(0, buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = 0;
    printf("read %s\n", buf);
    pthread_join(t, NULL); /* the sleeper never ends: the test kills us */
    return 0;
}

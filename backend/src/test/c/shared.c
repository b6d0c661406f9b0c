/*
 * A parent and a child share a counter in a MAP_SHARED anonymous mapping, under a
 * process-shared mutex. Commands on the parent's stdin: 'p' the parent adds 1, 'c' the child
 * adds 1 (asked over a pipe); both print the counter as the parent then sees it.
 */
#include <pthread.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

struct shared {
    pthread_mutex_t lock;
    long counter;
};

static void add(struct shared *s)
{
    pthread_mutex_lock(&s->lock);
    s->counter++;
    pthread_mutex_unlock(&s->lock);
}

int main(void)
{
    struct shared *s = mmap(NULL, sizeof *s, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
    pthread_mutex_init(&s->lock, &a);
    int ask[2], done[2];
    pipe(ask);
    pipe(done);
    pid_t child = fork();
    if (child == 0) {
        char c;
        while (read(ask[0], &c, 1) == 1 && c != 'q') {
            add(s);
            write(done[1], "k", 1);
        }
        _exit(0);
    }
    setvbuf(stdout, NULL, _IONBF, 0);
    printf("ready\n");
    char c;
    while (read(0, &c, 1) == 1 && c != 'q') {
        if (c == 'p') {
            add(s);
        } else if (c == 'c') {
            write(ask[1], "c", 1);
            read(done[0], &c, 1);
        }
        printf("counter %ld\n", s->counter);
    }
    write(ask[1], "q", 1);
    int status;
    printf("child %d\n", waitpid(child, &status, 0) == child && WIFEXITED(status));
    return 0;
}

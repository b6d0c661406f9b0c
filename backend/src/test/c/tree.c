/*
 * A parent and three worker processes connected by pipes. Each byte on the parent's stdin is a
 * step: the parent sends the step number to every worker, each answers with a transform of it,
 * and the parent prints the step and a running sum. 'q' ends the workers and reports, through
 * waitpid(pid), how each ended: pids and parentage must be right after a restart. 'h' and
 * 'r' split a step in two, so that answers can sit in the pipes at a checkpoint.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#define WORKERS 3

static long scale[WORKERS] = { 3, 5, 7 };

static void worker(int id, int in, int out)
{
    long k, total = 0;
    while (read(in, &k, sizeof k) == sizeof k && k >= 0) {
        total += k * scale[id];
        write(out, &total, sizeof total);
    }
    _exit(10 + id);
}

int main(void)
{
    int to[WORKERS], from[WORKERS];
    pid_t pids[WORKERS];
    setvbuf(stdout, NULL, _IONBF, 0);
    for (int i = 0; i < WORKERS; i++) {
        int a[2], b[2];
        pipe(a);
        pipe(b);
        pids[i] = fork();
        if (pids[i] == 0) {
            close(a[1]);
            close(b[0]);
            worker(i, a[0], b[1]);
        }
        close(a[0]);
        close(b[1]);
        to[i] = a[1];
        from[i] = b[0];
    }
    printf("ready %d %d %d\n", pids[0], pids[1], pids[2]);
    long step = 0, sum = 0;
    char c;
    /* 'h' sends the next step and prints "sent" without reading the answers, which then sit
     * in the pipes; 'r' reads them. Any other byte does both. */
    while (read(0, &c, 1) == 1 && c != 'q') {
        if (c != 'r') {
            step++;
            for (int i = 0; i < WORKERS; i++)
                write(to[i], &step, sizeof step);
        }
        if (c == 'h') {
            printf("sent\n");
            continue;
        }
        for (int i = 0; i < WORKERS; i++) {
            long r;
            read(from[i], &r, sizeof r);
            sum += r;
        }
        printf("step %ld sum %ld\n", step, sum);
    }
    long stop = -1;
    printf("workers");
    for (int i = 0; i < WORKERS; i++) {
        int status;
        write(to[i], &stop, sizeof stop);
        pid_t w = waitpid(pids[i], &status, 0);
        printf(" %d:%d", w == pids[i], WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    }
    printf("\n");
    return 0;
}

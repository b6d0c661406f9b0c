/*
 * Shared memory made after a fork: the root forks C; C maps a MAP_SHARED anonymous counter and
 * forks G, so only C and G share it. Command bytes on stdin go through C to G:
 *   c  C increments the counter and prints "c N"      g  G does, and prints "g N"
 * Prints "ready" once G runs.
 */
#include <stdio.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    int to_c[2], to_g[2];
    char x;
    setvbuf(stdout, NULL, _IONBF, 0);
    if (pipe(to_c) != 0 || pipe(to_g) != 0) {
        return 1;
    }
    if (fork() == 0) {
        volatile long *counter = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        if (fork() == 0) {
            while (read(to_g[0], &x, 1) == 1) {
                printf("g %ld\n", ++*counter);
            }
            return 0;
        }
        printf("ready\n");
        while (read(to_c[0], &x, 1) == 1) {
            if (x == 'c') {
                printf("c %ld\n", ++*counter);
            } else {
                write(to_g[1], &x, 1);
            }
        }
        return 0;
    }
    while (read(0, &x, 1) == 1) {
        write(to_c[1], &x, 1);
    }
    return 0;
}

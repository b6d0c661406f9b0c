/*
 * Forks a child that exits at once with status 3 and does not reap it: a zombie in the tree.
 * Then reads command bytes: 'w' reaps the child and prints "reaped PID status 3" (or the error).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    char c;
    setvbuf(stdout, NULL, _IONBF, 0);
    pid_t child = fork();
    if (child == 0)
        _exit(3);
    printf("child %d\n", child);
    while (read(0, &c, 1) == 1) {
        if (c == 'w') {
            int status;
            pid_t r = waitpid(child, &status, 0);
            if (r < 0) {
                printf("waitpid: %s\n", strerror(errno));
            } else {
                printf("reaped %d status %d\n", r, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
            }
        }
    }
    return 0;
}

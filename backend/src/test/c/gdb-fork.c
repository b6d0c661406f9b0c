/*
 * A forking debuggee for gdb tests: parent and child both call work(); a breakpoint on it must
 * stop the parent only, and the child (which nobody debugs) must not die of the int3 it inherited.
 */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

__attribute__((noinline)) static int work(int who)
{
    return who * 2;
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    pid_t child = fork();
    if (child == 0) {
        printf("child work %d\n", work(1));
        return 0;
    }
    int status;
    waitpid(child, &status, 0);
    printf("child exited %d signaled %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1, WIFSIGNALED(status));
    printf("parent work %d\n", work(2));
    return 0;
}

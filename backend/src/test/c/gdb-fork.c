/*
 * A forking debuggee for gdb tests: parent and child both call work(); a breakpoint on it must
 * stop the parent only, and the child (which nobody debugs) must not die of the int3 it inherited.
 * Each keeps what work() gave in `result` (a watchpoint's target in either process).
 */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

volatile int result;

__attribute__((noinline)) static int work(int who)
{
    return who * 2;
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    pid_t child = fork();
    if (child == 0) {
        result = work(1);
        printf("child work %d\n", result);
        return 0;
    }
    int status;
    waitpid(child, &status, 0);
    printf("child exited %d signaled %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1, WIFSIGNALED(status));
    result = work(2);
    printf("parent work %d\n", result);
    return 0;
}

/*
 * A vforking debuggee for gdb tests: the child calls work() in its parent's memory before it
 * execs /bin/true. A breakpoint on work() must stop the parent only: while the child shares the
 * parent's memory the int3 must not be there, or the child dies of SIGTRAP.
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
    pid_t child = vfork();
    if (child == 0) {
        work(1);
        execl("/bin/true", "true", (char *)NULL);
        _exit(127);
    }
    int status;
    waitpid(child, &status, 0);
    printf("child exited %d signaled %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1, WIFSIGNALED(status));
    printf("parent work %d\n", work(2));
    return 0;
}

/*
 * The parent vforks and stays suspended in the kernel until the child execs or exits; the
 * child waits for a byte on stdin first. PTRACE_INTERRUPT cannot stop such a parent, so a
 * checkpoint must report it within its bound instead of hanging.
 */
#include <stdio.h>
#include <unistd.h>

int main(void)
{
    char c;
    setvbuf(stdout, NULL, _IONBF, 0);
    printf("ready\n");
    if (vfork() == 0) {
        read(0, &c, 1);
        _exit(0);
    }
    printf("child done\n");
    return 0;
}

/* Forks a child that exits at once and never reaps it, then waits on stdin: a zombie in the tree. */
#include <stdio.h>
#include <unistd.h>

int main(void)
{
    char c;
    setvbuf(stdout, NULL, _IONBF, 0);
    pid_t child = fork();
    if (child == 0)
        _exit(3);
    printf("child %d\n", child);
    read(0, &c, 1);
    return 0;
}

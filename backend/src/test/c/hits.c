/*
 * Calls hit(i) for i = 0..N-1 (N from argv[1], default 5), then prints the sum. Run-control
 * tests put a breakpoint on hit() and read its argument from rdi at every stop.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

volatile int sum;

__attribute__((noinline)) void hit(int i)
{
    sum += i;
    __asm__ volatile("" ::: "memory");
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 5;
    setvbuf(stdout, NULL, _IONBF, 0);
    for (int i = 0; i < n; i++)
        hit(i);
    printf("sum %d\n", sum);
    if (argc > 2)
        raise(SIGUSR1);
    return 0;
}

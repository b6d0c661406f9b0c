/*
 * counter: adds 1..N into a global total, one call of tick() per number, and prints each step.
 * Exits with total % 256 (15 for the default N = 5), so a script can check the end state too.
 */
#include <stdio.h>
#include <stdlib.h>

volatile long total;

__attribute__((noinline)) void tick(int i)
{
    total += i;
    printf("tick %d total %ld\n", i, total);
    fflush(stdout);
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 5;
    for (int i = 1; i <= n; i++)
        tick(i);
    return (int)(total % 256);
}

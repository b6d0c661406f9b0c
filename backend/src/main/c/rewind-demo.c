/*
 * The program `rewind demo` runs: a calculation paced by its input. Each byte read from
 * stdin is one step; after each step it prints the step number and a running total, so a
 * restart from a checkpoint can be seen to carry on from exactly where it was taken.
 */
#include <stdio.h>
#include <unistd.h>

static long total;
static int step;

int main(void)
{
    char c;
    setvbuf(stdout, NULL, _IONBF, 0);
    printf("ready pid %d\n", getpid());
    while (read(0, &c, 1) == 1) {
        step++;
        total = total * 31 + step * step;
        printf("step %d total %ld\n", step, total);
    }
    printf("done\n");
    return 0;
}

/*
 * A loop for gdb tests: step() is called five times with i = 1..5; value holds i * i after each
 * call and total the running sum. Line numbers matter to the tests: keep the marked lines.
 */
#include <stdio.h>

static long total;

static long step(long i)
{
    long square = i * i;
    total += square; /* line 12: "total updated" */
    return square;
}

int main(int argc, char **argv)
{
    long value = 0;
    setvbuf(stdout, NULL, _IONBF, 0);
    printf("args %d%s%s\n", argc - 1, argc > 1 ? " " : "", argc > 1 ? argv[1] : "");
    for (long i = 1; i <= 5; i++) {
        value = step(i); /* line 22: the call */
        printf("value %ld total %ld\n", value, total);
    }
    return (int)(total % 256);
}

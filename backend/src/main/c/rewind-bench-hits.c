/*
 * The debuggee of `rewind bench gdbserver`: calls hit(i) for i = 0 .. COUNT-1, then exits 0.
 * The benchmark puts a breakpoint on hit() and measures how fast a gdb stub gets gdb through
 * those hits.
 *
 * Usage: rewind-bench-hits COUNT
 */
#include <stdio.h>
#include <stdlib.h>

static volatile long sink;

__attribute__((noinline)) void hit(int i)
{
    sink += i;
    __asm__ volatile("" ::: "memory");
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s COUNT\n", argv[0]);
        return 2;
    }
    long count = strtol(argv[1], NULL, 10);
    for (long i = 0; i < count; i++) {
        hit((int) i);
    }
    return sink == -1;
}

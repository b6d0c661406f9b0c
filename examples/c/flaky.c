/*
 * flaky: a "test" that processes items 1..10 and fails on item 7, where the state it has built
 * up is wrong. validate() runs only on suspicious items, so a breakpoint there (with a
 * checkpoint on hit) lands just before the failure: restart from it to see the failure again,
 * as often as you like, without running items 1..6 again.
 */
#include <stdio.h>
#include <stdlib.h>

volatile int processed;
volatile long checksum;

__attribute__((noinline)) void validate(int item)
{
    if (checksum % 7 == 0) {
        fprintf(stderr, "check failed at item %d (checksum %ld)\n", item, checksum);
        abort();
    }
}

__attribute__((noinline)) void process(int item)
{
    checksum += item;
    processed = item;
    printf("processed %d checksum %ld\n", item, checksum);
    fflush(stdout);
    if (item % 7 == 0)
        validate(item);
}

int main(void)
{
    for (int item = 1; item <= 10; item++)
        process(item);
    printf("all passed\n");
    return 0;
}

/*
 * The program `rewind bench checkpoint` measures: N MiB of touched heap in 4 KiB pages, then
 * idle in read(0) between single-byte commands, answering each with one line.
 *
 *   f  fork() itself (the child _exits at once), print the fork's elapsed microseconds
 *   r  rewrite every heap page, print elapsed microseconds (after a checkpoint this is the
 *      copy-on-write cost the debuggee pays for it)
 *   p  print "ready pid PID round K", K being how often the heap has been rewritten (so a
 *      restart can be seen to bring back the state of its checkpoint)
 *   o  write one page in a hundred (1% of the heap), print elapsed microseconds
 *   s  run for 100 ms reading the clock, print the longest gap between two reads in
 *      microseconds: how long the program was stopped or kept off the CPU meanwhile
 *
 * Usage: rewind-bench MIB
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PAGE 4096UL

static unsigned char *heap;
static unsigned round;
static size_t heap_bytes;

static long long now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void write_every_page(unsigned char value)
{
    for (size_t off = 0; off < heap_bytes; off += PAGE) {
        heap[off] = value;
    }
}

static void bare_fork(void)
{
    long long start = now_ns();
    pid_t child = fork();
    long long elapsed = now_ns() - start;
    if (child == 0) {
        _exit(0);
    }
    if (child < 0) {
        printf("error fork %d\n", errno);
        return;
    }
    waitpid(child, NULL, 0);
    printf("%lld\n", elapsed / 1000);
}

int main(int argc, char **argv)
{
    char c;

    if (argc != 2 || atol(argv[1]) <= 0) {
        fprintf(stderr, "usage: rewind-bench MIB\n");
        return 2;
    }
    setvbuf(stdout, NULL, _IONBF, 0);
    heap_bytes = (size_t)atol(argv[1]) << 20;
    heap = mmap(NULL, heap_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (heap == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    /* Transparent huge pages would make fork (and so every checkpoint) far cheaper and hide
     * the per-page cost being measured: keep the heap in 4 KiB pages. */
    if (madvise(heap, heap_bytes, MADV_NOHUGEPAGE) != 0) {
        perror("madvise");
        return 1;
    }
    write_every_page(1);
    printf("ready pid %d mib %ld\n", getpid(), atol(argv[1]));
    while (read(0, &c, 1) == 1) {
        switch (c) {
        case 'f':
            bare_fork();
            break;
        case 'r': {
            long long start = now_ns();
            write_every_page((unsigned char)++round);
            printf("%lld\n", (now_ns() - start) / 1000);
            break;
        }
        case 'o': {
            long long start = now_ns();
            for (size_t off = 0; off < heap_bytes; off += 100 * PAGE) {
                heap[off] = (unsigned char)(heap[off] + 1);
            }
            printf("%lld\n", (now_ns() - start) / 1000);
            break;
        }
        case 's': {
            long long end = now_ns() + 100000000LL, last = now_ns(), gap = 0;
            while (last < end) {
                long long t = now_ns();
                if (t - last > gap) {
                    gap = t - last;
                }
                last = t;
            }
            printf("%lld\n", gap / 1000);
            break;
        }
        case 'p':
            printf("ready pid %d round %u\n", getpid(), round);
            break;
        case '\n':
            break;
        default:
            printf("unknown command '%c'\n", c);
        }
    }
    return 0;
}

/*
 * The program `rewind bench tree` measures: a tree of PROCS processes (the root and PROCS-1
 * children it forks), each with MIB MiB of its own touched private heap in 4 KiB pages. The
 * root idles in read(0) between single-byte commands; each child idles in read() on a command
 * pipe from the root and answers on its own reply pipe. The root prints one line per command.
 *
 *   f  each process in turn (root first, then the children one after another, so they do not
 *      compete for CPUs) forks itself once (the fork child _exits at once) and times the fork;
 *      prints "fork SUM_US MAX_US ROOT_US", SUM and MAX over all PROCS processes
 *   c  each process in turn copies its heap into a freshly mapped region of the same size,
 *      once with memcpy and once with pwrite through /proc/self/mem (what a transplant does
 *      to a restored process); prints "copy CHILD_MEMCPY_US CHILD_PWRITE_US ROOT_MEMCPY_US
 *      ROOT_PWRITE_US", the CHILD values summed over the PROCS-1 children
 *   r  every process rewrites every page of its heap; prints "rewrite SUM_US"
 *   p  prints "ready procs PROCS round K rounds K1,K2,... pids P0,P1,...": K the root's count
 *      of heap rewrites, Ki each child's, Pi the pids as the processes see themselves
 *
 * Usage: rewind-bench-tree PROCS MIB
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PAGE 4096UL
#define MAX_PROCS 256
#define CHUNK (1UL << 20)

static unsigned char *heap;
static size_t heap_bytes;
static unsigned round_no;

static long long now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void die(const char *what)
{
    perror(what);
    exit(1);
}

static unsigned char *fresh_region(void)
{
    unsigned char *p = mmap(NULL, heap_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        die("mmap");
    }
    /* Transparent huge pages would hide the per-page cost being measured. */
    if (madvise(p, heap_bytes, MADV_NOHUGEPAGE) != 0) {
        die("madvise");
    }
    return p;
}

static long long rewrite(void)
{
    long long start = now_ns();
    round_no++;
    for (size_t off = 0; off < heap_bytes; off += PAGE) {
        heap[off] = (unsigned char)round_no;
    }
    return (now_ns() - start) / 1000;
}

static long long time_fork(void)
{
    long long start = now_ns();
    pid_t child = fork();
    long long elapsed = now_ns() - start;
    if (child == 0) {
        _exit(0);
    }
    if (child < 0) {
        die("fork");
    }
    waitpid(child, NULL, 0);
    return elapsed / 1000;
}

static void time_copies(long long *memcpy_us, long long *pwrite_us)
{
    unsigned char *dst = fresh_region();
    long long start = now_ns();
    memcpy(dst, heap, heap_bytes);
    *memcpy_us = (now_ns() - start) / 1000;
    munmap(dst, heap_bytes);

    dst = fresh_region();
    int fd = open("/proc/self/mem", O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        die("open /proc/self/mem");
    }
    start = now_ns();
    for (size_t off = 0; off < heap_bytes; off += CHUNK) {
        size_t n = heap_bytes - off < CHUNK ? heap_bytes - off : CHUNK;
        if (pwrite(fd, heap + off, n, (off_t)(unsigned long)(dst + off)) != (ssize_t)n) {
            die("pwrite /proc/self/mem");
        }
    }
    *pwrite_us = (now_ns() - start) / 1000;
    close(fd);
    munmap(dst, heap_bytes);
}

/* A child: answers commands from the root on its pipes until the command pipe closes. */
static void child_loop(int cmd_fd, int reply_fd)
{
    char c;
    char line[128];
    for (;;) {
        ssize_t got = read(cmd_fd, &c, 1);
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got != 1) {
            _exit(0);
        }
        int n;
        switch (c) {
        case 'f':
            n = snprintf(line, sizeof line, "%lld\n", time_fork());
            break;
        case 'c': {
            long long m, w;
            time_copies(&m, &w);
            n = snprintf(line, sizeof line, "%lld %lld\n", m, w);
            break;
        }
        case 'r':
            n = snprintf(line, sizeof line, "%lld\n", rewrite());
            break;
        case 'p':
            n = snprintf(line, sizeof line, "%u %d\n", round_no, (int)getpid());
            break;
        default:
            n = snprintf(line, sizeof line, "?\n");
        }
        if (write(reply_fd, line, (size_t)n) != n) {
            _exit(1);
        }
    }
}

static int cmd_fds[MAX_PROCS];
static FILE *replies[MAX_PROCS];

static void ask_child(int i, char c, char *line, size_t size)
{
    for (;;) {
        ssize_t w = write(cmd_fds[i], &c, 1);
        if (w == 1) {
            break;
        }
        if (w < 0 && errno == EINTR) {
            continue;
        }
        die("write to child");
    }
    if (fgets(line, (int)size, replies[i]) == NULL) {
        fprintf(stderr, "child %d did not answer\n", i);
        exit(1);
    }
}

int main(int argc, char **argv)
{
    if (argc != 3 || atoi(argv[1]) < 1 || atoi(argv[1]) > MAX_PROCS || atol(argv[2]) <= 0) {
        fprintf(stderr, "usage: rewind-bench-tree PROCS(1..%d) MIB\n", MAX_PROCS);
        return 2;
    }
    int procs = atoi(argv[1]);
    setvbuf(stdout, NULL, _IONBF, 0);
    heap_bytes = (size_t)atol(argv[2]) << 20;

    for (int i = 1; i < procs; i++) {
        int cmd[2], reply[2];
        if (pipe2(cmd, O_CLOEXEC) != 0 || pipe2(reply, O_CLOEXEC) != 0) {
            die("pipe");
        }
        pid_t pid = fork();
        if (pid < 0) {
            die("fork");
        }
        if (pid == 0) {
            close(cmd[1]);
            close(reply[0]);
            for (int j = 1; j < i; j++) {
                close(cmd_fds[j]);
                fclose(replies[j]);
            }
            /* The child's heap is its own, mapped after the fork, not shared copy-on-write. */
            heap = fresh_region();
            for (size_t off = 0; off < heap_bytes; off += PAGE) {
                heap[off] = 1;
            }
            if (write(reply[1], "ok\n", 3) != 3) {
                _exit(1);
            }
            child_loop(cmd[0], reply[1]);
        }
        close(cmd[0]);
        close(reply[1]);
        cmd_fds[i] = cmd[1];
        replies[i] = fdopen(reply[0], "r");
        if (replies[i] == NULL) {
            die("fdopen");
        }
        setvbuf(replies[i], NULL, _IONBF, 0);
        char line[128];
        if (fgets(line, sizeof line, replies[i]) == NULL || strcmp(line, "ok\n") != 0) {
            fprintf(stderr, "child %d did not start\n", i);
            return 1;
        }
    }
    heap = fresh_region();
    for (size_t off = 0; off < heap_bytes; off += PAGE) {
        heap[off] = 1;
    }
    printf("ready pid %d procs %d mib %ld\n", getpid(), procs, atol(argv[2]));

    char c;
    char line[128];
    for (;;) {
        ssize_t got = read(0, &c, 1);
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got != 1) {
            break;
        }
        switch (c) {
        case 'f': {
            long long root = time_fork(), sum = root, max = root;
            for (int i = 1; i < procs; i++) {
                ask_child(i, 'f', line, sizeof line);
                long long v = atoll(line);
                sum += v;
                max = v > max ? v : max;
            }
            printf("fork %lld %lld %lld\n", sum, max, root);
            break;
        }
        case 'c': {
            long long rm, rw, cm = 0, cw = 0;
            time_copies(&rm, &rw);
            for (int i = 1; i < procs; i++) {
                long long m = 0, w = 0;
                ask_child(i, 'c', line, sizeof line);
                if (sscanf(line, "%lld %lld", &m, &w) != 2) {
                    fprintf(stderr, "bad copy answer from child %d: %s", i, line);
                    return 1;
                }
                cm += m;
                cw += w;
            }
            printf("copy %lld %lld %lld %lld\n", cm, cw, rm, rw);
            break;
        }
        case 'r': {
            long long sum = rewrite();
            for (int i = 1; i < procs; i++) {
                ask_child(i, 'r', line, sizeof line);
                sum += atoll(line);
            }
            printf("rewrite %lld\n", sum);
            break;
        }
        case 'p': {
            char rounds[MAX_PROCS * 12] = "", pids[MAX_PROCS * 12];
            size_t rl = 0, pl = 0;
            pl += (size_t)snprintf(pids, sizeof pids, "%d", (int)getpid());
            for (int i = 1; i < procs; i++) {
                unsigned r = 0;
                int pid = 0;
                ask_child(i, 'p', line, sizeof line);
                if (sscanf(line, "%u %d", &r, &pid) != 2) {
                    fprintf(stderr, "bad ready answer from child %d: %s", i, line);
                    return 1;
                }
                rl += (size_t)snprintf(rounds + rl, sizeof rounds - rl, "%s%u", i > 1 ? "," : "", r);
                pl += (size_t)snprintf(pids + pl, sizeof pids - pl, ",%d", pid);
            }
            printf("ready procs %d round %u rounds %s pids %s\n", procs, round_no, rl ? rounds : "-", pids);
            break;
        }
        case '\n':
            break;
        default:
            printf("unknown command '%c'\n", c);
        }
    }
    for (int i = 1; i < procs; i++) {
        close(cmd_fds[i]);
    }
    while (wait(NULL) > 0) {
    }
    return 0;
}

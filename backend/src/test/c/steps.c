/*
 * A single-threaded debuggee driven one command byte at a time on stdin, so tests can put it
 * in a known state before a checkpoint without sleeping. Every command answers one line.
 *   i  increment the counter, print it
 *   w  write 10 bytes to out.dat (in the cwd), print the file offset
 *   o  print the file offset of out.dat
 *   b  block SIGUSR2          p  raise SIGUSR2 (stays pending while blocked)
 *   u  unblock SIGUSR2 (its handler prints "usr2")
 *   m  print whether SIGUSR2 is blocked and whether SIGUSR1's handler is installed
 *   a  arm ITIMER_REAL for 300 ms (its SIGALRM handler prints "alarm")
 *   t  print the pid and the tid glibc caches
 *   h  fill a 96 MiB heap (allocated on first use) with the counter's low byte, print "heap N"
 *   c  print the byte every page of that heap holds ("heap N"), or "heap mixed"
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/syscall.h>
#include <unistd.h>

static volatile long counter;
static int fd;
/* Big enough that a restart hands its teardown to a stand-in (see Teardown). */
#define HEAP_SIZE (96L << 20)
static unsigned char *heap;

static void say(const char *s) { write(1, s, strlen(s)); }
static void on_usr2(int s) { (void)s; say("usr2\n"); }
static void on_alarm(int s) { (void)s; say("alarm\n"); }
static void on_usr1(int s) { (void)s; }

int main(void)
{
    char c;
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR2);
    signal(SIGUSR2, on_usr2);
    signal(SIGALRM, on_alarm);
    signal(SIGUSR1, on_usr1);
    fd = open("out.dat", O_CREAT | O_TRUNC | O_RDWR, 0644);
    setvbuf(stdout, NULL, _IONBF, 0);
    printf("ready\n");
    while (read(0, &c, 1) == 1) {
        switch (c) {
        case 'i': printf("counter %ld\n", ++counter); break;
        case 'w': write(fd, "0123456789", 10); printf("offset %ld\n", (long)lseek(fd, 0, SEEK_CUR)); break;
        case 'o': printf("offset %ld\n", (long)lseek(fd, 0, SEEK_CUR)); break;
        case 'b': sigprocmask(SIG_BLOCK, &set, NULL); printf("blocked\n"); break;
        case 'p': raise(SIGUSR2); printf("raised\n"); break;
        case 'u': sigprocmask(SIG_UNBLOCK, &set, NULL); printf("unblocked\n"); break;
        case 'm': {
            sigset_t cur;
            struct sigaction sa;
            sigprocmask(SIG_BLOCK, NULL, &cur);
            sigaction(SIGUSR1, NULL, &sa);
            printf("mask usr2=%d usr1handler=%d\n", sigismember(&cur, SIGUSR2), sa.sa_handler == on_usr1);
            break;
        }
        case 'a': {
            struct itimerval it = { { 0, 0 }, { 0, 300000 } };
            setitimer(ITIMER_REAL, &it, NULL);
            printf("armed\n");
            break;
        }
        case 't': printf("pid %d tid %ld\n", getpid(), (long)syscall(SYS_gettid)); break;
        case 'h':
            if (!heap) {
                heap = malloc(HEAP_SIZE);
            }
            memset(heap, (int)(counter & 0xff), HEAP_SIZE);
            printf("heap %d\n", heap[0]);
            break;
        case 'c': {
            long i;
            for (i = 0; heap && i < HEAP_SIZE && heap[i] == heap[0]; i += 4096) {
            }
            if (heap && i >= HEAP_SIZE) {
                printf("heap %d\n", heap[0]);
            } else {
                printf("heap mixed\n");
            }
            break;
        }
        default: break;
        }
    }
    return 0;
}

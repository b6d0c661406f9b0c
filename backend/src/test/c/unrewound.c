/*
 * Holds one of each kind of state a fork cannot rewind, so that a checkpoint must list each as a
 * warning: a file lock, an O_APPEND file, a socket, an eventfd, a timerfd, an epoll set, a POSIX
 * timer, locked memory, a MADV_WIPEONFORK and a MADV_DONTFORK mapping. Prints "ready", then
 * waits for stdin to end.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

int main(void) {
    int locked = open("locked.dat", O_RDWR | O_CREAT | O_TRUNC, 0600);
    struct flock lock = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0};
    if (locked < 0 || fcntl(locked, F_SETLK, &lock) != 0) {
        perror("lock");
        return 1;
    }
    int appended = open("appended.log", O_WRONLY | O_CREAT | O_APPEND, 0600);
    int pair[2];
    timer_t timer;
    struct sigevent none = {.sigev_notify = SIGEV_NONE};
    if (appended < 0 || socketpair(AF_UNIX, SOCK_STREAM, 0, pair) != 0 || eventfd(0, 0) < 0
            || timerfd_create(CLOCK_MONOTONIC, 0) < 0 || epoll_create1(0) < 0
            || timer_create(CLOCK_MONOTONIC, &none, &timer) != 0) {
        perror("setup");
        return 1;
    }
    long page = sysconf(_SC_PAGESIZE);
    char *pinned = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *wiped = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *unforked = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (pinned == MAP_FAILED || wiped == MAP_FAILED || unforked == MAP_FAILED || mlock(pinned, page) != 0
            || madvise(wiped, page, MADV_WIPEONFORK) != 0 || madvise(unforked, page, MADV_DONTFORK) != 0) {
        perror("memory");
        return 1;
    }
    wiped[0] = 1;
    unforked[0] = 1;
    printf("ready\n");
    fflush(stdout);
    char c;
    while (read(0, &c, 1) > 0) {
    }
    return 0;
}

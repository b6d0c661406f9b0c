/*
 * Shared memory made after a fork: the root forks C; C maps a MAP_SHARED anonymous counter and
 * forks G, so only C and G share it. Command bytes on stdin go through C to G:
 *   c  C increments the counter and prints "c N"      g  G does, and prints "g N"
 * Prints "ready" once G runs. With an argument the counter is not anonymous memory but
 *   memfd   a memfd (no path at all)
 *   devshm  a file in /dev/shm (shm_open), removed once mapped
 *   sysv    a SysV shared memory segment, removed once attached
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile long *map_counter(const char *kind)
{
    int fd = -1;
    if (kind == NULL) {
        return mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    }
    if (strcmp(kind, "sysv") == 0) {
        int id = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);
        void *p = id < 0 ? (void *)-1 : shmat(id, NULL, 0);
        if (id >= 0) {
            shmctl(id, IPC_RMID, NULL);
        }
        return p == (void *)-1 ? MAP_FAILED : p;
    }
    if (strcmp(kind, "memfd") == 0) {
        fd = memfd_create("rewind-counter", 0);
    } else if (strcmp(kind, "devshm") == 0) {
        char name[64];
        snprintf(name, sizeof name, "/rewind-counter-%d", (int)getpid());
        fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
        shm_unlink(name);
    }
    if (fd < 0 || ftruncate(fd, 4096) != 0) {
        return MAP_FAILED;
    }
    void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    return p;
}

int main(int argc, char **argv)
{
    int to_c[2], to_g[2];
    char x;
    setvbuf(stdout, NULL, _IONBF, 0);
    if (pipe(to_c) != 0 || pipe(to_g) != 0) {
        return 1;
    }
    if (fork() == 0) {
        volatile long *counter = map_counter(argc > 1 ? argv[1] : NULL);
        if (counter == MAP_FAILED) {
            printf("no counter\n");
            return 1;
        }
        if (fork() == 0) {
            while (read(to_g[0], &x, 1) == 1) {
                printf("g %ld\n", ++*counter);
            }
            return 0;
        }
        printf("ready\n");
        while (read(to_c[0], &x, 1) == 1) {
            if (x == 'c') {
                printf("c %ld\n", ++*counter);
            } else {
                write(to_g[1], &x, 1);
            }
        }
        return 0;
    }
    while (read(0, &x, 1) == 1) {
        write(to_c[1], &x, 1);
    }
    return 0;
}

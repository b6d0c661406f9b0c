/*
 * A tree whose child runs restricted: it sets no_new_privs, installs a seccomp filter that fails
 * mkdir with EPERM, drops to uid/gid 65534 with no supplementary groups and sets the
 * ADDR_NO_RANDOMIZE personality. The parent forwards command bytes from stdin to it:
 *   i  the child increments its counter and prints it      m  the child tries mkdir
 * Run as root (dropping ids needs it). Prints "ready child PID" once the child is restricted.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static void restrict_self(void)
{
    struct sock_filter code[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_mkdir, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct sock_fprog prog = { sizeof code / sizeof code[0], code };
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 || prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0
            || setgroups(0, NULL) != 0 || setresgid(65534, 65534, 65534) != 0 || setresuid(65534, 65534, 65534) != 0
            || personality(ADDR_NO_RANDOMIZE) == -1) {
        printf("cannot restrict: %s\n", strerror(errno));
        _exit(1);
    }
}

int main(void)
{
    int to_child[2];
    char c;
    setvbuf(stdout, NULL, _IONBF, 0);
    if (pipe(to_child) != 0) {
        return 1;
    }
    pid_t child = fork();
    if (child == 0) {
        long counter = 0;
        close(to_child[1]);
        restrict_self();
        printf("ready child %d\n", getpid());
        while (read(to_child[0], &c, 1) == 1) {
            if (c == 'i') {
                printf("child counter %ld\n", ++counter);
            } else if (c == 'm') {
                printf("mkdir %s\n", mkdir("dropper-dir", 0700) == 0 ? "made" : errno == EPERM ? "refused" : strerror(errno));
            }
        }
        return 0;
    }
    close(to_child[0]);
    while (read(0, &c, 1) == 1) {
        write(to_child[1], &c, 1);
    }
    return 0;
}

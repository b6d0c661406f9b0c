/*
 * A debuggee under a seccomp filter, driven one command byte at a time on stdin:
 *   i  increment the counter, print it      m  try mkdir, print whether the filter refused it
 * argv[1] picks the filter: "deny-mkdir" fails mkdir with EPERM (checkpoints must work), and
 * "deny-clone3" fails clone3 with ENOSYS as Docker's default profile does (a restart needs
 * clone3, so a checkpoint must be refused, with a clear reason).
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static long counter;

static int install(int nr, int err)
{
    struct sock_filter code[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, nr, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | err),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct sock_fprog prog = { sizeof code / sizeof code[0], code };
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
        return -1;
    }
    return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog);
}

int main(int argc, char **argv)
{
    char c;
    int r = -1;
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc > 1 && strcmp(argv[1], "deny-mkdir") == 0) {
        r = install(SYS_mkdir, EPERM);
    } else if (argc > 1 && strcmp(argv[1], "deny-clone3") == 0) {
        r = install(SYS_clone3, ENOSYS);
    }
    if (r != 0) {
        printf("no filter: %s\n", strerror(errno));
        return 1;
    }
    printf("ready\n");
    while (read(0, &c, 1) == 1) {
        if (c == 'i') {
            printf("counter %ld\n", ++counter);
        } else if (c == 'm') {
            int m = mkdir("seccomped-dir", 0700);
            printf("mkdir %s\n", m == 0 ? "made" : errno == EPERM ? "refused" : strerror(errno));
        }
    }
    return 0;
}

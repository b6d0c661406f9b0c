/*
 * pid 1 of a debuggee's own PID namespace (rewind's "launch in a PID namespace" option).
 *
 * The backend makes this process the first of a new PID namespace. It starts the program (argv[1..]:
 * the launch trampoline) as pid 2, in a process group of its own, then reaps whatever ends: orphans
 * of the debuggee's tree are reparented to the namespace's init, and a killed process's pid is free
 * for a pid-preserving restart only once it is reaped. It exits when it has no child left: no
 * program and no snapshot (the root's snapshots are its children). When pid 1 exits, the kernel
 * kills every process of the namespace; it dies with the backend's tracer thread (PDEATHSIG), so
 * nothing of the namespace outlives the backend.
 *
 * pid 1 receives no signal it has no handler for from inside its namespace, so a stray kill(-1)
 * or kill(1) from the debuggee cannot end it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: rewind-init PROGRAM ARGS...\n");
        return 2;
    }
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getpid() != 1) {
        fprintf(stderr, "rewind-init: not the first process of a PID namespace\n");
        return 2;
    }
    pid_t child = fork();
    if (child < 0) {
        perror("rewind-init: fork");
        return 1;
    }
    if (child == 0) {
        setpgid(0, 0);
        execv(argv[1], argv + 1);
        perror("rewind-init: exec");
        _exit(127);
    }
    for (;;) {
        /* __WALL: the debuggee's snapshots and restored processes are clone children with no exit signal. */
        if (waitpid(-1, NULL, __WALL) < 0 && errno == ECHILD) {
            return 0;
        }
    }
}

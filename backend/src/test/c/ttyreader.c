/*
 * A background process group that reads its terminal: the launched process forks a session
 * leader with a pseudo-terminal as controlling terminal, which forks a reader into a process
 * group of its own (not the terminal's foreground group). Its read gets SIGTTIN and it stops.
 * Prints "leader PID" once it holds the terminal, and "reader PID" before the reader reads.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    pid_t leader = fork();
    if (leader == 0) {
        int master = posix_openpt(O_RDWR | O_NOCTTY);
        if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0 || setsid() < 0) {
            perror("pty");
            return 1;
        }
        int tty = open(ptsname(master), O_RDWR); /* a session leader's first tty becomes its controlling one */
        if (tty < 0 || ioctl(tty, TIOCSCTTY, 0) != 0) {
            perror("controlling tty");
            return 1;
        }
        printf("leader %d\n", getpid());
        pid_t reader = fork();
        if (reader == 0) {
            char c;
            setpgid(0, 0); /* a background group of the session */
            printf("reader %d\n", getpid());
            return read(tty, &c, 1) < 0;
        }
        waitpid(reader, NULL, 0);
        return 0;
    }
    waitpid(leader, NULL, 0);
    return 0;
}

package dev.rewind.backend.linux;

import com.sun.jna.Native;

/** Signal numbers (x86-64, asm/signal.h) and the calls that send them. Stateless. */
public final class Signals {
    public static final int SIGHUP = 1;
    public static final int SIGINT = 2;
    public static final int SIGQUIT = 3;
    public static final int SIGILL = 4;
    public static final int SIGTRAP = 5;
    public static final int SIGABRT = 6;
    public static final int SIGBUS = 7;
    public static final int SIGFPE = 8;
    public static final int SIGKILL = 9;
    public static final int SIGUSR1 = 10;
    public static final int SIGSEGV = 11;
    public static final int SIGUSR2 = 12;
    public static final int SIGPIPE = 13;
    public static final int SIGALRM = 14;
    public static final int SIGTERM = 15;
    public static final int SIGCHLD = 17;
    public static final int SIGCONT = 18;
    public static final int SIGSTOP = 19;
    public static final int SIGTSTP = 20;
    public static final int SIGTTIN = 21;
    public static final int SIGTTOU = 22;
    public static final int SIGURG = 23;

    private Signals() {
    }

    public static void kill(int pid, int signal) {
        if (LibC.kill(pid, signal) != 0) {
            throw new LinuxException("kill(" + pid + ", " + signal + ")", Native.getLastError());
        }
    }

    public static void tgkill(int tgid, int tid, int signal) {
        if (Syscall.raw(Syscall.TGKILL, tgid, tid, signal) < 0) {
            throw new LinuxException("tgkill(" + tgid + ", " + tid + ", " + signal + ")", Native.getLastError());
        }
    }

    /** Whether {@code signal} is one of the job-control stop signals that cause a group-stop. */
    /** SIGTTIN, SIGSTOP, ... or "signal N". */
    public static String name(int signal) {
        return switch (signal) {
            case SIGSTOP -> "SIGSTOP";
            case SIGTSTP -> "SIGTSTP";
            case SIGTTIN -> "SIGTTIN";
            case SIGTTOU -> "SIGTTOU";
            case SIGINT -> "SIGINT";
            case SIGTERM -> "SIGTERM";
            case SIGKILL -> "SIGKILL";
            case SIGSEGV -> "SIGSEGV";
            case SIGTRAP -> "SIGTRAP";
            default -> "signal " + signal;
        };
    }

    /** Why a job-control stop happened, for a person reading it. */
    public static String jobControlHint(int signal) {
        return switch (signal) {
            case SIGTTIN -> " (a background process group read from its terminal: make it the foreground group, or "
                    + "give the program another stdin)";
            case SIGTTOU -> " (a background process group wrote to or configured its terminal)";
            default -> "";
        };
    }

    public static boolean isStopSignal(int signal) {
        return signal == SIGSTOP || signal == SIGTSTP || signal == SIGTTIN || signal == SIGTTOU;
    }
}

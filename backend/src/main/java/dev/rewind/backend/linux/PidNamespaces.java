package dev.rewind.backend.linux;

import com.sun.jna.Native;
import java.util.function.IntSupplier;

/**
 * PID namespaces: making a process the first (pid 1) of a new one, and the pids a process has in
 * the namespaces it lives in. Stateless.
 */
public final class PidNamespaces {
    private static final int CLONE_NEWPID = 0x20000000;
    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 02000000;

    private PidNamespaces() {
    }

    /**
     * Runs {@code spawn} (which must create exactly one process, from the calling thread) so that
     * its process is pid 1 of a new PID namespace, and returns what it returns. unshare(CLONE_NEWPID)
     * moves no one: it only sets the namespace the calling thread's later children go to, so the
     * thread is set back to its own namespace at once (setns to it is allowed: it is its active
     * one). A thread whose children go to another namespace could not make threads either. Needs
     * CAP_SYS_ADMIN.
     */
    public static int spawnAsInit(IntSupplier spawn) {
        int own = LibC.open("/proc/thread-self/ns/pid", O_RDONLY | O_CLOEXEC);
        if (own < 0) {
            throw new LinuxException("opening /proc/thread-self/ns/pid", Native.getLastError());
        }
        try {
            if (LibC.unshare(CLONE_NEWPID) != 0) {
                int errno = Native.getLastError();
                throw new LinuxException(errno == LinuxException.EPERM
                        ? "a PID namespace needs CAP_SYS_ADMIN (run the backend as root)" : "unshare(CLONE_NEWPID)", errno);
            }
            try {
                return spawn.getAsInt();
            } finally {
                if (LibC.setns(own, CLONE_NEWPID) != 0) {
                    // Every later child of this thread would land in the debuggee's namespace.
                    throw new IllegalStateException("setns back to the backend's PID namespace failed: errno "
                            + Native.getLastError());
                }
            }
        } finally {
            LibC.close(own);
        }
    }

    /**
     * The pid of {@code pid} (a pid as the backend sees it; a tid works too) as seen from the
     * innermost PID namespace it lives in: the last field of NSpid in /proc/PID/status.
     */
    public static int innermost(int pid) {
        String nspid = ProcFs.status(pid).get("NSpid");
        if (nspid == null) {
            throw new LinuxException("no NSpid in /proc/" + pid + "/status", LinuxException.ESRCH);
        }
        return last(nspid);
    }

    /**
     * The parent, group, session and terminal foreground group of {@code pid} as its own namespace
     * sees them (/proc/PID/stat gives them as the backend sees them). An id with no pid in that
     * namespace (a session led from outside it) is 0, as the kernel reports it there.
     */
    public static ProcFs.ProcessIds innerIds(int pid) {
        ProcFs.ProcessIds outer = ProcFs.ids(pid);
        java.util.Map<String, String> status = ProcFs.status(pid);
        return new ProcFs.ProcessIds(innermostOrZero(outer.ppid()), last(status.get("NSpgid")), last(status.get("NSsid")),
                outer.ttyNr(), innermostOrZero(outer.foregroundPgid()));
    }

    private static int innermostOrZero(int pid) {
        if (pid <= 0) {
            return 0;
        }
        try {
            return innermost(pid);
        } catch (LinuxException e) {
            return 0; // no such process now (a group whose leader is gone)
        }
    }

    /** The last of the space-separated ids of an NSpid/NSpgid/NSsid line (the innermost namespace's), or 0. */
    private static int last(String levels) {
        if (levels == null || levels.isBlank()) {
            return 0;
        }
        String[] f = levels.trim().split("\\s+");
        return Integer.parseInt(f[f.length - 1]);
    }

    /**
     * The child of {@code parent} whose pid in its own namespace is {@code inner}: what a clone
     * injected into a namespaced process returned, as the backend must address it.
     */
    public static int childWithInnerPid(int parent, int inner) {
        for (int child : ProcFs.children(parent)) {
            try {
                if (innermost(child) == inner) {
                    return child;
                }
            } catch (LinuxException e) {
                // ended meanwhile
            }
        }
        throw new LinuxException("no child of " + parent + " has pid " + inner + " in its namespace", LinuxException.ESRCH);
    }
}

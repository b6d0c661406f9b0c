package dev.rewind.backend.linux;

import com.sun.jna.Native;
import com.sun.jna.ptr.IntByReference;

/**
 * waitpid(2) for the tracer. Always {@code __WALL | __WNOTHREAD}: {@code __WALL} so threads and
 * children with odd exit signals are seen; {@code __WNOTHREAD} so the tracer never reaps
 * processes that other JVM threads started (the JVM's process reaper waits for those).
 */
public final class Wait {
    static final int WNOHANG = 1;
    static final int WALL = 0x40000000;
    static final int WNOTHREAD = 0x20000000;
    static final int WUNTRACED = 2;

    private Wait() {
    }

    /** Blocks until {@code tid} (or any tracee/child of this thread when -1) changes state. */
    public static WaitStatus waitFor(int tid) {
        return waitpid(tid, WALL | WNOTHREAD);
    }

    /** Like {@link #waitFor} but returns {@code null} at once when nothing is ready. */
    public static WaitStatus poll(int tid) {
        return waitpid(tid, WALL | WNOTHREAD | WNOHANG);
    }

    /**
     * Reaps {@code pid}, a zombie that became a child of the backend (child subreaper) when its
     * parent died. Without {@code __WNOTHREAD}: the kernel hands orphans to any thread of the
     * subreaper, and waiting on one given pid reaps nothing the JVM started.
     */
    public static WaitStatus reapOrphan(int pid) {
        return waitpid(pid, WALL | WNOHANG);
    }

    /** Waits for a child of this thread that is not traced yet to stop (job control). */
    public static WaitStatus waitUntraced(int pid) {
        return waitpid(pid, WALL | WNOTHREAD | WUNTRACED);
    }

    private static WaitStatus waitpid(int tid, int options) {
        IntByReference status = new IntByReference();
        while (true) {
            int r = LibC.waitpid(tid, status, options);
            if (r > 0) {
                return new WaitStatus(r, status.getValue());
            }
            if (r == 0) {
                return null;
            }
            int errno = Native.getLastError();
            if (errno != LinuxException.EINTR) {
                throw new LinuxException("waitpid(" + tid + ")", errno);
            }
        }
    }
}

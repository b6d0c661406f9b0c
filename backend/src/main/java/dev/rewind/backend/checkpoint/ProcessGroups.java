package dev.rewind.backend.checkpoint;

import dev.rewind.backend.linux.FdInfo;
import dev.rewind.backend.linux.PidNamespaces;
import dev.rewind.backend.linux.ProcFs;
import dev.rewind.backend.linux.Syscall;
import dev.rewind.backend.trace.InjectedCall;
import dev.rewind.backend.trace.RemoteScratch;
import dev.rewind.backend.trace.SyscallInjector;
import dev.rewind.backend.trace.TracedProcess;
import java.util.List;

/**
 * Keeps a snapshot from holding its original's pid as a process-group or session id, and gives
 * the restored process its group and session back.
 *
 * <p>The kernel frees a pid number only when no task uses it as pid, process group or session.
 * A snapshot forked from a group leader sits in the leader's group, so the pid could never be
 * reused by a restart. The snapshot therefore leaves that group (setpgid) or, for a session
 * leader, that session (setsid); the restored process, which has the original pid again, takes
 * them back the same way. Both are injected calls: no user instruction runs. Stateless.
 */
final class ProcessGroups {
    private static final long TIOCSCTTY = 0x540e;
    private static final long TIOCSPGRP = 0x5410;
    private ProcessGroups() {
    }

    /**
     * Parent, group, session and foreground group of {@code p} as its program sees them: in a PID
     * namespace of its own these are the namespace's ids, which is what a checkpoint saves and
     * what injected setpgid/TIOCSPGRP calls take.
     */
    static ProcFs.ProcessIds idsOf(TracedProcess p) {
        return p.namespaced() ? PidNamespaces.innerIds(p.pid()) : ProcFs.ids(p.pid());
    }

    /**
     * Called on a new snapshot of a process whose ids were {@code original}; {@code treePids}
     * are the pids of the checkpointed tree, which a restart must be able to reuse.
     */
    static void detachSnapshot(TracedProcess snapshot, ProcFs.ProcessIds original, java.util.Set<Integer> treePids) {
        if (treePids.contains(original.sid())) {
            SyscallInjector.call(snapshot.leader(), "setsid in the snapshot", Syscall.SETSID);
        } else if (treePids.contains(original.pgid())) {
            SyscallInjector.call(snapshot.leader(), "setpgid in the snapshot", Syscall.SETPGID, 0, 0);
        }
    }

    /**
     * Called on a non-root process recreated by its restored parent: it has its parent's group
     * and session; give it its own group back (restore order puts group leaders first).
     */
    static List<String> restoreChild(TracedProcess restored, ProcFs.ProcessIds original, List<FdInfo> fds) {
        ProcFs.ProcessIds now = idsOf(restored);
        if (original.sid() == restored.nsPid()) {
            SyscallInjector.call(restored.leader(), "setsid", Syscall.SETSID);
            return reacquireTerminal(restored, original, fds);
        }
        if (original.sid() != now.sid()) {
            return List.of("process " + restored.pid() + " was in session " + original.sid()
                    + ", which cannot be joined again; it stays in session " + now.sid());
        }
        if (original.pgid() != now.pgid()) {
            long target = original.pgid() == restored.nsPid() ? 0 : original.pgid();
            var c = SyscallInjector.inject(restored.leader(), Syscall.SETPGID, 0, target);
            if (c.failed()) {
                return List.of("process " + restored.pid() + " could not rejoin process group " + original.pgid()
                        + " (errno " + c.errno() + ")");
            }
        }
        return List.of();
    }

    /** Called on a process restored with the original pid; returns warnings. */
    static List<String> restore(TracedProcess restored, ProcFs.ProcessIds original, int originalPid, List<FdInfo> fds) {
        if (restored.nsPid() != originalPid) {
            return List.of();
        }
        if (original.sid() == originalPid) {
            SyscallInjector.call(restored.leader(), "setsid", Syscall.SETSID);
            return reacquireTerminal(restored, original, fds);
        }
        if (original.pgid() == originalPid) {
            SyscallInjector.call(restored.leader(), "setpgid", Syscall.SETPGID, 0, 0);
        }
        return List.of();
    }

    /**
     * A session leader made again by setsid has no controlling terminal. If it had one and still
     * holds a descriptor of it, it takes it back (TIOCSCTTY: the old session died with the killed
     * tree, so the terminal is free). Its foreground group is set once the whole tree exists
     * ({@link #restoreForegroundGroup}).
     */
    private static List<String> reacquireTerminal(TracedProcess restored, ProcFs.ProcessIds original, List<FdInfo> fds) {
        if (original.ttyNr() == 0) {
            return List.of();
        }
        Integer fd = terminalFd(original.ttyNr(), fds);
        if (fd == null) {
            return List.of("session leader " + restored.pid() + " had a controlling terminal but no descriptor of it; "
                    + "it is restored without one");
        }
        InjectedCall c = SyscallInjector.inject(restored.leader(), Syscall.IOCTL, fd, TIOCSCTTY, 0);
        if (c.failed()) {
            return List.of("session leader " + restored.pid() + " could not take its controlling terminal back (errno "
                    + c.errno() + ")");
        }
        return List.of();
    }

    /**
     * Gives a restored session leader's terminal back its foreground process group (TIOCSPGRP,
     * from the leader); called when every process of the tree, so every group, exists again.
     */
    static List<String> restoreForegroundGroup(TracedProcess leader, ProcFs.ProcessIds original, List<FdInfo> fds) {
        if (original.sid() != leader.nsPid() || original.ttyNr() == 0 || original.foregroundPgid() <= 0) {
            return List.of();
        }
        Integer fd = terminalFd(original.ttyNr(), fds);
        if (fd == null) {
            return List.of();
        }
        try (RemoteScratch scratch = RemoteScratch.below(leader.leader())) {
            long pgid = scratch.put(java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                    .putInt(original.foregroundPgid()).array());
            InjectedCall c = SyscallInjector.inject(leader.leader(), Syscall.IOCTL, fd, TIOCSPGRP, pgid);
            if (c.failed()) {
                return List.of("the terminal of session " + leader.pid() + " could not get process group "
                        + original.foregroundPgid() + " back in the foreground (errno " + c.errno() + ")");
            }
        }
        return List.of();
    }

    /** A descriptor of the terminal whose device number is {@code ttyNr}, or null. */
    private static Integer terminalFd(int ttyNr, List<FdInfo> fds) {
        for (FdInfo fd : fds) {
            if (fd.target().startsWith("/dev/")) {
                try {
                    Object rdev = java.nio.file.Files.getAttribute(java.nio.file.Path.of(fd.target()), "unix:rdev");
                    if (rdev instanceof Long r && r == (ttyNr & 0xffffffffL)) {
                        return fd.fd();
                    }
                } catch (java.io.IOException | UnsupportedOperationException | IllegalArgumentException e) {
                    // not a device we can look at
                }
            }
        }
        return null;
    }
}

package dev.rewind.backend.checkpoint;

import dev.rewind.backend.linux.ProcFs;
import dev.rewind.backend.linux.Syscall;
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
    private ProcessGroups() {
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
    static List<String> restoreChild(TracedProcess restored, ProcFs.ProcessIds original) {
        ProcFs.ProcessIds now = ProcFs.ids(restored.pid());
        if (original.sid() == restored.pid()) {
            SyscallInjector.call(restored.leader(), "setsid", Syscall.SETSID);
            return List.of("process " + restored.pid() + " is a session leader again, without a controlling terminal");
        }
        if (original.sid() != now.sid()) {
            return List.of("process " + restored.pid() + " was in session " + original.sid()
                    + ", which cannot be joined again; it stays in session " + now.sid());
        }
        if (original.pgid() != now.pgid()) {
            long target = original.pgid() == restored.pid() ? 0 : original.pgid();
            var c = SyscallInjector.inject(restored.leader(), Syscall.SETPGID, 0, target);
            if (c.failed()) {
                return List.of("process " + restored.pid() + " could not rejoin process group " + original.pgid()
                        + " (errno " + c.errno() + ")");
            }
        }
        return List.of();
    }

    /** Called on a process restored with the original pid; returns warnings. */
    static List<String> restore(TracedProcess restored, ProcFs.ProcessIds original, int originalPid) {
        if (restored.pid() != originalPid) {
            return List.of();
        }
        if (original.sid() == originalPid) {
            SyscallInjector.call(restored.leader(), "setsid", Syscall.SETSID);
            return List.of("the restored session leader has a new session and no controlling terminal");
        }
        if (original.pgid() == originalPid) {
            SyscallInjector.call(restored.leader(), "setpgid", Syscall.SETPGID, 0, 0);
        }
        return List.of();
    }
}

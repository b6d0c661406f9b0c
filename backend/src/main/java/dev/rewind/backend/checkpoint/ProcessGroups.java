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

    /** Called on a new snapshot of {@code original}. */
    static void detachSnapshot(TracedProcess snapshot, ProcFs.ProcessIds original, int originalPid) {
        if (original.sid() == originalPid) {
            SyscallInjector.call(snapshot.leader(), "setsid in the snapshot", Syscall.SETSID);
        } else if (original.pgid() == originalPid) {
            SyscallInjector.call(snapshot.leader(), "setpgid in the snapshot", Syscall.SETPGID, 0, 0);
        }
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

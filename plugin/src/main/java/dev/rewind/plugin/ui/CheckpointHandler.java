package dev.rewind.plugin.ui;

import dev.rewind.plugin.model.RewindDebugTarget;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.debug.core.model.IStackFrame;
import org.eclipse.debug.core.model.IThread;

/** "Checkpoint": a manual checkpoint of the active session, labelled with where it stands. */
public final class CheckpointHandler extends SessionHandler {
    @Override
    boolean canRun(RewindDebugTarget t) {
        return t.state() == RewindDebugTarget.State.SUSPENDED || t.state() == RewindDebugTarget.State.RUNNING;
    }

    @Override
    void run(RewindDebugTarget t, ExecutionEvent event) {
        SessionJob.schedule("Rewind: checkpoint", monitor -> t.checkpoint(label(t)));
    }

    /** "at step() at gdb-loop.c:12" when stopped, "while running" otherwise. */
    static String label(RewindDebugTarget t) {
        try {
            if (t.isSuspended()) {
                IThread[] threads = t.getThreads();
                IStackFrame top = threads.length == 0 ? null : threads[0].getTopStackFrame();
                if (top != null) {
                    return "at " + top.getName();
                }
            }
        } catch (org.eclipse.debug.core.DebugException e) {
            // fall through to the plain label
        }
        return "while running";
    }
}

package dev.rewind.plugin.ui;

import dev.rewind.plugin.model.RewindDebugTarget;
import org.eclipse.core.commands.ExecutionEvent;

/**
 * "Back to previous stop": restarts the program from the automatic checkpoint of the stop before
 * this one (gdb's rw-back). It is checkpoint undo, not instruction-level reverse stepping: the
 * program runs forward again from there, live.
 */
public final class BackHandler extends SessionHandler {
    @Override
    boolean canRun(RewindDebugTarget t) {
        return t.canGoBack();
    }

    @Override
    void run(RewindDebugTarget t, ExecutionEvent event) {
        SessionJob.schedule("Rewind: back to the previous stop", monitor -> t.backToPreviousStop());
    }
}

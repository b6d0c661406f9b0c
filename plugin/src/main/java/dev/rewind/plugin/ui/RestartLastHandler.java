package dev.rewind.plugin.ui;

import dev.rewind.plugin.model.RewindDebugTarget;
import dev.rewind.plugin.model.SessionTimeline;
import org.eclipse.core.commands.ExecutionEvent;

/**
 * "Restart from last checkpoint": the newest checkpoint the user asked for (manual or
 * checkpoint-on-hit), else the newest of all; the automatic one at the current stop would be a
 * restart to where the program already is.
 */
public final class RestartLastHandler extends SessionHandler {
    @Override
    boolean canRun(RewindDebugTarget t) {
        return t.state() != RewindDebugTarget.State.TERMINATED && t.state() != RewindDebugTarget.State.STARTING
                && last(t) != null;
    }

    @Override
    void run(RewindDebugTarget t, ExecutionEvent event) {
        SessionTimeline.Entry e = last(t);
        SessionJob.schedule("Rewind: restart from checkpoint " + e.crid(), monitor -> t.restart(e.crid()));
    }

    static SessionTimeline.Entry last(RewindDebugTarget t) {
        SessionTimeline.Entry chosen = null;
        for (SessionTimeline.Entry e : t.timeline().entries()) {
            if (!"stop".equals(e.info().reason())) {
                chosen = e;
            }
        }
        return chosen != null ? chosen : t.timeline().newest();
    }
}

package dev.rewind.plugin.ui;

import dev.rewind.plugin.model.RewindDebugTarget;
import dev.rewind.plugin.model.RewindSessions;
import java.util.List;
import org.eclipse.core.runtime.IAdaptable;
import org.eclipse.debug.core.model.IDebugElement;
import org.eclipse.debug.core.model.IProcess;
import org.eclipse.debug.ui.DebugUITools;

/** Which Rewind session a command acts on: the one selected in the Debug view, else the only one. Stateless. */
final class ActiveSession {
    private ActiveSession() {
    }

    /** The session, or null when none (or several, none of them selected). */
    static RewindDebugTarget find() {
        IAdaptable context = DebugUITools.getDebugContext();
        RewindDebugTarget selected = of(context);
        if (selected != null && !selected.isTerminated()) {
            return selected;
        }
        List<RewindDebugTarget> all = RewindSessions.all();
        return all.size() == 1 ? all.get(0) : null;
    }

    static RewindDebugTarget of(Object element) {
        if (element instanceof IDebugElement d && d.getDebugTarget() instanceof RewindDebugTarget t) {
            return t;
        }
        if (element instanceof IProcess p && p.getAdapter(RewindDebugTarget.class) != null) {
            return p.getAdapter(RewindDebugTarget.class);
        }
        if (element instanceof org.eclipse.debug.core.ILaunch l && l.getDebugTarget() instanceof RewindDebugTarget t) {
            return t;
        }
        return null;
    }
}

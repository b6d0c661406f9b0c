package dev.rewind.plugin.ui;

import dev.rewind.plugin.model.RewindDebugTarget;
import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.core.commands.HandlerEvent;
import org.eclipse.debug.core.DebugEvent;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.IDebugEventSetListener;

/**
 * A command on the active Rewind session, enabled only while the session can do it; enablement
 * is computed again at every debug event (suspend, resume, terminate), so toolbar buttons follow.
 */
abstract class SessionHandler extends AbstractHandler implements IDebugEventSetListener {

    SessionHandler() {
        DebugPlugin.getDefault().addDebugEventListener(this);
    }

    /** Whether the command can act on {@code target} now. */
    abstract boolean canRun(RewindDebugTarget target);

    /** Does it (schedule a Job for anything slow). */
    abstract void run(RewindDebugTarget target, ExecutionEvent event) throws Exception;

    @Override
    public final Object execute(ExecutionEvent event) throws org.eclipse.core.commands.ExecutionException {
        RewindDebugTarget target = ActiveSession.find();
        if (target == null || !canRun(target)) {
            return null;
        }
        try {
            run(target, event);
        } catch (Exception e) {
            throw new org.eclipse.core.commands.ExecutionException(e.getMessage(), e);
        }
        return null;
    }

    @Override
    public boolean isEnabled() {
        RewindDebugTarget target = ActiveSession.find();
        return target != null && canRun(target);
    }

    @Override
    public void handleDebugEvents(DebugEvent[] events) {
        fireHandlerChanged(new HandlerEvent(this, true, false));
    }

    @Override
    public void dispose() {
        DebugPlugin.getDefault().removeDebugEventListener(this);
        super.dispose();
    }
}

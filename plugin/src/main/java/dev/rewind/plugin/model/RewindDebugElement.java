package dev.rewind.plugin.model;

import dev.rewind.plugin.RewindPlugin;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.debug.core.DebugException;
import org.eclipse.debug.core.model.DebugElement;
import org.eclipse.debug.core.model.IDebugTarget;

/** The common part of Rewind's debug elements: the model id and how failures are reported. */
public abstract class RewindDebugElement extends DebugElement {

    protected RewindDebugElement(IDebugTarget target) {
        super(target);
    }

    @Override
    public String getModelIdentifier() {
        return RewindPlugin.DEBUG_MODEL;
    }

    protected RewindDebugTarget rewindTarget() {
        return (RewindDebugTarget) getDebugTarget();
    }

    static DebugException failure(String message) {
        return new DebugException(new Status(IStatus.ERROR, RewindPlugin.ID, DebugException.TARGET_REQUEST_FAILED, message, null));
    }
}

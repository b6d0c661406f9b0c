package dev.rewind.plugin.ui;

import dev.rewind.plugin.model.RewindDebugTarget;
import dev.rewind.plugin.model.RewindSessions;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.swt.widgets.Display;
import org.eclipse.ui.IStartup;
import org.eclipse.ui.PlatformUI;

/**
 * Tells the user, in a dialog, when a session is lost because its backend or gdb died (the
 * session is marked terminated; the next launch starts a fresh backend). Registered at startup.
 */
public final class LostSessionReporter implements IStartup, RewindSessions.Listener {
    @Override
    public void earlyStartup() {
        RewindSessions.addListener(this);
    }

    @Override
    public void sessionsChanged() {
    }

    @Override
    public void sessionEnded(RewindDebugTarget target) {
        String problem = target.problem();
        if (problem == null || !PlatformUI.isWorkbenchRunning()) {
            return;
        }
        Display display = PlatformUI.getWorkbench().getDisplay();
        display.asyncExec(() -> MessageDialog.openError(display.getActiveShell(), "Rewind session lost",
                "The Rewind session " + target.sessionId() + " ended: " + problem
                        + "\n\nIts checkpoints are gone. Launch the program again to start a new backend."));
    }
}

package dev.rewind.plugin.ui;

import java.util.List;
import org.eclipse.core.runtime.Platform;
import org.eclipse.ui.IStartup;
import org.eclipse.ui.PlatformUI;

/**
 * {@code rewind-ide --debug PROGRAM} (the script passes {@code -rewindProgram PATH} on to Eclipse,
 * which hands options it does not know to the application): once the workbench is up, PROGRAM is
 * launched under Rewind as Debug As would, reusing its configuration or making one that stops at
 * main. Registered at startup.
 */
public final class CommandLineLaunch implements IStartup {
    static final String OPTION = "-rewindProgram";

    @Override
    public void earlyStartup() {
        String program = programIn(List.of(Platform.getApplicationArgs()));
        if (program != null && PlatformUI.isWorkbenchRunning()) {
            PlatformUI.getWorkbench().getDisplay().asyncExec(() -> RewindLaunchShortcut.launch(program));
        }
    }

    /** The path after {@link #OPTION} in the application's arguments, or null. */
    static String programIn(List<String> args) {
        int at = args.indexOf(OPTION);
        return at >= 0 && at + 1 < args.size() ? args.get(at + 1) : null;
    }
}

package dev.rewind.plugin;

import java.nio.file.Path;

/**
 * What every plugin test shares: the real backend and test program the build made, and a
 * workbench that never stops to ask (the Debug perspective is switched to without a dialog,
 * which would otherwise stay open across tests). Stateless.
 */
public final class TestWorkbench {
    public static final Path BACKEND = Path.of(System.getProperty("rewind.backend", "../rewind")).toAbsolutePath().normalize();
    public static final Path PROGRAM = Path.of(System.getProperty("rewind.testBin", "../backend/target/test-bin"), "gdb-loop")
            .toAbsolutePath().normalize();
    public static final Path SOURCE = Path.of(System.getProperty("rewind.testSrc", "../backend/src/test/c"), "gdb-loop.c")
            .toAbsolutePath().normalize();

    private TestWorkbench() {
    }

    /** Launches the gdb-loop program as a "Rewind Application" in Debug mode. */
    public static org.eclipse.debug.core.ILaunch launch(String name, boolean stopAtMain, boolean everyStop)
            throws org.eclipse.core.runtime.CoreException {
        return launch(name, PROGRAM, stopAtMain, everyStop);
    }

    /** Launches {@code program} as a "Rewind Application" in Debug mode. */
    public static org.eclipse.debug.core.ILaunch launch(String name, Path program, boolean stopAtMain, boolean everyStop)
            throws org.eclipse.core.runtime.CoreException {
        org.eclipse.debug.core.ILaunchConfigurationWorkingCopy wc = org.eclipse.debug.core.DebugPlugin.getDefault()
                .getLaunchManager().getLaunchConfigurationType(dev.rewind.plugin.launch.LaunchSettings.TYPE_ID)
                .newInstance(null, name);
        wc.setAttribute(dev.rewind.plugin.launch.LaunchSettings.PROGRAM, program.toString());
        wc.setAttribute(dev.rewind.plugin.launch.LaunchSettings.STOP_AT_MAIN, stopAtMain);
        wc.setAttribute(dev.rewind.plugin.launch.LaunchSettings.CHECKPOINT_EVERY_STOP, everyStop);
        return wc.launch(org.eclipse.debug.core.ILaunchManager.DEBUG_MODE, null);
    }

    /** Ends a test's session (null: none) and removes every Rewind breakpoint. */
    public static void cleanUp(org.eclipse.debug.core.ILaunch launch) throws org.eclipse.core.runtime.CoreException {
        if (launch != null) {
            launch.terminate();
        }
        org.eclipse.debug.core.IBreakpointManager breakpoints = org.eclipse.debug.core.DebugPlugin.getDefault()
                .getBreakpointManager();
        breakpoints.removeBreakpoints(breakpoints.getBreakpoints(RewindPlugin.DEBUG_MODEL), true);
    }

    /** Waits up to 10 s for the dialog titled {@code title} and closes it (the UI must tell the user; tests move on). */
    public static void closeDialog(String title) throws InterruptedException {
        org.eclipse.swt.widgets.Display display = org.eclipse.swt.widgets.Display.getDefault();
        for (int i = 0; i < 200; i++) {
            boolean[] closed = {false};
            display.syncExec(() -> {
                for (org.eclipse.swt.widgets.Shell s : display.getShells()) {
                    if (s.isVisible() && title.equals(s.getText())) {
                        s.close();
                        closed[0] = true;
                    }
                }
            });
            if (closed[0]) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no dialog '" + title + "' was shown");
    }

    /** Points the plugin at the built backend and answers the workbench's questions in advance. */
    public static void prepare() {
        org.eclipse.core.runtime.preferences.InstanceScope.INSTANCE.getNode(RewindPlugin.ID)
                .put(BackendPreferences.BACKEND_PATH, BACKEND.toString());
        org.eclipse.debug.ui.DebugUITools.getPreferenceStore()
                .setValue("org.eclipse.debug.ui.switch_perspective_on_suspend", "always");
    }
}

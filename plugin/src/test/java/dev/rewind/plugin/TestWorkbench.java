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

    /** Points the plugin at the built backend and answers the workbench's questions in advance. */
    public static void prepare() {
        org.eclipse.core.runtime.preferences.InstanceScope.INSTANCE.getNode(RewindPlugin.ID)
                .put(BackendPreferences.BACKEND_PATH, BACKEND.toString());
        org.eclipse.debug.ui.DebugUITools.getPreferenceStore()
                .setValue("org.eclipse.debug.ui.switch_perspective_on_suspend", "always");
    }
}

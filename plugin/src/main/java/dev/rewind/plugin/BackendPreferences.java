package dev.rewind.plugin;

import org.eclipse.core.runtime.Platform;

/**
 * Where the user keeps the plugin's settings: the backend and gdb to start, and the defaults of
 * new launches (memory budget, automatic checkpoints, image directory).
 *
 * <p>Stateless: every call reads the preference service, so a change on the
 * preference page is seen by the next launch.
 */
public final class BackendPreferences {
    /** Preference key: the path of the {@code rewind} executable or of {@code rewind.jar}. */
    public static final String BACKEND_PATH = "backendPath";
    /** Preference key: the gdb the plugin drives through GDB/MI. */
    public static final String GDB_PATH = "gdbPath";
    /** Preference key: default memory budget of new launches, MiB (0: no limit). */
    public static final String MEMORY_BUDGET_MIB = "memoryBudgetMib";
    /** Preference key: default of new launches: checkpoint at every stop. */
    public static final String CHECKPOINT_EVERY_STOP = "checkpointEveryStop";
    /** Preference key: where "Write to image" proposes to put image files. */
    public static final String IMAGE_DIRECTORY = "imageDirectory";

    /**
     * Default for {@link #BACKEND_PATH}: the bare command name, looked up on the
     * {@code PATH} of the Eclipse process when the backend is started.
     */
    public static final String DEFAULT_BACKEND_PATH = "rewind";
    public static final String DEFAULT_GDB_PATH = "gdb";
    public static final int DEFAULT_MEMORY_BUDGET_MIB = 2048;

    private BackendPreferences() {
    }

    /**
     * The backend to start: the user's choice (instance scope); by default {@code rewind} on
     * {@code PATH} when there is one, else the jar shipped in the plugin.
     */
    public static String backendPath() {
        String chosen = string(BACKEND_PATH, DEFAULT_BACKEND_PATH);
        if (chosen.equals(DEFAULT_BACKEND_PATH)
                && new dev.rewind.plugin.backend.BackendCommand(java.util.List.of(chosen)).problem() != null) {
            String bundled = dev.rewind.plugin.backend.BundledBackend.path();
            if (bundled != null) {
                return bundled;
            }
        }
        return chosen;
    }

    public static String gdbPath() {
        return string(GDB_PATH, DEFAULT_GDB_PATH);
    }

    public static int memoryBudgetMib() {
        return Platform.getPreferencesService().getInt(RewindPlugin.ID, MEMORY_BUDGET_MIB, DEFAULT_MEMORY_BUDGET_MIB, null);
    }

    public static boolean checkpointEveryStop() {
        return Platform.getPreferencesService().getBoolean(RewindPlugin.ID, CHECKPOINT_EVERY_STOP, true, null);
    }

    public static String imageDirectory() {
        return string(IMAGE_DIRECTORY, System.getProperty("user.home"));
    }

    private static String string(String key, String fallback) {
        return Platform.getPreferencesService().getString(RewindPlugin.ID, key, fallback, null);
    }
}

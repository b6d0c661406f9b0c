package dev.rewind.plugin;

import org.eclipse.core.runtime.Platform;

/**
 * Where the user keeps the settings of the backend that the plugin starts.
 *
 * <p>Stateless: every call reads the preference service, so a change on the
 * preference page is seen by the next launch.
 */
public final class BackendPreferences {
    /** Preference key: the path of the {@code rewind} executable. */
    public static final String BACKEND_PATH = "backendPath";

    /**
     * Default for {@link #BACKEND_PATH}: the bare command name, looked up on the
     * {@code PATH} of the Eclipse process when the backend is started.
     */
    public static final String DEFAULT_BACKEND_PATH = "rewind";

    private BackendPreferences() {
    }

    /** The backend executable: the user's choice (instance scope) or else the default. */
    public static String backendPath() {
        return Platform.getPreferencesService()
                .getString(RewindPlugin.ID, BACKEND_PATH, DEFAULT_BACKEND_PATH, null);
    }
}

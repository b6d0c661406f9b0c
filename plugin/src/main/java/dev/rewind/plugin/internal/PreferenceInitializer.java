package dev.rewind.plugin.internal;

import dev.rewind.plugin.BackendPreferences;
import dev.rewind.plugin.RewindPlugin;
import org.eclipse.core.runtime.preferences.AbstractPreferenceInitializer;
import org.eclipse.core.runtime.preferences.DefaultScope;
import org.eclipse.core.runtime.preferences.IEclipsePreferences;

/**
 * Puts the plugin's preference defaults into the default scope, so that a preference
 * page can show them and "Restore Defaults" can return to them. Registered in
 * plugin.xml; the preference service calls it the first time the node is read.
 *
 * <p>Stateless.
 */
public final class PreferenceInitializer extends AbstractPreferenceInitializer {
    @Override
    public void initializeDefaultPreferences() {
        IEclipsePreferences node = DefaultScope.INSTANCE.getNode(RewindPlugin.ID);
        node.put(BackendPreferences.BACKEND_PATH, BackendPreferences.DEFAULT_BACKEND_PATH);
        node.put(BackendPreferences.GDB_PATH, BackendPreferences.DEFAULT_GDB_PATH);
        node.putInt(BackendPreferences.MEMORY_BUDGET_MIB, BackendPreferences.DEFAULT_MEMORY_BUDGET_MIB);
        node.putBoolean(BackendPreferences.CHECKPOINT_EVERY_STOP, true);
        node.put(BackendPreferences.IMAGE_DIRECTORY, System.getProperty("user.home"));
    }
}

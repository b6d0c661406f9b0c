package dev.rewind.plugin.backend;

import java.io.IOException;
import java.net.URL;
import org.eclipse.core.runtime.FileLocator;
import org.eclipse.core.runtime.Platform;
import org.osgi.framework.Bundle;

/**
 * The backend jar shipped inside this plugin ({@code backend/rewind.jar}), as a file Eclipse's
 * JVM can run (FileLocator extracts it when the plugin is installed as a jar). Stateless.
 */
public final class BundledBackend {
    private static final String ENTRY = "backend/rewind.jar";

    private BundledBackend() {
    }

    /** The jar's path, or null when this build of the plugin has none. */
    public static String path() {
        Bundle bundle = Platform.getBundle(dev.rewind.plugin.RewindPlugin.ID);
        URL entry = bundle == null ? null : bundle.getEntry(ENTRY);
        if (entry == null) {
            return null;
        }
        try {
            return new java.io.File(FileLocator.toFileURL(entry).getPath()).getAbsolutePath();
        } catch (IOException e) {
            return null;
        }
    }
}

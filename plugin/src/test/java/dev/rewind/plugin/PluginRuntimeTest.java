package dev.rewind.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.plugin.backend.BackendCommand;
import dev.rewind.plugin.backend.BackendConnection;
import dev.rewind.plugin.backend.BundledBackend;
import dev.rewind.protocol.ProtocolVersion;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.core.runtime.preferences.DefaultScope;
import org.eclipse.core.runtime.preferences.InstanceScope;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.service.prefs.Preferences;

/**
 * Runs inside a real Equinox framework (tycho-surefire's plugin-test): the plugin and the
 * protocol are installed as the bundles users get, resolved against the Eclipse platform.
 */
class PluginRuntimeTest {

    private static final String PROTOCOL_BUNDLE = "dev.rewind.protocol";

    private final Bundle plugin = FrameworkUtil.getBundle(RewindPlugin.class);

    @Test
    void pluginRunsAsItsOwnBundleAndStarts() throws Exception {
        assertNotNull(plugin, "RewindPlugin was not loaded by an OSGi bundle");
        assertEquals(RewindPlugin.ID, plugin.getSymbolicName());
        plugin.start(Bundle.START_TRANSIENT);
        assertEquals(Bundle.ACTIVE, plugin.getState());
    }

    @Test
    void protocolIsASeparateBundleThatStarts() throws Exception {
        Bundle protocol = bundle(PROTOCOL_BUNDLE);
        protocol.start(Bundle.START_TRANSIENT);
        assertEquals(Bundle.ACTIVE, protocol.getState());
        // The plugin sees the protocol's class, not a copy of it.
        assertEquals(protocol, FrameworkUtil.getBundle(ProtocolVersion.class));
    }

    @Test
    void pluginIsWiredToTheBundlesItNeeds() {
        BundleWiring wiring = plugin.adapt(BundleWiring.class);
        Set<String> providers = wiring.getRequiredWires(null).stream()
                .map(BundleWire::getProvider)
                .map(provider -> provider.getBundle().getSymbolicName())
                .collect(Collectors.toSet());
        for (String needed : List.of(PROTOCOL_BUNDLE, "org.eclipse.lsp4j.jsonrpc", "com.google.gson",
                "org.eclipse.core.runtime", "org.eclipse.ui", "org.eclipse.debug.core", "org.eclipse.debug.ui")) {
            assertTrue(providers.contains(needed), () -> "not wired to " + needed + ": " + providers);
        }
    }

    @Test
    void pluginSpeaksTheProtocolBundlesVersion() {
        assertEquals(ProtocolVersion.text(), RewindPlugin.protocolVersion());
        assertTrue(ProtocolVersion.isCompatible(RewindPlugin.protocolVersion()));
    }

    @Test
    void backendPathComesFromThePreferenceInitializerUnlessTheUserSetsIt() throws Exception {
        // Only the initializer registered in plugin.xml puts the default there.
        assertEquals(BackendPreferences.DEFAULT_BACKEND_PATH,
                DefaultScope.INSTANCE.getNode(RewindPlugin.ID).get(BackendPreferences.BACKEND_PATH, null));
        Preferences instance = InstanceScope.INSTANCE.getNode(RewindPlugin.ID);
        instance.remove(BackendPreferences.BACKEND_PATH);
        String byDefault = BackendPreferences.backendPath();
        boolean onPath = new BackendCommand(List.of(BackendPreferences.DEFAULT_BACKEND_PATH)).problem() == null;
        assertEquals(onPath ? BackendPreferences.DEFAULT_BACKEND_PATH : BundledBackend.path(), byDefault);
        try {
            instance.put(BackendPreferences.BACKEND_PATH, "/opt/rewind/bin/rewind");
            assertEquals("/opt/rewind/bin/rewind", BackendPreferences.backendPath());
        } finally {
            instance.remove(BackendPreferences.BACKEND_PATH);
        }
    }

    @Test
    void theBackendShippedInThePluginStartsAndAnswers() throws Exception {
        String jar = BundledBackend.path();
        assertNotNull(jar, "the plugin has no backend/rewind.jar");
        try (BackendConnection backend = BackendConnection.start(BackendCommand.of(jar, 0))) {
            assertTrue(backend.isAlive());
            assertEquals(List.of(), backend.server().session().list(null).get(30, java.util.concurrent.TimeUnit.SECONDS).sessions());
        }
    }

    private Bundle bundle(String symbolicName) throws Exception {
        plugin.start(Bundle.START_TRANSIENT);
        BundleContext context = plugin.getBundleContext();
        for (Bundle candidate : context.getBundles()) {
            if (candidate.getSymbolicName().equals(symbolicName)) {
                return candidate;
            }
        }
        throw new AssertionError(symbolicName + " is not installed in the test runtime");
    }
}

package dev.rewind.plugin;

import dev.rewind.protocol.ProtocolVersion;

/**
 * Facts about the Rewind plugin that other bundles and the backend handshake need.
 *
 * <p>Stateless constants.
 */
public final class RewindPlugin {
    /** The Bundle-SymbolicName, also the preference node and the status plug-in id. */
    public static final String ID = "dev.rewind.plugin";

    /** The debug model of Rewind's debug elements and breakpoints. */
    public static final String DEBUG_MODEL = "dev.rewind.plugin.debugModel";

    private RewindPlugin() {
    }

    /**
     * The version of the JSON-RPC contract this plugin speaks, sent to the backend in
     * {@code initialize}. It is the protocol bundle's, never a copy: the plugin and the
     * backend are compatible exactly when they were built against compatible contracts.
     */
    public static String protocolVersion() {
        return ProtocolVersion.text();
    }
}

package dev.rewind.protocol;

/**
 * The version of the JSON-RPC contract. A client sends the version it speaks in
 * {@code initialize}; the backend refuses a different major version.
 *
 * <p>Stateless constants.
 */
public final class ProtocolVersion {
    /** Bumped when a method or a field changes meaning or disappears. */
    public static final int MAJOR = 0;
    /** Bumped when methods or optional fields are added. */
    public static final int MINOR = 1;

    private ProtocolVersion() {
    }

    /** The version as clients and docs write it, e.g. {@code "0.1"}. */
    public static String text() {
        return MAJOR + "." + MINOR;
    }

    /** Whether a client speaking {@code version} ("major.minor") can talk to this backend. */
    public static boolean isCompatible(String version) {
        if (version == null) {
            return false;
        }
        int dot = version.indexOf('.');
        String major = dot < 0 ? version : version.substring(0, dot);
        try {
            return Integer.parseInt(major) == MAJOR;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}

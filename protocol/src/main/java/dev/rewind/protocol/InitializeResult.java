package dev.rewind.protocol;

/**
 * @param serverVersion   the backend's build version
 * @param protocolVersion the version the backend speaks, {@code "major.minor"}
 */
public record InitializeResult(String serverVersion, String protocolVersion, Capabilities capabilities) {
}

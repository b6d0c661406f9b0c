package dev.rewind.protocol;

/**
 * @param clientName      who is calling, for the backend's log (e.g. {@code "eclipse"}, {@code "rewind call"})
 * @param protocolVersion the version the client speaks, {@code "major.minor"} (see {@link ProtocolVersion})
 */
public record InitializeParams(String clientName, String protocolVersion) {
}

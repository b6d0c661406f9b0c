package dev.rewind.protocol.session;

/**
 * The params of {@code session/output}.
 *
 * @param stream {@code "stdout"} or {@code "stderr"}
 * @param text   what the debuggee wrote, decoded as UTF-8 (not split into lines)
 */
public record OutputEvent(int sessionId, String stream, String text) {
    public static final String STDOUT = "stdout";
    public static final String STDERR = "stderr";
}

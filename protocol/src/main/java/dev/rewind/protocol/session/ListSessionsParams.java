package dev.rewind.protocol.session;

/** No fields yet; {@code session/list} may be sent without params. */
public record ListSessionsParams() {
}

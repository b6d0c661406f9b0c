package dev.rewind.protocol.session;

/** @param text written to the debuggee's stdin as UTF-8 */
public record InputParams(int sessionId, String text) {
}

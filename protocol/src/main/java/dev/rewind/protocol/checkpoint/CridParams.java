package dev.rewind.protocol.checkpoint;

/** Names one checkpoint of a session. */
public record CridParams(int sessionId, long crid) {
}

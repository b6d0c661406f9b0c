package dev.rewind.protocol.checkpoint;

import java.util.List;

/**
 * @param crids the checkpoints to write; all of the session's when omitted
 * @param path  the image file (created, or added to)
 */
public record WriteBackParams(int sessionId, List<Long> crids, String path) {
}

package dev.rewind.protocol.checkpoint;

import java.util.List;

/** @param bytes the image file's size afterwards */
public record WriteBackResult(String path, List<Long> crids, long bytes) {
}

package dev.rewind.protocol.image;

/**
 * A new session from checkpoint {@code crid} of the image file {@code path}.
 *
 * @param stdin        the new run's stdin, stdout and stderr, as in {@code session/launch}: a file
 * @param stdout       path, {@code "pipe"}, or omitted for /dev/null; they stand in for the
 * @param stderr       checkpoint's descriptors 0 to 2
 * @param stopped      stay stopped at the checkpoint's point (a {@code session/stopped} with reason
 *                     {@code "entry"} follows) instead of running on
 * @param onDisconnect {@code "kill"} (default) or {@code "keep"}, as in {@code session/launch}
 */
public record RestoreImageParams(String path, long crid, String stdin, String stdout, String stderr, boolean stopped,
        String onDisconnect) {
    public RestoreImageParams(String path, long crid) {
        this(path, crid, null, null, null, false, null);
    }
}

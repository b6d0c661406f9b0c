package dev.rewind.protocol;

/**
 * What this backend can do; a method whose capability is false answers
 * {@link ErrorCodes#NOT_SUPPORTED_YET}.
 *
 * @param runControl           {@code session/resume|pause|step|wait} and {@code breakpoint/*}
 * @param images               {@code checkpoint/writeBack}, {@code image/list}, {@code image/verify} and
 *                             {@code image/restore}
 * @param gdbServer            {@code session/gdbserver}
 * @param pidPreservingRestart restarts keep pids and tids (the backend holds CAP_CHECKPOINT_RESTORE)
 * @param maxMessageBytes      the largest message body (Content-Length) the backend reads
 */
public record Capabilities(boolean runControl, boolean images, boolean gdbServer, boolean pidPreservingRestart,
        long maxMessageBytes) {
}

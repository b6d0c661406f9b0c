package dev.rewind.protocol.checkpoint;

import java.util.List;

/**
 * One checkpoint on the timeline: the answer of {@code checkpoint/create} and the params of
 * {@code checkpoint/created}.
 *
 * @param reason         one of {@link CheckpointReasons}
 * @param parentCrid     the checkpoint the process descended from when this one was taken, or null
 * @param createdAt      ISO-8601 UTC time
 * @param processes      the pids the checkpoint covers
 * @param threads        where each thread was
 * @param privateBytes   memory the snapshot holds alone (pages since rewritten by the live process)
 * @param downtimeMicros how long the debuggee was held stopped to take it: from its first thread's
 *                       stop to the thaw
 * @param imageState     {@code "memory"}, {@code "writing"} or {@code "written"}
 * @param warnings       state the checkpoint cannot rewind (see README, known limits)
 */
public record CheckpointInfo(int sessionId, long crid, String label, String reason, Long parentCrid,
        String createdAt, List<Integer> processes, List<ThreadLocation> threads, long privateBytes,
        long downtimeMicros, String imageState, List<String> warnings) {
}

package dev.rewind.backend.checkpoint;

import java.time.Instant;
import java.util.List;

/**
 * One checkpoint on the timeline, as clients see it.
 *
 * @param parent          the checkpoint the process descended from when this one was taken
 *                        (restarts make branches), or null
 * @param downtimeMicros  how long the checkpoint kept the process stopped: from its first thread's
 *                        stop to the thaw
 * @param privateBytes    memory the snapshot holds alone (pages the live process has since
 *                        rewritten), measured when the entry was listed
 * @param warnings        state a fork cannot rewind and that was not restored
 */
public record TimelineEntry(Crid crid, String label, CheckpointReason reason, Instant createdAt, Crid parent,
        List<Integer> processes, List<ThreadLocation> threads, long downtimeMicros, long privateBytes,
        long pssBytes, String imageState, List<String> warnings) {
}

package dev.rewind.protocol.checkpoint;

import java.util.List;

/**
 * @param pid           the restored live process (the old pid when pids can be kept)
 * @param tids          its threads
 * @param restartMicros how long the restart took
 * @param warnings      what the restart could not keep (e.g. a new pid without CAP_CHECKPOINT_RESTORE)
 */
public record RestartResult(int sessionId, long crid, int pid, List<Integer> tids, long restartMicros,
        List<String> warnings) {
}

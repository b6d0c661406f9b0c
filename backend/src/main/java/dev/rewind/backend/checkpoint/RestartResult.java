package dev.rewind.backend.checkpoint;

import java.util.List;

/** The outcome of a restart: the new live process, how long it took, and what it could not keep. */
public record RestartResult(Crid crid, int pid, List<Integer> tids, long restartMicros, List<String> warnings) {
}

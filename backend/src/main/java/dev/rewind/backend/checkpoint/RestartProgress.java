package dev.rewind.backend.checkpoint;

/**
 * Hears how a restart goes: recreating the children of a tree copies their memory (about
 * 0.5 s per GiB here), which is long enough for a client to want to show it. Called on the
 * tracer thread; must not block.
 */
@FunctionalInterface
public interface RestartProgress {
    RestartProgress NONE = (message, done, total) -> {
    };

    /** {@code done} of {@code total} processes are back; {@code message} says what comes next. */
    void report(String message, int done, int total);
}

package dev.rewind.plugin.mi;

/**
 * Receives what gdb says on its own: async records and stream text. Called on the reader thread,
 * in output order; must not block (hand long work to a Job).
 */
public interface MiListener {
    void onAsync(MiRecord.Async record);

    default void onStream(MiRecord.Stream record) {
    }

    /** gdb's process ended or its output closed; no more records come. */
    default void onExit(int exitCode) {
    }
}

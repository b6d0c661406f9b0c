package dev.rewind.plugin.backend;

import dev.rewind.protocol.ProgressParams;
import dev.rewind.protocol.checkpoint.CheckpointDropped;
import dev.rewind.protocol.checkpoint.CheckpointInfo;
import dev.rewind.protocol.session.ExitedEvent;
import dev.rewind.protocol.session.OutputEvent;
import dev.rewind.protocol.session.StoppedEvent;

/**
 * What the backend tells about one session (or, for {@link Backend#addGlobalListener}, about all).
 * Called on LSP4J's reader thread or the backend watcher: must not block.
 */
public interface SessionEvents {
    default void stopped(StoppedEvent event) {
    }

    default void exited(ExitedEvent event) {
    }

    default void output(OutputEvent event) {
    }

    default void checkpointCreated(CheckpointInfo checkpoint) {
    }

    default void checkpointDropped(CheckpointDropped event) {
    }

    default void progress(ProgressParams params) {
    }

    /** The backend process died: its sessions, checkpoints and snapshots are gone with it. */
    default void backendLost(String why) {
    }
}

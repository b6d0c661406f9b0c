package dev.rewind.protocol;

import dev.rewind.protocol.checkpoint.CheckpointDropped;
import dev.rewind.protocol.checkpoint.CheckpointInfo;
import dev.rewind.protocol.session.ExitedEvent;
import dev.rewind.protocol.session.OutputEvent;
import dev.rewind.protocol.session.StoppedEvent;
import org.eclipse.lsp4j.jsonrpc.services.JsonNotification;

/**
 * The notifications the backend sends to a client. A client receives the notifications of the
 * sessions it started, and of every session launched with {@code onDisconnect: "keep"}.
 */
public interface RewindClient {
    /** A session stopped: breakpoint, step, signal, pause or entry. Not sent for exits. */
    @JsonNotification("session/stopped")
    void stopped(StoppedEvent event);

    /** The live process of a session ended (exit or fatal signal); a restart brings it back. */
    @JsonNotification("session/exited")
    void exited(ExitedEvent event);

    /** Text the debuggee wrote to a stream launched as {@code "pipe"}, as it arrives. */
    @JsonNotification("session/output")
    void output(OutputEvent event);

    /** A checkpoint was taken: by {@code checkpoint/create} or by a checkpoint-on-hit breakpoint. */
    @JsonNotification("checkpoint/created")
    void checkpointCreated(CheckpointInfo checkpoint);

    /** A checkpoint is gone: by {@code checkpoint/drop}, or thinned by the memory budget. */
    @JsonNotification("checkpoint/dropped")
    void checkpointDropped(CheckpointDropped event);

    /** Progress of a long operation (image write-back, restore); LSP's {@code $/progress} shape. */
    @JsonNotification("$/progress")
    void progress(ProgressParams params);
}

package dev.rewind.protocol.checkpoint;

import dev.rewind.protocol.session.SessionParams;
import java.util.concurrent.CompletableFuture;
import org.eclipse.lsp4j.jsonrpc.services.JsonRequest;
import org.eclipse.lsp4j.jsonrpc.services.JsonSegment;

/**
 * {@code checkpoint/*}: in-memory checkpoints of a session, each named by a crid (a positive
 * number, unique within a backend run).
 */
@JsonSegment("checkpoint")
public interface CheckpointService {
    /** Checkpoints the live process now (running or stopped); it carries on as it was. */
    @JsonRequest
    CompletableFuture<CheckpointInfo> create(CreateCheckpointParams params);

    /** The session's timeline, oldest first, with each snapshot's memory cost measured now. */
    @JsonRequest
    CompletableFuture<CheckpointList> list(SessionParams params);

    /**
     * Kills the live process and recreates it from checkpoint {@code crid}, which stays for reuse.
     * The restored process runs on. Refused with {@code GDB_ATTACHED} while a gdb is attached.
     */
    @JsonRequest
    CompletableFuture<RestartResult> restart(CridParams params);

    /** Frees the checkpoint {@code crid}. */
    @JsonRequest
    CompletableFuture<Void> drop(CridParams params);

    /**
     * Renames checkpoint {@code crid}: the new label is what the timeline, gdb's {@code monitor
     * checkpoints} and image files written afterwards show.
     */
    @JsonRequest
    CompletableFuture<CheckpointInfo> label(LabelParams params);

    /** Writes checkpoints to an image file while the session runs on; {@code $/progress} reports the bytes. */
    @JsonRequest
    CompletableFuture<WriteBackResult> writeBack(WriteBackParams params);
}

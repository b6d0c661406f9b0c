package dev.rewind.protocol.image;

import dev.rewind.protocol.session.SessionStarted;
import java.util.concurrent.CompletableFuture;
import org.eclipse.lsp4j.jsonrpc.services.JsonRequest;
import org.eclipse.lsp4j.jsonrpc.services.JsonSegment;

/**
 * {@code image/*}: image files that hold several checkpoints, indexed by crid and checksummed.
 */
@JsonSegment("image")
public interface ImageService {
    /** The checkpoints an image file holds. */
    @JsonRequest
    CompletableFuture<ImageContents> list(ImagePathParams params);

    /** Starts a new session from a checkpoint in an image file. */
    @JsonRequest
    CompletableFuture<SessionStarted> restore(RestoreImageParams params);

    /** Checks every checksum of an image file. */
    @JsonRequest
    CompletableFuture<ImageVerifyResult> verify(ImagePathParams params);
}

package dev.rewind.backend.rpc;

import dev.rewind.protocol.ErrorCodes;
import dev.rewind.protocol.image.ImageContents;
import dev.rewind.protocol.image.ImagePathParams;
import dev.rewind.protocol.image.ImageService;
import dev.rewind.protocol.image.ImageVerifyResult;
import dev.rewind.protocol.image.RestoreImageParams;
import dev.rewind.protocol.session.SessionStarted;
import java.util.concurrent.CompletableFuture;

/** {@code image/*}: every method answers NOT_SUPPORTED_YET until the engine writes images. Stateless. */
final class ImageEndpoint implements ImageService {
    private final Connection connection;

    ImageEndpoint(Connection connection) {
        this.connection = connection;
    }

    @Override
    public CompletableFuture<ImageContents> list(ImagePathParams params) {
        return notYet("image/list");
    }

    @Override
    public CompletableFuture<SessionStarted> restore(RestoreImageParams params) {
        return notYet("image/restore");
    }

    @Override
    public CompletableFuture<ImageVerifyResult> verify(ImagePathParams params) {
        return notYet("image/verify");
    }

    private <T> CompletableFuture<T> notYet(String method) {
        return connection.call(() -> {
            throw new RpcException(ErrorCodes.NOT_SUPPORTED_YET, method
                    + " is not supported yet: this backend cannot read or write image files");
        });
    }
}

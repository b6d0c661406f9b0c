package dev.rewind.backend.rpc;

import dev.rewind.backend.checkpoint.BadImageException;
import dev.rewind.backend.checkpoint.ImageReader;
import dev.rewind.protocol.ErrorCodes;
import dev.rewind.protocol.image.ImageContents;
import dev.rewind.protocol.image.ImageEntry;
import dev.rewind.protocol.image.ImagePathParams;
import dev.rewind.protocol.image.ImageService;
import dev.rewind.protocol.image.ImageVerifyResult;
import dev.rewind.protocol.image.RestoreImageParams;
import dev.rewind.protocol.session.SessionStarted;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@code image/*}: lists and verifies image files; restoring from one is not supported yet
 * (NOT_SUPPORTED_YET). Stateless.
 */
final class ImageEndpoint implements ImageService {
    private final Connection connection;

    ImageEndpoint(Connection connection) {
        this.connection = connection;
    }

    @Override
    public CompletableFuture<ImageContents> list(ImagePathParams params) {
        return connection.call(() -> {
            Path path = path(params);
            try {
                return new ImageContents(path.toString(), ImageReader.list(path).stream()
                        .map(e -> new ImageEntry(e.crid(), e.label(), e.createdAt(), e.parentCrid(), e.bytes())).toList());
            } catch (BadImageException e) {
                throw new RpcException(ErrorCodes.BAD_IMAGE, e.getMessage());
            }
        });
    }

    @Override
    public CompletableFuture<SessionStarted> restore(RestoreImageParams params) {
        return notYet("image/restore");
    }

    @Override
    public CompletableFuture<ImageVerifyResult> verify(ImagePathParams params) {
        return connection.call(() -> {
            Path path = path(params);
            List<String> problems = ImageReader.verify(path);
            return new ImageVerifyResult(path.toString(), problems.isEmpty(), problems);
        });
    }

    private static Path path(ImagePathParams params) {
        if (params == null || params.path() == null || params.path().isBlank()) {
            throw new RpcException(ErrorCodes.INVALID_PARAMS, "an image file's path is needed");
        }
        return Path.of(params.path());
    }

    private <T> CompletableFuture<T> notYet(String method) {
        return connection.call(() -> {
            throw new RpcException(ErrorCodes.NOT_SUPPORTED_YET, method
                    + " is not supported yet: this backend writes, lists and verifies image files, but cannot start a "
                    + "session from one");
        });
    }
}

package dev.rewind.backend.rpc;

import dev.rewind.backend.checkpoint.BadImageException;
import dev.rewind.backend.checkpoint.Debuggee;
import dev.rewind.backend.checkpoint.Engine;
import dev.rewind.backend.checkpoint.ImageReader;
import dev.rewind.protocol.ErrorCodes;
import dev.rewind.protocol.image.ImageContents;
import dev.rewind.protocol.image.ImageEntry;
import dev.rewind.protocol.image.ImagePathParams;
import dev.rewind.protocol.image.ImageService;
import dev.rewind.protocol.image.ImageVerifyResult;
import dev.rewind.protocol.image.RestoreImageParams;
import dev.rewind.protocol.session.LaunchParams;
import dev.rewind.protocol.session.SessionStarted;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** {@code image/*}: lists and verifies image files, and starts sessions from them. Stateless. */
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
    public CompletableFuture<SessionStarted> restore(RestoreImageParams p) {
        return connection.call(() -> {
            Path path = path(p == null ? null : new ImagePathParams(p.path()));
            Params.require(p.crid() > 0, "crid is required");
            String onDisconnect = Params.oneOf("onDisconnect", p.onDisconnect(), LaunchParams.KILL, LaunchParams.KILL,
                    LaunchParams.KEEP);
            List<String> stdio = Arrays.asList(SessionEndpoint.stdio("stdin", p.stdin(), null),
                    SessionEndpoint.stdio("stdout", p.stdout(), null), SessionEndpoint.stdio("stderr", p.stderr(), null));
            Engine.ImageRestore r;
            try {
                // Held whatever the client asked, so that the output listeners are there before it runs.
                r = connection.backend().engine().restoreImage(path, p.crid(), stdio, true);
            } catch (BadImageException e) {
                throw new RpcException(ErrorCodes.BAD_IMAGE, e.getMessage());
            } catch (IllegalStateException | UnsupportedOperationException | IllegalArgumentException e) {
                throw new RpcException(ErrorCodes.LAUNCH_FAILED, "cannot restore checkpoint " + p.crid() + " of " + path
                        + ": " + e.getMessage());
            }
            Debuggee d = r.debuggee();
            if (!p.stopped()) {
                // The held stop the client did not ask for: taken before the session exists, which would report it.
                d.awaitStop(java.time.Duration.ZERO);
            }
            Session s = SessionEndpoint.open(connection, d, d.executable(), "restored from " + path, onDisconnect);
            if (!p.stopped()) {
                d.resume();
            }
            return new SessionStarted(s.id(), d.pid(), r.warnings().isEmpty() ? null : r.warnings());
        });
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

}

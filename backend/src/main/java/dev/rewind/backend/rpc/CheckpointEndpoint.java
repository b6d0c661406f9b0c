package dev.rewind.backend.rpc;

import dev.rewind.backend.checkpoint.BadImageException;
import dev.rewind.backend.checkpoint.CheckpointReason;
import dev.rewind.backend.checkpoint.Crid;
import dev.rewind.backend.checkpoint.RestartResult;
import dev.rewind.backend.checkpoint.TimelineEntry;
import dev.rewind.backend.checkpoint.UnknownCheckpointException;
import dev.rewind.protocol.ErrorCodes;
import dev.rewind.protocol.ProgressParams;
import dev.rewind.protocol.checkpoint.CheckpointInfo;
import dev.rewind.protocol.checkpoint.CheckpointList;
import dev.rewind.protocol.checkpoint.CheckpointService;
import dev.rewind.protocol.checkpoint.CreateCheckpointParams;
import dev.rewind.protocol.checkpoint.CridParams;
import dev.rewind.protocol.checkpoint.LabelParams;
import dev.rewind.protocol.checkpoint.WriteBackParams;
import dev.rewind.protocol.checkpoint.WriteBackResult;
import dev.rewind.protocol.session.SessionParams;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** {@code checkpoint/*} for one connection. Stateless beyond the connection it serves. */
final class CheckpointEndpoint implements CheckpointService {
    private final Connection connection;

    CheckpointEndpoint(Connection connection) {
        this.connection = connection;
    }

    @Override
    public CompletableFuture<CheckpointInfo> create(CreateCheckpointParams p) {
        return connection.call(() -> {
            Session s = SessionEndpoint.liveFor(connection, p == null ? 0 : p.sessionId());
            TimelineEntry e = s.debuggee().checkpoint(p.label() == null ? "" : p.label(), CheckpointReason.MANUAL);
            s.syncTimeline(null);
            return Convert.checkpoint(s.id(), e);
        });
    }

    @Override
    public CompletableFuture<CheckpointList> list(SessionParams p) {
        return connection.call(() -> {
            Session s = SessionEndpoint.sessionFor(connection, p == null ? 0 : p.sessionId());
            return new CheckpointList(s.id(), s.debuggee().timeline().stream().map(e -> Convert.checkpoint(s.id(), e))
                    .toList(), Convert.value(s.debuggee().current()));
        });
    }

    @Override
    public CompletableFuture<dev.rewind.protocol.checkpoint.RestartResult> restart(CridParams p) {
        return connection.call(() -> {
            Session s = SessionEndpoint.sessionFor(connection, p == null ? 0 : p.sessionId());
            SessionEndpoint.notUnderGdb(s, "checkpoint/restart");
            String token = "restart-" + s.id() + "-" + p.crid() + "-" + System.nanoTime();
            RestartResult r = s.debuggee().restart(crid(p.crid()), true, (message, done, total) -> {
                // Only a tree has slow parts (its children's memory is copied): a single process says nothing.
                if (total > 1) {
                    String kind = done == 0 ? "begin" : done == total ? "end" : "report";
                    connection.notifyLater(c -> c.progress(new dev.rewind.protocol.ProgressParams(token, kind, message,
                            done * 100 / total)));
                }
            });
            s.restarted();
            return new dev.rewind.protocol.checkpoint.RestartResult(s.id(), r.crid().value(), r.pid(), r.tids(),
                    r.restartMicros(), r.warnings());
        });
    }

    @Override
    public CompletableFuture<Void> drop(CridParams p) {
        return connection.call(() -> {
            Session s = SessionEndpoint.sessionFor(connection, p == null ? 0 : p.sessionId());
            s.debuggee().drop(crid(p.crid()));
            s.syncTimeline(p.crid());
            return null;
        });
    }

    @Override
    public CompletableFuture<CheckpointInfo> label(LabelParams p) {
        return connection.call(() -> {
            Session s = SessionEndpoint.sessionFor(connection, p == null ? 0 : p.sessionId());
            return Convert.checkpoint(s.id(), s.debuggee().label(crid(p.crid()), p.label()));
        });
    }

    /**
     * Writes checkpoints into an image file while the session runs on; {@code $/progress}
     * reports the bytes written (begin, a report per 8 MiB chunk, end).
     */
    @Override
    public CompletableFuture<WriteBackResult> writeBack(WriteBackParams p) {
        return connection.call(() -> {
            Session s = SessionEndpoint.sessionFor(connection, p == null ? 0 : p.sessionId());
            if (p.path() == null || p.path().isBlank()) {
                throw new RpcException(ErrorCodes.INVALID_PARAMS, "checkpoint/writeBack needs the image file's path");
            }
            List<Crid> crids = p.crids() == null ? List.of() : p.crids().stream().map(CheckpointEndpoint::crid).toList();
            String token = "writeBack-" + s.id() + "-" + System.nanoTime();
            connection.notifyLater(c -> c.progress(new ProgressParams(token, "begin", "writing " + p.path(), 0)));
            long size;
            try {
                size = s.debuggee().writeBack(crids, Path.of(p.path()), (done, total) -> connection.notifyLater(
                        c -> c.progress(new ProgressParams(token, "report", done + " of " + total + " bytes",
                                total == 0 ? 100 : (int) (done * 100 / total)))));
            } catch (UncheckedIOException e) {
                throw new RpcException(ErrorCodes.BAD_IMAGE, e.getMessage());
            } catch (BadImageException e) {
                throw new RpcException(ErrorCodes.BAD_IMAGE, e.getMessage() + " (nothing was written)");
            } catch (UnknownCheckpointException e) {
                throw e;
            } catch (IllegalArgumentException e) {
                throw new RpcException(ErrorCodes.INVALID_PARAMS, e.getMessage());
            } finally {
                connection.notifyLater(c -> c.progress(new ProgressParams(token, "end", "wrote " + p.path(), 100)));
            }
            List<Long> written = crids.isEmpty()
                    ? s.debuggee().crids().stream().map(Crid::value).toList()
                    : crids.stream().map(Crid::value).toList();
            return new WriteBackResult(p.path(), written, size);
        });
    }

    private static Crid crid(long value) {
        if (value <= 0) {
            throw new RpcException(ErrorCodes.UNKNOWN_CHECKPOINT, "a crid is a positive number, not " + value
                    + "; see checkpoint/list");
        }
        return new Crid(value);
    }
}

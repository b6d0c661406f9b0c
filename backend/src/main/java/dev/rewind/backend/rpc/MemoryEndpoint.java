package dev.rewind.backend.rpc;

import dev.rewind.backend.checkpoint.Crid;
import dev.rewind.backend.checkpoint.Debuggee;
import dev.rewind.backend.checkpoint.DebuggeeExitedException;
import dev.rewind.backend.checkpoint.UnknownCheckpointException;
import dev.rewind.backend.linux.LinuxException;
import dev.rewind.protocol.ErrorCodes;
import dev.rewind.protocol.memory.MemoryContents;
import dev.rewind.protocol.memory.MemoryService;
import dev.rewind.protocol.memory.ReadMemoryParams;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;

/** {@code memory/*} for one connection. Stateless beyond the connection it serves. */
final class MemoryEndpoint implements MemoryService {
    private final Connection connection;

    MemoryEndpoint(Connection connection) {
        this.connection = connection;
    }

    @Override
    public CompletableFuture<MemoryContents> read(ReadMemoryParams p) {
        return connection.call(() -> {
            Session s = SessionEndpoint.sessionFor(connection, p == null ? 0 : p.sessionId());
            Params.require((p.address() == null) != (p.symbol() == null), "give address or symbol, not both");
            Params.require(p.length() > 0 && p.length() <= ReadMemoryParams.MAX_LENGTH,
                    "length must be 1 to " + ReadMemoryParams.MAX_LENGTH + ", not " + p.length());
            Debuggee d = s.debuggee();
            Crid crid = p.crid() != null ? new Crid(p.crid()) : snapshotCrid(s, p.pid());
            if (crid == null && s.exited()) {
                throw new RpcException(ErrorCodes.PROCESS_EXITED, "session " + s.id()
                        + " has exited: read a checkpoint (crid) or restart first");
            }
            long address = p.address() != null ? p.address() : Symbols.address(s, p.symbol());
            try {
                byte[] data = crid == null ? d.readMemory(address, p.length())
                        : d.readSnapshotMemory(crid, address, p.length());
                return new MemoryContents(address, data.length, Base64.getEncoder().encodeToString(data));
            } catch (UnknownCheckpointException e) {
                throw e;
            } catch (LinuxException e) {
                throw new RpcException(ErrorCodes.MEMORY_UNREADABLE, "cannot read " + p.length() + " bytes at 0x"
                        + Long.toHexString(address) + ": " + e.getMessage());
            }
        });
    }

    /** The checkpoint whose snapshot has pid {@code pid}; null for 0 or the live pid. */
    private static Crid snapshotCrid(Session s, int pid) {
        Debuggee d = s.debuggee();
        if (pid == 0 || (!s.exited() && pid == d.pid())) {
            return null;
        }
        for (Crid crid : d.crids()) {
            if (d.snapshotPid(crid) == pid) {
                return crid;
            }
        }
        if (!s.exited() && isLiveChild(d, pid)) {
            throw new RpcException(ErrorCodes.UNKNOWN_PROCESS, "pid " + pid + " is a child process of session "
                    + s.id() + "; memory/read reads the root process (pid 0) or a checkpoint (crid) only");
        }
        throw new RpcException(ErrorCodes.UNKNOWN_PROCESS, "pid " + pid + " is not a process of session " + s.id()
                + "; see session/tree");
    }

    private static boolean isLiveChild(Debuggee d, int pid) {
        try {
            return d.tree().stream().anyMatch(x -> x.pid() == pid);
        } catch (DebuggeeExitedException e) {
            return false;
        }
    }
}

package dev.rewind.protocol.memory;

import java.util.concurrent.CompletableFuture;
import org.eclipse.lsp4j.jsonrpc.services.JsonRequest;
import org.eclipse.lsp4j.jsonrpc.services.JsonSegment;

/** {@code memory/*}: lets scripts check a debuggee's state without gdb. */
@JsonSegment("memory")
public interface MemoryService {
    /**
     * Reads memory of the live process, or of a checkpoint (the state when it was taken). Our own
     * breakpoints never show: the original bytes are returned.
     */
    @JsonRequest
    CompletableFuture<MemoryContents> read(ReadMemoryParams params);
}

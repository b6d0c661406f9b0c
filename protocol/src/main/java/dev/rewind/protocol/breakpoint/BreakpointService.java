package dev.rewind.protocol.breakpoint;

import dev.rewind.protocol.session.SessionParams;
import java.util.concurrent.CompletableFuture;
import org.eclipse.lsp4j.jsonrpc.services.JsonRequest;
import org.eclipse.lsp4j.jsonrpc.services.JsonSegment;

/**
 * {@code breakpoint/*}: software breakpoints (int3). A hit stops the session
 * ({@code session/stopped}, reason {@code "breakpoint"}). Checkpoints never contain the int3, and
 * processes restored from a checkpoint get the breakpoints set now.
 */
@JsonSegment("breakpoint")
public interface BreakpointService {
    /**
     * Sets a breakpoint at a function (ELF symbol of the program or a loaded library) or an
     * address. With {@code checkpoint: true} every hit first takes a checkpoint (reason
     * {@code "breakpoint"}, announced by {@code checkpoint/created}): the breakpoint hook.
     */
    @JsonRequest
    CompletableFuture<BreakpointInfo> set(SetBreakpointParams params);

    @JsonRequest
    CompletableFuture<Void> remove(BreakpointParams params);

    @JsonRequest
    CompletableFuture<BreakpointList> list(SessionParams params);
}

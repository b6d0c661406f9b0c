package dev.rewind.protocol.session;

import java.util.concurrent.CompletableFuture;
import org.eclipse.lsp4j.jsonrpc.services.JsonRequest;
import org.eclipse.lsp4j.jsonrpc.services.JsonSegment;

/**
 * {@code session/*}: a session is one program under the backend (launched or attached) with its
 * checkpoints and breakpoints. Run control is all-stop, as in gdbserver: every thread stops and
 * resumes together.
 */
@JsonSegment("session")
public interface SessionService {
    /** Starts a program traced from its first instruction. */
    @JsonRequest
    CompletableFuture<SessionStarted> launch(LaunchParams params);

    /** Attaches to a running process (same user and no other tracer, or CAP_SYS_PTRACE); it is left stopped. */
    @JsonRequest
    CompletableFuture<SessionStarted> attach(AttachParams params);

    /** Kills the session's live process and drops all its checkpoints. */
    @JsonRequest
    CompletableFuture<Void> kill(SessionParams params);

    /** Every session this client can use: its own and the kept ones. Params may be omitted. */
    @JsonRequest
    CompletableFuture<SessionList> list(ListSessionsParams params);

    /** The processes of a session: the live process and the snapshot behind each checkpoint. */
    @JsonRequest
    CompletableFuture<ProcessTree> tree(SessionParams params);

    /** Lets every thread run; the next stop comes as {@code session/stopped} (or {@code session/exited}). */
    @JsonRequest
    CompletableFuture<Void> resume(SessionParams params);

    /** Stops every thread; answers the stop (reason {@code "paused"}, or the stop it was already in). */
    @JsonRequest
    CompletableFuture<StoppedEvent> pause(SessionParams params);

    /** Runs one instruction of thread {@code tid}, others stay stopped; answers the stop that ends it. */
    @JsonRequest
    CompletableFuture<StoppedEvent> step(StepParams params);

    /**
     * The oldest stop not yet returned by {@code session/wait}, waiting up to {@code timeoutMs} for
     * one. Stops are kept in order, so a script that resumes and then waits never misses one.
     */
    @JsonRequest(value = "wait")
    CompletableFuture<WaitResult> waitForStop(WaitParams params);

    /** Writes to the debuggee's stdin (launched with {@code stdin: "pipe"}). */
    @JsonRequest
    CompletableFuture<Void> input(InputParams params);

    /**
     * Where a gdb can connect to this session. While a gdb is attached, {@code checkpoint/restart}
     * over JSON-RPC is refused with {@code GDB_ATTACHED}: all-stop RSP cannot tell gdb that its
     * caches are stale (so are {@code session/resume}, {@code pause} and {@code step}). Restart
     * through gdb ({@code run} with a crid) instead. The gdb connects on a Unix domain socket
     * only the server's user can open; one gdb at a time.
     */
    @JsonRequest
    CompletableFuture<GdbServerInfo> gdbserver(SessionParams params);
}

package dev.rewind.protocol;

/**
 * The {@code code} of a JSON-RPC error response. Codes -32768 to -32000 are JSON-RPC's (and
 * LSP's), the rest are Rewind's. docs/protocol.md has the table with what to do about each.
 *
 * <p>Stateless constants.
 */
public final class ErrorCodes {
    /** JSON-RPC 2.0 §5.1: the body is not JSON. */
    public static final int PARSE_ERROR = -32700;
    /** JSON-RPC 2.0 §5.1: JSON, but not a request or notification; also a request after {@code shutdown}. */
    public static final int INVALID_REQUEST = -32600;
    /** JSON-RPC 2.0 §5.1: no such method. */
    public static final int METHOD_NOT_FOUND = -32601;
    /** JSON-RPC 2.0 §5.1: a parameter is missing or has the wrong type or value. */
    public static final int INVALID_PARAMS = -32602;
    /** JSON-RPC 2.0 §5.1: a bug in the backend; the message says what failed. */
    public static final int INTERNAL_ERROR = -32603;
    /** LSP: a request before {@code initialize}. */
    public static final int SERVER_NOT_INITIALIZED = -32002;

    /** The method is part of the contract but this backend cannot do it yet (see {@link Capabilities}). */
    public static final int NOT_SUPPORTED_YET = 1000;
    /** No session with that id (never started, killed, or cleaned up when its client left). */
    public static final int UNKNOWN_SESSION = 1001;
    /** No checkpoint with that crid in that session (never taken, dropped or thinned by the budget). */
    public static final int UNKNOWN_CHECKPOINT = 1002;
    /** No breakpoint with that id in that session. */
    public static final int UNKNOWN_BREAKPOINT = 1003;
    /** No ELF symbol of that name in the program or its loaded libraries. */
    public static final int UNKNOWN_SYMBOL = 1004;
    /** The session must be stopped for this: call {@code session/pause} first. */
    public static final int NOT_STOPPED = 1005;
    /** The session's live process has ended: restart it from a checkpoint, or kill the session. */
    public static final int PROCESS_EXITED = 1006;
    /** The kernel refused (ptrace permission, Yama ptrace_scope, file permissions). */
    public static final int PERMISSION_DENIED = 1007;
    /** The program could not be started (missing, not executable, bad cwd). */
    public static final int LAUNCH_FAILED = 1008;
    /** The memory range is not mapped in the process. */
    public static final int MEMORY_UNREADABLE = 1009;
    /** An image file is missing, truncated or fails its checksum. */
    public static final int BAD_IMAGE = 1010;
    /** A gdb is attached to the session: a JSON-RPC restart would change the process behind its back. */
    public static final int GDB_ATTACHED = 1011;
    /** The client's major protocol version differs from the backend's. */
    public static final int INCOMPATIBLE_PROTOCOL = 1012;
    /** The message's Content-Length exceeds {@link Capabilities#maxMessageBytes()}; its body is skipped. */
    public static final int MESSAGE_TOO_LARGE = 1013;
    /** The engine failed to checkpoint, restart or control the process; the message says why. */
    public static final int ENGINE_FAILURE = 1014;
    /** That pid is not a process of the session. */
    public static final int UNKNOWN_PROCESS = 1015;

    private ErrorCodes() {
    }
}

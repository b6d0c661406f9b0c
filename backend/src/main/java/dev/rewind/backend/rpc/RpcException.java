package dev.rewind.backend.rpc;

/** A failure the client caused or can fix, with its {@link dev.rewind.protocol.ErrorCodes} code. */
final class RpcException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int code;

    RpcException(int code, String message) {
        super(message);
        this.code = code;
    }

    int code() {
        return code;
    }
}

package dev.rewind.backend.rpc;

import dev.rewind.backend.checkpoint.DebuggeeExitedException;
import dev.rewind.backend.checkpoint.UnknownCheckpointException;
import dev.rewind.backend.linux.LinuxException;
import dev.rewind.protocol.ErrorCodes;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.lsp4j.jsonrpc.ResponseErrorException;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseError;

/** Turns what the engine throws into JSON-RPC errors with the documented codes. Stateless. */
final class RpcErrors {
    private static final Logger LOG = Logger.getLogger(RpcErrors.class.getName());

    private RpcErrors() {
    }

    static ResponseErrorException toResponse(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof ResponseErrorException r) {
            return r;
        }
        return new ResponseErrorException(new ResponseError(code(t), message(t), null));
    }

    private static int code(Throwable t) {
        if (t instanceof RpcException r) {
            return r.code();
        }
        if (t instanceof UnknownCheckpointException) {
            return ErrorCodes.UNKNOWN_CHECKPOINT;
        }
        if (t instanceof LinuxException l) {
            return switch (l.errno()) {
                case LinuxException.EPERM, LinuxException.EACCES -> ErrorCodes.PERMISSION_DENIED;
                case LinuxException.ESRCH -> ErrorCodes.PROCESS_EXITED;
                default -> ErrorCodes.ENGINE_FAILURE;
            };
        }
        if (t instanceof DebuggeeExitedException) {
            return ErrorCodes.PROCESS_EXITED;
        }
        if (t instanceof IllegalStateException || t instanceof IllegalArgumentException) {
            return ErrorCodes.ENGINE_FAILURE;
        }
        LOG.log(Level.WARNING, "internal error", t);
        return ErrorCodes.INTERNAL_ERROR;
    }

    private static String message(Throwable t) {
        String m = t.getMessage();
        if (t instanceof RpcException || t instanceof IllegalStateException || t instanceof IllegalArgumentException
                || t instanceof LinuxException) {
            return m == null ? t.getClass().getSimpleName() : m;
        }
        return t.getClass().getName() + (m == null ? "" : ": " + m);
    }
}

package dev.rewind.backend.rpc;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.eclipse.lsp4j.jsonrpc.ResponseErrorException;

/** Waits for answers in tests. Stateless. */
final class Rpc {
    private Rpc() {
    }

    static <T> T get(CompletableFuture<T> f) throws Exception {
        try {
            return f.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("request failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    /** The error code the request failed with. */
    static int errorCode(CompletableFuture<?> f) throws Exception {
        try {
            Object r = f.get(60, TimeUnit.SECONDS);
            throw new AssertionError("expected an error, got " + r);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ResponseErrorException r) {
                return r.getResponseError().getCode();
            }
            throw e;
        }
    }
}

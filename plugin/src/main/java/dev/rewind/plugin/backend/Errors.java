package dev.rewind.plugin.backend;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.eclipse.lsp4j.jsonrpc.ResponseErrorException;

/** Turns what a failed request or command throws into the sentence to show. Stateless. */
public final class Errors {
    private Errors() {
    }

    /** The innermost useful message: a JSON-RPC error's own message, gdb's, or the exception's. */
    public static String message(Throwable t) {
        Throwable e = t;
        while ((e instanceof ExecutionException || e instanceof CompletionException) && e.getCause() != null) {
            e = e.getCause();
        }
        if (e instanceof ResponseErrorException r) {
            return r.getResponseError().getMessage();
        }
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }
}

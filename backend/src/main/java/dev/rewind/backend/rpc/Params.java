package dev.rewind.backend.rpc;

import dev.rewind.protocol.ErrorCodes;
import java.util.List;

/** Checks of request parameters that fail with INVALID_PARAMS. Stateless. */
final class Params {
    private Params() {
    }

    static void require(boolean ok, String message) {
        if (!ok) {
            throw new RpcException(ErrorCodes.INVALID_PARAMS, message);
        }
    }

    /** {@code value}, or {@code dflt} when absent, if it is one of {@code allowed}. */
    static String oneOf(String field, String value, String dflt, String... allowed) {
        if (value == null) {
            return dflt;
        }
        require(List.of(allowed).contains(value), field + " must be one of " + List.of(allowed) + ", not \"" + value + "\"");
        return value;
    }
}

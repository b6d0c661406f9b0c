package dev.rewind.backend.trace;

/**
 * The outcome of an injected system call.
 *
 * @param result   the raw return value: negative errno on failure
 * @param newChild the pid/tid a clone created (auto-attached, not yet waited for), or 0
 */
public record InjectedCall(long result, int newChild) {
    public boolean failed() {
        return result < 0 && result > -4096;
    }

    public int errno() {
        return failed() ? (int) -result : 0;
    }
}

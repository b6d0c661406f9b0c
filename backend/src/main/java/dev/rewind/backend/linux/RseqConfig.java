package dev.rewind.backend.linux;

/**
 * A thread's rseq registration, from PTRACE_GET_RSEQ_CONFIGURATION.
 *
 * @param abiPointer address of the thread's {@code struct rseq}; 0 when none is registered
 * @param abiSize    the size the thread registered
 * @param signature  the signature that must precede every abort handler
 */
public record RseqConfig(long abiPointer, int abiSize, int signature) {
    public boolean registered() {
        return abiPointer != 0;
    }
}

package dev.rewind.backend.rpc;

import dev.rewind.backend.checkpoint.Debuggee;
import dev.rewind.protocol.ErrorCodes;

/** Symbol lookups with the protocol's error for a missing one. Stateless. */
final class Symbols {
    private Symbols() {
    }

    /**
     * Resolves in the live process and remembers the answer in the session: every process of a
     * session (live or snapshot) comes from the same address space, so the address holds for
     * snapshots too, also once the live process has exited.
     */
    static long address(Session s, String name) {
        Long known = s.knownSymbol(name);
        if (known != null) {
            return known;
        }
        if (s.exited()) {
            throw new RpcException(ErrorCodes.PROCESS_EXITED, "cannot look up '" + name + "': session " + s.id()
                    + " has exited; give an address, or restart it first");
        }
        long a = address(s.debuggee(), name);
        s.rememberSymbol(name, a);
        return a;
    }

    private static long address(Debuggee d, String name) {
        try {
            return d.symbolAddress(name);
        } catch (IllegalArgumentException e) {
            throw new RpcException(ErrorCodes.UNKNOWN_SYMBOL, e.getMessage()
                    + " (ELF symbol tables of the program and its loaded libraries; a library loads at run time)");
        }
    }
}

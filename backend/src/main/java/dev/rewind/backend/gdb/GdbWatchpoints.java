package dev.rewind.backend.gdb;

import dev.rewind.backend.checkpoint.Debuggee;
import dev.rewind.backend.checkpoint.Watchpoint;
import java.util.HashMap;
import java.util.Map;

/**
 * gdb's hardware watchpoints (Z2 write, Z4 access) as the engine's debug-register watchpoints.
 * Z3 (read-only) is not offered: x86 cannot trap reads alone, and gdbserver does not offer it
 * either. Confined to the stub's thread.
 */
final class GdbWatchpoints {
    static final int WRITE = 2;
    static final int READ = 3;
    static final int ACCESS = 4;

    private record Key(int type, long address, int length) {
    }

    private final Map<Key, Watchpoint> inserted = new HashMap<>();
    private final Map<Integer, Key> byId = new HashMap<>();

    static boolean isWatchpoint(int type) {
        return type == WRITE || type == READ || type == ACCESS;
    }

    /** Returns the reply: OK, an error, or empty for a kind this target cannot watch. */
    String insert(Debuggee d, int type, long address, int length) {
        if (type == READ) {
            return "";
        }
        Key k = new Key(type, address, length);
        if (inserted.containsKey(k)) {
            return "OK";
        }
        try {
            Watchpoint w = d.setWatchpoint(address, length, type == WRITE ? Watchpoint.Kind.WRITE : Watchpoint.Kind.ACCESS);
            inserted.put(k, w);
            byId.put(w.id(), k);
            return "OK";
        } catch (IllegalStateException | IllegalArgumentException e) {
            return "E01"; // no debug register left: gdb says so and can use a software watchpoint
        }
    }

    String remove(Debuggee d, int type, long address, int length) {
        Watchpoint w = inserted.remove(new Key(type, address, length));
        if (w != null) {
            byId.remove(w.id());
            d.removeWatchpoint(w.id());
        }
        return "OK";
    }

    /** The stop reply field for watchpoint {@code id}: {@code watch:ADDR;} or {@code awatch:ADDR;}. */
    String stopField(int id) {
        Key k = byId.get(id);
        if (k == null) {
            return "";
        }
        return (k.type() == WRITE ? "watch:" : "awatch:") + Long.toHexString(k.address()) + ";";
    }

    /** gdb forgets inserted watchpoints when the process ends or is killed: so does the engine. */
    void forgetAll(Debuggee d) {
        for (Watchpoint w : inserted.values()) {
            try {
                if (d != null) {
                    d.removeWatchpoint(w.id());
                }
            } catch (RuntimeException e) {
                // the debuggee is gone
            }
        }
        inserted.clear();
        byId.clear();
    }
}

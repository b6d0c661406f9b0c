package dev.rewind.backend.gdb;

import dev.rewind.backend.checkpoint.Debuggee;
import dev.rewind.backend.checkpoint.Watchpoint;
import java.util.HashMap;
import java.util.Map;

/**
 * gdb's hardware watchpoints (Z2 write, Z4 access) as the engine's debug-register watchpoints,
 * in the live process (pid 0 here) or in a forked child gdb keeps (its pid: its own registers).
 * Z3 (read-only) is not offered: x86 cannot trap reads alone, and gdbserver does not offer it
 * either. Confined to the stub's thread.
 */
final class GdbWatchpoints {
    static final int WRITE = 2;
    static final int READ = 3;
    static final int ACCESS = 4;

    private record Key(int pid, int type, long address, int length) {
    }

    private final Map<Key, Watchpoint> inserted = new HashMap<>();
    private final Map<Integer, Key> byId = new HashMap<>();

    static boolean isWatchpoint(int type) {
        return type == WRITE || type == READ || type == ACCESS;
    }

    /**
     * Returns the reply: OK, an error, or empty for a kind this target cannot watch. {@code pid}:
     * 0 for the live process, else a held child's.
     */
    String insert(Debuggee d, int pid, int type, long address, int length) {
        if (type == READ) {
            return "";
        }
        Key k = new Key(pid, type, address, length);
        if (inserted.containsKey(k)) {
            return "OK";
        }
        try {
            Watchpoint.Kind kind = type == WRITE ? Watchpoint.Kind.WRITE : Watchpoint.Kind.ACCESS;
            Watchpoint w = pid == 0 ? d.setWatchpoint(address, length, kind) : d.setChildWatchpoint(pid, address, length, kind);
            inserted.put(k, w);
            byId.put(w.id(), k);
            return "OK";
        } catch (IllegalStateException | IllegalArgumentException e) {
            return "E01"; // no debug register left: gdb says so and can use a software watchpoint
        }
    }

    String remove(Debuggee d, int pid, int type, long address, int length) {
        Watchpoint w = inserted.remove(new Key(pid, type, address, length));
        if (w != null) {
            byId.remove(w.id());
            if (pid == 0) {
                d.removeWatchpoint(w.id());
            } else {
                try {
                    d.removeChildWatchpoint(pid, w.id());
                } catch (IllegalArgumentException e) {
                    // the child is gone, and its registers with it
                }
            }
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

    /** A held child ended or was let go: its registers went with it, or were cleared. */
    void forgetProcess(int pid) {
        inserted.entrySet().removeIf(e -> {
            if (e.getKey().pid() != pid) {
                return false;
            }
            byId.remove(e.getValue().id());
            return true;
        });
    }

    /**
     * gdb forgets inserted watchpoints when the process ends or is killed: so does the engine
     * (a restart or kill takes held children with it, and their registers).
     */
    void forgetAll(Debuggee d) {
        inserted.forEach((k, w) -> {
            try {
                if (d != null && k.pid() == 0) {
                    d.removeWatchpoint(w.id());
                }
            } catch (RuntimeException e) {
                // the debuggee is gone
            }
        });
        inserted.clear();
        byId.clear();
    }
}

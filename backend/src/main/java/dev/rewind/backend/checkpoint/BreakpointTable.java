package dev.rewind.backend.checkpoint;

import dev.rewind.backend.linux.ProcessMemory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The software breakpoints of one debuggee and the original bytes under them. Inserting writes
 * an int3 (0xCC) through /proc/PID/mem, which can patch read-only text. Memory reads are
 * shadowed so no client ever sees our int3. Changed on the tracer thread only; a copy of the
 * original bytes is published for {@link #shadowPublished}, which any thread may call.
 */
final class BreakpointTable implements MemoryPatches {
    private static final byte INT3 = (byte) 0xcc;

    private record Entry(Breakpoint breakpoint, byte original) {
    }

    private final Map<Long, Entry> byAddress = new LinkedHashMap<>();
    private int nextId = 1;
    /** address → original byte, replaced after every change. */
    private volatile Map<Long, Byte> published = Map.of();

    private void publish() {
        Map<Long, Byte> m = new java.util.HashMap<>();
        byAddress.forEach((a, e) -> m.put(a, e.original()));
        published = Map.copyOf(m);
    }

    /**
     * As {@link #shadow}, from any thread, with the table as of its last change: changes are made
     * by requests that complete before the next read is asked for.
     */
    void shadowPublished(long address, byte[] data) {
        published.forEach((a, original) -> {
            if (a >= address && a < address + data.length) {
                data[(int) (a - address)] = original;
            }
        });
    }

    /** After an exec: the int3s went with the old image; writing "original" bytes back would corrupt the new one. */
    void forgetAll() {
        byAddress.clear();
        publish();
    }

    boolean isEmpty() {
        return byAddress.isEmpty();
    }

    Breakpoint add(int pid, long address, boolean checkpointOnHit) {
        Entry existing = byAddress.get(address);
        if (existing != null) {
            Breakpoint b = new Breakpoint(existing.breakpoint().id(), address,
                    checkpointOnHit || existing.breakpoint().checkpointOnHit());
            byAddress.put(address, new Entry(b, existing.original()));
            return b;
        }
        byte original = ProcessMemory.read(pid, address, 1)[0];
        ProcessMemory.write(pid, address, new byte[] {INT3});
        Breakpoint b = new Breakpoint(nextId++, address, checkpointOnHit);
        byAddress.put(address, new Entry(b, original));
        publish();
        return b;
    }

    /** Removes breakpoint {@code id}; false if there is none. */
    boolean remove(int pid, int id) {
        for (Entry e : byAddress.values()) {
            if (e.breakpoint().id() == id) {
                byAddress.remove(e.breakpoint().address());
                publish();
                if (pid > 0) {
                    ProcessMemory.write(pid, e.breakpoint().address(), new byte[] {e.original()});
                }
                return true;
            }
        }
        return false;
    }

    Breakpoint at(long address) {
        Entry e = byAddress.get(address);
        return e == null ? null : e.breakpoint();
    }

    List<Breakpoint> all() {
        List<Breakpoint> out = new ArrayList<>();
        byAddress.values().forEach(e -> out.add(e.breakpoint()));
        return out;
    }

    /** Puts the original byte back at {@code address} for a moment (to step over it). */
    void lift(int pid, long address) {
        Entry e = byAddress.get(address);
        if (e != null) {
            ProcessMemory.write(pid, address, new byte[] {e.original()});
        }
    }

    void lower(int pid, long address) {
        if (byAddress.containsKey(address)) {
            ProcessMemory.write(pid, address, new byte[] {INT3});
        }
    }

    @Override
    public void removeFrom(int pid) {
        for (Entry e : byAddress.values()) {
            ProcessMemory.write(pid, e.breakpoint().address(), new byte[] {e.original()});
        }
    }

    @Override
    public void insertInto(int pid) {
        for (Entry e : byAddress.values()) {
            ProcessMemory.write(pid, e.breakpoint().address(), new byte[] {INT3});
        }
    }

    /** Replaces our int3s in {@code data} (read at {@code address}) by the original bytes. */
    void shadow(long address, byte[] data) {
        for (Entry e : byAddress.values()) {
            long a = e.breakpoint().address();
            if (a >= address && a < address + data.length) {
                data[(int) (a - address)] = e.original();
            }
        }
    }

    /**
     * Prepares {@code data} to be written at {@code address}: bytes under breakpoints become the
     * new originals, and the int3s stay in memory.
     */
    byte[] underlay(long address, byte[] data) {
        byte[] out = data.clone();
        for (Map.Entry<Long, Entry> me : byAddress.entrySet()) {
            long a = me.getKey();
            if (a >= address && a < address + data.length) {
                int i = (int) (a - address);
                me.setValue(new Entry(me.getValue().breakpoint(), data[i]));
                out[i] = INT3;
            }
        }
        publish();
        return out;
    }
}

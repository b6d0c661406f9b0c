package dev.rewind.backend.checkpoint;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The checkpoints of one debuggee in the order they were taken, and which one the running
 * process descends from. Knows no protocol: the gdb stub and the JSON-RPC server map their own
 * ids onto crids. Not thread-safe; the owning {@link Debuggee} guards it.
 */
public final class Timeline {
    private final TreeMap<Crid, TimelineEntry> entries = new TreeMap<>();
    private Crid current;
    /** Counts additions and removals; read without the tracer thread, so volatile. */
    private volatile long changes;

    void add(TimelineEntry e) {
        entries.put(e.crid(), e);
        current = e.crid();
        changes++; // written on the tracer thread only
    }

    void remove(Crid crid) {
        entries.remove(crid);
        changes++;
        if (crid.equals(current)) {
            current = null;
        }
    }

    /** The checkpoint the live process descends from (the last one taken or restarted), or null. */
    public Crid current() {
        return current;
    }

    void restartedFrom(Crid crid) {
        current = crid;
    }

    public Optional<TimelineEntry> get(Crid crid) {
        return Optional.ofNullable(entries.get(crid));
    }

    void replace(TimelineEntry e) {
        entries.put(e.crid(), e);
    }

    /** How many checkpoints were added or removed so far: a cheap way to see that it changed, from any thread. */
    public long changes() {
        return changes;
    }

    public List<TimelineEntry> entries() {
        return new ArrayList<>(entries.values());
    }
}

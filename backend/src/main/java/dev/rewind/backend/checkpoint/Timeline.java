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
    /** Counts additions, removals and renames; read without the tracer thread, so volatile. */
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

    /** Gives an entry a new label; counted as a change, so that those who show the timeline look again. */
    TimelineEntry relabel(Crid crid, String label) {
        TimelineEntry e = entries.get(crid);
        if (e == null) {
            throw new UnknownCheckpointException(crid);
        }
        TimelineEntry renamed = new TimelineEntry(e.crid(), label, e.reason(), e.createdAt(), e.parent(), e.processes(),
                e.threads(), e.downtimeMicros(), e.privateBytes(), e.pssBytes(), e.imageState(), e.warnings());
        entries.put(crid, renamed);
        changes++;
        return renamed;
    }

    /** How many checkpoints were added, removed or renamed so far: a cheap way to see that it changed, from any thread. */
    public long changes() {
        return changes;
    }

    public List<TimelineEntry> entries() {
        return new ArrayList<>(entries.values());
    }
}

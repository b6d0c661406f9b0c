package dev.rewind.plugin.model;

import dev.rewind.protocol.checkpoint.CheckpointInfo;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The checkpoints of one session as the plugin knows them: the backend's list, kept current
 * by its notifications, plus each checkpoint's place in the sources once gdb has said it.
 *
 * <p>Thread-safe; listeners are called on the thread that changed it.
 */
public final class SessionTimeline {
    /** One checkpoint and, when known, its source line ({@code "gdb-loop.c:12"}). */
    public record Entry(CheckpointInfo info, String sourceLine) {
        public long crid() {
            return info.crid();
        }
    }

    private final Map<Long, Entry> entries = new TreeMap<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final Map<Long, String> renamed = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The label to show: the user's rename, else the backend's label. A rename lives in this
     * workbench only (the backend keeps the label given at checkpoint time).
     */
    public String label(Entry e) {
        return renamed.getOrDefault(e.crid(), e.info().label());
    }

    public void rename(long crid, String label) {
        renamed.put(crid, label);
        changed();
    }

    /** The checkpoints whose parent is {@code parentCrid} (null: the roots, or orphans whose parent was dropped). */
    public synchronized List<Entry> children(Long parentCrid) {
        List<Entry> out = new ArrayList<>();
        for (Entry e : entries.values()) {
            Long p = e.info().parentCrid();
            boolean root = p == null || !entries.containsKey(p);
            if (parentCrid == null ? root : !root && p.equals(parentCrid)) {
                out.add(e);
            }
        }
        return out;
    }

    public void addListener(Runnable listener) {
        listeners.add(listener);
    }

    public void removeListener(Runnable listener) {
        listeners.remove(listener);
    }

    /** Oldest first. */
    public synchronized List<Entry> entries() {
        return List.copyOf(entries.values());
    }

    public synchronized Entry get(long crid) {
        return entries.get(crid);
    }

    /** The newest checkpoint, or null. */
    public synchronized Entry newest() {
        return entries.isEmpty() ? null : ((TreeMap<Long, Entry>) entries).lastEntry().getValue();
    }

    void replaceAll(Collection<CheckpointInfo> list) {
        synchronized (this) {
            Map<Long, Entry> old = new TreeMap<>(entries);
            entries.clear();
            for (CheckpointInfo c : list) {
                Entry before = old.get(c.crid());
                entries.put(c.crid(), new Entry(c, before == null ? null : before.sourceLine()));
            }
        }
        changed();
    }

    void added(CheckpointInfo c) {
        synchronized (this) {
            Entry before = entries.get(c.crid());
            entries.put(c.crid(), new Entry(c, before == null ? null : before.sourceLine()));
        }
        changed();
    }

    void removed(long crid) {
        boolean had;
        synchronized (this) {
            had = entries.remove(crid) != null;
        }
        if (had) {
            changed();
        }
    }

    /** The checkpoints whose source line is not known yet. */
    synchronized List<Entry> withoutSourceLine() {
        List<Entry> out = new ArrayList<>();
        for (Entry e : entries.values()) {
            if (e.sourceLine() == null && !e.info().threads().isEmpty()) {
                out.add(e);
            }
        }
        return out;
    }

    void located(long crid, String sourceLine) {
        synchronized (this) {
            Entry e = entries.get(crid);
            if (e == null) {
                return;
            }
            entries.put(crid, new Entry(e.info(), sourceLine));
        }
        changed();
    }

    private void changed() {
        listeners.forEach(Runnable::run);
    }
}

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

    /**
     * The rows a tree shows under checkpoint {@code crid} (null: at the top). A run of
     * checkpoints each taken after the one before reads as one line of siblings; only a restart
     * that went elsewhere (a second child of a checkpoint) opens a branch under it. The first
     * child of a checkpoint continues its line.
     */
    public synchronized List<Entry> rows(Long crid) {
        List<Entry> starts = new ArrayList<>(children(crid));
        if (crid != null && !starts.isEmpty()) {
            starts.remove(0); // the first child goes on in crid's own line
        }
        List<Entry> out = new ArrayList<>();
        for (Entry start : starts) {
            for (Entry e = start; e != null; e = first(children(e.crid()))) {
                out.add(e);
            }
        }
        return out;
    }

    /** The row under which {@code crid} is shown by {@link #rows}, or null at the top. */
    public synchronized Long rowParent(long crid) {
        Entry e = entries.get(crid);
        while (e != null) {
            Long p = e.info().parentCrid();
            Entry parent = p == null ? null : entries.get(p);
            if (parent == null) {
                return null;
            }
            if (!children(p).get(0).equals(e)) {
                return p; // e opens a branch of p
            }
            e = parent; // e continues p's line: same row parent as p
        }
        return null;
    }

    private static Entry first(List<Entry> list) {
        return list.isEmpty() ? null : list.get(0);
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

    /** A new checkpoint, or a new state of one (a new label). */
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

package dev.rewind.plugin.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.debug.core.model.IBreakpoint;

/**
 * The threads of a debug target by gdb's thread number. A thread keeps its object from stop to
 * stop (the Debug view keeps its selection and expansion on it); threads gdb no longer lists end.
 * Thread-safe; events are fired outside the lock.
 */
final class ThreadList {
    private static final IBreakpoint[] NONE = new IBreakpoint[0];

    private final RewindDebugTarget target;
    private final Map<Integer, RewindThread> byId = new LinkedHashMap<>();

    ThreadList(RewindDebugTarget target) {
        this.target = target;
    }

    synchronized List<RewindThread> all() {
        return new ArrayList<>(byId.values());
    }

    synchronized boolean isEmpty() {
        return byId.isEmpty();
    }

    /** Makes the list what gdb lists now: new threads are created, missing ones end. */
    void update(List<GdbControl.ThreadInfo> now) {
        List<RewindThread> created = new ArrayList<>();
        List<RewindThread> ended;
        synchronized (this) {
            Map<Integer, RewindThread> before = new LinkedHashMap<>(byId);
            byId.clear();
            for (GdbControl.ThreadInfo i : now) {
                RewindThread t = before.remove(i.id());
                if (t == null) {
                    t = new RewindThread(target, i.id(), i.name());
                    created.add(t);
                } else {
                    t.rename(i.name());
                }
                byId.put(i.id(), t);
            }
            ended = new ArrayList<>(before.values());
        }
        created.forEach(RewindThread::fireCreationEvent);
        ended.forEach(RewindThread::fireTerminateEvent);
    }

    /** Every thread forgets its frames; the one gdb reported the stop for ({@code tid}) is at {@code hit}. */
    void stoppedAt(String tid, IBreakpoint[] hit) {
        for (RewindThread t : all()) {
            t.invalidate(tid != null && tid.equals(Integer.toString(t.gdbId())) ? hit : NONE);
        }
    }

    /** The program runs: every thread forgets its frames. */
    void running() {
        stoppedAt(null, NONE);
    }

    /** The program or the session ended: every thread ends. */
    void endAll() {
        List<RewindThread> ended;
        synchronized (this) {
            ended = new ArrayList<>(byId.values());
            byId.clear();
        }
        ended.forEach(RewindThread::fireTerminateEvent);
    }
}

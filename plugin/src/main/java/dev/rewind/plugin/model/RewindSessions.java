package dev.rewind.plugin.model;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The live Rewind debug targets of this workbench, for views that show all of them (the
 * Timeline view) and for commands. Thread-safe; listeners run on the thread that added or
 * removed the target.
 */
public final class RewindSessions {
    /** Told when a target starts or ends. */
    public interface Listener {
        void sessionsChanged();

        /** {@code target} ended; {@link RewindDebugTarget#problem()} says why when it was lost. */
        default void sessionEnded(RewindDebugTarget target) {
        }
    }

    private static final List<RewindDebugTarget> TARGETS = new CopyOnWriteArrayList<>();
    private static final List<Listener> LISTENERS = new CopyOnWriteArrayList<>();

    private RewindSessions() {
    }

    public static List<RewindDebugTarget> all() {
        return List.copyOf(TARGETS);
    }

    public static void addListener(Listener l) {
        LISTENERS.add(l);
    }

    public static void removeListener(Listener l) {
        LISTENERS.remove(l);
    }

    static void added(RewindDebugTarget t) {
        TARGETS.add(t);
        LISTENERS.forEach(Listener::sessionsChanged);
    }

    static void removed(RewindDebugTarget t) {
        if (TARGETS.remove(t)) {
            LISTENERS.forEach(Listener::sessionsChanged);
            LISTENERS.forEach(l -> l.sessionEnded(t));
        }
    }
}

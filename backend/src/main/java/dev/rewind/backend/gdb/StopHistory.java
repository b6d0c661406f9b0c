package dev.rewind.backend.gdb;

import dev.rewind.backend.checkpoint.Crid;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The automatic checkpoints taken at stops the user saw, oldest first, and which of them the
 * program is at now: "checkpoint undo". Going back to one and then stopping somewhere new drops
 * the stops after it, like an editor's undo history. Not thread-safe.
 */
final class StopHistory {
    private final List<Crid> stops = new ArrayList<>();
    /** Checkpoints the user took at a stop, each with that stop's own automatic checkpoint. */
    private final java.util.Map<Crid, Crid> takenAt = new java.util.HashMap<>();
    private int position = -1;

    /**
     * The user checkpointed the program at the current stop: restarting from {@code crid} later
     * puts the history back at this stop, so "back" goes to the stops before it.
     */
    void takenAtCurrentStop(Crid crid) {
        if (position >= 0 && position < stops.size()) {
            takenAt.put(crid, stops.get(position));
        }
    }

    /** A new stop, reached by running forward from the current one. */
    void record(Crid crid) {
        while (stops.size() > position + 1) {
            stops.remove(stops.size() - 1);
        }
        stops.add(crid);
        position = stops.size() - 1;
    }

    /** Whether {@code crid} is the stop the program is at now. */
    boolean isCurrent(Crid crid) {
        return position >= 0 && position < stops.size() && stops.get(position).equals(crid);
    }

    /** The crid of the stop {@code k} before the current one. */
    Optional<Crid> back(int k) {
        int target = position - k;
        if (k < 1 || target < 0) {
            return Optional.empty();
        }
        return Optional.of(stops.get(target));
    }

    /**
     * The program was restarted at {@code crid}; if it is one of the stops, or was taken at one,
     * that is where we are now.
     */
    void restartedAt(Crid crid) {
        int i = stops.indexOf(crid);
        if (i < 0 && takenAt.containsKey(crid)) {
            i = stops.indexOf(takenAt.get(crid));
        }
        if (i >= 0) {
            position = i;
        }
    }

    /** Stops behind the current one. */
    int depth() {
        return Math.max(position, 0);
    }

    void forget(Crid crid) {
        takenAt.remove(crid);
        int i = stops.indexOf(crid);
        if (i >= 0) {
            stops.remove(i);
            if (position >= i) {
                position--;
            }
        }
    }

    List<Crid> stops() {
        return List.copyOf(stops);
    }
}

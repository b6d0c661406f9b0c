package dev.rewind.backend.checkpoint;

import java.util.ArrayList;
import java.util.List;

/**
 * Decides which automatic checkpoints to drop when snapshots hold more memory than allowed:
 * the oldest automatic ones first; manual checkpoints are never dropped. Immutable, stateless.
 */
public record MemoryBudget(long limitBytes) {
    public static final MemoryBudget UNLIMITED = new MemoryBudget(Long.MAX_VALUE);

    /** Whether there is a limit at all: without one, nothing need be measured. */
    public boolean limited() {
        return limitBytes != Long.MAX_VALUE;
    }

    /** The crids to drop, oldest first, so that what stays fits (or only manual ones stay). */
    public List<Crid> toDrop(List<TimelineEntry> entriesOldestFirst) {
        long total = entriesOldestFirst.stream().mapToLong(TimelineEntry::privateBytes).sum();
        List<Crid> drop = new ArrayList<>();
        for (TimelineEntry e : entriesOldestFirst) {
            if (total <= limitBytes) {
                break;
            }
            if (e.reason().automatic()) {
                drop.add(e.crid());
                total -= e.privateBytes();
            }
        }
        return drop;
    }
}

package dev.rewind.backend.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemoryBudgetTest {
    private static TimelineEntry entry(long crid, CheckpointReason reason, long bytes) {
        return new TimelineEntry(new Crid(crid), "c" + crid, reason, Instant.EPOCH, null, List.of(), List.of(), 0, bytes, 0,
                "memory", List.of());
    }

    @Test
    void dropsOldestAutomaticFirstAndKeepsManual() {
        MemoryBudget budget = new MemoryBudget(250);
        List<TimelineEntry> entries = List.of(entry(1, CheckpointReason.MANUAL, 100),
                entry(2, CheckpointReason.PERIODIC, 100), entry(3, CheckpointReason.BREAKPOINT, 100),
                entry(4, CheckpointReason.PERIODIC, 100));
        assertEquals(List.of(new Crid(2), new Crid(3)), budget.toDrop(entries));
    }

    @Test
    void withinBudgetDropsNothing() {
        assertEquals(List.of(), new MemoryBudget(1000).toDrop(List.of(entry(1, CheckpointReason.PERIODIC, 999))));
    }

    @Test
    void manualOnlyStaysEvenOverBudget() {
        assertEquals(List.of(), new MemoryBudget(1).toDrop(List.of(entry(1, CheckpointReason.MANUAL, 999))));
    }
}

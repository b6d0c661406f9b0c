package dev.rewind.plugin.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.rewind.protocol.checkpoint.CheckpointInfo;
import dev.rewind.protocol.checkpoint.ThreadLocation;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Timeline's tree shape, on plain data: lines of siblings, branches where restarts went elsewhere. */
class SessionTimelineTest {

    @Test
    void aLineOfCheckpointsIsOneLevelAndARestartThatWentElsewhereIsABranch() {
        SessionTimeline t = new SessionTimeline();
        // 1 -> 2 -> 3 -> 4, then a restart from 2 took 5 -> 6, and a restart from 5 took 7.
        t.replaceAll(List.of(c(1, null), c(2, 1L), c(3, 2L), c(4, 3L), c(5, 2L), c(6, 5L), c(7, 5L)));
        assertEquals(List.of(1L, 2L, 3L, 4L), crids(t.rows(null)));
        assertEquals(List.of(5L, 6L), crids(t.rows(2L)));
        assertEquals(List.of(7L), crids(t.rows(5L)));
        assertEquals(List.of(), crids(t.rows(3L)));
        assertNull(t.rowParent(4));
        assertEquals(2L, t.rowParent(5));
        assertEquals(2L, t.rowParent(6));
        assertEquals(5L, t.rowParent(7));
    }

    @Test
    void aCheckpointWhoseParentWasDroppedStartsALineAtTheTop() {
        SessionTimeline t = new SessionTimeline();
        t.replaceAll(List.of(c(1, null), c(3, 2L), c(4, 3L)));
        assertEquals(List.of(1L, 3L, 4L), crids(t.rows(null)));
    }

    private static CheckpointInfo c(long crid, Long parent) {
        return new CheckpointInfo(1, crid, "c" + crid, "stop", parent, "2026-11-30T00:00:00Z", List.of(1),
                List.of(new ThreadLocation(1, 0x1000, null)), 0, 0, "memory", List.of());
    }

    private static List<Long> crids(List<SessionTimeline.Entry> rows) {
        return rows.stream().map(SessionTimeline.Entry::crid).toList();
    }
}

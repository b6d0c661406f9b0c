package dev.rewind.backend.rpc;

import dev.rewind.backend.checkpoint.Crid;
import dev.rewind.backend.checkpoint.TimelineEntry;
import dev.rewind.protocol.checkpoint.CheckpointInfo;
import dev.rewind.protocol.checkpoint.ThreadLocation;
import java.util.Locale;

/** Engine records to protocol records. Stateless. */
final class Convert {
    private Convert() {
    }

    static CheckpointInfo checkpoint(int sessionId, TimelineEntry e) {
        return new CheckpointInfo(sessionId, e.crid().value(), e.label(), e.reason().name().toLowerCase(Locale.ROOT),
                value(e.parent()), e.createdAt().toString(), e.processes(),
                e.threads().stream().map(t -> new ThreadLocation(t.tid(), t.pc(), t.symbol())).toList(),
                e.privateBytes(), e.downtimeMicros(), e.imageState(), e.warnings());
    }

    static Long value(Crid c) {
        return c == null ? null : c.value();
    }
}

package dev.rewind.plugin.ui;

import dev.rewind.plugin.model.RewindDebugTarget;
import dev.rewind.plugin.model.SessionTimeline;
import dev.rewind.protocol.checkpoint.CheckpointInfo;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import org.eclipse.jface.viewers.ITableLabelProvider;
import org.eclipse.jface.viewers.LabelProvider;
import org.eclipse.swt.graphics.Image;

/** The Timeline view's columns. Stateless. */
final class TimelineLabels extends LabelProvider implements ITableLabelProvider {
    static final String[] COLUMNS = {"Checkpoint", "Label", "Reason", "Time", "Location", "Memory", "Image"};
    static final int[] WIDTHS = {230, 180, 80, 90, 260, 80, 80};
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

    @Override
    public Image getColumnImage(Object element, int column) {
        return null;
    }

    @Override
    public String getColumnText(Object element, int column) {
        if (element instanceof RewindDebugTarget t) {
            return column == 0 ? t.getName() : "";
        }
        if (!(element instanceof TimelineItem item)) {
            return "";
        }
        SessionTimeline.Entry e = item.entry();
        CheckpointInfo c = e.info();
        return switch (column) {
            case 0 -> c.crid() + (Objects.equals(item.target().currentCrid(), c.crid()) ? "  (current)" : "");
            case 1 -> label(item);
            case 2 -> c.reason();
            case 3 -> time(c.createdAt());
            case 4 -> location(e);
            case 5 -> bytes(c.privateBytes());
            case 6 -> c.imageState() == null ? "" : c.imageState();
            default -> "";
        };
    }

    /**
     * The label; a checkpoint-on-hit checkpoint, which the engine names after its breakpoint
     * number, is shown by where it was hit once that is known.
     */
    static String label(TimelineItem item) {
        SessionTimeline.Entry e = item.entry();
        String label = e.info().label();
        boolean engineName = label.startsWith("breakpoint ");
        if ("breakpoint".equals(e.info().reason()) && engineName && e.sourceLine() != null && !e.sourceLine().isEmpty()) {
            return "hit at " + e.sourceLine();
        }
        return label;
    }

    static String location(SessionTimeline.Entry e) {
        String symbol = e.info().threads().isEmpty() ? null : e.info().threads().get(0).symbol();
        String line = e.sourceLine();
        if (symbol == null && (line == null || line.isEmpty())) {
            return e.info().threads().isEmpty() ? "" : String.format("0x%x", e.info().threads().get(0).pc());
        }
        if (line == null || line.isEmpty()) {
            return symbol;
        }
        return symbol == null ? line : symbol + "  " + line;
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        if (n < 1024 * 1024) {
            return String.format("%.0f KiB", n / 1024.0);
        }
        return String.format("%.1f MiB", n / (1024.0 * 1024));
    }

    private static String time(String iso) {
        try {
            return TIME.format(Instant.parse(iso));
        } catch (RuntimeException e) {
            return iso == null ? "" : iso;
        }
    }
}

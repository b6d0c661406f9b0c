package dev.rewind.plugin.ui;

import dev.rewind.plugin.model.RewindDebugTarget;
import dev.rewind.plugin.model.RewindSessions;
import dev.rewind.plugin.model.SessionTimeline;
import java.util.List;
import org.eclipse.jface.viewers.ITreeContentProvider;

/**
 * The Timeline view's tree: each live session, under it its checkpoints in the order taken, and
 * under a checkpoint the branch of each later restart from it that went another way
 * ({@link dev.rewind.plugin.model.SessionTimeline#rows}).
 * Stateless.
 */
final class TimelineContent implements ITreeContentProvider {
    @Override
    public Object[] getElements(Object input) {
        return RewindSessions.all().toArray();
    }

    @Override
    public Object[] getChildren(Object parent) {
        if (parent instanceof RewindDebugTarget t) {
            return items(t, t.timeline().rows(null));
        }
        if (parent instanceof TimelineItem i) {
            return items(i.target(), i.target().timeline().rows(i.entry().crid()));
        }
        return new Object[0];
    }

    private static Object[] items(RewindDebugTarget t, List<SessionTimeline.Entry> entries) {
        return entries.stream().map(e -> new TimelineItem(t, e)).toArray();
    }

    @Override
    public Object getParent(Object element) {
        if (element instanceof TimelineItem i) {
            Long parent = i.target().timeline().rowParent(i.entry().crid());
            SessionTimeline.Entry p = parent == null ? null : i.target().timeline().get(parent);
            return p == null ? i.target() : new TimelineItem(i.target(), p);
        }
        return null;
    }

    @Override
    public boolean hasChildren(Object element) {
        return getChildren(element).length > 0;
    }
}

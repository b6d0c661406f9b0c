package dev.rewind.plugin.ui;

import dev.rewind.plugin.model.RewindDebugTarget;
import dev.rewind.plugin.model.RewindSessions;
import dev.rewind.plugin.model.SessionTimeline;
import java.util.List;
import org.eclipse.jface.viewers.ITreeContentProvider;

/**
 * The Timeline view's tree: each live session, under it its checkpoints with no parent, and
 * under each checkpoint those taken in a run that restarted from it (restarts make branches).
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
            return items(t, t.timeline().children(null));
        }
        if (parent instanceof TimelineItem i) {
            return items(i.target(), i.target().timeline().children(i.entry().crid()));
        }
        return new Object[0];
    }

    private static Object[] items(RewindDebugTarget t, List<SessionTimeline.Entry> entries) {
        return entries.stream().map(e -> new TimelineItem(t, e)).toArray();
    }

    @Override
    public Object getParent(Object element) {
        if (element instanceof TimelineItem i) {
            Long parent = i.entry().info().parentCrid();
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

package dev.rewind.plugin.ui;

import dev.rewind.plugin.model.RewindDebugTarget;
import dev.rewind.plugin.model.SessionTimeline;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jface.viewers.ISelection;
import org.eclipse.jface.viewers.IStructuredSelection;

/** A checkpoint row of the Timeline view: the session and the checkpoint. */
record TimelineItem(RewindDebugTarget target, SessionTimeline.Entry entry) {

    /** The checkpoint rows in a selection of the Timeline view. */
    static List<TimelineItem> of(ISelection selection) {
        List<TimelineItem> out = new ArrayList<>();
        if (selection instanceof IStructuredSelection s) {
            for (Object o : s.toList()) {
                if (o instanceof TimelineItem i) {
                    out.add(i);
                }
            }
        }
        return out;
    }
}

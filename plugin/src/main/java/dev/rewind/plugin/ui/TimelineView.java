package dev.rewind.plugin.ui;

import dev.rewind.plugin.model.RewindDebugTarget;
import dev.rewind.plugin.model.RewindSessions;
import java.util.HashSet;
import java.util.Set;
import org.eclipse.jface.action.MenuManager;
import org.eclipse.jface.viewers.TreeViewer;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Menu;
import org.eclipse.swt.widgets.TreeColumn;
import org.eclipse.ui.part.ViewPart;

/**
 * Every checkpoint of every live Rewind session, as a tree (a restart starts a branch under the
 * checkpoint it restarted from), with label, reason, time, location, memory and image state.
 * Double-click restarts from a checkpoint; the context menu and toolbar hold the rest
 * (plugin.xml: commands on {@code popup:dev.rewind.plugin.timelineView}).
 */
public final class TimelineView extends ViewPart implements RewindSessions.Listener {
    public static final String ID = "dev.rewind.plugin.timelineView";

    private TreeViewer viewer;
    private final Set<RewindDebugTarget> watched = new HashSet<>();
    private final Runnable timelineChanged = this::refreshLater;

    @Override
    public void createPartControl(Composite parent) {
        viewer = new TreeViewer(parent, SWT.MULTI | SWT.FULL_SELECTION | SWT.H_SCROLL | SWT.V_SCROLL);
        viewer.getTree().setHeaderVisible(true);
        viewer.getTree().setLinesVisible(true);
        for (int i = 0; i < TimelineLabels.COLUMNS.length; i++) {
            TreeColumn c = new TreeColumn(viewer.getTree(), SWT.LEFT);
            c.setText(TimelineLabels.COLUMNS[i]);
            c.setWidth(TimelineLabels.WIDTHS[i]);
        }
        viewer.setContentProvider(new TimelineContent());
        viewer.setLabelProvider(new TimelineLabels());
        viewer.setAutoExpandLevel(TreeViewer.ALL_LEVELS);
        viewer.setInput(RewindSessions.class);
        viewer.addDoubleClickListener(e -> restartSelected());
        MenuManager menu = new MenuManager("#TimelinePopup");
        Menu m = menu.createContextMenu(viewer.getControl());
        viewer.getControl().setMenu(m);
        getSite().registerContextMenu(menu, viewer);
        getSite().setSelectionProvider(viewer);
        RewindSessions.addListener(this);
        watchTimelines();
    }

    /** The view's tree, for tests and for handlers that select in it. */
    public TreeViewer viewer() {
        return viewer;
    }

    /**
     * Restarts from the selected checkpoint (what double-click does). It reads this view's own
     * selection: a command would see the active part's, which a double-click does not always
     * make this view.
     */
    public void restartSelected() {
        java.util.List<TimelineItem> items = TimelineItem.of(viewer.getSelection());
        if (items.size() == 1 && !items.get(0).target().isTerminated()) {
            TimelineHandlers.restart(items.get(0));
        }
    }

    @Override
    public void sessionsChanged() {
        watchTimelines();
        refreshLater();
    }

    private synchronized void watchTimelines() {
        for (RewindDebugTarget t : RewindSessions.all()) {
            if (watched.add(t)) {
                t.timeline().addListener(timelineChanged);
            }
        }
        watched.removeIf(t -> {
            if (t.isTerminated()) {
                t.timeline().removeListener(timelineChanged);
                return true;
            }
            return false;
        });
    }

    private void refreshLater() {
        Display display = viewer == null ? null : viewer.getControl().getDisplay();
        if (display == null || display.isDisposed()) {
            return;
        }
        display.asyncExec(() -> {
            if (!viewer.getControl().isDisposed()) {
                viewer.refresh();
                viewer.expandAll();
            }
        });
    }

    @Override
    public void setFocus() {
        viewer.getControl().setFocus();
    }

    @Override
    public void dispose() {
        RewindSessions.removeListener(this);
        synchronized (this) {
            watched.forEach(t -> t.timeline().removeListener(timelineChanged));
            watched.clear();
        }
        super.dispose();
    }
}

package dev.rewind.plugin.ui;

import dev.rewind.plugin.BackendPreferences;
import dev.rewind.plugin.model.RewindDebugTarget;
import java.util.List;
import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.core.runtime.SubMonitor;
import org.eclipse.jface.dialogs.InputDialog;
import org.eclipse.jface.window.Window;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.handlers.HandlerUtil;

/** The Timeline view's commands on its selected checkpoints. Stateless handlers. */
public final class TimelineHandlers {
    private TimelineHandlers() {
    }

    /** A handler on the selected checkpoint rows, enabled when there is one it can act on. */
    abstract static class OnSelection extends AbstractHandler {
        @Override
        public final Object execute(ExecutionEvent event) {
            List<TimelineItem> items = TimelineItem.of(HandlerUtil.getCurrentSelection(event));
            if (!items.isEmpty() && accepts(items)) {
                run(items, HandlerUtil.getActiveShell(event));
            }
            return null;
        }

        @Override
        public void setEnabled(Object context) {
            Object selection = context instanceof org.eclipse.core.expressions.IEvaluationContext c
                    ? c.getVariable(org.eclipse.ui.ISources.ACTIVE_CURRENT_SELECTION_NAME) : null;
            List<TimelineItem> items = selection instanceof org.eclipse.jface.viewers.ISelection s ? TimelineItem.of(s) : List.of();
            setBaseEnabled(!items.isEmpty() && accepts(items));
        }

        boolean accepts(List<TimelineItem> items) {
            return items.stream().noneMatch(i -> i.target().isTerminated());
        }

        abstract void run(List<TimelineItem> items, Shell shell);
    }

    /** "Restart from here" (and double-click): through gdb, so every view shows that moment. */
    public static final class RestartHere extends OnSelection {
        @Override
        boolean accepts(List<TimelineItem> items) {
            return items.size() == 1 && super.accepts(items);
        }

        @Override
        void run(List<TimelineItem> items, Shell shell) {
            restart(items.get(0));
        }
    }

    /** Restarts from one checkpoint of the Timeline, in a Job. */
    static void restart(TimelineItem i) {
        SessionJob.schedule("Rewind: restart from checkpoint " + i.entry().crid(), m -> i.target().restart(i.entry().crid()));
    }

    /** "Drop": frees the snapshots. */
    public static final class Drop extends OnSelection {
        @Override
        void run(List<TimelineItem> items, Shell shell) {
            SessionJob.schedule("Rewind: drop checkpoints", m -> {
                for (TimelineItem i : items) {
                    i.target().drop(i.entry().crid());
                }
            });
        }
    }

    /** "Rename": the backend keeps the new label (the timeline, gdb's monitor checkpoints, images written later). */
    public static final class Rename extends OnSelection {
        @Override
        boolean accepts(List<TimelineItem> items) {
            return items.size() == 1;
        }

        @Override
        void run(List<TimelineItem> items, Shell shell) {
            TimelineItem i = items.get(0);
            InputDialog d = new InputDialog(shell, "Rename checkpoint " + i.entry().crid(), "Label:",
                    i.entry().info().label(), null);
            if (d.open() == Window.OK) {
                String label = d.getValue();
                SessionJob.schedule("Rewind: rename checkpoint " + i.entry().crid(),
                        m -> i.target().label(i.entry().crid(), label));
            }
        }
    }

    /** "Write to image...": the selected checkpoints of one session, written while the program runs on. */
    public static final class WriteImage extends OnSelection {
        @Override
        boolean accepts(List<TimelineItem> items) {
            return super.accepts(items) && items.stream().map(TimelineItem::target).distinct().count() == 1;
        }

        @Override
        void run(List<TimelineItem> items, Shell shell) {
            FileDialog d = new FileDialog(shell, SWT.SAVE);
            d.setText("Write checkpoints to an image file (added to it if it exists)");
            d.setFilterPath(BackendPreferences.imageDirectory());
            d.setFileName("checkpoints.rwimg");
            String path = d.open();
            if (path == null) {
                return;
            }
            RewindDebugTarget target = items.get(0).target();
            List<Long> crids = items.stream().map(i -> i.entry().crid()).toList();
            SessionJob.schedule("Rewind: write " + crids.size() + " checkpoint(s) to " + path, monitor -> {
                SubMonitor m = SubMonitor.convert(monitor, "Writing " + path, 100);
                int[] done = {0};
                target.writeBack(crids, path, p -> {
                    if (p.percentage() != null && p.percentage() > done[0]) {
                        m.worked(p.percentage() - done[0]);
                        done[0] = p.percentage();
                    }
                    if (p.message() != null) {
                        m.subTask(p.message());
                    }
                });
                target.refreshTimeline();
            });
        }
    }
}

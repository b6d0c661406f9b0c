package dev.rewind.plugin.ui;

import dev.rewind.plugin.model.RewindLineBreakpoint;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.core.commands.ExecutionException;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.jface.viewers.ISelection;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.ui.handlers.HandlerUtil;

/**
 * Breakpoints view: "Checkpoint When Hit" on the selected Rewind line breakpoints. Turned on
 * when any of them has it off, else off for all. Running sessions pick it up at once.
 */
public final class ToggleCheckpointOnHitHandler extends AbstractHandler {
    @Override
    public Object execute(ExecutionEvent event) throws ExecutionException {
        List<RewindLineBreakpoint> selected = breakpoints(HandlerUtil.getCurrentSelection(event));
        boolean on = selected.stream().anyMatch(b -> !b.checkpointOnHit());
        try {
            for (RewindLineBreakpoint b : selected) {
                b.setCheckpointOnHit(on);
            }
        } catch (CoreException e) {
            throw new ExecutionException(e.getMessage(), e);
        }
        return null;
    }

    static List<RewindLineBreakpoint> breakpoints(ISelection selection) {
        List<RewindLineBreakpoint> out = new ArrayList<>();
        if (selection instanceof IStructuredSelection s) {
            for (Object o : s.toList()) {
                RewindLineBreakpoint b = o instanceof RewindLineBreakpoint r ? r
                        : o instanceof org.eclipse.core.runtime.IAdaptable a ? a.getAdapter(RewindLineBreakpoint.class) : null;
                if (b != null) {
                    out.add(b);
                }
            }
        }
        return out;
    }
}

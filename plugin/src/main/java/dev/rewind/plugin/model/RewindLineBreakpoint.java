package dev.rewind.plugin.model;

import dev.rewind.plugin.RewindPlugin;
import java.util.Map;
import org.eclipse.core.resources.IMarker;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.resources.IWorkspaceRunnable;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.model.IBreakpoint;
import org.eclipse.debug.core.model.LineBreakpoint;

/**
 * A line breakpoint in a C, C++ or Rust source file, set in gdb as {@code PATH:LINE}. Files
 * outside the workspace get their marker on the workspace root, with the path as an attribute
 * (as the platform's own external-file breakpoints do). "Checkpoint when hit" makes each hit
 * take a checkpoint (reason "breakpoint") that appears on the timeline.
 */
public final class RewindLineBreakpoint extends LineBreakpoint {
    /** The marker type (plugin.xml), a subtype of the platform's line breakpoint marker. */
    public static final String MARKER_TYPE = "dev.rewind.plugin.lineBreakpointMarker";
    /** Marker attribute: the source file's absolute path, as gdb is given it. */
    public static final String SOURCE_PATH = "dev.rewind.plugin.sourcePath";
    /** Marker attribute: take a checkpoint on every hit. */
    public static final String CHECKPOINT_ON_HIT = "dev.rewind.plugin.checkpointOnHit";

    /** The platform creates breakpoints from persisted markers with this constructor. */
    public RewindLineBreakpoint() {
    }

    /**
     * @param resource the file's workspace resource, or the workspace root for an outside file
     * @param path     the file's absolute path
     */
    public RewindLineBreakpoint(IResource resource, String path, int line) throws CoreException {
        IWorkspaceRunnable create = monitor -> {
            IMarker marker = resource.createMarker(MARKER_TYPE);
            setMarker(marker);
            marker.setAttributes(Map.of(
                    IBreakpoint.ENABLED, Boolean.TRUE,
                    IBreakpoint.ID, getModelIdentifier(),
                    IMarker.LINE_NUMBER, line,
                    IMarker.MESSAGE, "Line breakpoint: " + fileName(path) + " [line: " + line + "]",
                    SOURCE_PATH, path,
                    CHECKPOINT_ON_HIT, Boolean.FALSE));
        };
        run(getMarkerRule(resource), create);
        DebugPlugin.getDefault().getBreakpointManager().addBreakpoint(this);
    }

    @Override
    public String getModelIdentifier() {
        return RewindPlugin.DEBUG_MODEL;
    }

    public String sourcePath() {
        return getMarker().getAttribute(SOURCE_PATH, "");
    }

    public boolean checkpointOnHit() {
        return getMarker().getAttribute(CHECKPOINT_ON_HIT, false);
    }

    public void setCheckpointOnHit(boolean on) throws CoreException {
        setAttribute(CHECKPOINT_ON_HIT, on);
        getMarker().setAttribute(IMarker.MESSAGE, "Line breakpoint: " + fileName(sourcePath()) + " [line: "
                + getLineNumber() + "]" + (on ? " (checkpoint when hit)" : ""));
    }

    private static String fileName(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }
}

package dev.rewind.plugin.ui;

import dev.rewind.plugin.RewindPlugin;
import dev.rewind.plugin.model.RewindLineBreakpoint;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.IBreakpointManager;
import org.eclipse.debug.core.model.IBreakpoint;
import org.eclipse.debug.ui.actions.IToggleBreakpointsTarget;
import org.eclipse.jface.text.ITextSelection;
import org.eclipse.jface.viewers.ISelection;
import org.eclipse.ui.IEditorInput;
import org.eclipse.ui.IEditorPart;
import org.eclipse.ui.IWorkbenchPart;

/** Sets or clears a Rewind line breakpoint on the editor's line. Stateless. */
public final class ToggleLineBreakpointTarget implements IToggleBreakpointsTarget {

    @Override
    public void toggleLineBreakpoints(IWorkbenchPart part, ISelection selection) throws CoreException {
        String path = path(part);
        if (path == null || !(selection instanceof ITextSelection text)) {
            return;
        }
        toggle(path, text.getStartLine() + 1, resource(part));
    }

    /** Removes the Rewind breakpoint at {@code path:line}, or adds one; answers the one added, or null. */
    public static RewindLineBreakpoint toggle(String path, int line, IResource resource) throws CoreException {
        IBreakpointManager manager = DebugPlugin.getDefault().getBreakpointManager();
        for (IBreakpoint bp : manager.getBreakpoints(RewindPlugin.DEBUG_MODEL)) {
            if (bp instanceof RewindLineBreakpoint r && r.sourcePath().equals(path) && r.getLineNumber() == line) {
                bp.delete();
                return null;
            }
        }
        return new RewindLineBreakpoint(resource, path, line);
    }

    @Override
    public boolean canToggleLineBreakpoints(IWorkbenchPart part, ISelection selection) {
        return path(part) != null && selection instanceof ITextSelection;
    }

    @Override
    public void toggleMethodBreakpoints(IWorkbenchPart part, ISelection selection) {
    }

    @Override
    public boolean canToggleMethodBreakpoints(IWorkbenchPart part, ISelection selection) {
        return false;
    }

    @Override
    public void toggleWatchpoints(IWorkbenchPart part, ISelection selection) {
    }

    @Override
    public boolean canToggleWatchpoints(IWorkbenchPart part, ISelection selection) {
        return false;
    }

    private static String path(IWorkbenchPart part) {
        if (!(part instanceof IEditorPart editor)) {
            return null;
        }
        IEditorInput input = editor.getEditorInput();
        IFile file = input.getAdapter(IFile.class);
        if (file != null && file.getLocation() != null) {
            return file.getLocation().toOSString();
        }
        // An outside file (FileStoreEditorInput): by its URI. Not through IURIEditorInput, whose
        // package org.eclipse.ui is split between the workbench and org.eclipse.ui.ide in ways
        // this bundle's class loader does not see whole.
        if (input instanceof org.eclipse.ui.ide.FileStoreEditorInput u && "file".equals(u.getURI().getScheme())) {
            return java.nio.file.Path.of(u.getURI()).toString();
        }
        return null;
    }

    /** The workspace file (by adapter, for the same reason as above), else the workspace root (the marker's home for an outside file). */
    private static IResource resource(IWorkbenchPart part) {
        IFile file = part instanceof IEditorPart editor ? editor.getEditorInput().getAdapter(IFile.class) : null;
        return file != null ? file : ResourcesPlugin.getWorkspace().getRoot();
    }
}

package dev.rewind.plugin.ui;

import dev.rewind.plugin.model.RewindLineBreakpoint;
import dev.rewind.plugin.model.RewindSourceLocator;
import org.eclipse.core.filesystem.IFileStore;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.debug.core.model.IValue;
import org.eclipse.debug.ui.IDebugModelPresentation;
import org.eclipse.debug.ui.IValueDetailListener;
import org.eclipse.jface.viewers.LabelProvider;
import org.eclipse.ui.IEditorInput;
import org.eclipse.ui.ide.FileStoreEditorInput;

/**
 * Labels of Rewind's debug elements and breakpoints, and which editor shows a source: the
 * platform calls it for the Debug, Variables and Breakpoints views and to open the current line
 * (it then marks that line with the instruction pointer). Stateless.
 */
public final class RewindModelPresentation extends LabelProvider implements IDebugModelPresentation {
    @Override
    public void setAttribute(String attribute, Object value) {
    }

    @Override
    public String getText(Object element) {
        try {
            if (element instanceof RewindLineBreakpoint bp) {
                String path = bp.sourcePath();
                return path.substring(path.lastIndexOf('/') + 1) + " [line: " + bp.getLineNumber() + "]"
                        + (bp.checkpointOnHit() ? " - checkpoint when hit" : "");
            }
            if (element instanceof org.eclipse.debug.core.model.IThread t) {
                return t.getName() + (t.isSuspended() ? " (Suspended)" : " (Running)");
            }
            if (element instanceof org.eclipse.debug.core.model.IStackFrame f) {
                return f.getName();
            }
            if (element instanceof org.eclipse.debug.core.model.IDebugTarget t) {
                return t.getName();
            }
        } catch (CoreException e) {
            return null;
        }
        return null; // the platform's default label
    }

    @Override
    public void computeDetail(IValue value, IValueDetailListener listener) {
        try {
            listener.detailComputed(value, value.getValueString());
        } catch (CoreException e) {
            listener.detailComputed(value, e.getMessage());
        }
    }

    @Override
    public IEditorInput getEditorInput(Object element) {
        Object source = element;
        if (element instanceof RewindLineBreakpoint bp) {
            source = RewindSourceLocator.sourceElement(bp.sourcePath());
        }
        if (source instanceof IFile file && file.getLocationURI() != null) {
            // Not FileEditorInput: org.eclipse.ui.part is split between the workbench and
            // org.eclipse.ui.ide, and this bundle's class loader does not see it whole.
            try {
                return new FileStoreEditorInput(org.eclipse.core.filesystem.EFS.getStore(file.getLocationURI()));
            } catch (CoreException e) {
                return null;
            }
        }
        if (source instanceof IFileStore store) {
            return new FileStoreEditorInput(store);
        }
        return null;
    }

    @Override
    public String getEditorId(IEditorInput input, Object element) {
        return RewindSourceEditor.ID;
    }
}

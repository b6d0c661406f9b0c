package dev.rewind.plugin.ui;

import org.eclipse.debug.ui.actions.IToggleBreakpointsTarget;
import org.eclipse.ui.editors.text.TextEditor;

/**
 * A plain text editor for C, C++ and Rust sources (CDT is not available to build on): the
 * ruler toggles Rewind line breakpoints (double-click, or the ruler's context menu), and the
 * debugger shows the current line in it.
 */
public final class RewindSourceEditor extends TextEditor {
    /** The editor id (plugin.xml). */
    public static final String ID = "dev.rewind.plugin.sourceEditor";

    public RewindSourceEditor() {
        setRulerContextMenuId("#RewindSourceRulerContext");
    }

    @Override
    public <T> T getAdapter(Class<T> adapter) {
        if (adapter == IToggleBreakpointsTarget.class) {
            return adapter.cast(new ToggleLineBreakpointTarget());
        }
        return super.getAdapter(adapter);
    }
}

package dev.rewind.plugin.ui;

import dev.rewind.plugin.model.RewindLineBreakpoint;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.ui.dialogs.PropertyPage;

/** Properties of a Rewind line breakpoint (Breakpoints view > Properties): enabled, checkpoint when hit. */
public final class BreakpointPropertyPage extends PropertyPage {
    private Button enabled;
    private Button checkpointOnHit;

    @Override
    protected Control createContents(Composite parent) {
        Composite c = new Composite(parent, SWT.NONE);
        c.setLayout(new GridLayout(1, false));
        RewindLineBreakpoint bp = breakpoint();
        try {
            new Label(c, SWT.NONE).setText(bp.sourcePath() + ", line " + bp.getLineNumber());
            enabled = new Button(c, SWT.CHECK);
            enabled.setText("Enabled");
            enabled.setSelection(bp.isEnabled());
        } catch (CoreException e) {
            setErrorMessage(e.getMessage());
        }
        checkpointOnHit = new Button(c, SWT.CHECK);
        checkpointOnHit.setText("Checkpoint when hit (each hit appears on the Timeline, reason \"breakpoint\")");
        checkpointOnHit.setSelection(bp.checkpointOnHit());
        return c;
    }

    @Override
    public boolean performOk() {
        RewindLineBreakpoint bp = breakpoint();
        try {
            bp.setEnabled(enabled.getSelection());
            bp.setCheckpointOnHit(checkpointOnHit.getSelection());
        } catch (CoreException e) {
            setErrorMessage(e.getMessage());
            return false;
        }
        return true;
    }

    private RewindLineBreakpoint breakpoint() {
        return getElement().getAdapter(RewindLineBreakpoint.class) != null ? getElement().getAdapter(RewindLineBreakpoint.class)
                : (RewindLineBreakpoint) getElement();
    }
}

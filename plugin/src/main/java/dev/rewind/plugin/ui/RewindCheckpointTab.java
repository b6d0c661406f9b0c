package dev.rewind.plugin.ui;

import dev.rewind.plugin.BackendPreferences;
import dev.rewind.plugin.launch.LaunchSettings;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.debug.core.ILaunchConfiguration;
import org.eclipse.debug.core.ILaunchConfigurationWorkingCopy;
import org.eclipse.debug.ui.AbstractLaunchConfigurationTab;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Spinner;

/** Checkpoints tab: the automatic-checkpoint policy and the memory budget of this launch. */
public final class RewindCheckpointTab extends AbstractLaunchConfigurationTab {
    private Button everyStop;
    private Spinner budget;

    @Override
    public void createControl(Composite parent) {
        Composite c = new Composite(parent, SWT.NONE);
        c.setLayout(new GridLayout(2, false));
        setControl(c);
        everyStop = new Button(c, SWT.CHECK);
        everyStop.setText("Checkpoint at every stop (what \"Back to Previous Stop\" returns to)");
        everyStop.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 2, 1));
        everyStop.addListener(SWT.Selection, e -> updateLaunchConfigurationDialog());
        new Label(c, SWT.NONE).setText("Memory budget of automatic checkpoints, MiB (0: no limit):");
        budget = new Spinner(c, SWT.BORDER);
        budget.setMaximum(Integer.MAX_VALUE);
        budget.addListener(SWT.Modify, e -> updateLaunchConfigurationDialog());
        Label note = new Label(c, SWT.WRAP);
        note.setText("Beyond the budget the oldest automatic checkpoints are dropped; manual ones are kept.");
        note.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 2, 1));
    }

    @Override
    public void setDefaults(ILaunchConfigurationWorkingCopy c) {
        c.setAttribute(LaunchSettings.CHECKPOINT_EVERY_STOP, BackendPreferences.checkpointEveryStop());
        c.setAttribute(LaunchSettings.MEMORY_BUDGET_MIB, BackendPreferences.memoryBudgetMib());
    }

    @Override
    public void initializeFrom(ILaunchConfiguration c) {
        try {
            everyStop.setSelection(c.getAttribute(LaunchSettings.CHECKPOINT_EVERY_STOP, BackendPreferences.checkpointEveryStop()));
            budget.setSelection(c.getAttribute(LaunchSettings.MEMORY_BUDGET_MIB, BackendPreferences.memoryBudgetMib()));
        } catch (CoreException e) {
            setErrorMessage(e.getMessage());
        }
    }

    @Override
    public void performApply(ILaunchConfigurationWorkingCopy c) {
        c.setAttribute(LaunchSettings.CHECKPOINT_EVERY_STOP, everyStop.getSelection());
        c.setAttribute(LaunchSettings.MEMORY_BUDGET_MIB, budget.getSelection());
    }

    @Override
    public String getName() {
        return "Checkpoints";
    }
}

package dev.rewind.plugin.ui;

import dev.rewind.plugin.cdt.CdtBridge;
import dev.rewind.plugin.launch.LaunchSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.debug.core.ILaunchConfiguration;
import org.eclipse.debug.core.ILaunchConfigurationWorkingCopy;
import org.eclipse.debug.ui.AbstractLaunchConfigurationTab;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.DirectoryDialog;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;

/**
 * Main tab: program, arguments, working directory, stop at main, and where CDT is installed the
 * choice to debug in a CDT session instead (untested here: CDT is not on Maven Central).
 */
public final class RewindMainTab extends AbstractLaunchConfigurationTab {
    private Text program;
    private Text arguments;
    private Text workingDirectory;
    private Button stopAtMain;
    private Button debugWithCdt;

    @Override
    public void createControl(Composite parent) {
        Composite c = new Composite(parent, SWT.NONE);
        c.setLayout(new GridLayout(3, false));
        setControl(c);
        program = row(c, "Program:", SWT.BORDER);
        browse(c, () -> {
            FileDialog d = new FileDialog(getShell(), SWT.OPEN);
            return d.open();
        }, program);
        arguments = row(c, "Arguments:", SWT.BORDER);
        new Label(c, SWT.NONE);
        workingDirectory = row(c, "Working directory:", SWT.BORDER);
        browse(c, () -> new DirectoryDialog(getShell()).open(), workingDirectory);
        stopAtMain = new Button(c, SWT.CHECK);
        stopAtMain.setText("Stop at main");
        stopAtMain.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 3, 1));
        stopAtMain.addListener(SWT.Selection, e -> updateLaunchConfigurationDialog());
        debugWithCdt = new Button(c, SWT.CHECK);
        debugWithCdt.setText(CdtBridge.available() ? "Debug with CDT (its views and gdb console on Rewind's gdbserver; untested)"
                : "Debug with CDT (CDT is not installed)");
        debugWithCdt.setEnabled(CdtBridge.available());
        debugWithCdt.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 3, 1));
        debugWithCdt.addListener(SWT.Selection, e -> updateLaunchConfigurationDialog());
    }

    private Text row(Composite c, String label, int style) {
        new Label(c, SWT.NONE).setText(label);
        Text t = new Text(c, style);
        t.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        t.addModifyListener(e -> updateLaunchConfigurationDialog());
        return t;
    }

    private void browse(Composite c, java.util.function.Supplier<String> dialog, Text into) {
        Button b = new Button(c, SWT.PUSH);
        b.setText("Browse...");
        b.addListener(SWT.Selection, e -> {
            String chosen = dialog.get();
            if (chosen != null) {
                into.setText(chosen);
            }
        });
    }

    @Override
    public void setDefaults(ILaunchConfigurationWorkingCopy c) {
        c.setAttribute(LaunchSettings.STOP_AT_MAIN, true);
    }

    @Override
    public void initializeFrom(ILaunchConfiguration c) {
        try {
            program.setText(c.getAttribute(LaunchSettings.PROGRAM, ""));
            arguments.setText(c.getAttribute(LaunchSettings.ARGUMENTS, ""));
            workingDirectory.setText(c.getAttribute(LaunchSettings.WORKING_DIRECTORY, ""));
            stopAtMain.setSelection(c.getAttribute(LaunchSettings.STOP_AT_MAIN, true));
            debugWithCdt.setSelection(c.getAttribute(LaunchSettings.DEBUG_WITH_CDT, false));
        } catch (CoreException e) {
            setErrorMessage(e.getMessage());
        }
    }

    @Override
    public void performApply(ILaunchConfigurationWorkingCopy c) {
        c.setAttribute(LaunchSettings.PROGRAM, program.getText().trim());
        c.setAttribute(LaunchSettings.ARGUMENTS, arguments.getText());
        c.setAttribute(LaunchSettings.WORKING_DIRECTORY, workingDirectory.getText().trim());
        c.setAttribute(LaunchSettings.STOP_AT_MAIN, stopAtMain.getSelection());
        c.setAttribute(LaunchSettings.DEBUG_WITH_CDT, debugWithCdt.getSelection());
    }

    @Override
    public boolean isValid(ILaunchConfiguration c) {
        setErrorMessage(null);
        String p = program.getText().trim();
        if (p.isEmpty()) {
            setErrorMessage("Choose the program to debug");
            return false;
        }
        if (!Files.isExecutable(Path.of(p))) {
            setErrorMessage(p + " is not an executable file");
            return false;
        }
        if (debugWithCdt.getSelection() && !CdtBridge.available()) {
            setErrorMessage("CDT is not installed: untick \"Debug with CDT\"");
            return false;
        }
        return true;
    }

    @Override
    public String getName() {
        return "Main";
    }
}

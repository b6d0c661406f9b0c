package dev.rewind.plugin.ui;

import dev.rewind.plugin.launch.LaunchSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IAdaptable;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.ILaunchConfiguration;
import org.eclipse.debug.core.ILaunchConfigurationType;
import org.eclipse.debug.core.ILaunchConfigurationWorkingCopy;
import org.eclipse.debug.core.ILaunchManager;
import org.eclipse.debug.ui.DebugUITools;
import org.eclipse.debug.ui.ILaunchShortcut;
import org.eclipse.jface.viewers.ISelection;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.ui.IEditorPart;

/**
 * Debug As > Rewind Application on an executable file in the workspace: reuses the configuration
 * for that program, or makes one (stop at main, the preferences' checkpoint settings).
 */
public final class RewindLaunchShortcut implements ILaunchShortcut {
    @Override
    public void launch(ISelection selection, String mode) {
        if (selection instanceof IStructuredSelection s && s.getFirstElement() instanceof IAdaptable a) {
            IFile file = a.getAdapter(IFile.class);
            if (file != null && file.getLocation() != null) {
                launch(file.getLocation().toOSString());
            }
        }
    }

    @Override
    public void launch(IEditorPart editor, String mode) {
        // A source file is not a program: the executable is chosen in the workspace or in a configuration.
    }

    /** Launches {@code program} under Rewind (Debug mode). */
    public static void launch(String program) {
        if (!Files.isRegularFile(Path.of(program)) || !Files.isExecutable(Path.of(program))) {
            org.eclipse.jface.dialogs.MessageDialog.openError(null, "Rewind",
                    "Cannot debug " + program + ": it is not an executable file.");
            return;
        }
        try {
            DebugUITools.launch(configuration(program), ILaunchManager.DEBUG_MODE);
        } catch (CoreException e) {
            org.eclipse.jface.dialogs.ErrorDialog.openError(null, "Rewind", "Cannot launch " + program, e.getStatus());
        }
    }

    static ILaunchConfiguration configuration(String program) throws CoreException {
        ILaunchManager manager = DebugPlugin.getDefault().getLaunchManager();
        ILaunchConfigurationType type = manager.getLaunchConfigurationType(LaunchSettings.TYPE_ID);
        for (ILaunchConfiguration c : manager.getLaunchConfigurations(type)) {
            if (program.equals(c.getAttribute(LaunchSettings.PROGRAM, ""))) {
                return c;
            }
        }
        String name = manager.generateLaunchConfigurationName(Path.of(program).getFileName().toString());
        ILaunchConfigurationWorkingCopy wc = type.newInstance(null, name);
        wc.setAttribute(LaunchSettings.PROGRAM, program);
        wc.setAttribute(LaunchSettings.STOP_AT_MAIN, true);
        return wc.doSave();
    }
}

package dev.rewind.plugin.launch;

import dev.rewind.plugin.cdt.CdtBridge;
import dev.rewind.plugin.model.CdtHandoff;
import dev.rewind.plugin.model.RewindSessionStarter;
import dev.rewind.plugin.model.RewindSourceLocator;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.SubMonitor;
import org.eclipse.debug.core.ILaunch;
import org.eclipse.debug.core.ILaunchConfiguration;
import org.eclipse.debug.core.ILaunchManager;
import org.eclipse.debug.core.model.LaunchConfigurationDelegate;

/**
 * Launches a "Rewind Application": a backend, the program under it, and gdb on the program (or,
 * with "Debug with CDT", a CDT remote session on the program: {@link CdtHandoff}).
 * Runs in the platform's launch job, never on the UI thread. Stateless.
 */
public final class RewindLaunchDelegate extends LaunchConfigurationDelegate {
    @Override
    public void launch(ILaunchConfiguration configuration, String mode, ILaunch launch, IProgressMonitor monitor)
            throws CoreException {
        if (!ILaunchManager.DEBUG_MODE.equals(mode)) {
            throw new CoreException(Status.error("Rewind Application launches in Debug mode only"));
        }
        LaunchSettings settings = LaunchSettings.of(configuration);
        Path program = Path.of(settings.program());
        if (settings.program().isBlank() || !Files.isExecutable(program)) {
            throw new CoreException(Status.error("not an executable program: '" + settings.program() + "'"));
        }
        SubMonitor m = SubMonitor.convert(monitor, "Starting Rewind on " + program.getFileName(), 1);
        if (settings.debugWithCdt() && !CdtBridge.available()) {
            throw new CoreException(Status.error("\"Debug with CDT\" is set but CDT is not installed (no C/C++ Remote "
                    + "Application launch type): untick it on the Main tab to debug with Rewind's own views"));
        }
        if (settings.debugWithCdt()) {
            CdtHandoff.start(launch, settings, m.split(1)); // CDT's own launch brings its source lookup
            return;
        }
        launch.setSourceLocator(new RewindSourceLocator());
        RewindSessionStarter.launch(launch, settings);
        m.worked(1);
    }

    @Override
    public boolean buildForLaunch(ILaunchConfiguration configuration, String mode, IProgressMonitor monitor) {
        return false; // C programs are built outside Eclipse's Java builders
    }
}

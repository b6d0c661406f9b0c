package dev.rewind.plugin.launch;

import dev.rewind.plugin.BackendPreferences;
import java.util.List;
import java.util.Map;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.ILaunchConfiguration;
import org.eclipse.debug.core.ILaunchManager;

/**
 * What one "Rewind Application" launch configuration says, read once at launch.
 *
 * @param program              the executable (absolute path)
 * @param arguments            its arguments
 * @param workingDirectory     null for the program's directory
 * @param environment          added to the backend's environment
 * @param stopAtMain           run to {@code main} and stop there
 * @param checkpointEveryStop  every stop the user sees becomes an automatic checkpoint (so that
 *                             "Back to previous stop" can go there)
 * @param memoryBudgetMib      automatic checkpoints are thinned oldest-first beyond this (0: no limit)
 * @param backendPath          the backend to start (preferences)
 * @param gdbPath              the gdb to drive (preferences)
 * @param debugWithCdt         hand the session's gdbserver to a CDT remote session instead of
 *                             Rewind's own debug model (where CDT is installed; untested here)
 */
public record LaunchSettings(String program, List<String> arguments, String workingDirectory,
        Map<String, String> environment, boolean stopAtMain, boolean checkpointEveryStop, long memoryBudgetMib,
        String backendPath, String gdbPath, boolean debugWithCdt) {

    /** The launch configuration type's id (plugin.xml). */
    public static final String TYPE_ID = "dev.rewind.plugin.launchType";

    public static final String PROGRAM = "dev.rewind.plugin.program";
    public static final String ARGUMENTS = "dev.rewind.plugin.arguments";
    public static final String WORKING_DIRECTORY = "dev.rewind.plugin.workingDirectory";
    public static final String STOP_AT_MAIN = "dev.rewind.plugin.stopAtMain";
    public static final String CHECKPOINT_EVERY_STOP = "dev.rewind.plugin.checkpointEveryStop";
    public static final String MEMORY_BUDGET_MIB = "dev.rewind.plugin.memoryBudgetMib";
    public static final String DEBUG_WITH_CDT = "dev.rewind.plugin.debugWithCdt";

    /** For a checkpoint restored from an image: the program comes with it, the rest from the preferences. */
    public static LaunchSettings forRestore() {
        return new LaunchSettings("", List.of(), null, Map.of(), false, BackendPreferences.checkpointEveryStop(),
                BackendPreferences.memoryBudgetMib(), BackendPreferences.backendPath(), BackendPreferences.gdbPath(), false);
    }

    public static LaunchSettings of(ILaunchConfiguration c) throws CoreException {
        String args = c.getAttribute(ARGUMENTS, "");
        String cwd = c.getAttribute(WORKING_DIRECTORY, "");
        Map<String, String> env = c.getAttribute(ILaunchManager.ATTR_ENVIRONMENT_VARIABLES, Map.of());
        return new LaunchSettings(c.getAttribute(PROGRAM, ""),
                args.isBlank() ? List.of() : List.of(DebugPlugin.splitArguments(args)),
                cwd.isBlank() ? null : cwd, Map.copyOf(env),
                c.getAttribute(STOP_AT_MAIN, true),
                c.getAttribute(CHECKPOINT_EVERY_STOP, BackendPreferences.checkpointEveryStop()),
                c.getAttribute(MEMORY_BUDGET_MIB, BackendPreferences.memoryBudgetMib()),
                BackendPreferences.backendPath(), BackendPreferences.gdbPath(), c.getAttribute(DEBUG_WITH_CDT, false));
    }
}

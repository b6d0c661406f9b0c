package dev.rewind.plugin.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.rewind.plugin.TestWorkbench;
import dev.rewind.plugin.launch.LaunchSettings;
import dev.rewind.plugin.model.RewindDebugTarget;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.ILaunch;
import org.eclipse.debug.core.ILaunchManager;
import org.eclipse.swt.widgets.Display;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code rewind-ide --debug PROGRAM}: the option is found among the application's arguments, and
 * the launch it makes (the Debug As path) starts a session stopped at main, reusing the program's
 * configuration the second time; a path that is no program is refused in a dialog.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class CommandLineLaunchTest {
    private final ILaunchManager launches = DebugPlugin.getDefault().getLaunchManager();

    @AfterEach
    void tearDown() throws Exception {
        for (ILaunch l : launches.getLaunches()) {
            TestWorkbench.cleanUp(l);
            launches.removeLaunch(l);
        }
    }

    @Test
    void theProgramIsTheArgumentAfterTheOption() {
        assertEquals("/bin/prog", CommandLineLaunch.programIn(List.of("-foo", "-rewindProgram", "/bin/prog", "-bar")));
        assertNull(CommandLineLaunch.programIn(List.of("-rewindProgram")));
        assertNull(CommandLineLaunch.programIn(List.of("-data", "/ws")));
    }

    @Test
    void theProgramIsLaunchedStoppedAtMainAndItsConfigurationReused() throws Exception {
        TestWorkbench.prepare();
        String program = TestWorkbench.PROGRAM.toString();
        Display.getDefault().syncExec(() -> RewindLaunchShortcut.launch(program));
        RewindDebugTarget first = awaitStopAtMain();
        String config = first.getLaunch().getLaunchConfiguration().getName();
        assertEquals(program, first.getLaunch().getLaunchConfiguration().getAttribute(LaunchSettings.PROGRAM, ""));
        TestWorkbench.cleanUp(first.getLaunch());
        launches.removeLaunch(first.getLaunch());

        Display.getDefault().syncExec(() -> RewindLaunchShortcut.launch(program));
        RewindDebugTarget second = awaitStopAtMain();
        assertEquals(config, second.getLaunch().getLaunchConfiguration().getName(), "the configuration is reused");
        long configs = Arrays.stream(launches.getLaunchConfigurations(launches.getLaunchConfigurationType(LaunchSettings.TYPE_ID)))
                .filter(c -> {
                    try {
                        return program.equals(c.getAttribute(LaunchSettings.PROGRAM, ""));
                    } catch (org.eclipse.core.runtime.CoreException e) {
                        return false;
                    }
                }).count();
        assertEquals(1, configs);
    }

    @Test
    void aPathThatIsNoProgramIsRefusedInADialog() throws Exception {
        int before = launches.getLaunches().length;
        Display.getDefault().asyncExec(() -> RewindLaunchShortcut.launch(TestWorkbench.SOURCE.getParent().toString()));
        TestWorkbench.closeDialog("Rewind");
        assertEquals(before, launches.getLaunches().length, "nothing was launched");
    }

    private RewindDebugTarget awaitStopAtMain() throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        String last = "no launch";
        while (Instant.now().isBefore(deadline)) {
            for (ILaunch l : launches.getLaunches()) {
                if (l.getDebugTarget() instanceof RewindDebugTarget t && t.isSuspended() && t.getThreads().length > 0) {
                    last = t.getThreads()[0].getTopStackFrame().getName();
                    if (last.startsWith("main")) {
                        return t;
                    }
                }
            }
            // Let the UI thread run: the launch is started from it.
            Display.getDefault().syncExec(() -> { });
            Thread.sleep(100);
        }
        throw new AssertionError("no session stopped at main (last: " + last + ")");
    }
}

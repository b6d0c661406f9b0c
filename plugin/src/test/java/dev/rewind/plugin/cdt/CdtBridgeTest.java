package dev.rewind.plugin.cdt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.plugin.TestWorkbench;
import dev.rewind.plugin.launch.LaunchSettings;
import dev.rewind.protocol.session.GdbServerInfo;
import java.util.List;
import java.util.Map;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.ILaunchConfigurationWorkingCopy;
import org.eclipse.debug.core.ILaunchManager;
import org.junit.jupiter.api.Test;

/**
 * The CDT bridge as far as it can be checked without CDT (which is not on Maven Central): the
 * launch attributes CDT's manual remote launcher reads, and a clear refusal, starting nothing,
 * where CDT is missing.
 */
class CdtBridgeTest {
    private static final GdbServerInfo SOCKET = new GdbServerInfo(3, "/tmp/rewind-gdb-1/session-3", 0,
            "target extended-remote /tmp/rewind-gdb-1/session-3", "/home/u/.cache/rewind/rewind-1.gdb");

    private static LaunchSettings settings(boolean stopAtMain) {
        return new LaunchSettings("/home/u/prog", List.of("a"), null, Map.of(), stopAtMain, true, 0, "rewind",
                "/usr/bin/gdb", true);
    }

    @Test
    void cdtsGdbGetsTheSessionsSocketAsItsRemoteDeviceAndSourcesRewindsScript() {
        Map<String, Object> a = CdtBridge.attributes(settings(true), SOCKET);
        assertEquals(false, a.get("org.eclipse.cdt.dsf.gdb.REMOTE_TCP"));
        assertEquals("/tmp/rewind-gdb-1/session-3", a.get("org.eclipse.cdt.dsf.gdb.DEV"));
        assertEquals("/home/u/.cache/rewind/rewind-1.gdb", a.get("org.eclipse.cdt.dsf.gdb.GDB_INIT"));
        assertEquals("/usr/bin/gdb", a.get("org.eclipse.cdt.dsf.gdb.DEBUG_NAME"));
        assertEquals("/home/u/prog", a.get("org.eclipse.cdt.launch.PROGRAM_NAME"));
        assertEquals(true, a.get("org.eclipse.cdt.launch.DEBUGGER_STOP_AT_MAIN"));
        assertEquals(Map.of("[debug]", CdtBridge.MANUAL_REMOTE_LAUNCHER), a.get("org.eclipse.debug.core.preferred_launchers"));
        assertEquals(false, CdtBridge.attributes(settings(false), SOCKET).get("org.eclipse.cdt.launch.DEBUGGER_STOP_AT_MAIN"));
        assertThrows(IllegalArgumentException.class, () -> CdtBridge.attributes(settings(true),
                new GdbServerInfo(3, "127.0.0.1", 4000, "target extended-remote 127.0.0.1:4000", null)));
    }

    @Test
    void withoutCdtADebugWithCdtLaunchIsRefusedAndStartsNothing() throws Exception {
        assertFalse(CdtBridge.available(), "this test runtime has no CDT");
        TestWorkbench.prepare();
        ILaunchManager manager = DebugPlugin.getDefault().getLaunchManager();
        ILaunchConfigurationWorkingCopy wc = manager.getLaunchConfigurationType(LaunchSettings.TYPE_ID)
                .newInstance(null, "with CDT");
        wc.setAttribute(LaunchSettings.PROGRAM, TestWorkbench.PROGRAM.toString());
        wc.setAttribute(LaunchSettings.DEBUG_WITH_CDT, true);
        CoreException e = assertThrows(CoreException.class, () -> wc.launch(ILaunchManager.DEBUG_MODE, null));
        assertTrue(e.getMessage().contains("CDT is not installed"), e.getMessage());
        for (var l : manager.getLaunches()) {
            assertFalse(l.getLaunchConfiguration() != null && "with CDT".equals(l.getLaunchConfiguration().getName()),
                    "the failed launch is left behind");
        }
    }
}

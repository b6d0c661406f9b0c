package dev.rewind.plugin.cdt;

import dev.rewind.plugin.launch.LaunchSettings;
import dev.rewind.protocol.session.GdbServerInfo;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.ILaunch;
import org.eclipse.debug.core.ILaunchConfigurationType;
import org.eclipse.debug.core.ILaunchConfigurationWorkingCopy;
import org.eclipse.debug.core.ILaunchManager;

/**
 * Hands a Rewind session's gdbserver to CDT, where CDT is installed: a "C/C++ Remote Application"
 * launch with CDT's manual remote launcher, whose gdb connects to the session's Unix socket
 * ({@code target remote PATH}) and sources Rewind's gdb script, so CDT's views, stepping and gdb
 * console work on the program the backend holds, and {@code monitor checkpoint}, {@code rw-list}
 * and the other monitor commands work in CDT's gdb console.
 *
 * <p>CDT is not on Maven Central, so this is written against CDT's documented launch attribute
 * names (plain strings; nothing of CDT is compiled in) and was never run here: untested.
 * Stateless.
 */
public final class CdtBridge {
    /** CDT's "C/C++ Remote Application" launch configuration type. */
    static final String REMOTE_TYPE = "org.eclipse.cdt.launch.remoteApplicationLaunchType";
    /** CDT's "GDB (DSF) Manual Remote Debugging Launcher": connects to a gdbserver that is already running. */
    static final String MANUAL_REMOTE_LAUNCHER = "org.eclipse.cdt.dsf.gdb.launch.remoteCLaunch";

    private CdtBridge() {
    }

    /** Whether CDT (its remote application launch type) is installed in this Eclipse. */
    public static boolean available() {
        return DebugPlugin.getDefault().getLaunchManager().getLaunchConfigurationType(REMOTE_TYPE) != null;
    }

    /**
     * Starts the CDT session on {@code info}'s gdbserver, named after {@code name}; answers CDT's
     * launch. The configuration is not saved: it belongs to this one session.
     */
    public static ILaunch launch(String name, LaunchSettings s, GdbServerInfo info, IProgressMonitor monitor)
            throws CoreException {
        ILaunchManager manager = DebugPlugin.getDefault().getLaunchManager();
        ILaunchConfigurationType type = manager.getLaunchConfigurationType(REMOTE_TYPE);
        if (type == null) {
            throw new CoreException(org.eclipse.core.runtime.Status.error(
                    "CDT is not installed (no C/C++ Remote Application launch type): untick \"Debug with CDT\""));
        }
        ILaunchConfigurationWorkingCopy wc = type.newInstance(null, manager.generateLaunchConfigurationName(name));
        attributes(s, info).forEach((key, value) -> {
            if (value instanceof Boolean b) {
                wc.setAttribute(key, b);
            } else if (value instanceof Map<?, ?> m) {
                @SuppressWarnings("unchecked")
                Map<String, String> strings = (Map<String, String>) m;
                wc.setAttribute(key, strings);
            } else {
                wc.setAttribute(key, (String) value);
            }
        });
        return wc.launch(ILaunchManager.DEBUG_MODE, monitor);
    }

    /** The CDT launch attributes for a session (CDT's names: ICDTLaunchConfigurationConstants, IGDBLaunchConfigurationConstants). */
    static Map<String, Object> attributes(LaunchSettings s, GdbServerInfo info) {
        if (info.port() != 0) {
            throw new IllegalArgumentException("the session's gdbserver is not a Unix socket: " + info.command());
        }
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("org.eclipse.debug.core.preferred_launchers", Map.of("[debug]", MANUAL_REMOTE_LAUNCHER));
        a.put("org.eclipse.cdt.launch.PROGRAM_NAME", s.program()); // symbols; the program itself already runs
        a.put("org.eclipse.cdt.launch.PROJECT_ATTR", "");
        a.put("org.eclipse.cdt.launch.DEBUGGER_START_MODE", "remote");
        a.put("org.eclipse.cdt.launch.DEBUGGER_STOP_AT_MAIN", s.stopAtMain());
        a.put("org.eclipse.cdt.launch.DEBUGGER_STOP_AT_MAIN_SYMBOL", "main");
        a.put("org.eclipse.cdt.dsf.gdb.DEBUG_NAME", s.gdbPath());
        // Rewind's gdb script (rw-checkpoint, rw-list, ...): CDT sources it before connecting.
        a.put("org.eclipse.cdt.dsf.gdb.GDB_INIT", info.script() == null ? "" : info.script());
        // A Unix socket is reached like a serial device: "target remote PATH" (gdb 9 and later).
        a.put("org.eclipse.cdt.dsf.gdb.REMOTE_TCP", false);
        a.put("org.eclipse.cdt.dsf.gdb.DEV", info.host());
        return a;
    }
}

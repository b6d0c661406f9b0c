package dev.rewind.plugin.model;

import dev.rewind.plugin.backend.BackendConnection;
import dev.rewind.plugin.backend.Errors;
import dev.rewind.plugin.backend.SessionEvents;
import dev.rewind.plugin.cdt.CdtBridge;
import dev.rewind.plugin.launch.LaunchSettings;
import dev.rewind.protocol.session.GdbServerInfo;
import dev.rewind.protocol.session.OutputEvent;
import dev.rewind.protocol.session.SessionParams;
import dev.rewind.protocol.session.SessionStarted;
import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.Status;
import org.eclipse.debug.core.DebugException;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.ILaunch;
import org.eclipse.debug.core.ILaunchesListener2;

/**
 * A Rewind session that CDT debugs instead of Rewind's own debug model ({@link
 * LaunchSettings#debugWithCdt}): the backend holds the program, stopped at its first
 * instruction, and CDT's remote launch connects its gdb to the session's gdbserver (see
 * {@link CdtBridge}). The Rewind launch keeps the program's console and the backend; ending
 * either launch ends the other. Untested here: CDT cannot be installed on this machine.
 */
public final class CdtHandoff implements RewindProcess.Control, SessionEvents, ILaunchesListener2 {
    private final BackendConnection backend;
    private final int sessionId;
    private final RewindProcess process;
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile ILaunch cdtLaunch;

    private CdtHandoff(BackendConnection backend, int sessionId, RewindProcess process) {
        this.backend = backend;
        this.sessionId = sessionId;
        this.process = process;
    }

    /** Starts the backend and the program in {@code launch}, then CDT's session on it. */
    public static void start(ILaunch launch, LaunchSettings s, IProgressMonitor monitor) throws CoreException {
        BackendConnection backend = RewindSessionStarter.startBackend(s);
        CdtHandoff handoff;
        GdbServerInfo info;
        try {
            SessionStarted started = RewindSessionStarter.await(backend.server().session().launch(
                    RewindSessionStarter.launchParams(s)));
            info = RewindSessionStarter.await(backend.server().session().gdbserver(new SessionParams(started.sessionId())));
            RewindProcess process = RewindSessionStarter.process(launch, s, started);
            handoff = new CdtHandoff(backend, started.sessionId(), process);
            process.attach(handoff);
            backend.addListener(started.sessionId(), handoff);
            launch.addProcess(process);
        } catch (Exception e) {
            backend.close();
            throw new CoreException(Status.error(Errors.message(e) + backend.stderrText(), e));
        }
        DebugPlugin.getDefault().getLaunchManager().addLaunchListener(handoff);
        try {
            handoff.cdtLaunch = CdtBridge.launch(java.nio.file.Path.of(s.program()).getFileName() + " (Rewind, CDT)", s, info,
                    monitor);
        } catch (CoreException | RuntimeException e) {
            handoff.end();
            throw e;
        }
    }

    @Override
    public void writeStdin(String text) throws IOException {
        backend.input(sessionId, text);
    }

    @Override
    public void terminate() throws DebugException {
        end();
    }

    private void end() {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        DebugPlugin.getDefault().getLaunchManager().removeLaunchListener(this);
        backend.close();
        process.ended(0);
        ILaunch c = cdtLaunch;
        if (c != null && c.canTerminate()) {
            try {
                c.terminate();
            } catch (DebugException e) {
                org.eclipse.core.runtime.Platform.getLog(CdtHandoff.class).log(e.getStatus());
            }
        }
    }

    @Override
    public void output(OutputEvent event) {
        process.output(event);
    }

    @Override
    public void backendLost(String why) {
        process.stderr("rewind: the backend ended: " + why + "\n");
        end();
    }

    @Override
    public void launchesTerminated(ILaunch[] launches) {
        if (Arrays.asList(launches).contains(cdtLaunch)) {
            end(); // the CDT session is over: so is Rewind's
        }
    }

    @Override
    public void launchesRemoved(ILaunch[] launches) {
        launchesTerminated(launches);
    }

    @Override
    public void launchesAdded(ILaunch[] launches) {
    }

    @Override
    public void launchesChanged(ILaunch[] launches) {
    }
}

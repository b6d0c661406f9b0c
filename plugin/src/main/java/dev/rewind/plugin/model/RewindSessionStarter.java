package dev.rewind.plugin.model;

import dev.rewind.plugin.backend.BackendCommand;
import dev.rewind.plugin.backend.BackendConnection;
import dev.rewind.plugin.backend.Errors;
import dev.rewind.plugin.launch.LaunchSettings;
import dev.rewind.protocol.RewindServer;
import dev.rewind.protocol.image.RestoreImageParams;
import dev.rewind.protocol.session.GdbServerInfo;
import dev.rewind.protocol.session.LaunchParams;
import dev.rewind.protocol.session.SessionParams;
import dev.rewind.protocol.session.SessionStarted;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.Status;
import org.eclipse.debug.core.ILaunch;

/**
 * Starts a Rewind session for a launch: a backend of its own, the program in it (launched, or a
 * checkpoint restored from an image), the process the Console shows, and the debug target with
 * gdb connected. On failure the backend is closed again and the error says why. Stateless.
 */
public final class RewindSessionStarter {
    private static final long REQUEST_SECONDS = 120;

    private RewindSessionStarter() {
    }

    /**
     * Starts a backend, launches the program stopped at its first instruction, connects gdb, sets
     * the breakpoints, and lets it run (to {@code main} when asked).
     */
    public static RewindDebugTarget launch(ILaunch launch, LaunchSettings s) throws CoreException {
        return start(launch, s, false, server -> server.session().launch(launchParams(s)));
    }

    /** The program of {@code s} with pipes for its standard streams, stopped at its first instruction. */
    static LaunchParams launchParams(LaunchSettings s) {
        String cwd = s.workingDirectory() != null ? s.workingDirectory()
                : java.nio.file.Path.of(s.program()).toAbsolutePath().getParent().toString();
        return new LaunchParams(s.program(), s.arguments(), cwd, s.environment(), LaunchParams.PIPE, LaunchParams.PIPE,
                LaunchParams.PIPE, true, LaunchParams.KILL);
    }

    /** A backend of the launch's own. */
    static BackendConnection startBackend(LaunchSettings s) throws CoreException {
        try {
            return BackendConnection.start(BackendCommand.of(s.backendPath(), s.memoryBudgetMib()));
        } catch (IOException e) {
            throw new CoreException(Status.error(e.getMessage(), e));
        }
    }

    /** The Console's process for a session: "PROGRAM [Rewind session N, pid P]", with the start's warnings. */
    static RewindProcess process(ILaunch launch, LaunchSettings s, SessionStarted started) {
        String name = s.program().isEmpty() ? "restored program" : s.program();
        RewindProcess process = new RewindProcess(launch, name + " [Rewind session " + started.sessionId()
                + ", pid " + started.pid() + "]");
        if (started.warnings() != null) {
            started.warnings().forEach(w -> process.stderr("rewind: " + w + "\n"));
        }
        return process;
    }

    /**
     * Starts a backend that restores checkpoint {@code crid} of an image file, stopped at that
     * point, and connects gdb to it ({@code s.program()} may be empty: gdb then reads the
     * executable through the gdbserver).
     */
    public static RewindDebugTarget restoreImage(ILaunch launch, LaunchSettings s, String image, long crid)
            throws CoreException {
        return start(launch, s, true, server -> server.image().restore(new RestoreImageParams(image, crid, LaunchParams.PIPE,
                LaunchParams.PIPE, LaunchParams.PIPE, true, LaunchParams.KILL)));
    }

    private static RewindDebugTarget start(ILaunch launch, LaunchSettings s, boolean restored,
            Function<RewindServer, CompletableFuture<SessionStarted>> begin) throws CoreException {
        BackendConnection backend = startBackend(s);
        try {
            SessionStarted started = await(begin.apply(backend.server()));
            GdbServerInfo info = await(backend.server().session().gdbserver(new SessionParams(started.sessionId())));
            RewindProcess process = process(launch, s, started);
            RewindDebugTarget target = new RewindDebugTarget(launch, s, backend, started.sessionId(), process);
            process.attach(target);
            backend.addListener(started.sessionId(), target);
            launch.addProcess(process);
            target.connect(info, restored);
            return target;
        } catch (CoreException e) {
            backend.close();
            throw e;
        } catch (Exception e) {
            backend.close();
            throw new CoreException(Status.error(Errors.message(e) + backend.stderrText(), e));
        }
    }

    static <T> T await(CompletableFuture<T> call) throws Exception {
        return call.get(REQUEST_SECONDS, TimeUnit.SECONDS);
    }
}

package dev.rewind.plugin.model;

import dev.rewind.plugin.RewindPlugin;
import dev.rewind.plugin.backend.BackendConnection;
import dev.rewind.plugin.backend.Errors;
import dev.rewind.plugin.backend.SessionEvents;
import dev.rewind.plugin.launch.LaunchSettings;
import dev.rewind.plugin.mi.GdbMi;
import dev.rewind.plugin.mi.MiListener;
import dev.rewind.plugin.mi.MiRecord;
import dev.rewind.protocol.ProgressParams;
import dev.rewind.protocol.checkpoint.CheckpointDropped;
import dev.rewind.protocol.checkpoint.CheckpointInfo;
import dev.rewind.protocol.checkpoint.CheckpointList;
import dev.rewind.protocol.checkpoint.CreateCheckpointParams;
import dev.rewind.protocol.checkpoint.CridParams;
import dev.rewind.protocol.checkpoint.LabelParams;
import dev.rewind.protocol.checkpoint.WriteBackParams;
import dev.rewind.protocol.checkpoint.WriteBackResult;
import dev.rewind.protocol.session.GdbServerInfo;
import dev.rewind.protocol.session.OutputEvent;
import dev.rewind.protocol.session.SessionParams;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.eclipse.core.resources.IMarkerDelta;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Platform;
import org.eclipse.core.runtime.Status;
import org.eclipse.debug.core.DebugEvent;
import org.eclipse.debug.core.DebugException;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.ILaunch;
import org.eclipse.debug.core.model.IBreakpoint;
import org.eclipse.debug.core.model.IDebugTarget;
import org.eclipse.debug.core.model.IMemoryBlock;
import org.eclipse.debug.core.model.IProcess;
import org.eclipse.debug.core.model.IThread;

/**
 * One Rewind session in the debug model: a backend of its own ({@code rewind serve --stdio})
 * that launched the program, and a gdb, driven through GDB/MI, connected to the session's
 * gdbserver. gdb does the source level (breakpoints, stepping, stacks, variables); the backend
 * keeps the timeline. Restarts and "back" go through gdb, so that its view of the program stays true.
 *
 * <p>Thread-safe: gdb's async records and the backend's notifications are handled in order on
 * one event thread; the platform calls the run-control methods from its own threads.
 */
public final class RewindDebugTarget extends RewindDebugElement
        implements IDebugTarget, MiListener, SessionEvents, RewindProcess.Control {
    private static final long REQUEST_SECONDS = 120;

    /** Where the program is, as the UI sees it. */
    public enum State {
        STARTING, RUNNING, SUSPENDED, EXITED, TERMINATED
    }

    private final ILaunch launch;
    private final LaunchSettings settings;
    private final BackendConnection backend;
    private final int sessionId;
    private final RewindProcess process;
    private final SessionTimeline timeline = new SessionTimeline();
    private final ThreadList threads = new ThreadList(this);
    private final List<String> variableObjects = new ArrayList<>();
    private final StoppedWork stoppedWork = new StoppedWork();
    private final ExecutorService events;
    private GdbControl gdb;
    private BreakpointSync breakpoints;
    private volatile State state = State.STARTING;
    private volatile boolean stepping;
    private volatile int resumeDetail = DebugEvent.CLIENT_REQUEST;
    private volatile Long currentCrid;
    private volatile String problem;
    private boolean restoredStopped;
    private boolean silentResume;

    RewindDebugTarget(ILaunch launch, LaunchSettings settings, BackendConnection backend, int sessionId,
            RewindProcess process) {
        super(null);
        this.launch = launch;
        this.settings = settings;
        this.backend = backend;
        this.sessionId = sessionId;
        this.process = process;
        this.events = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "rewind-debug-events-" + sessionId);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts gdb on the session's gdbserver, sets the breakpoints and lets the program run (to
     * {@code main} when asked), or, for a restored checkpoint, shows it stopped where it was.
     */
    void connect(GdbServerInfo info, boolean restored) throws CoreException {
        restoredStopped = restored;
        try {
            gdb = new GdbControl(GdbMi.start(settings.gdbPath(), this));
        } catch (IOException e) {
            throw new CoreException(Status.error("cannot start gdb (" + settings.gdbPath() + "): " + e.getMessage(), e));
        }
        breakpoints = new BreakpointSync(gdb);
        if (info.script() == null) {
            process.stderr("rewind: the backend could not write its gdb script, so restarts and Back will fail\n");
        }
        try {
            gdb.connect(info.script(), settings.program().isEmpty() ? null : settings.program(), info.command());
            gdb.autoCheckpoint(settings.checkpointEveryStop());
            for (IBreakpoint bp : DebugPlugin.getDefault().getBreakpointManager().getBreakpoints(RewindPlugin.DEBUG_MODEL)) {
                if (bp instanceof RewindLineBreakpoint line) {
                    install(line);
                }
            }
            if (settings.stopAtMain()) {
                gdb.run("-break-insert -t main");
            }
        } catch (DebugFailure e) {
            gdb.mi().close();
            throw new CoreException(Status.error("gdb could not connect to Rewind: " + e.getMessage()));
        }
        DebugPlugin.getDefault().getBreakpointManager().addBreakpointListener(this);
        launch.addDebugTarget(this);
        refreshTimeline();
        RewindSessions.added(this);
        fireCreationEvent();
        events.execute(() -> {
            state = State.SUSPENDED;
            if (restoredStopped) {
                refreshThreads(); // a restored checkpoint: the user starts where it was
                fireSuspendEvent(DebugEvent.CLIENT_REQUEST);
            } else {
                runOn(() -> gdb.resume());
            }
        });
    }

    private void install(RewindLineBreakpoint line) {
        try {
            breakpoints.install(line);
        } catch (DebugFailure | CoreException e) {
            log("breakpoint " + line.sourcePath() + ":" + lineOf(line) + " not set: " + e.getMessage());
        }
    }

    // ---- what the views and commands read ----

    public int sessionId() {
        return sessionId;
    }

    public State state() {
        return state;
    }

    public SessionTimeline timeline() {
        return timeline;
    }

    /** The checkpoint the live process descends from (or stands on), or null. */
    public Long currentCrid() {
        return currentCrid;
    }

    /** Why the session ended abnormally (backend or gdb died), or null. */
    public String problem() {
        return problem;
    }

    @Override
    public String getName() {
        String name = settings.program().isEmpty() ? "restored program"
                : java.nio.file.Path.of(settings.program()).getFileName().toString();
        return switch (state) {
            case EXITED -> name + " (exited: restart from the Timeline)";
            case TERMINATED -> name + (problem == null ? " (terminated)" : " (lost: " + problem.lines().findFirst().orElse("") + ")");
            default -> name + " (Rewind session " + sessionId + ")";
        };
    }

    @Override
    public IDebugTarget getDebugTarget() {
        return this;
    }

    @Override
    public ILaunch getLaunch() {
        return launch;
    }

    @Override
    public IProcess getProcess() {
        return process;
    }

    @Override
    public IThread[] getThreads() {
        return threads.all().toArray(IThread[]::new);
    }

    @Override
    public boolean hasThreads() {
        return !threads.isEmpty();
    }

    @Override
    public boolean supportsBreakpoint(IBreakpoint breakpoint) {
        return breakpoint instanceof RewindLineBreakpoint;
    }

    // ---- run control ----

    @Override
    public boolean canResume() {
        return state == State.SUSPENDED;
    }

    @Override
    public boolean canSuspend() {
        return state == State.RUNNING;
    }

    @Override
    public boolean isSuspended() {
        return state == State.SUSPENDED;
    }

    boolean isStepping() {
        return stepping;
    }

    @Override
    public void resume() throws DebugException {
        resumeDetail = DebugEvent.CLIENT_REQUEST;
        command(() -> gdb.resume());
    }

    @Override
    public void suspend() throws DebugException {
        command(() -> gdb.interrupt());
    }

    void stepInto(RewindThread t) throws DebugException {
        step(DebugEvent.STEP_INTO, () -> gdb.stepInto(t.gdbId()));
    }

    void stepOver(RewindThread t) throws DebugException {
        step(DebugEvent.STEP_OVER, () -> gdb.stepOver(t.gdbId()));
    }

    void stepReturn(RewindThread t, int frame) throws DebugException {
        step(DebugEvent.STEP_RETURN, () -> gdb.stepReturn(t.gdbId(), frame));
    }

    private void step(int detail, GdbCall call) throws DebugException {
        stepping = true;
        resumeDetail = detail;
        try {
            command(call);
        } catch (DebugException e) {
            stepping = false;
            throw e;
        }
    }

    @Override
    public boolean canTerminate() {
        return state != State.TERMINATED;
    }

    @Override
    public boolean isTerminated() {
        return state == State.TERMINATED;
    }

    /** Ends the session: gdb quits, the backend shuts down and kills the program and its snapshots. */
    @Override
    public void terminate() {
        end(null);
    }

    @Override
    public boolean canDisconnect() {
        return false;
    }

    @Override
    public void disconnect() throws DebugException {
        throw failure("a Rewind session cannot be disconnected from; terminate it");
    }

    @Override
    public boolean isDisconnected() {
        return false;
    }

    @Override
    public boolean supportsStorageRetrieval() {
        return false;
    }

    @Override
    public IMemoryBlock getMemoryBlock(long startAddress, long length) throws DebugException {
        throw failure("memory blocks are not supported by Rewind's debug model yet");
    }

    // ---- checkpoints ----

    /**
     * Checkpoints the program now: through gdb when it is stopped (so the checkpoint holds gdb's
     * view), through the backend while it runs. Answers the crid.
     */
    public long checkpoint(String label) throws DebugException {
        if (state == State.SUSPENDED) {
            try {
                return gdb.checkpoint(label);
            } catch (DebugFailure e) {
                throw failure(e.getMessage());
            }
        }
        if (state != State.RUNNING) {
            throw failure("there is no live program to checkpoint");
        }
        return request(backend.server().checkpoint().create(new CreateCheckpointParams(sessionId, label))).crid();
    }

    /**
     * Restarts the program from checkpoint {@code crid} through gdb ({@code rw-restart}): gdb
     * reloads its state and the program stops at the checkpoint. A running program is
     * interrupted first.
     */
    public void restart(long crid) throws DebugException {
        if (timeline.get(crid) == null) {
            // Just taken: its checkpoint/created may still be on its way (the backend announces a
            // gdb's checkpoints within 100 ms). Ask for the list before calling it unknown.
            CheckpointList list = request(backend.server().checkpoint().list(new SessionParams(sessionId)));
            currentCrid = list.currentCrid();
            timeline.replaceAll(list.checkpoints());
            if (timeline.get(crid) == null) {
                throw failure("no checkpoint " + crid + " in this session");
            }
        }
        awaitStopped(() -> {
            resumeDetail = DebugEvent.CLIENT_REQUEST;
            gdb.restart(crid);
            return false;
        });
    }

    /**
     * Goes back to the previous stop the user saw (gdb script's {@code rw-back}): the program is
     * restarted from the automatic checkpoint taken there. Checkpoint undo, not reverse execution.
     */
    public void backToPreviousStop() throws DebugException {
        if (!settings.checkpointEveryStop()) {
            throw failure("this launch does not checkpoint at every stop, so there is no previous stop to go back to");
        }
        awaitStopped(() -> {
            gdb.back(1);
            return false;
        });
    }

    public boolean canGoBack() {
        return settings.checkpointEveryStop() && state == State.SUSPENDED;
    }

    public void drop(long crid) throws DebugException {
        request(backend.server().checkpoint().drop(new CridParams(sessionId, crid)));
    }

    /** Renames checkpoint {@code crid} in the backend, which keeps the label for the timeline, gdb and images. */
    public void label(long crid, String label) throws DebugException {
        timeline.added(request(backend.server().checkpoint().label(new LabelParams(sessionId, crid, label))));
    }

    /**
     * Writes checkpoints to an image file while the program runs on; {@code progress} receives
     * the backend's percentages.
     */
    public WriteBackResult writeBack(List<Long> crids, String path, Consumer<ProgressParams> progress) throws DebugException {
        SessionEvents listener = new SessionEvents() {
            @Override
            public void progress(ProgressParams params) {
                progress.accept(params);
            }
        };
        backend.addGlobalListener(listener);
        try {
            return request(backend.server().checkpoint().writeBack(new WriteBackParams(sessionId, crids, path)));
        } finally {
            backend.removeGlobalListener(listener);
        }
    }

    @Override
    public void writeStdin(String text) throws IOException {
        backend.input(sessionId, text);
    }

    /** Reads the timeline again from the backend. */
    public void refreshTimeline() {
        backend.server().checkpoint().list(new SessionParams(sessionId)).thenAccept((CheckpointList list) -> {
            currentCrid = list.currentCrid();
            timeline.replaceAll(list.checkpoints());
        });
    }

    // ---- reading the stopped program ----

    List<RewindStackFrame> frames(RewindThread t) throws DebugException {
        List<RewindStackFrame> out = new ArrayList<>();
        try {
            for (GdbControl.FrameInfo f : gdb.frames(t.gdbId())) {
                out.add(new RewindStackFrame(t, f));
            }
        } catch (DebugFailure e) {
            throw failure(e.getMessage());
        }
        return out;
    }

    List<RewindVariable> locals(int thread, int frame) throws DebugException {
        try {
            return variables(gdb.locals(thread, frame));
        } catch (DebugFailure e) {
            throw failure(e.getMessage());
        }
    }

    List<RewindVariable> children(GdbControl.VarInfo parent) throws DebugException {
        try {
            return variables(gdb.children(parent.name()));
        } catch (DebugFailure e) {
            throw failure(e.getMessage());
        }
    }

    private List<RewindVariable> variables(List<GdbControl.VarInfo> vars) {
        List<RewindVariable> out = new ArrayList<>();
        for (GdbControl.VarInfo v : vars) {
            out.add(new RewindVariable(this, v));
        }
        synchronized (variableObjects) {
            vars.stream().filter(v -> !v.name().contains(".")).forEach(v -> variableObjects.add(v.name()));
        }
        return out;
    }

    // ---- breakpoints (IBreakpointListener): applied with gdb stopped ----

    @Override
    public void breakpointAdded(IBreakpoint breakpoint) {
        if (breakpoint instanceof RewindLineBreakpoint line) {
            whileStopped(() -> {
                install(line);
                return true;
            });
        }
    }

    @Override
    public void breakpointRemoved(IBreakpoint breakpoint, IMarkerDelta delta) {
        if (breakpoint instanceof RewindLineBreakpoint line) {
            whileStopped(() -> {
                breakpoints.remove(line);
                return true;
            });
        }
    }

    @Override
    public void breakpointChanged(IBreakpoint breakpoint, IMarkerDelta delta) {
        if (breakpoint instanceof RewindLineBreakpoint line) {
            whileStopped(() -> {
                breakpoints.changed(line);
                return true;
            });
        }
    }

    // ---- gdb's async records (MiListener), on the reader thread: handed to the event thread ----

    /**
     * What Rewind's gdbserver tells the user through gdb (a restart that could not keep the pid,
     * a checkpoint's warnings) goes to the program's console, where the user looks.
     */
    @Override
    public void onStream(MiRecord.Stream record) {
        if (record.kind() != MiRecord.Stream.LOG && record.text().startsWith("rewind")) {
            process.stderr(record.text().endsWith("\n") ? record.text() : record.text() + "\n");
        }
    }

    @Override
    public void onAsync(MiRecord.Async record) {
        events.execute(() -> handle(record));
    }

    @Override
    public void onExit(int exitCode) {
        if (state != State.TERMINATED) {
            end("gdb exited (status " + exitCode + ")");
        }
    }

    private void handle(MiRecord.Async r) {
        switch (r.asyncClass()) {
            case "running" -> running();
            case "stopped" -> stopped(r);
            case "thread-created", "thread-exited" -> {
                if (state == State.SUSPENDED) {
                    refreshThreads();
                }
            }
            default -> {
            }
        }
    }

    private void running() {
        if (state == State.TERMINATED || state == State.STARTING) {
            return;
        }
        state = State.RUNNING;
        forgetStop();
        if (silentResume) {
            silentResume = false;
            return;
        }
        int detail = resumeDetail;
        resumeDetail = DebugEvent.CLIENT_REQUEST;
        for (RewindThread t : threads.all()) {
            t.fireResumeEvent(detail);
        }
        fireResumeEvent(detail);
    }

    private void stopped(MiRecord.Async r) {
        if (state == State.TERMINATED || state == State.STARTING) {
            return; // STARTING: the stop at the first instruction, before the program is let go
        }
        String reason = r.results().string("reason");
        reason = reason == null ? "" : reason;
        stepping = false;
        if (reason.startsWith("exited")) {
            state = State.EXITED;
            threads.endAll();
            fireChangeEvent(DebugEvent.STATE);
            refreshTimeline();
            return;
        }
        state = State.SUSPENDED;
        if (stoppedWork.awaitingStop()) {
            boolean ourInterrupt = "signal-received".equals(reason) && "SIGINT".equals(r.results().string("signal-name"));
            boolean resume = stoppedWork.runAll(this::log);
            if (ourInterrupt && resume) {
                silentResume = true;
                runOn(() -> gdb.resume());
                return;
            }
        }
        refreshThreads();
        IBreakpoint[] hit = new IBreakpoint[0];
        String number = r.results().string("bkptno");
        if (number != null) {
            RewindLineBreakpoint bp = breakpoints.byNumber(Integer.parseInt(number));
            if (bp != null) {
                hit = new IBreakpoint[] {bp};
            }
        }
        int detail = switch (reason) {
            case "breakpoint-hit" -> DebugEvent.BREAKPOINT;
            case "end-stepping-range", "function-finished", "location-reached" -> DebugEvent.STEP_END;
            default -> DebugEvent.CLIENT_REQUEST;
        };
        threads.stoppedAt(r.results().string("thread-id"), hit);
        locateCheckpoints();
        refreshTimeline();
        for (RewindThread t : threads.all()) {
            t.fireSuspendEvent(detail);
        }
        fireSuspendEvent(detail);
    }

    /** A stop's frames and variables are stale once the program moves: gdb's objects go too. */
    private void forgetStop() {
        threads.running();
        List<String> gone;
        synchronized (variableObjects) {
            gone = List.copyOf(variableObjects);
            variableObjects.clear();
        }
        gone.forEach(gdb::deleteVariable);
    }

    private void refreshThreads() {
        List<GdbControl.ThreadInfo> now;
        try {
            now = gdb.threads();
        } catch (DebugFailure e) {
            log("thread list: " + e.getMessage());
            return;
        }
        threads.update(now);
    }

    /** Asks gdb for the source line of checkpoints that have none yet (gdb must be stopped). */
    private void locateCheckpoints() {
        for (SessionTimeline.Entry e : timeline.withoutSourceLine()) {
            try {
                String line = gdb.sourceLine(e.info().threads().get(0).pc());
                timeline.located(e.crid(), line == null ? "" : line);
            } catch (DebugFailure ex) {
                return;
            }
        }
    }

    // ---- the backend's notifications (SessionEvents) ----

    @Override
    public void output(OutputEvent event) {
        process.output(event);
    }

    @Override
    public void checkpointCreated(CheckpointInfo checkpoint) {
        timeline.added(checkpoint);
        events.execute(() -> {
            if (state == State.SUSPENDED) {
                locateCheckpoints();
            }
        });
    }

    @Override
    public void checkpointDropped(CheckpointDropped event) {
        timeline.removed(event.crid());
    }

    @Override
    public void backendLost(String why) {
        end(why);
    }

    // ---- plumbing ----

    /** A call into gdb that may fail. */
    interface GdbCall {
        void run() throws DebugFailure;
    }

    private void command(GdbCall call) throws DebugException {
        try {
            call.run();
        } catch (DebugFailure e) {
            throw failure(e.getMessage());
        }
    }

    private void runOn(GdbCall call) {
        try {
            call.run();
        } catch (DebugFailure e) {
            log(e.getMessage());
        }
    }

    /**
     * Runs {@code action} with gdb stopped: at once when it is, else after interrupting the
     * program (a stop the user does not see), running it on afterwards if every action says so.
     */
    void whileStopped(StoppedWork.Action action) {
        events.execute(() -> {
            if (state == State.RUNNING) {
                if (stoppedWork.queue(action)) {
                    runOn(() -> gdb.interrupt());
                }
            } else {
                // Also once terminated: gdb is gone then, so the action fails at once and a
                // caller waiting for it hears why instead of waiting out its timeout.
                try {
                    action.run();
                } catch (Exception e) {
                    log(Errors.message(e));
                }
            }
        });
    }

    /** {@link #whileStopped} for the caller that waits for the action, and sees its failure. */
    private void awaitStopped(StoppedWork.Action action) throws DebugException {
        CompletableFuture<Void> done = new CompletableFuture<>();
        whileStopped(() -> {
            try {
                action.run();
                done.complete(null);
            } catch (Exception e) {
                done.completeExceptionally(e);
            }
            return false;
        });
        request(done);
    }

    private <T> T request(CompletableFuture<T> call) throws DebugException {
        try {
            return call.get(REQUEST_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure("interrupted");
        } catch (Exception e) {
            throw failure(Errors.message(e));
        }
    }

    private synchronized void end(String why) {
        if (state == State.TERMINATED) {
            return;
        }
        problem = why;
        state = State.TERMINATED;
        if (why != null) {
            Platform.getLog(RewindDebugTarget.class).log(new Status(IStatus.ERROR, RewindPlugin.ID,
                    "Rewind session " + sessionId + " lost: " + why));
        }
        DebugPlugin.getDefault().getBreakpointManager().removeBreakpointListener(this);
        if (gdb != null) {
            gdb.mi().close();
        }
        backend.close();
        events.shutdown();
        threads.endAll();
        RewindSessions.removed(this);
        process.ended(why == null ? 0 : 1);
        fireTerminateEvent();
    }

    private void log(String message) {
        Platform.getLog(RewindDebugTarget.class).log(new Status(IStatus.WARNING, RewindPlugin.ID, message));
    }

    private static int lineOf(RewindLineBreakpoint b) {
        try {
            return b.getLineNumber();
        } catch (CoreException e) {
            return -1;
        }
    }
}

package dev.rewind.backend.gdb;

import dev.rewind.backend.checkpoint.Crid;
import dev.rewind.backend.checkpoint.Debuggee;
import dev.rewind.backend.checkpoint.Engine;
import dev.rewind.backend.checkpoint.StopEvent;
import dev.rewind.backend.checkpoint.TimelineEntry;
import dev.rewind.backend.trace.LaunchRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The debuggees one gdb connection has made: the current one, and earlier ones kept alive only
 * for their checkpoints (a plain {@code run} launches a new process, yet {@code run c<N>} must
 * still reach checkpoints of the previous one). Crids are unique across the engine, so a crid
 * names its debuggee. Not thread-safe: used by the stub's thread only.
 */
final class GdbSession implements AutoCloseable {
    /** How long a SIGKILLed process may take to be reaped; it is stopped, so this is only a safety net. */

    private final Engine engine;
    private final LaunchRequest program;
    private final Consumer<String> programOutput;
    private final List<Debuggee> debuggees = new ArrayList<>();
    private Debuggee current;
    private boolean attached;
    /** Serving a debuggee someone else owns (a JSON-RPC session): never launch, attach or close it. */
    private final boolean borrowed;
    /** Programs start in a PID namespace of their own (see {@link LaunchRequest#pidNamespace()}). */
    private final boolean pidNamespace;

    /**
     * @param program       what an empty {@code vRun} launches; null when gdb must name it
     * @param programOutput receives the program's stdout and stderr lines
     */
    GdbSession(Engine engine, LaunchRequest program, boolean pidNamespace, Consumer<String> programOutput) {
        this.engine = engine;
        this.program = program;
        this.programOutput = programOutput;
        this.borrowed = false;
        this.pidNamespace = pidNamespace;
    }

    /** Serves {@code d}, which its owner keeps: the engine is not ours, and no other process is made. */
    GdbSession(Debuggee d) {
        this.pidNamespace = false;
        this.engine = null;
        this.program = null;
        this.programOutput = text -> { };
        this.borrowed = true;
        debuggees.add(d);
        current = d;
    }

    /** Whether the debuggee belongs to someone else (see {@link #GdbSession(Debuggee)}). */
    boolean borrowed() {
        return borrowed;
    }

    Debuggee current() {
        return current;
    }

    boolean attached() {
        return attached;
    }

    boolean hasLiveProcess() {
        return current != null && !current.exit().isDone();
    }

    /** Launches a new process, stopped at its first instruction. */
    Debuggee launch(String filename, List<String> args) {
        if (borrowed) {
            throw new IllegalStateException("this gdbserver serves an existing session: it runs no new program");
        }
        String file = filename == null || filename.isEmpty() ? (program == null ? null : program.program()) : filename;
        if (file == null) {
            throw new IllegalArgumentException("no program to run: give one to the gdbserver or 'set remote exec-file'");
        }
        List<String> argv = args.isEmpty() && program != null && file.equals(program.program()) ? program.args() : args;
        LaunchRequest r = new LaunchRequest(file, argv, program == null ? null : program.cwd(),
                program == null ? null : program.env(),
                List.of(LaunchRequest.PIPE, LaunchRequest.PIPE, LaunchRequest.PIPE), pidNamespace);
        return adoptStarted(engine.launch(r, true));
    }

    /** Makes {@code d}, a program this session started (held at its first stop), current, its output forwarded. */
    private Debuggee adoptStarted(Debuggee d) {
        d.stdout().addListener(programOutput);
        d.stderr().addListener(programOutput);
        debuggees.add(d);
        current = d;
        attached = false;
        drainEvents(d);
        return d;
    }

    /** Restores checkpoint {@code crid} of {@code image}, stopped at the checkpoint's point; says on {@code log} what could not be restored. */
    Debuggee restoreImage(java.nio.file.Path image, long crid, java.io.PrintStream log) {
        Engine.ImageRestore r = engine.restoreImage(image, crid,
                List.of(LaunchRequest.PIPE, LaunchRequest.PIPE, LaunchRequest.PIPE), true);
        r.warnings().forEach(w -> log.println("rewind gdbserver: restored with a warning: " + w));
        return adoptStarted(r.debuggee());
    }

    Debuggee attach(int pid) {
        if (borrowed) {
            throw new IllegalStateException("this gdbserver serves an existing session: it attaches to nothing else");
        }
        Debuggee d = engine.attach(pid);
        debuggees.add(d);
        current = d;
        attached = true;
        return d;
    }

    /** The debuggee that holds {@code crid}, if any. */
    Optional<Debuggee> owner(Crid crid) {
        for (Debuggee d : debuggees) {
            if (d.crids().contains(crid)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    /** Makes {@code d} current (after a restart of one of its checkpoints). */
    void makeCurrent(Debuggee d) {
        current = d;
        drainEvents(d);
    }

    /** Every checkpoint of this connection, oldest first. */
    List<TimelineEntry> timeline() {
        List<TimelineEntry> all = new ArrayList<>();
        for (Debuggee d : debuggees) {
            all.addAll(d.timeline());
        }
        all.sort((a, b) -> a.crid().compareTo(b.crid()));
        return all;
    }

    /**
     * Ends the current live process but keeps every snapshot (gdb's {@code vKill}, which comes
     * before each {@code run}).
     */
    void killLive() {
        if (!hasLiveProcess()) {
            return;
        }
        current.killLive();
        drainEvents(current);
    }

    /** Forgets queued events (stale pauses, the end of a killed process). */
    static void drainEvents(Debuggee d) {
        Optional<StopEvent> e;
        do {
            e = d.awaitStop(Duration.ZERO);
        } while (e.isPresent());
    }

    @Override
    public void close() {
        if (!borrowed) {
            engine.close();
        }
    }
}

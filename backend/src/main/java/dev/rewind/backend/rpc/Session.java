package dev.rewind.backend.rpc;

import dev.rewind.backend.checkpoint.Crid;
import dev.rewind.backend.checkpoint.Debuggee;
import dev.rewind.backend.checkpoint.StopEvent;
import dev.rewind.backend.checkpoint.TimelineEntry;
import dev.rewind.protocol.checkpoint.CheckpointDropped;
import dev.rewind.protocol.session.ExitedEvent;
import dev.rewind.protocol.session.StoppedEvent;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;

/**
 * One debuggee as JSON-RPC clients see it: its id, who owns it, the stops not yet collected by
 * {@code session/wait}, and which checkpoints clients have been told about.
 *
 * <p>A pump thread takes every stop from the engine's queue, remembers it for
 * {@code session/wait} and announces it. Thread-safe.
 */
final class Session {
    /** Stops kept for {@code session/wait}; the oldest go first when a client never waits. */
    private static final int MAX_PENDING_STOPS = 1000;

    private final int id;
    private final Debuggee debuggee;
    private final String program;
    private final String origin;
    private final String onDisconnect;
    private final Connection owner;
    private final Notifier notifier;
    private final LinkedBlockingDeque<StoppedEvent> pending = new LinkedBlockingDeque<>();
    private final Map<Integer, String> functionByBreakpoint = new ConcurrentHashMap<>();
    private final Set<Long> announced = new HashSet<>();
    private long announcedChanges; // pump thread only
    private final Map<String, Long> symbols = new ConcurrentHashMap<>();
    private final Thread pump;
    private volatile boolean exited;
    private volatile boolean closed;
    /** Held by the pump while it takes stops: a gdb takes them instead while it is attached. */
    private final java.util.concurrent.locks.ReentrantLock stopQueue = new java.util.concurrent.locks.ReentrantLock();
    private volatile boolean gdbAttached;
    private SessionGdbServer gdbServer;

    /** Sends a session's notifications to the clients that may see them. */
    interface Notifier {
        void stopped(Session s, StoppedEvent e);

        void exited(Session s, ExitedEvent e);

        void checkpointCreated(Session s, TimelineEntry e);

        void checkpointDropped(Session s, CheckpointDropped e);
    }

    Session(int id, Debuggee debuggee, String program, String origin, String onDisconnect, Connection owner,
            Notifier notifier) {
        this.id = id;
        this.debuggee = debuggee;
        this.program = program;
        this.origin = origin;
        this.onDisconnect = onDisconnect;
        this.owner = owner;
        this.notifier = notifier;
        this.pump = new Thread(this::pumpStops, "rewind-rpc-session-" + id);
        pump.setDaemon(true);
    }

    void start() {
        pump.start();
    }

    int id() {
        return id;
    }

    Debuggee debuggee() {
        return debuggee;
    }

    String program() {
        return program;
    }

    String origin() {
        return origin;
    }

    String onDisconnect() {
        return onDisconnect;
    }

    /** The connection whose end ends this session, or null for a kept session. */
    Connection owner() {
        return owner;
    }

    boolean exited() {
        return exited;
    }

    void restarted() {
        // The restored process may have run to its end already (a restart resumes it), and the
        // pump may have seen that end before this call: ask the debuggee, do not assume.
        exited = debuggee.exit().isDone();
    }

    void rememberFunction(int breakpointId, String function) {
        if (function != null) {
            functionByBreakpoint.put(breakpointId, function);
        }
    }

    void forgetBreakpoint(int breakpointId) {
        functionByBreakpoint.remove(breakpointId);
    }

    Long knownSymbol(String name) {
        return symbols.get(name);
    }

    void rememberSymbol(String name, long address) {
        symbols.put(name, address);
    }

    String functionOf(int breakpointId) {
        return functionByBreakpoint.get(breakpointId);
    }

    /** The oldest stop not yet collected, waiting up to {@code timeout}. */
    Optional<StoppedEvent> nextStop(Duration timeout) throws InterruptedException {
        return Optional.ofNullable(pending.poll(timeout.toMillis(), TimeUnit.MILLISECONDS));
    }

    /** Stops the pump and any gdb listener; the debuggee itself is the caller's to kill or let go. */
    void close() {
        closed = true;
        pump.interrupt();
        SessionGdbServer g;
        synchronized (this) {
            g = gdbServer;
            gdbServer = null;
        }
        if (g != null) {
            g.close();
        }
    }

    /** This session's gdb listener, made by {@code make} on first use. */
    synchronized SessionGdbServer gdbServer(java.util.function.Supplier<SessionGdbServer> make) {
        if (closed) {
            throw new RpcException(dev.rewind.protocol.ErrorCodes.UNKNOWN_SESSION, "session " + id + " has ended");
        }
        if (gdbServer == null) {
            gdbServer = make.get();
        }
        return gdbServer;
    }

    /** Whether a gdb is connected: JSON-RPC run control must then leave the process alone. */
    boolean gdbAttached() {
        return gdbAttached;
    }

    /**
     * A gdb connects: from now on its stub, not the pump, takes the debuggee's stops. Returns
     * once the pump has let go of the queue; false when a gdb is attached already.
     */
    boolean gdbConnected() {
        synchronized (this) {
            if (gdbAttached) {
                return false;
            }
            gdbAttached = true;
        }
        stopQueue.lock();
        stopQueue.unlock();
        return true;
    }

    /** The gdb went: the pump takes stops again. Stops gdb saw are not reported to JSON-RPC clients. */
    void gdbDisconnected() {
        exited = debuggee.exit().isDone();
        gdbAttached = false;
    }

    boolean closed() {
        return closed;
    }

    /**
     * Announces checkpoints taken and dropped since the last call, judged against the timeline:
     * a checkpoint-on-hit breakpoint or the memory budget changes it without a request.
     */
    synchronized void syncTimeline(Long droppedOnRequest) {
        // Only the new checkpoints are measured for their announcement, not every snapshot.
        Set<Long> present = new HashSet<>();
        debuggee.crids().forEach(c -> present.add(c.value()));
        Set<Long> fresh = new HashSet<>(present);
        fresh.removeAll(announced);
        for (TimelineEntry e : debuggee.timeline(c -> fresh.contains(c.value()))) {
            if (announced.add(e.crid().value())) {
                notifier.checkpointCreated(this, e);
            }
        }
        for (Long gone : Set.copyOf(announced)) {
            if (!present.contains(gone)) {
                announced.remove(gone);
                String why = gone.equals(droppedOnRequest) ? CheckpointDropped.DROPPED : CheckpointDropped.BUDGET;
                notifier.checkpointDropped(this, new CheckpointDropped(id, gone, why));
            }
        }
    }

    StoppedEvent toProtocol(StopEvent e) {
        Crid crid = e.crid();
        return new StoppedEvent(id, e.reason().name().toLowerCase(java.util.Locale.ROOT), e.pid(), e.tid(), e.pc(),
                function(e), e.breakpointId(), crid == null ? null : crid.value(), e.exitCode(), e.signal());
    }

    /**
     * The name a breakpoint was set by, else the ELF symbol around the stop's pc
     * ({@code "function+0x12"}); null for an end, a pc no symbol table covers, or a process gone
     * meanwhile.
     */
    private String function(StopEvent e) {
        String byName = functionOf(e.breakpointId());
        if (byName != null || e.ended() || e.pc() == 0) {
            return byName;
        }
        try {
            return debuggee.describe(e.pc());
        } catch (RuntimeException ex) {
            return null;
        }
    }

    /**
     * While a gdb drives the session its stops do not come through here, but its checkpoints
     * (monitor checkpoint, checkpoint-on-hit breakpoints, the stops rw-back keeps) belong on the
     * clients' timelines too: announced within 100 ms.
     */
    private void announceGdbCheckpoints() {
        long changes = debuggee.timelineChanges();
        if (changes != announcedChanges) {
            try {
                syncTimeline(null);
                announcedChanges = changes;
            } catch (RuntimeException e) {
                // the process is being restarted or killed: tried again in 100 ms
            }
        }
    }

    private void pumpStops() {
        while (!closed) {
            Optional<StopEvent> next = Optional.empty();
            stopQueue.lock();
            try {
                if (!gdbAttached) {
                    next = debuggee.awaitStop(Duration.ofMillis(200));
                }
            } finally {
                stopQueue.unlock();
            }
            if (next.isEmpty()) {
                if (gdbAttached) {
                    announceGdbCheckpoints();
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return; // closing
                    }
                }
                continue;
            }
            StopEvent e = next.get();
            StoppedEvent event = toProtocol(e);
            if (e.ended()) {
                exited = true;
            }
            if (pending.size() >= MAX_PENDING_STOPS) {
                pending.pollFirst();
            }
            pending.addLast(event);
            try {
                if (e.crid() != null) {
                    syncTimeline(null);
                }
                if (e.ended()) {
                    notifier.exited(this, new ExitedEvent(id, e.pid(), e.exitCode(), e.signal()));
                } else {
                    notifier.stopped(this, event);
                }
            } catch (RuntimeException ex) {
                // a client gone or a timeline read racing a kill: the next stop is still reported
            }
        }
    }
}

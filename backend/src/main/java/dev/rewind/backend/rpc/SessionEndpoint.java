package dev.rewind.backend.rpc;

import dev.rewind.backend.checkpoint.Crid;
import dev.rewind.backend.checkpoint.Debuggee;
import dev.rewind.backend.checkpoint.DebuggeeExitedException;
import dev.rewind.backend.checkpoint.StopEvent;
import dev.rewind.backend.checkpoint.StopReason;
import dev.rewind.backend.gdb.GdbScriptFile;
import dev.rewind.backend.trace.LaunchRequest;
import dev.rewind.protocol.ErrorCodes;
import dev.rewind.protocol.session.AttachParams;
import dev.rewind.protocol.session.GdbServerInfo;
import dev.rewind.protocol.session.InputParams;
import dev.rewind.protocol.session.LaunchParams;
import dev.rewind.protocol.session.ListSessionsParams;
import dev.rewind.protocol.session.OutputEvent;
import dev.rewind.protocol.session.ProcessInfo;
import dev.rewind.protocol.session.ProcessTree;
import dev.rewind.protocol.session.SessionInfo;
import dev.rewind.protocol.session.SessionList;
import dev.rewind.protocol.session.SessionParams;
import dev.rewind.protocol.session.SessionService;
import dev.rewind.protocol.session.SessionStarted;
import dev.rewind.protocol.session.SessionStates;
import dev.rewind.protocol.session.StepParams;
import dev.rewind.protocol.session.StoppedEvent;
import dev.rewind.protocol.session.WaitParams;
import dev.rewind.protocol.session.WaitResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** {@code session/*} for one connection. Stateless beyond the connection it serves. */
final class SessionEndpoint implements SessionService {
    /** The longest one {@code session/wait} blocks; clients loop for longer waits. */
    private static final long MAX_WAIT_MS = 10 * 60 * 1000;

    private final Connection connection;

    SessionEndpoint(Connection connection) {
        this.connection = connection;
    }

    private RpcBackend backend() {
        return connection.backend();
    }

    @Override
    public CompletableFuture<SessionStarted> launch(LaunchParams p) {
        return connection.call(() -> {
            Params.require(p != null && p.program() != null && !p.program().isBlank(), "program is required");
            String onDisconnect = Params.oneOf("onDisconnect", p.onDisconnect(), LaunchParams.KILL,
                    LaunchParams.KILL, LaunchParams.KEEP);
            List<String> stdio = Arrays.asList(stdio("stdin", p.stdin(), p.cwd()), stdio("stdout", p.stdout(), p.cwd()),
                    stdio("stderr", p.stderr(), p.cwd()));
            LaunchRequest request = new LaunchRequest(p.program(), p.args() == null ? List.of() : p.args(), p.cwd(),
                    p.env(), stdio, p.pidNamespace());
            Debuggee d;
            try {
                // Held at entry whatever the client asked, so that the output listeners are in
                // place before the program's first write; resumed below unless stopAtEntry.
                d = backend().engine().launch(request, true);
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new RpcException(ErrorCodes.LAUNCH_FAILED, "cannot launch " + p.program() + ": " + e.getMessage());
            }
            if (!p.stopAtEntry()) {
                // The engine queued an "entry" stop the client did not ask for.
                Optional<StopEvent> entry = d.awaitStop(Duration.ZERO);
                if (entry.isEmpty() || entry.get().reason() != StopReason.ENTRY) {
                    backend().engine().release(d);
                    throw new RpcException(ErrorCodes.LAUNCH_FAILED, "cannot launch " + p.program()
                            + ": it did not stop at its entry point (" + entry.map(StopEvent::reason).orElse(null) + ")");
                }
            }
            Session s = open(connection, d, p.program(), "launched", onDisconnect);
            if (!p.stopAtEntry()) {
                d.resume();
            }
            return new SessionStarted(s.id(), d.pid());
        });
    }

    /** Registers a session for {@code d}, a program this connection started, with its output forwarded as notifications. */
    static Session open(Connection connection, Debuggee d, String program, String how, String onDisconnect) {
        RpcBackend backend = connection.backend();
        Session s = backend.add(d, program, how, onDisconnect, connection);
        d.stdout().addListener(text -> {
            if (!s.closed()) {
                backend.output(s, OutputEvent.STDOUT, text);
            }
        });
        d.stderr().addListener(text -> {
            if (!s.closed()) {
                backend.output(s, OutputEvent.STDERR, text);
            }
        });
        return s;
    }

    /** A stdio field as the engine takes it: null for /dev/null, "pipe", or an absolute path. */
    static String stdio(String field, String value, String cwd) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (value.equals(LaunchParams.PIPE)) {
            return LaunchRequest.PIPE;
        }
        // The backend's own stdio may carry the protocol: a debuggee never gets it.
        Params.require(!value.equals(LaunchRequest.INHERIT), field + ": \"inherit\" is not offered; use \"pipe\" or a file");
        Path path = Path.of(value);
        if (!path.isAbsolute() && cwd != null) {
            path = Path.of(cwd).resolve(path);
        }
        return path.toAbsolutePath().toString();
    }

    @Override
    public CompletableFuture<SessionStarted> attach(AttachParams p) {
        return connection.call(() -> {
            Params.require(p != null && p.pid() > 0, "pid is required");
            String onDisconnect = Params.oneOf("onDisconnect", p.onDisconnect(), LaunchParams.DETACH,
                    LaunchParams.DETACH, LaunchParams.KILL, LaunchParams.KEEP);
            Debuggee d;
            try {
                d = backend().engine().attach(p.pid());
            } catch (IllegalArgumentException e) {
                throw new RpcException(ErrorCodes.UNKNOWN_PROCESS, "cannot attach to " + p.pid() + ": " + e.getMessage());
            }
            Session s = backend().add(d, d.executable(), "attached", onDisconnect, connection);
            return new SessionStarted(s.id(), d.pid());
        });
    }

    @Override
    public CompletableFuture<Void> kill(SessionParams p) {
        return connection.call(() -> {
            Session s = session(p == null ? 0 : p.sessionId());
            backend().end(s, LaunchParams.KILL);
            return null;
        });
    }

    @Override
    public CompletableFuture<SessionList> list(ListSessionsParams p) {
        return connection.call(() -> {
            List<SessionInfo> out = new ArrayList<>();
            for (Session s : backend().visibleTo(connection)) {
                Debuggee d = s.debuggee();
                try {
                    out.add(new SessionInfo(s.id(), d.pid(), s.program(), state(s), s.origin(), s.onDisconnect(),
                            Convert.value(d.current()), d.crids().size()));
                } catch (RuntimeException e) {
                    // killed while we listed it: leave it out
                }
            }
            return new SessionList(out);
        });
    }

    static String state(Session s) {
        if (s.exited()) {
            return SessionStates.EXITED;
        }
        return s.debuggee().isStopped() ? SessionStates.STOPPED : SessionStates.RUNNING;
    }

    @Override
    public CompletableFuture<ProcessTree> tree(SessionParams p) {
        return connection.call(() -> {
            Session s = session(p == null ? 0 : p.sessionId());
            Debuggee d = s.debuggee();
            List<ProcessInfo> out = new ArrayList<>();
            if (!s.exited()) {
                try {
                    // The live tree: the root, then every traced descendant, parents before children.
                    for (dev.rewind.backend.checkpoint.ProcessInfo x : d.tree()) {
                        out.add(new ProcessInfo(x.pid(), ProcessInfo.LIVE, null, x.threads(), x.ppid(), x.pgid(), x.sid(),
                                x.exe(), x.state()));
                    }
                } catch (DebuggeeExitedException e) {
                    // ended while we looked: only its snapshots are left
                }
            }
            for (Crid crid : d.crids()) {
                out.add(ProcessInfo.snapshot(d.snapshotPid(crid), crid.value()));
            }
            return new ProcessTree(s.id(), out);
        });
    }

    @Override
    public CompletableFuture<Void> resume(SessionParams p) {
        return connection.call(() -> {
            Session s = live(p == null ? 0 : p.sessionId());
            notUnderGdb(s, "session/resume");
            s.debuggee().resume();
            return null;
        });
    }

    @Override
    public CompletableFuture<StoppedEvent> pause(SessionParams p) {
        return connection.call(() -> {
            Session s = live(p == null ? 0 : p.sessionId());
            notUnderGdb(s, "session/pause");
            return s.toProtocol(s.debuggee().pause());
        });
    }

    @Override
    public CompletableFuture<StoppedEvent> step(StepParams p) {
        return connection.call(() -> {
            Session s = live(p == null ? 0 : p.sessionId());
            notUnderGdb(s, "session/step");
            Debuggee d = s.debuggee();
            if (!d.isStopped()) {
                throw new RpcException(ErrorCodes.NOT_STOPPED, "session " + s.id() + " is running: session/pause first");
            }
            int tid = p.tid() == 0 ? d.pid() : p.tid();
            if (!d.threadIds().contains(tid)) {
                throw new RpcException(ErrorCodes.UNKNOWN_PROCESS, "no thread " + tid + " in session " + s.id()
                        + "; threads: " + d.threadIds());
            }
            StopEvent e = d.step(tid, 0);
            return s.toProtocol(e);
        });
    }

    @Override
    public CompletableFuture<WaitResult> waitForStop(WaitParams p) {
        return connection.callWaiting(() -> {
            Session s = session(p == null ? 0 : p.sessionId());
            long ms = Math.max(0, Math.min(p.timeoutMs(), MAX_WAIT_MS));
            try {
                Optional<StoppedEvent> e = s.nextStop(Duration.ofMillis(ms));
                return e.map(x -> new WaitResult(false, x)).orElseGet(() -> new WaitResult(true, null));
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new RpcException(ErrorCodes.INVALID_REQUEST, "the connection is closing");
            }
        });
    }

    @Override
    public CompletableFuture<Void> input(InputParams p) {
        return connection.call(() -> {
            Session s = session(p == null ? 0 : p.sessionId());
            Params.require(p.text() != null, "text is required");
            try {
                s.debuggee().writeStdin(p.text().getBytes(StandardCharsets.UTF_8));
            } catch (IllegalStateException e) {
                throw new RpcException(ErrorCodes.INVALID_PARAMS, "session " + s.id()
                        + " was not launched with stdin \"pipe\"");
            }
            return null;
        });
    }

    @Override
    public CompletableFuture<GdbServerInfo> gdbserver(SessionParams p) {
        return connection.call(() -> {
            Session s = session(p == null ? 0 : p.sessionId());
            SessionGdbServer g = s.gdbServer(() -> SessionGdbServer.open(s, System.err));
            String path = g.socket().toString();
            // A Unix domain socket: "host" is its path and there is no port.
            String script;
            try {
                script = GdbScriptFile.path().toString();
            } catch (java.io.IOException e) {
                script = null; // no writable cache directory: the rw-* commands are then unavailable
            }
            return new GdbServerInfo(s.id(), path, 0, "target extended-remote " + path, script);
        });
    }

    private Session session(int id) {
        Session s = backend().session(id);
        if (s.owner() != null && s.owner() != connection) {
            throw new RpcException(ErrorCodes.UNKNOWN_SESSION, "session " + id + " belongs to another client");
        }
        return s;
    }

    /** Refuses run control while a gdb is attached: it would change the process behind gdb's back. */
    static void notUnderGdb(Session s, String what) {
        if (s.gdbAttached()) {
            throw new RpcException(ErrorCodes.GDB_ATTACHED, "session " + s.id() + " has a gdb attached: " + what
                    + " would change the process behind its back; restart through gdb ('run c<CRID>') or detach it");
        }
    }

    /** A session whose live process still runs (or is stopped); not one that exited. */
    Session live(int id) {
        Session s = session(id);
        if (s.exited()) {
            throw new RpcException(ErrorCodes.PROCESS_EXITED, "session " + id
                    + " has exited: checkpoint/restart it from a checkpoint, or session/kill it");
        }
        return s;
    }

    /** For the other segments: the session, checked for this connection. */
    static Session sessionFor(Connection c, int id) {
        return ((SessionEndpoint) c.session()).session(id);
    }

    /** For the other segments: the session, which must not have exited. */
    static Session liveFor(Connection c, int id) {
        return ((SessionEndpoint) c.session()).live(id);
    }
}

package dev.rewind.backend.rpc;

import dev.rewind.backend.checkpoint.Debuggee;
import dev.rewind.backend.checkpoint.Engine;
import dev.rewind.backend.checkpoint.TimelineEntry;
import dev.rewind.protocol.ErrorCodes;
import dev.rewind.protocol.RewindClient;
import dev.rewind.protocol.checkpoint.CheckpointDropped;
import dev.rewind.protocol.session.ExitedEvent;
import dev.rewind.protocol.session.LaunchParams;
import dev.rewind.protocol.session.StoppedEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What all connections of one server share: the engine, the sessions and the connected clients.
 * A session belongs to the connection that started it, or to nobody when kept; notifications go
 * to its owner, or to every client for a kept session. Thread-safe.
 */
public final class RpcBackend implements AutoCloseable, Session.Notifier {
    private static final Logger LOG = Logger.getLogger(RpcBackend.class.getName());

    private final Engine engine;
    private final AtomicInteger sessionIds = new AtomicInteger();
    private final Map<Integer, Session> sessions = new ConcurrentHashMap<>();
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();

    private final String serverVersion;

    /** @param serverVersion the build version {@code initialize} reports */
    public RpcBackend(Engine engine, String serverVersion) {
        this.engine = engine;
        this.serverVersion = serverVersion;
    }

    String serverVersion() {
        return serverVersion;
    }

    Engine engine() {
        return engine;
    }

    void connected(Connection c) {
        connections.add(c);
    }

    /** Ends the sessions {@code c} owns as each one's onDisconnect says, and forgets {@code c}. */
    void disconnected(Connection c) {
        connections.remove(c);
        endSessionsOf(c);
    }

    void endSessionsOf(Connection c) {
        for (Session s : List.copyOf(sessions.values())) {
            if (s.owner() == c) {
                end(s, s.onDisconnect());
            }
        }
    }

    Session add(Debuggee d, String program, String origin, String onDisconnect, Connection owner) {
        int id = sessionIds.incrementAndGet();
        Session s = new Session(id, d, program, origin, onDisconnect,
                LaunchParams.KEEP.equals(onDisconnect) ? null : owner, this);
        sessions.put(id, s);
        s.start();
        return s;
    }

    Session session(int id) {
        Session s = sessions.get(id);
        if (s == null) {
            throw new RpcException(ErrorCodes.UNKNOWN_SESSION, "no session " + id
                    + " (never started, killed, or ended with the client that started it); see session/list");
        }
        return s;
    }

    /** The sessions {@code c} may use: its own and the kept ones. */
    List<Session> visibleTo(Connection c) {
        List<Session> out = new ArrayList<>();
        for (Session s : sessions.values()) {
            if (s.owner() == null || s.owner() == c) {
                out.add(s);
            }
        }
        out.sort((a, b) -> Integer.compare(a.id(), b.id()));
        return out;
    }

    /**
     * Ends a session and makes the engine forget its debuggee. {@code "detach"} drops its
     * checkpoints and breakpoints and detaches from the process, which runs on untraced (a
     * launched process cannot be detached: it is killed); anything else kills the live tree and
     * every snapshot.
     */
    void end(Session s, String how) {
        if (sessions.remove(s.id()) == null) {
            return;
        }
        s.close();
        Debuggee d = s.debuggee();
        try {
            if (!LaunchParams.DETACH.equals(how)) {
                d.kill();
            }
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "killing session " + s.id(), e);
        } finally {
            try {
                // Detaches an attached process still there; frees what kill left; forgets d.
                engine.release(d);
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "releasing session " + s.id(), e);
            }
        }
    }

    private void send(Session s, Consumer<RewindClient> message) {
        for (Connection c : connections) {
            if (s.owner() == null || s.owner() == c) {
                c.notify(message);
            }
        }
    }

    @Override
    public void stopped(Session s, StoppedEvent e) {
        send(s, client -> client.stopped(e));
    }

    @Override
    public void exited(Session s, ExitedEvent e) {
        send(s, client -> client.exited(e));
    }

    @Override
    public void checkpointCreated(Session s, TimelineEntry e) {
        send(s, client -> client.checkpointCreated(Convert.checkpoint(s.id(), e)));
    }

    @Override
    public void checkpointDropped(Session s, CheckpointDropped e) {
        send(s, client -> client.checkpointDropped(e));
    }

    void output(Session s, String stream, String text) {
        send(s, client -> client.output(new dev.rewind.protocol.session.OutputEvent(s.id(), stream, text)));
    }

    /** Kills every session and closes the engine. */
    @Override
    public void close() {
        for (Session s : List.copyOf(sessions.values())) {
            s.close();
        }
        sessions.clear();
        engine.close();
    }
}

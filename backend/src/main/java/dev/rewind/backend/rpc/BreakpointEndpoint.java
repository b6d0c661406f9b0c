package dev.rewind.backend.rpc;

import dev.rewind.backend.checkpoint.Breakpoint;
import dev.rewind.backend.checkpoint.Debuggee;
import dev.rewind.protocol.ErrorCodes;
import dev.rewind.protocol.breakpoint.BreakpointInfo;
import dev.rewind.protocol.breakpoint.BreakpointList;
import dev.rewind.protocol.breakpoint.BreakpointParams;
import dev.rewind.protocol.breakpoint.BreakpointService;
import dev.rewind.protocol.breakpoint.SetBreakpointParams;
import dev.rewind.protocol.session.SessionParams;
import java.util.concurrent.CompletableFuture;

/** {@code breakpoint/*} for one connection. Stateless beyond the connection it serves. */
final class BreakpointEndpoint implements BreakpointService {
    private final Connection connection;

    BreakpointEndpoint(Connection connection) {
        this.connection = connection;
    }

    @Override
    public CompletableFuture<BreakpointInfo> set(SetBreakpointParams p) {
        return connection.call(() -> {
            Session s = SessionEndpoint.liveFor(connection, p == null ? 0 : p.sessionId());
            Params.require((p.function() == null) != (p.address() == null), "give function or address, not both");
            Debuggee d = s.debuggee();
            long address;
            if (p.function() != null) {
                address = Symbols.address(s, p.function());
            } else {
                address = p.address();
            }
            Breakpoint b = d.setBreakpoint(address, p.checkpoint());
            s.rememberFunction(b.id(), p.function());
            return info(s, b);
        });
    }

    @Override
    public CompletableFuture<Void> remove(BreakpointParams p) {
        return connection.call(() -> {
            Session s = SessionEndpoint.sessionFor(connection, p == null ? 0 : p.sessionId());
            Debuggee d = s.debuggee();
            if (d.breakpoints().stream().noneMatch(b -> b.id() == p.breakpointId())) {
                throw new RpcException(ErrorCodes.UNKNOWN_BREAKPOINT, "no breakpoint " + p.breakpointId()
                        + " in session " + s.id() + "; see breakpoint/list");
            }
            d.removeBreakpoint(p.breakpointId());
            s.forgetBreakpoint(p.breakpointId());
            return null;
        });
    }

    @Override
    public CompletableFuture<BreakpointList> list(SessionParams p) {
        return connection.call(() -> {
            Session s = SessionEndpoint.sessionFor(connection, p == null ? 0 : p.sessionId());
            return new BreakpointList(s.id(), s.debuggee().breakpoints().stream().map(b -> info(s, b)).toList());
        });
    }

    private static BreakpointInfo info(Session s, Breakpoint b) {
        return new BreakpointInfo(b.id(), b.address(), s.functionOf(b.id()), b.checkpointOnHit());
    }
}

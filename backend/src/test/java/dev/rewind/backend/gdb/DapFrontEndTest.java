package dev.rewind.backend.gdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.lsp4j.debug.ConfigurationDoneArguments;
import org.eclipse.lsp4j.debug.ContinueArguments;
import org.eclipse.lsp4j.debug.DisconnectArguments;
import org.eclipse.lsp4j.debug.EvaluateArguments;
import org.eclipse.lsp4j.debug.InitializeRequestArguments;
import org.eclipse.lsp4j.debug.NextArguments;
import org.eclipse.lsp4j.debug.OutputEventArguments;
import org.eclipse.lsp4j.debug.ScopesArguments;
import org.eclipse.lsp4j.debug.SetBreakpointsArguments;
import org.eclipse.lsp4j.debug.Source;
import org.eclipse.lsp4j.debug.SourceBreakpoint;
import org.eclipse.lsp4j.debug.StackFrame;
import org.eclipse.lsp4j.debug.StackTraceArguments;
import org.eclipse.lsp4j.debug.StoppedEventArguments;
import org.eclipse.lsp4j.debug.Variable;
import org.eclipse.lsp4j.debug.VariablesArguments;
import org.eclipse.lsp4j.debug.launch.DSPLauncher;
import org.eclipse.lsp4j.debug.services.IDebugProtocolClient;
import org.eclipse.lsp4j.debug.services.IDebugProtocolServer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Debug Adapter Protocol front end on Rewind's gdbserver: cdt-gdb-adapter (the adapter of
 * Eclipse CDT Cloud, used by VS Code's "CDT GDB Debug Adapter" extension and by Theia), run
 * with node and driven here as an editor would drive it. It starts real gdb, which connects to
 * {@code rewind gdbserver --socket}. Breakpoint, stack, locals, a checkpoint and a restart from
 * the debug console, a step. build.sh installs the adapter from npm; without it (or node) the
 * test is skipped, saying so.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class DapFrontEndTest {
    private static final long WAIT = 30;

    @TempDir
    Path dir;

    private final BlockingQueue<StoppedEventArguments> stops = new LinkedBlockingQueue<>();
    private final StringBuffer console = new StringBuffer();
    private final CompletableFuture<Void> initialized = new CompletableFuture<>();

    @Test
    void cdtGdbAdapterStopsStepsShowsLocalsAndRestartsFromACheckpoint() throws Exception {
        Path adapter = Path.of(System.getProperty("rewind.dapAdapter", "missing"));
        Assumptions.assumeTrue(Files.isRegularFile(adapter), "cdt-gdb-adapter is not installed at " + adapter
                + " (build.sh installs it from npm)");
        Assumptions.assumeTrue(onPath("node"), "node is not installed");
        GdbHarness.assumeGdb();
        Path socket = dir.resolve("gdb.sock");
        Process server = GdbHarness.serveOnSocket(socket, "gdb-loop", dir.resolve("server.log"));
        Process node = new ProcessBuilder("node", adapter.toString()).redirectError(dir.resolve("adapter.log").toFile()).start();
        try {
            drive(connect(node), socket);
            assertTrue(server.waitFor(30, TimeUnit.SECONDS), "the gdbserver ends with the session");
        } finally {
            node.destroyForcibly();
            server.destroyForcibly();
        }
    }

    private IDebugProtocolServer connect(Process node) {
        var launcher = DSPLauncher.createClientLauncher(new Client(), node.getInputStream(), node.getOutputStream());
        launcher.startListening();
        return launcher.getRemoteProxy();
    }

    private void drive(IDebugProtocolServer dap, Path socket) throws Exception {
        InitializeRequestArguments init = new InitializeRequestArguments();
        init.setAdapterID("cdt-gdb-adapter");
        init.setLinesStartAt1(true);
        init.setColumnsStartAt1(true);
        init.setPathFormat("path");
        dap.initialize(init).get(WAIT, TimeUnit.SECONDS);
        Path script = GdbHarness.script(dir);
        CompletableFuture<Void> attached = dap.attach(Map.of("gdb", "gdb", "program", GdbHarness.program("gdb-loop").toString(),
                "initCommands", List.of("source " + script),
                "target", Map.of("type", "extended-remote", "parameters", List.of(socket.toString()))));
        initialized.get(WAIT, TimeUnit.SECONDS);
        SetBreakpointsArguments bp = new SetBreakpointsArguments();
        Source source = new Source();
        source.setPath(Path.of("src/test/c/gdb-loop.c").toAbsolutePath().toString());
        bp.setSource(source);
        SourceBreakpoint line = new SourceBreakpoint();
        line.setLine(12);
        bp.setBreakpoints(new SourceBreakpoint[] {line});
        dap.setBreakpoints(bp).get(WAIT, TimeUnit.SECONDS);
        dap.configurationDone(new ConfigurationDoneArguments()).get(WAIT, TimeUnit.SECONDS);
        attached.get(WAIT, TimeUnit.SECONDS);

        // The adapter lets an attached target run; it stops at the breakpoint.
        StoppedEventArguments stop = nextStop();
        assertEquals("breakpoint", stop.getReason());
        int thread = stop.getThreadId();
        StackFrame top = top(dap, thread);
        assertEquals("step", top.getName());
        assertEquals(12, top.getLine());
        assertEquals("1", local(dap, top, "i"));

        int mark = console.length();
        evaluate(dap, top, "> monitor checkpoint first-hit");
        String crid = awaitConsole(mark, Pattern.compile("checkpoint (\\d+) \\(first-hit\\)"));

        ContinueArguments c = new ContinueArguments();
        c.setThreadId(thread);
        dap.continue_(c).get(WAIT, TimeUnit.SECONDS);
        stop = nextStop();
        top = top(dap, thread);
        assertEquals("2", local(dap, top, "i"));

        // Back to the checkpoint through gdb (run c<CRID>): the adapter sees the program stop there.
        evaluate(dap, top, "> rw-restart " + crid);
        stop = nextStop();
        thread = stop.getThreadId();
        top = top(dap, thread);
        assertEquals(12, top.getLine());
        assertEquals("1", local(dap, top, "i"), "the value at the checkpoint");

        NextArguments next = new NextArguments();
        next.setThreadId(thread);
        dap.next(next).get(WAIT, TimeUnit.SECONDS);
        assertEquals("step", nextStop().getReason());
        assertEquals(13, top(dap, thread).getLine());

        DisconnectArguments bye = new DisconnectArguments();
        bye.setTerminateDebuggee(true);
        dap.disconnect(bye).get(WAIT, TimeUnit.SECONDS);
    }

    private StoppedEventArguments nextStop() throws InterruptedException {
        StoppedEventArguments s = stops.poll(WAIT, TimeUnit.SECONDS);
        assertTrue(s != null, "no stop; the debug console said:\n" + console);
        return s;
    }

    private static StackFrame top(IDebugProtocolServer dap, int thread) throws Exception {
        StackTraceArguments a = new StackTraceArguments();
        a.setThreadId(thread);
        a.setLevels(5);
        return dap.stackTrace(a).get(WAIT, TimeUnit.SECONDS).getStackFrames()[0];
    }

    private static String local(IDebugProtocolServer dap, StackFrame frame, String name) throws Exception {
        ScopesArguments s = new ScopesArguments();
        s.setFrameId(frame.getId());
        int locals = dap.scopes(s).get(WAIT, TimeUnit.SECONDS).getScopes()[0].getVariablesReference();
        VariablesArguments v = new VariablesArguments();
        v.setVariablesReference(locals);
        for (Variable x : dap.variables(v).get(WAIT, TimeUnit.SECONDS).getVariables()) {
            if (x.getName().equals(name)) {
                return x.getValue();
            }
        }
        throw new AssertionError("no local " + name + " in " + frame.getName());
    }

    /** A command typed into the debug console: the adapter hands lines starting with '>' to gdb's CLI. */
    private static void evaluate(IDebugProtocolServer dap, StackFrame frame, String command) throws Exception {
        EvaluateArguments e = new EvaluateArguments();
        e.setExpression(command);
        e.setContext("repl");
        e.setFrameId(frame.getId());
        dap.evaluate(e).get(WAIT, TimeUnit.SECONDS);
    }

    private String awaitConsole(int from, Pattern p) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            Matcher m = p.matcher(console.substring(from));
            if (m.find()) {
                return m.group(1);
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the debug console never showed " + p + ":\n" + console);
    }

    private static boolean onPath(String tool) {
        try {
            return new ProcessBuilder(tool, "--version").redirectErrorStream(true).start().waitFor() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    /** The editor side: the adapter's events. */
    private final class Client implements IDebugProtocolClient {
        @Override
        public void initialized() {
            initialized.complete(null);
        }

        @Override
        public void stopped(StoppedEventArguments args) {
            stops.add(args);
        }

        @Override
        public void output(OutputEventArguments args) {
            console.append(args.getOutput());
        }
    }
}

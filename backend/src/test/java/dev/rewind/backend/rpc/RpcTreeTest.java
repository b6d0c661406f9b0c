package dev.rewind.backend.rpc;

import static dev.rewind.backend.rpc.Rpc.errorCode;
import static dev.rewind.backend.rpc.Rpc.get;
import static dev.rewind.backend.rpc.RpcStdioTest.waitStop;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.protocol.ErrorCodes;
import dev.rewind.protocol.RewindServer;
import dev.rewind.protocol.breakpoint.BreakpointInfo;
import dev.rewind.protocol.breakpoint.SetBreakpointParams;
import dev.rewind.protocol.checkpoint.CheckpointInfo;
import dev.rewind.protocol.checkpoint.CreateCheckpointParams;
import dev.rewind.protocol.memory.ReadMemoryParams;
import dev.rewind.protocol.session.AttachParams;
import dev.rewind.protocol.session.InputParams;
import dev.rewind.protocol.session.LaunchParams;
import dev.rewind.protocol.session.ProcessInfo;
import dev.rewind.protocol.session.ProcessTree;
import dev.rewind.protocol.session.SessionParams;
import dev.rewind.protocol.session.SessionStarted;
import dev.rewind.protocol.session.StepParams;
import dev.rewind.protocol.session.StopReasons;
import dev.rewind.protocol.session.StoppedEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Process trees, symbolised stops and detaching, against a real {@code rewind serve --stdio}. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class RpcTreeTest {
    private static final Pattern READY = Pattern.compile("ready (\\d+) (\\d+) (\\d+)\\n");

    private static String testProgram(String name) {
        return Path.of(System.getProperty("rewind.testBin", "target/test-bin"), name).toAbsolutePath().toString();
    }

    @Test
    void treeListsForkedChildrenAndCheckpointsCoverThem() throws Exception {
        try (ServerProcess p = ServerProcess.start("--stdio"); ServerProcess.Client c = p.client().initialized()) {
            RewindServer s = c.server();
            SessionStarted started = get(s.session().launch(new LaunchParams(testProgram("tree"), null, null, null,
                    "pipe", "pipe", null, false, null)));
            int sid = started.sessionId();
            int root = started.pid();
            Matcher ready = READY.matcher(c.notes().awaitStdout(0, "\n"));
            assertTrue(ready.find(), "tree did not say ready");
            Set<Integer> workers = Set.of(Integer.parseInt(ready.group(1)), Integer.parseInt(ready.group(2)),
                    Integer.parseInt(ready.group(3)));

            ProcessTree tree = get(s.session().tree(new SessionParams(sid)));
            assertEquals(sid, tree.sessionId());
            List<ProcessInfo> live = tree.processes();
            assertEquals(4, live.size(), "root and three workers: " + live);
            assertEquals(root, live.get(0).pid(), "the root comes first");
            assertEquals(workers, Set.copyOf(live.subList(1, 4).stream().map(ProcessInfo::pid).toList()));
            for (ProcessInfo x : live) {
                assertEquals(ProcessInfo.LIVE, x.role());
                assertNull(x.crid());
                assertTrue(x.threads().contains(x.pid()), "threads of " + x.pid() + ": " + x.threads());
            }
            for (ProcessInfo x : live.subList(1, 4)) {
                assertEquals(root, x.ppid(), "parent of worker " + x.pid());
                assertEquals(root, ppid(x.pid()), "the kernel agrees");
            }

            // A pause reports where the root waits (its read in libc) by symbol.
            StoppedEvent paused = get(s.session().pause(new SessionParams(sid)));
            assertEquals(StopReasons.PAUSED, paused.reason());
            assertNotNull(paused.function(), "no function for pc 0x" + Long.toHexString(paused.pc()));
            assertEquals(paused.function(), waitStop(s, sid).function());

            CheckpointInfo cp = get(s.checkpoint().create(new CreateCheckpointParams(sid, "four")));
            assertEquals(4, cp.processes().size(), "the checkpoint covers the tree: " + cp.processes());
            assertEquals(root, cp.processes().get(0));
            ProcessTree after = get(s.session().tree(new SessionParams(sid)));
            assertEquals(List.of(ProcessInfo.LIVE, ProcessInfo.LIVE, ProcessInfo.LIVE, ProcessInfo.LIVE,
                    ProcessInfo.SNAPSHOT), after.processes().stream().map(ProcessInfo::role).toList());
            assertEquals(cp.crid(), after.processes().get(4).crid());

            // Restarting a tree reports its progress: one process after the other comes back.
            get(s.checkpoint().restart(new dev.rewind.protocol.checkpoint.CridParams(sid, cp.crid())));
            dev.rewind.protocol.ProgressParams first = RecordingClient.next(c.notes().progress);
            assertEquals("begin", first.kind());
            dev.rewind.protocol.ProgressParams last = first;
            while (!"end".equals(last.kind())) {
                last = RecordingClient.next(c.notes().progress);
                assertEquals(first.token(), last.token());
            }
            assertEquals(100, last.percentage());
            get(s.session().pause(new SessionParams(sid)));
            waitStop(s, sid);

            // A worker's memory is not readable through the session; the error says why.
            int worker = workers.iterator().next();
            assertEquals(ErrorCodes.UNKNOWN_PROCESS,
                    errorCode(s.memory().read(new ReadMemoryParams(sid, worker, 4096L, null, 8, null))));

            get(s.session().resume(new SessionParams(sid)));
            int mark = c.notes().stdoutLength();
            get(s.session().input(new InputParams(sid, "aq")));
            c.notes().awaitStdout(mark, "workers 1:10 1:11 1:12");
            assertEquals(StopReasons.EXITED, waitStop(s, sid).reason());
            ProcessTree ended = get(s.session().tree(new SessionParams(sid)));
            assertEquals(List.of(ProcessInfo.SNAPSHOT), ended.processes().stream().map(ProcessInfo::role).toList());

            get(s.session().kill(new SessionParams(sid)));
            get(s.shutdown());
            s.exit();
            assertEquals(0, p.awaitExit());
        }
    }

    @Test
    void stopsByAddressAndStepsAreNamedBySymbol() throws Exception {
        try (ServerProcess p = ServerProcess.start("--stdio"); ServerProcess.Client c = p.client().initialized()) {
            RewindServer s = c.server();
            int sid = get(s.session().launch(new LaunchParams(Examples.program("counter"), List.of("5"), null, null,
                    null, null, null, true, null))).sessionId();
            assertEquals(StopReasons.ENTRY, waitStop(s, sid).reason());
            assertEquals(StopReasons.ENTRY, RecordingClient.next(c.notes().stopped).reason());

            long tick = get(s.memory().read(new ReadMemoryParams(sid, 0, null, "tick", 1, null))).address();
            BreakpointInfo bp = get(s.breakpoint().set(new SetBreakpointParams(sid, null, tick, false)));
            assertNull(bp.function());
            get(s.session().resume(new SessionParams(sid)));
            StoppedEvent hit = waitStop(s, sid);
            assertEquals(StopReasons.BREAKPOINT, hit.reason());
            assertEquals(tick, hit.pc());
            assertEquals("tick", hit.function());
            assertEquals("tick", RecordingClient.next(c.notes().stopped).function(), "session/stopped names it too");

            StoppedEvent step = get(s.session().step(new StepParams(sid, 0)));
            assertEquals(StopReasons.STEP, step.reason());
            assertTrue(step.function() != null && step.function().startsWith("tick+0x"),
                    "one instruction into tick: " + step.function());

            get(s.session().kill(new SessionParams(sid)));
            get(s.shutdown());
            s.exit();
            assertEquals(0, p.awaitExit());
        }
    }

    @Test
    void detachLetsAnAttachedProcessRunOnUntraced() throws Exception {
        Process target = new ProcessBuilder(testProgram("tree")).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            InputStream out = target.getInputStream();
            OutputStream in = target.getOutputStream();
            assertTrue(readLine(out).startsWith("ready "));
            int pid = (int) target.pid();
            try (ServerProcess p = ServerProcess.start("--stdio"); ServerProcess.Client c = p.client().initialized()) {
                RewindServer s = c.server();
                int sid = get(s.session().attach(new AttachParams(pid, null))).sessionId();
                assertNotEquals(0, tracerOf(pid), "attached: traced");
                // A breakpoint the program hits on its next step, and a checkpoint (snapshots).
                get(s.breakpoint().set(new SetBreakpointParams(sid, "write", null, true)));
                get(s.checkpoint().create(new CreateCheckpointParams(sid, "attached")));

                // Shutdown ends the session as onDisconnect says: "detach", the default for attach.
                // The backend still runs: only a real detach leaves the process untraced.
                get(s.shutdown());
                assertEquals(0, tracerOf(pid), "still traced after the session ended");
                assertTrue(target.isAlive());
                s.exit();
                assertEquals(0, p.awaitExit());
            }
            // Running, and without our int3 in write: it answers a step and ends normally.
            in.write('a');
            in.flush();
            assertEquals("step 1 sum 15", readLine(out));
            in.write('q');
            in.flush();
            assertEquals("workers 1:10 1:11 1:12", readLine(out));
            assertTrue(target.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, target.exitValue());
        } finally {
            target.destroyForcibly();
        }
    }

    private static int ppid(int pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Integer.toString(pid), "stat"));
        // pid (comm) state ppid ...: comm may hold spaces, so split after its closing parenthesis.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(f[1]);
    }

    private static int tracerOf(int pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Integer.toString(pid), "status"))) {
            if (line.startsWith("TracerPid:")) {
                return Integer.parseInt(line.substring("TracerPid:".length()).trim());
            }
        }
        throw new AssertionError("no TracerPid for " + pid);
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int ch;
        while ((ch = in.read()) >= 0 && ch != '\n') {
            b.append((char) ch);
        }
        return b.toString();
    }
}

package dev.rewind.backend.rpc;

import static dev.rewind.backend.rpc.Rpc.errorCode;
import static dev.rewind.backend.rpc.Rpc.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.protocol.ErrorCodes;
import dev.rewind.protocol.InitializeParams;
import dev.rewind.protocol.InitializeResult;
import dev.rewind.protocol.ProtocolVersion;
import dev.rewind.protocol.RewindServer;
import dev.rewind.protocol.breakpoint.BreakpointInfo;
import dev.rewind.protocol.breakpoint.SetBreakpointParams;
import dev.rewind.protocol.checkpoint.CheckpointDropped;
import dev.rewind.protocol.checkpoint.CheckpointInfo;
import dev.rewind.protocol.checkpoint.CheckpointList;
import dev.rewind.protocol.checkpoint.CreateCheckpointParams;
import dev.rewind.protocol.checkpoint.CridParams;
import dev.rewind.protocol.checkpoint.RestartResult;
import dev.rewind.protocol.checkpoint.WriteBackParams;
import dev.rewind.protocol.image.ImagePathParams;
import dev.rewind.protocol.image.RestoreImageParams;
import dev.rewind.protocol.memory.MemoryContents;
import dev.rewind.protocol.memory.ReadMemoryParams;
import dev.rewind.protocol.session.ExitedEvent;
import dev.rewind.protocol.session.LaunchParams;
import dev.rewind.protocol.session.ListSessionsParams;
import dev.rewind.protocol.session.ProcessInfo;
import dev.rewind.protocol.session.ProcessTree;
import dev.rewind.protocol.session.SessionList;
import dev.rewind.protocol.session.SessionParams;
import dev.rewind.protocol.session.SessionStarted;
import dev.rewind.protocol.session.StopReasons;
import dev.rewind.protocol.session.StoppedEvent;
import dev.rewind.protocol.session.WaitParams;
import dev.rewind.protocol.session.WaitResult;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The Java client (LSP4J launcher) against a real {@code rewind serve --stdio} process. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class RpcStdioTest {
    private static final long WAIT_MS = 30_000;

    @Test
    void launchBreakCheckpointRestartOverStdio() throws Exception {
        try (ServerProcess p = ServerProcess.start("--stdio"); ServerProcess.Client c = p.client()) {
            RewindServer s = c.server();
            InitializeResult init = get(s.initialize(new InitializeParams("test", ProtocolVersion.text())));
            assertEquals(ProtocolVersion.text(), init.protocolVersion());
            assertTrue(init.capabilities().runControl());
            assertTrue(init.capabilities().images());
            assertTrue(init.capabilities().gdbServer());

            SessionStarted started = get(s.session().launch(new LaunchParams(Examples.program("counter"), List.of("5"),
                    null, null, null, "pipe", null, true, null)));
            int sid = started.sessionId();
            assertEquals(StopReasons.ENTRY, waitStop(s, sid).reason());
            assertEquals(StopReasons.ENTRY, RecordingClient.next(c.notes().stopped).reason());

            BreakpointInfo bp = get(s.breakpoint().set(new SetBreakpointParams(sid, "tick", null, false)));
            assertEquals("tick", bp.function());
            for (int hit = 1; hit <= 3; hit++) {
                get(s.session().resume(new SessionParams(sid)));
                StoppedEvent stop = waitStop(s, sid);
                assertEquals(StopReasons.BREAKPOINT, stop.reason());
                assertEquals(bp.breakpointId(), stop.breakpointId());
                assertEquals("tick", stop.function());
                assertEquals(bp.address(), stop.pc());
            }
            assertEquals(3, readLong(s, sid, null));

            CheckpointInfo cp = get(s.checkpoint().create(new CreateCheckpointParams(sid, "before tick 3")));
            assertEquals("before tick 3", cp.label());
            assertEquals("manual", cp.reason());
            assertEquals(cp.crid(), RecordingClient.next(c.notes().created).crid());
            CheckpointList list = get(s.checkpoint().list(new SessionParams(sid)));
            assertEquals(List.of(cp.crid()), list.checkpoints().stream().map(CheckpointInfo::crid).toList());
            CheckpointInfo renamed = get(s.checkpoint().label(new dev.rewind.protocol.checkpoint.LabelParams(sid, cp.crid(),
                    "third tick")));
            assertEquals("third tick", renamed.label());
            assertEquals(cp.crid(), renamed.crid());
            assertEquals("third tick", get(s.checkpoint().list(new SessionParams(sid))).checkpoints().get(0).label());
            assertEquals(ErrorCodes.UNKNOWN_CHECKPOINT, errorCode(s.checkpoint().label(
                    new dev.rewind.protocol.checkpoint.LabelParams(sid, 999, "none"))));

            java.nio.file.Path image = java.nio.file.Files.createTempDirectory("rewind-rpc").resolve("run.rwi");
            dev.rewind.protocol.checkpoint.WriteBackResult wb = get(s.checkpoint().writeBack(
                    new WriteBackParams(sid, List.of(cp.crid()), image.toString())));
            assertEquals(List.of(cp.crid()), wb.crids());
            assertEquals(java.nio.file.Files.size(image), wb.bytes());
            assertEquals(List.of(cp.crid()), get(s.image().list(new ImagePathParams(image.toString()))).checkpoints()
                    .stream().map(dev.rewind.protocol.image.ImageEntry::crid).toList());
            assertEquals("third tick", get(s.image().list(new ImagePathParams(image.toString()))).checkpoints().get(0).label(),
                    "the image has the new label");
            assertTrue(get(s.image().verify(new ImagePathParams(image.toString()))).ok());

            ProcessTree tree = get(s.session().tree(new SessionParams(sid)));
            assertEquals(List.of(ProcessInfo.LIVE, ProcessInfo.SNAPSHOT),
                    tree.processes().stream().map(ProcessInfo::role).toList());

            get(s.breakpoint().remove(new dev.rewind.protocol.breakpoint.BreakpointParams(sid, bp.breakpointId())));
            int mark = c.notes().stdoutLength();
            get(s.session().resume(new SessionParams(sid)));
            StoppedEvent end = waitStop(s, sid);
            assertEquals(StopReasons.EXITED, end.reason());
            assertEquals(15, end.exitCode());
            ExitedEvent exited = RecordingClient.next(c.notes().exited);
            assertEquals(15, exited.exitCode());
            String first = c.notes().awaitStdout(mark, "tick 5 total 15");
            assertEquals(ErrorCodes.PROCESS_EXITED, errorCode(s.session().resume(new SessionParams(sid))));

            for (int i = 0; i < 2; i++) {
                mark = c.notes().stdoutLength();
                RestartResult r = get(s.checkpoint().restart(new CridParams(sid, cp.crid())));
                assertEquals(cp.crid(), r.crid());
                StoppedEvent again = waitStop(s, sid);
                assertEquals(StopReasons.EXITED, again.reason());
                assertEquals(15, again.exitCode());
                assertEquals(first, c.notes().awaitStdout(mark, "tick 5 total 15"));
            }
            // The checkpoint still holds the state it had, also with the live process gone.
            assertEquals(3, readLong(s, sid, cp.crid()));

            get(s.checkpoint().drop(new CridParams(sid, cp.crid())));
            CheckpointDropped d = RecordingClient.next(c.notes().dropped);
            assertEquals(CheckpointDropped.DROPPED, d.why());
            assertEquals(ErrorCodes.UNKNOWN_CHECKPOINT, errorCode(s.checkpoint().restart(new CridParams(sid, cp.crid()))));

            // A new session from the image file: the checkpoint runs on, to the same end as every run.
            mark = c.notes().stdoutLength();
            SessionStarted fromImage = get(s.image().restore(new RestoreImageParams(image.toString(), cp.crid(), null,
                    "pipe", null, false, null)));
            assertEquals(null, fromImage.warnings());
            StoppedEvent imageEnd = waitStop(s, fromImage.sessionId());
            assertEquals(StopReasons.EXITED, imageEnd.reason());
            assertEquals(15, imageEnd.exitCode());
            assertEquals(first, c.notes().awaitStdout(mark, "tick 5 total 15"));
            get(s.session().kill(new SessionParams(fromImage.sessionId())));

            SessionList sessions = get(s.session().list(new ListSessionsParams()));
            assertEquals(1, sessions.sessions().size());
            assertEquals("exited", sessions.sessions().get(0).state());
            get(s.session().kill(new SessionParams(sid)));
            assertEquals(ErrorCodes.UNKNOWN_SESSION, errorCode(s.session().kill(new SessionParams(sid))));

            get(s.shutdown());
            s.exit();
            assertEquals(0, p.awaitExit());
        }
    }

    @Test
    void documentedErrorsForWhatCannotBeDone() throws Exception {
        try (ServerProcess p = ServerProcess.start("--stdio"); ServerProcess.Client c = p.client()) {
            RewindServer s = c.server();
            assertEquals(ErrorCodes.SERVER_NOT_INITIALIZED, errorCode(s.session().list(new ListSessionsParams())));
            assertEquals(ErrorCodes.INCOMPATIBLE_PROTOCOL,
                    errorCode(s.initialize(new InitializeParams("test", (ProtocolVersion.MAJOR + 1) + ".0"))));
            c.initialized();
            assertEquals(ErrorCodes.UNKNOWN_SESSION, errorCode(s.session().tree(new SessionParams(42))));
            assertEquals(ErrorCodes.LAUNCH_FAILED, errorCode(s.session().launch(new LaunchParams("/no/such/program",
                    null, null, null, null, null, null, false, null))));
            assertEquals(ErrorCodes.INVALID_PARAMS, errorCode(s.session().launch(new LaunchParams(
                    Examples.program("counter"), null, null, null, null, "inherit", null, false, null))));

            int sid = get(s.session().launch(new LaunchParams(Examples.program("counter"), null, null, null, null, null,
                    null, true, null))).sessionId();
            assertEquals(ErrorCodes.UNKNOWN_SYMBOL,
                    errorCode(s.breakpoint().set(new SetBreakpointParams(sid, "no_such_function", null, false))));
            assertEquals(ErrorCodes.MEMORY_UNREADABLE,
                    errorCode(s.memory().read(new ReadMemoryParams(sid, 0, 8L, null, 8, null))));
            assertEquals(ErrorCodes.BAD_IMAGE,
                    errorCode(s.checkpoint().writeBack(new WriteBackParams(sid, null, "/no/such/dir/x.rwi"))));
            assertEquals(ErrorCodes.UNKNOWN_CHECKPOINT,
                    errorCode(s.checkpoint().writeBack(new WriteBackParams(sid, List.of(999L), "/tmp/x.rwi"))));
            assertEquals(ErrorCodes.BAD_IMAGE, errorCode(s.image().list(new ImagePathParams("/no/such/x.rwi"))));
            assertFalse(get(s.image().verify(new ImagePathParams("/no/such/x.rwi"))).ok());
            assertEquals(ErrorCodes.BAD_IMAGE, errorCode(s.image().restore(new RestoreImageParams("/no/such/x.rwi", 1))));
            assertEquals(ErrorCodes.UNKNOWN_SESSION, errorCode(s.session().gdbserver(new SessionParams(sid + 1000))));
            WaitResult w = get(s.session().waitForStop(new WaitParams(sid, 30_000)));
            assertEquals(StopReasons.ENTRY, w.stop().reason());
            assertTrue(get(s.session().waitForStop(new WaitParams(sid, 0))).timedOut());

            get(s.shutdown());
            assertEquals(ErrorCodes.INVALID_REQUEST, errorCode(s.session().list(new ListSessionsParams())));
            s.exit();
            assertEquals(0, p.awaitExit());
        }
    }

    static StoppedEvent waitStop(RewindServer s, int sid) throws Exception {
        WaitResult w = get(s.session().waitForStop(new WaitParams(sid, WAIT_MS)));
        assertFalse(w.timedOut(), "no stop within " + WAIT_MS + " ms");
        assertNotNull(w.stop());
        return w.stop();
    }

    private static long readLong(RewindServer s, int sid, Long crid) throws Exception {
        MemoryContents m = get(s.memory().read(new ReadMemoryParams(sid, 0, null, "total", 8, crid)));
        return ByteBuffer.wrap(Base64.getDecoder().decode(m.data())).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }
}

package dev.rewind.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.protocol.breakpoint.BreakpointInfo;
import dev.rewind.protocol.breakpoint.BreakpointList;
import dev.rewind.protocol.breakpoint.BreakpointParams;
import dev.rewind.protocol.breakpoint.SetBreakpointParams;
import dev.rewind.protocol.checkpoint.CheckpointDropped;
import dev.rewind.protocol.checkpoint.CheckpointInfo;
import dev.rewind.protocol.checkpoint.CheckpointList;
import dev.rewind.protocol.checkpoint.CheckpointReasons;
import dev.rewind.protocol.checkpoint.CreateCheckpointParams;
import dev.rewind.protocol.checkpoint.CridParams;
import dev.rewind.protocol.checkpoint.RestartResult;
import dev.rewind.protocol.checkpoint.ThreadLocation;
import dev.rewind.protocol.checkpoint.WriteBackParams;
import dev.rewind.protocol.checkpoint.WriteBackResult;
import dev.rewind.protocol.image.ImageContents;
import dev.rewind.protocol.image.ImageEntry;
import dev.rewind.protocol.image.ImagePathParams;
import dev.rewind.protocol.image.ImageVerifyResult;
import dev.rewind.protocol.image.RestoreImageParams;
import dev.rewind.protocol.memory.MemoryContents;
import dev.rewind.protocol.memory.ReadMemoryParams;
import dev.rewind.protocol.session.AttachParams;
import dev.rewind.protocol.session.ExitedEvent;
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
import dev.rewind.protocol.session.SessionStarted;
import dev.rewind.protocol.session.StepParams;
import dev.rewind.protocol.session.StopReasons;
import dev.rewind.protocol.session.StoppedEvent;
import dev.rewind.protocol.session.WaitParams;
import dev.rewind.protocol.session.WaitResult;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.eclipse.lsp4j.jsonrpc.json.JsonRpcMethod;
import org.eclipse.lsp4j.jsonrpc.json.MessageJsonHandler;
import org.eclipse.lsp4j.jsonrpc.messages.Message;
import org.eclipse.lsp4j.jsonrpc.messages.NotificationMessage;
import org.eclipse.lsp4j.jsonrpc.messages.RequestMessage;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseMessage;
import org.eclipse.lsp4j.jsonrpc.services.ServiceEndpoints;
import org.junit.jupiter.api.Test;

/**
 * Every message of the contract goes through LSP4J's JSON handler (the one both ends use) and
 * comes back equal: params of every request and notification, and the result of every request.
 * A method added without a sample here fails {@link #everyMethodHasASample()}.
 */
class RoundTripTest {
    private record Sample(Object params, Object result) {
    }

    private static final StoppedEvent STOP = new StoppedEvent(1, StopReasons.BREAKPOINT, 4242, 4243, 0x401136L,
            "compute", 2, 7L, 0, 0);
    private static final CheckpointInfo CHECKPOINT = new CheckpointInfo(1, 7, "before crash", CheckpointReasons.MANUAL,
            6L, "2026-01-02T03:04:05.678Z", List.of(4242), List.of(new ThreadLocation(4242, 0x401136L, "main+0x1c")),
            8192, 310, "memory", List.of("O_APPEND file /tmp/log is not rewound"));

    private static Map<String, Sample> samples() {
        Map<String, Sample> m = new LinkedHashMap<>();
        m.put("initialize", new Sample(new InitializeParams("test", "0.1"),
                new InitializeResult("0.1.0", "0.1", new Capabilities(true, false, false, true, 64L << 20))));
        m.put("shutdown", new Sample(null, null));
        m.put("exit", new Sample(null, null));
        m.put("session/launch", new Sample(new LaunchParams("/bin/prog", List.of("a", "b c"), "/tmp",
                Map.of("K", "V"), "pipe", "pipe", "/tmp/err.txt", true, LaunchParams.KEEP), new SessionStarted(1, 4242)));
        m.put("session/attach", new Sample(new AttachParams(4242, LaunchParams.DETACH), new SessionStarted(2, 4242)));
        m.put("session/kill", new Sample(new SessionParams(1), null));
        m.put("session/list", new Sample(new ListSessionsParams(), new SessionList(List.of(
                new SessionInfo(1, 4242, "/bin/prog", "stopped", "launched", "kill", 7L, 2),
                new SessionInfo(2, 99, "/bin/other", "running", "attached", "detach", null, 0)))));
        m.put("session/tree", new Sample(new SessionParams(1), new ProcessTree(1, List.of(
                new ProcessInfo(4242, ProcessInfo.LIVE, null, List.of(4242, 4243), 4200, 4242, 4100, "/bin/app",
                        "S (sleeping)"),
                ProcessInfo.snapshot(4250, 7L)))));
        m.put("session/resume", new Sample(new SessionParams(1), null));
        m.put("session/pause", new Sample(new SessionParams(1), STOP));
        m.put("session/step", new Sample(new StepParams(1, 4243), STOP));
        m.put("session/wait", new Sample(new WaitParams(1, 5000), new WaitResult(false, STOP)));
        m.put("session/input", new Sample(new InputParams(1, "xyz\n"), null));
        m.put("session/gdbserver", new Sample(new SessionParams(1),
                new GdbServerInfo(1, "/run/user/1000/rewind-1/gdb-1.sock", 0, "target extended-remote /run/user/1000/rewind-1/gdb-1.sock", "/home/u/.cache/rewind/rewind-1a2b.gdb")));
        m.put("session/stopped", new Sample(STOP, null));
        m.put("session/exited", new Sample(new ExitedEvent(1, 4242, 3, 0), null));
        m.put("session/output", new Sample(new OutputEvent(1, OutputEvent.STDOUT, "step 1\n\u00e9"), null));
        m.put("checkpoint/create", new Sample(new CreateCheckpointParams(1, "before crash"), CHECKPOINT));
        m.put("checkpoint/list", new Sample(new SessionParams(1), new CheckpointList(1, List.of(CHECKPOINT), 7L)));
        m.put("checkpoint/restart", new Sample(new CridParams(1, 7),
                new RestartResult(1, 7, 4242, List.of(4242, 4243), 1200, List.of())));
        m.put("checkpoint/drop", new Sample(new CridParams(1, 7), null));
        m.put("checkpoint/label", new Sample(new dev.rewind.protocol.checkpoint.LabelParams(1, 7, "before crash"),
                CHECKPOINT));
        m.put("checkpoint/writeBack", new Sample(new WriteBackParams(1, List.of(7L, 8L), "/tmp/a.rwi"),
                new WriteBackResult("/tmp/a.rwi", List.of(7L, 8L), 1 << 20)));
        m.put("checkpoint/created", new Sample(CHECKPOINT, null));
        m.put("checkpoint/dropped", new Sample(new CheckpointDropped(1, 7, CheckpointDropped.BUDGET), null));
        m.put("breakpoint/set", new Sample(new SetBreakpointParams(1, "compute", null, true),
                new BreakpointInfo(2, 0x401136L, "compute", true)));
        m.put("breakpoint/remove", new Sample(new BreakpointParams(1, 2), null));
        m.put("breakpoint/list", new Sample(new SessionParams(1),
                new BreakpointList(1, List.of(new BreakpointInfo(2, 0x401136L, null, false)))));
        m.put("memory/read", new Sample(new ReadMemoryParams(1, 0, null, "counter", 8, 7L),
                new MemoryContents(0x404028L, 8, "AQIDBAUGBwg=")));
        m.put("image/list", new Sample(new ImagePathParams("/tmp/a.rwi"), new ImageContents("/tmp/a.rwi",
                List.of(new ImageEntry(7, "x", "2026-01-02T03:04:05Z", null, 4096)))));
        m.put("image/restore", new Sample(new RestoreImageParams("/tmp/a.rwi", 7), new SessionStarted(3, 5000)));
        m.put("image/verify", new Sample(new ImagePathParams("/tmp/a.rwi"),
                new ImageVerifyResult("/tmp/a.rwi", false, List.of("crid 7: page 3 checksum mismatch"))));
        m.put("$/progress", new Sample(new ProgressParams("w1", "report", "writing crid 7", 40), null));
        return m;
    }

    private static Map<String, JsonRpcMethod> contract() {
        Map<String, JsonRpcMethod> all = new HashMap<>(ServiceEndpoints.getSupportedMethods(RewindServer.class));
        all.putAll(ServiceEndpoints.getSupportedMethods(RewindClient.class));
        return all;
    }

    @Test
    void everyMethodHasASample() {
        assertEquals(new TreeSet<>(contract().keySet()), new TreeSet<>(samples().keySet()));
    }

    @Test
    void everyMessageRoundTrips() {
        Map<String, JsonRpcMethod> contract = contract();
        Map<String, String> methodById = new HashMap<>();
        MessageJsonHandler json = new MessageJsonHandler(contract);
        json.setMethodProvider(methodById::get);
        int id = 0;
        for (Map.Entry<String, Sample> e : samples().entrySet()) {
            String method = e.getKey();
            Sample s = e.getValue();
            if (contract.get(method).isNotification()) {
                NotificationMessage n = new NotificationMessage();
                n.setMethod(method);
                n.setParams(s.params());
                NotificationMessage back = (NotificationMessage) json.parseMessage(json.serialize(n));
                assertEquals(s.params(), back.getParams(), method);
                continue;
            }
            String reqId = Integer.toString(++id);
            RequestMessage r = new RequestMessage();
            r.setId(reqId);
            r.setMethod(method);
            r.setParams(s.params());
            RequestMessage back = (RequestMessage) json.parseMessage(json.serialize(r));
            assertEquals(s.params(), back.getParams(), method + " params");

            methodById.put(reqId, method);
            ResponseMessage resp = new ResponseMessage();
            resp.setId(reqId);
            resp.setResult(s.result());
            Message parsed = json.parseMessage(json.serialize(resp));
            assertEquals(s.result(), ((ResponseMessage) parsed).getResult(), method + " result");
        }
    }

    @Test
    void wireNamesAreTheDocumentedOnes() {
        MessageJsonHandler json = new MessageJsonHandler(contract());
        String text = json.getGson().toJson(new SetBreakpointParams(3, "compute", null, true));
        assertEquals("{\"sessionId\":3,\"function\":\"compute\",\"checkpoint\":true}", text);
        assertTrue(json.getGson().toJson(STOP).contains("\"reason\":\"breakpoint\""));
    }

    @Test
    void omittedFieldsReadAsDefaults() {
        MessageJsonHandler json = new MessageJsonHandler(contract());
        LaunchParams p = json.getGson().fromJson("{\"program\":\"/bin/true\"}", LaunchParams.class);
        assertEquals("/bin/true", p.program());
        assertEquals(null, p.args());
        assertEquals(false, p.stopAtEntry());
    }
}

package dev.rewind.backend.gdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.rewind.backend.gdb.GdbRequest.ResumeAction;
import dev.rewind.backend.gdb.GdbRequest.ResumeAction.Kind;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Packets as gdb 13 sends them, parsed into requests. */
class GdbRequestParserTest {
    @Test
    void memoryAndRegisters() {
        assertEquals(new GdbRequest.ReadMemory(0x401000, 16, false), RequestParser.parse("m401000,10"));
        GdbRequest.WriteMemory w = (GdbRequest.WriteMemory) RequestParser.parse("M1000,2:cc90");
        assertEquals(0x1000, w.address());
        assertArrayEquals(new byte[] {(byte) 0xcc, (byte) 0x90}, w.data());
        byte[] x = "X1000,2:}\u0003a".getBytes(StandardCharsets.ISO_8859_1);
        GdbRequest.WriteMemory wx = (GdbRequest.WriteMemory) RequestParser.parse(x);
        assertArrayEquals(new byte[] {'#', 'a'}, wx.data());
        assertEquals(new GdbRequest.ReadRegister(0x39), RequestParser.parse("p39"));
        GdbRequest.WriteRegister wr = (GdbRequest.WriteRegister) RequestParser.parse("P10=0100000000000000");
        assertEquals(16, wr.number());
        assertEquals(8, wr.value().length);
        assertInstanceOf(GdbRequest.Invalid.class, RequestParser.parse("M1000,3:cc90"));
    }

    @Test
    void vContWithThreadsAndSignals() {
        GdbRequest.Resume r = (GdbRequest.Resume) RequestParser.parse("vCont;s:p2a.2b;c");
        assertEquals(List.of(new ResumeAction(Kind.STEP, 0, new Ptid(0x2a, 0x2b)), new ResumeAction(Kind.CONTINUE, 0,
                null)), r.actions());
        GdbRequest.Resume c = (GdbRequest.Resume) RequestParser.parse("vCont;C0b:p2a.-1");
        assertEquals(new ResumeAction(Kind.CONTINUE, 11, new Ptid(0x2a, -1)), c.actions().get(0));
        assertEquals(new GdbRequest.ResumeActionsQuery(), RequestParser.parse("vCont?"));
        GdbRequest.Resume range = (GdbRequest.Resume) RequestParser.parse("vCont;r1000,2000:p2a.2b;c");
        assertEquals(new ResumeAction(Kind.RANGE, 0, new Ptid(0x2a, 0x2b), 0x1000, 0x2000), range.actions().get(0));
        assertInstanceOf(GdbRequest.Invalid.class, RequestParser.parse("vCont;x1000"));
        GdbRequest.Resume t = (GdbRequest.Resume) RequestParser.parse("vCont;t:p2a.-1");
        assertEquals(Kind.STOP, t.actions().get(0).kind());
    }

    @Test
    void runKillDetachAndMonitor() {
        assertEquals(new GdbRequest.Run("", List.of("c1")), RequestParser.parse("vRun;;" + Hex.encode("c1")));
        assertEquals(new GdbRequest.Run("/bin/true", List.of()), RequestParser.parse("vRun;" + Hex.encode("/bin/true")));
        assertEquals(new GdbRequest.Kill(0x2a), RequestParser.parse("vKill;2a"));
        assertEquals(new GdbRequest.Detach(0x2a), RequestParser.parse("D;2a"));
        assertEquals(new GdbRequest.Detach(0), RequestParser.parse("D"));
        assertEquals(new GdbRequest.Monitor("checkpoint here"), RequestParser.parse("qRcmd," + Hex.encode("checkpoint here")));
    }

    @Test
    void queriesAndSettings() {
        GdbRequest.Supported s = (GdbRequest.Supported) RequestParser.parse("qSupported:multiprocess+;swbreak+;xmlRegisters=i386");
        assertEquals(List.of("multiprocess+", "swbreak+", "xmlRegisters=i386"), s.gdbFeatures());
        assertEquals(new GdbRequest.XferRead("features", "target.xml", 0, 0xffb),
                RequestParser.parse("qXfer:features:read:target.xml:0,ffb"));
        assertEquals(new GdbRequest.XferRead("threads", "", 0x10, 0x20), RequestParser.parse("qXfer:threads:read::10,20"));
        assertEquals(new GdbRequest.SignalSet(true, Set.of(0xe, 0x14)), RequestParser.parse("QPassSignals:e;14"));
        assertEquals(new GdbRequest.SignalSet(false, Set.of()), RequestParser.parse("QProgramSignals:"));
        assertEquals(new GdbRequest.SetThread('g', new Ptid(1, 2)), RequestParser.parse("Hgp1.2"));
        assertEquals(new GdbRequest.SetThread('c', new Ptid(-1, -1)), RequestParser.parse("Hc-1"));
        assertEquals(new GdbRequest.Breakpoint(true, 0, 0x401136, 1), RequestParser.parse("Z0,401136,1"));
        assertEquals(new GdbRequest.StartNoAckMode(), RequestParser.parse("QStartNoAckMode"));
        assertInstanceOf(GdbRequest.Unsupported.class, RequestParser.parse("qTStatus"));
        assertInstanceOf(GdbRequest.Unsupported.class, RequestParser.parse("vMustReplyEmpty"));
    }
}

package dev.rewind.backend.gdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.backend.checkpoint.Debuggee;
import dev.rewind.backend.checkpoint.Engine;
import dev.rewind.backend.checkpoint.StopEvent;
import dev.rewind.backend.checkpoint.StopReason;
import dev.rewind.backend.trace.LaunchRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The SVR4 library list read from a real process's memory, as qXfer:libraries-svr4 serves it. */
class GdbLibrariesTest {
    @Test
    void emptyBeforeTheLoaderRanThenListsLibc() {
        Path program = Path.of(System.getProperty("rewind.testBin", "target/test-bin"), "hits");
        try (Engine engine = new Engine()) {
            Debuggee d = engine.launch(new LaunchRequest(program.toString(), List.of("1"), null, null, null), true);
            assertEquals(StopReason.ENTRY, d.awaitStop(Duration.ofSeconds(20)).orElseThrow().reason());
            assertEquals("<library-list-svr4 version=\"1.0\"/>", SvrLibraries.xml(d.auxv(), d::readMemory),
                    "the loader has not published r_debug at the first instruction");
            d.setBreakpoint(d.symbolAddress("hit"), false);
            d.resume();
            StopEvent e = d.awaitStop(Duration.ofSeconds(20)).orElseThrow();
            assertEquals(StopReason.BREAKPOINT, e.reason());
            String xml = SvrLibraries.xml(d.auxv(), d::readMemory);
            assertTrue(xml.contains("main-lm=\"0x"), xml);
            assertTrue(xml.matches("(?s).*<library name=\"[^\"]*/libc\\.so\\.6\" lm=\"0x[0-9a-f]+\" l_addr=\"0x[0-9a-f]+\" l_ld=\"0x[0-9a-f]+\" lmid=\"0x0\"/>.*"),
                    xml);
        }
    }
}

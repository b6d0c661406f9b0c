package dev.rewind.backend.gdb;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;

/** The build's class-data-sharing training plays gdb's opening against the real stub: every request must still get its answer. */
class GdbTrainingSessionTest {
    @Test
    void everyRequestOfTheOpeningIsAnswered() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        int answered = new GdbTrainingSession(GdbHarness.program("steps"), new PrintStream(log, true)).run();
        assertEquals(27, answered, log.toString());
    }
}

package dev.rewind.backend.checkpoint;

import static dev.rewind.backend.checkpoint.TestDebuggees.TIMEOUT;
import static dev.rewind.backend.checkpoint.TestDebuggees.command;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Debuggees under seccomp filters: checkpointed when the injected calls get through, refused when not. */
class SeccompTest {
    @TempDir
    Path dir;
    private Engine engine;
    private final int[] cursor = {0};

    @BeforeEach
    void start() {
        // Reading a process's filters needs CAP_SYS_ADMIN; unprivileged, every filtered process is refused.
        TestDebuggees.assumePrivileged();
        engine = new Engine();
    }

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    private Debuggee launch(String filter) {
        Debuggee d = TestDebuggees.launch(engine, "seccomped", List.of(filter), dir);
        assertEquals("ready", d.stdout().awaitLine(cursor[0]++, TIMEOUT));
        return d;
    }

    @Test
    void aFilterThatLetsTheInjectedCallsThroughIsCheckpointedAndRestartedWithIt() {
        Debuggee d = launch("deny-mkdir");
        assertEquals("counter 1", command(d, cursor, 'i'));
        TimelineEntry cp = d.checkpoint("under seccomp", CheckpointReason.MANUAL);
        assertEquals("counter 2", command(d, cursor, 'i'));
        d.restart(cp.crid());
        assertEquals("counter 2", command(d, cursor, 'i'), "carries on from the checkpoint");
        assertEquals("mkdir refused", command(d, cursor, 'm'), "the restored process is still filtered");
    }

    @Test
    void aFilterThatWouldRefuseARestartIsNamedAndTheProgramRunsOn() {
        Debuggee d = launch("deny-clone3");
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> d.checkpoint("refused", CheckpointReason.MANUAL));
        assertTrue(e.getMessage().contains("clone3") && e.getMessage().contains("errno 38"), e.getMessage());
        assertTrue(d.timeline().isEmpty());
        assertEquals("counter 1", command(d, cursor, 'i'), "thawed and running");
    }

    @Test
    void aChildRecreatedByTransplantGetsItsIdsPersonalityAndFiltersBack() throws Exception {
        Debuggee d = TestDebuggees.launch(engine, "dropper", List.of(), dir);
        String ready = d.stdout().awaitLine(cursor[0]++, TIMEOUT);
        assertTrue(ready.startsWith("ready child "), ready);
        int child = Integer.parseInt(ready.substring("ready child ".length()));
        assertEquals("child counter 1", command(d, cursor, 'i'));
        String before = security(child);
        TimelineEntry cp = d.checkpoint("restricted child", CheckpointReason.MANUAL);
        assertEquals("child counter 2", command(d, cursor, 'i'));

        RestartResult r = d.restart(cp.crid());
        assertTrue(r.warnings().isEmpty(), r.warnings().toString());
        assertEquals("child counter 2", command(d, cursor, 'i'), "the child carries on from the checkpoint");
        assertEquals("mkdir refused", command(d, cursor, 'm'), "its seccomp filter is in place again");
        assertEquals(before, security(child));
        assertTrue(before.contains("Uid:\t65534\t65534\t65534\t65534") && before.contains("Seccomp:\t2")
                && before.contains("personality 00040000"), before);
    }

    /** Ids, groups, no_new_privs, seccomp mode and personality of a process, from /proc. */
    private static String security(int pid) throws java.io.IOException {
        Path proc = Path.of("/proc", Integer.toString(pid));
        StringBuilder b = new StringBuilder();
        for (String line : java.nio.file.Files.readAllLines(proc.resolve("status"))) {
            if (line.matches("(Uid|Gid|Groups|NoNewPrivs|Seccomp|Seccomp_filters):.*")) {
                b.append(line).append('\n');
            }
        }
        return b.append("personality ").append(java.nio.file.Files.readString(proc.resolve("personality")).trim()).toString();
    }
}

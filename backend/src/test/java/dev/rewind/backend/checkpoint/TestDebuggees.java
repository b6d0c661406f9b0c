package dev.rewind.backend.checkpoint;

import dev.rewind.backend.linux.Syscall;
import dev.rewind.backend.trace.LaunchRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/** Finds the C debuggees the build compiled, and launches them with piped stdio. */
final class TestDebuggees {
    static final Duration TIMEOUT = Duration.ofSeconds(20);

    private TestDebuggees() {
    }

    static Path program(String name) {
        Path p = Path.of(System.getProperty("rewind.testBin", "target/test-bin"), name);
        if (!Files.isExecutable(p)) {
            throw new IllegalStateException("test debuggee " + p + " was not built (the Maven build compiles src/test/c)");
        }
        return p;
    }

    static Debuggee launch(Engine engine, String name, Path cwd) {
        return launch(engine, name, List.of(), cwd);
    }

    static Debuggee launch(Engine engine, String name, List<String> args, Path cwd) {
        return engine.launch(new LaunchRequest(program(name).toString(), args, cwd == null ? null : cwd.toString(),
                null, List.of(LaunchRequest.PIPE, LaunchRequest.PIPE, LaunchRequest.PIPE)), false);
    }

    /**
     * Waits until {@code bytes} sit unread in the pipes {@code d} reads (above its stdio): the tree
     * program's workers' answers (synchronizing on state, not time).
     */
    static void awaitBufferedAnswers(Debuggee d, int bytes) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            int buffered = 0;
            for (dev.rewind.backend.linux.FdInfo fd : dev.rewind.backend.linux.ProcFs.fds(d.pid(), java.util.Map.of())) {
                if (fd.fd() > 2 && fd.isPipe() && fd.readable()) {
                    buffered += dev.rewind.backend.linux.PipeContents.peek(d.pid(), fd.fd()).length;
                }
            }
            if (buffered == bytes) {
                return;
            }
            Thread.sleep(2);
        }
        throw new AssertionError("the workers' answers never arrived");
    }

    /** Sends one command byte and returns the next line of output. */
    static String command(Debuggee d, int[] cursor, char c) {
        d.writeStdin(String.valueOf(c).getBytes(StandardCharsets.US_ASCII));
        return d.stdout().awaitLine(cursor[0]++, TIMEOUT);
    }

    /** Tests that need pid-preserving restore (clone3 set_tid) run only as root, where CI runs. */
    static void assumePrivileged() {
        Assumptions.assumeTrue(Syscall.isRoot(),
                "skipped: keeping pids and tids on restart needs CAP_CHECKPOINT_RESTORE in the debuggee (run as root)");
    }
}

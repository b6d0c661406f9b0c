package dev.rewind.backend.gdb;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.backend.trace.LaunchRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs real gdb in batch mode against a gdbserver served in this JVM on a loopback port, and
 * returns what gdb printed. The deadlines only guard against a hang; no test waits on them.
 */
final class GdbHarness {
    static final long DEADLINE_SECONDS = 180;

    /** What one gdb session printed, and what the program printed. */
    record Session(String gdbOutput, String programOutput, String serverLog, int gdbExit) {
        /** The first group of {@code regex} in gdb's output, or an assertion failure that shows it. */
        String find(String regex) {
            Matcher m = Pattern.compile(regex).matcher(gdbOutput);
            assertTrue(m.find(), "gdb output has no /" + regex + "/:\n" + this);
            return m.groupCount() > 0 ? m.group(1) : m.group();
        }

        List<String> findAll(String regex) {
            Matcher m = Pattern.compile(regex).matcher(gdbOutput);
            List<String> out = new ArrayList<>();
            while (m.find()) {
                out.add(m.groupCount() > 0 ? m.group(1) : m.group());
            }
            return out;
        }

        @Override
        public String toString() {
            return "---- gdb ----\n" + gdbOutput + "\n---- program ----\n" + programOutput + "\n---- server ----\n"
                    + serverLog;
        }
    }

    private GdbHarness() {
    }

    /**
     * A gdb command that runs {@code monitor checkpoint LABEL} and keeps the crid it prints in
     * the convenience variable {@code $cp}, so later commands need not guess crid numbers.
     */
    static String checkpointAsCp(String label) {
        return "python import re; gdb.set_convenience_variable('cp', int(re.search(r'checkpoint (\\d+)', "
                + "gdb.execute('monitor checkpoint " + label + "', to_string=True)).group(1)))";
    }

    static void assumeGdb() {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/gdb")), "gdb is not installed");
    }

    static Path program(String name) {
        Path p = Path.of(System.getProperty("rewind.testBin", "target/test-bin"), name).toAbsolutePath();
        if (!Files.isExecutable(p)) {
            throw new IllegalStateException("test debuggee " + p + " was not built (the Maven build compiles src/test/c)");
        }
        return p;
    }

    /**
     * Starts {@code rewind gdbserver --socket SOCKET -- PROGRAM} as a process of its own (its
     * output into {@code log}) and waits for the socket to appear.
     */
    static Process serveOnSocket(Path socket, String program, Path log) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process server = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "dev.rewind.backend.cli.Main",
                "gdbserver", "--socket", socket.toString(), "--", program(program).toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        for (int i = 0; i < 300 && !Files.exists(socket) && server.isAlive(); i++) {
            Thread.sleep(50);
        }
        return server;
    }

    static Path script(Path dir) throws IOException {
        Path s = dir.resolve("rewind.gdb");
        Files.writeString(s, GdbServer.script());
        return s;
    }

    /**
     * Serves {@code program} (launched at once, stopped at its first instruction; null: gdb runs
     * it), then runs gdb with {@code commands} after connecting.
     */
    static Session run(String program, Path script, List<String> commands) throws Exception {
        ServerSocket server = GdbServer.bindLoopback("127.0.0.1:0");
        LaunchRequest request = program == null ? null : new LaunchRequest(program(program).toString(), List.of(), null,
                null, null);
        StringBuffer programOutput = new StringBuffer();
        ByteArrayOutputStream serverLog = new ByteArrayOutputStream();
        PrintStream log = new PrintStream(serverLog, true, StandardCharsets.UTF_8);
        Throwable[] failure = new Throwable[1];
        Thread t = new Thread(() -> {
            try {
                GdbServer.serveOne(new GdbServer.Target(request, 0), server, programOutput::append, log);
            } catch (Throwable e) {
                failure[0] = e;
            }
        }, "test-gdbserver");
        t.start();
        List<String> argv = new ArrayList<>(List.of("gdb", "-batch", "-nx"));
        if (script != null) {
            argv.addAll(List.of("-x", script.toString()));
        }
        if (program == null) {
            // gdb names the program for vRun.
            argv.addAll(List.of("-ex", "set remote exec-file " + program("gdb-loop")));
        }
        argv.addAll(List.of("-ex", "target extended-remote 127.0.0.1:" + server.getLocalPort()));
        for (String c : commands) {
            argv.addAll(List.of("-ex", c));
        }
        Session s = runGdb(argv, programOutput, serverLog);
        t.join(TimeUnit.SECONDS.toMillis(DEADLINE_SECONDS));
        assertTrue(!t.isAlive(), "the gdbserver did not end after gdb disconnected\n" + s);
        if (failure[0] != null) {
            throw new AssertionError("gdbserver failed\n" + s, failure[0]);
        }
        return new Session(s.gdbOutput(), programOutput.toString(), serverLog.toString(StandardCharsets.UTF_8),
                s.gdbExit());
    }

    static Session runGdb(List<String> argv, CharSequence programOutput, ByteArrayOutputStream serverLog)
            throws Exception {
        Process gdb = new ProcessBuilder(argv).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.PIPE)
                .start();
        gdb.getOutputStream().close();
        byte[] out = gdb.getInputStream().readAllBytes();
        boolean ended = gdb.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS);
        if (!ended) {
            gdb.destroyForcibly();
        }
        String text = new String(out, StandardCharsets.UTF_8);
        assertTrue(ended, "gdb did not finish:\n" + text);
        return new Session(text, programOutput == null ? "" : programOutput.toString(),
                serverLog == null ? "" : serverLog.toString(StandardCharsets.UTF_8), gdb.exitValue());
    }
}

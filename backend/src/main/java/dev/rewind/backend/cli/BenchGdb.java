package dev.rewind.backend.cli;

import java.io.BufferedReader;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The peer: gdb's own {@code checkpoint} and {@code restart N} on the benchmark program, driven
 * through an interactive gdb on pipes. The program reads its commands from a fifo we write, so
 * gdb's stdin stays ours; we stop it in {@code read()} with SIGINT, as a user pressing Ctrl-C
 * would. Each gdb command is timed inside gdb (Python, monotonic clock around
 * {@code gdb.execute}), which covers all the user waits for except the prompt round trip.
 */
final class BenchGdb implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern READY = Pattern.compile("ready pid (\\d+)(?: round (\\d+)| mib)");
    private static final Pattern TIMED = Pattern.compile("@@rewind-bench (\\d+) us");
    private static final Pattern STOPPED = Pattern.compile("Program received signal SIGINT");
    private static final Pattern CONTINUING = Pattern.compile("Continuing\\.");

    private final Process gdb;
    private final OutputStream commands;
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuilder transcript = new StringBuilder();
    private final OutputStream programInput;
    private int pid;
    private int checkpoints;
    /** gdb's number for the process that runs now: 0 is the one it started. */
    private int liveCheckpoint;
    private boolean running;
    private String deleteProblem;

    BenchGdb(Path program, Path fifo, int mib) {
        mkfifo(fifo);
        try {
            gdb = new ProcessBuilder("gdb", "-q", "-nx").redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException("starting gdb (is it installed?)", e);
        }
        commands = gdb.getOutputStream();
        Thread reader = new Thread(this::readOutput, "rewind-bench-gdb");
        reader.setDaemon(true);
        reader.start();
        send("set pagination off");
        send("set confirm off");
        send("set width 0");
        send("python\n"
                + "import time\n"
                + "def rewind_bench_timed(command):\n"
                + "    start = time.monotonic_ns()\n"
                + "    gdb.execute(command)\n"
                + "    print('@@rewind-bench %d us' % ((time.monotonic_ns() - start) // 1000))\n"
                + "end");
        send("file " + program);
        send("run " + mib + " < '" + fifo + "'");
        running = true;
        // Opening a fifo for writing waits for its reader: the shell gdb starts the program with.
        CompletableFuture<OutputStream> open = CompletableFuture.supplyAsync(() -> {
            try {
                return new FileOutputStream(fifo.toFile());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        try {
            programInput = open.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            gdb.destroyForcibly();
            throw new IllegalStateException("gdb did not start the program; gdb said:\n" + transcript(), e);
        }
        pid = Integer.parseInt(await(READY).group(1));
    }

    /**
     * One round: checkpoint the program idle in read(), let it run on, then restart from that
     * checkpoint. Returns {checkpoint us, restart us} as timed inside gdb.
     */
    long[] checkpointAndRestart() {
        int round = askReady();
        settle();
        interrupt();
        long checkpointMicros = timed("checkpoint");
        int id = ++checkpoints;
        resume();
        askReady();
        settle();
        interrupt();
        long restartMicros = timed("restart " + id);
        // The process that ran stays behind as a checkpoint of its own; free it, as Rewind
        // frees the live process it replaces, so the runs do not pile up processes. Not number
        // 0, the process gdb started: 'delete checkpoint 0' hits an internal error in gdb 13.1
        // (find_inferior_pid: Assertion `pid != 0' failed).
        if (liveCheckpoint != 0) {
            deleteCheckpoint(liveCheckpoint);
        }
        liveCheckpoint = id;
        resume();
        if (askReady() != round) {
            throw new IllegalStateException("gdb's restart did not bring back the checkpoint's state");
        }
        return new long[] {checkpointMicros, restartMicros};
    }

    /** Set when gdb refused to delete a replaced process; null when it never did. */
    String deleteProblem() {
        return deleteProblem;
    }

    private int askReady() {
        writeProgram('p');
        Matcher m = await(READY);
        pid = Integer.parseInt(m.group(1));
        return Integer.parseInt(m.group(2));
    }

    private void interrupt() {
        try {
            Process kill = new ProcessBuilder("kill", "-INT", Integer.toString(pid)).start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill -INT " + pid + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        await(STOPPED);
        running = false;
    }

    private void resume() {
        send("continue");
        await(CONTINUING);
        running = true;
    }

    private long timed(String command) {
        send("python rewind_bench_timed('" + command + "')");
        return Long.parseLong(await(TIMED).group(1));
    }

    private void deleteCheckpoint(int id) {
        send("delete checkpoint " + id);
        // A marker, so we know gdb is done and can see what it said.
        send("echo @@deleted\\n");
        StringBuilder said = new StringBuilder();
        while (true) {
            String line = nextLine();
            if (line.contains("@@deleted")) {
                break;
            }
            String text = line.replace("(gdb)", "").trim();
            if (!text.startsWith("Killed process")) { // what gdb says when all went well
                said.append(text);
            }
        }
        if (!said.toString().isBlank() && deleteProblem == null) {
            deleteProblem = "gdb on 'delete checkpoint " + id + "': " + said;
        }
    }

    /** Lets the program settle back into read() after answering. */
    private static void settle() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void writeProgram(char c) {
        try {
            programInput.write(c);
            programInput.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to the program under gdb", e);
        }
    }

    private void send(String command) {
        try {
            commands.write((command + "\n").getBytes(StandardCharsets.UTF_8));
            commands.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to gdb; gdb said:\n" + transcript(), e);
        }
    }

    private Matcher await(Pattern pattern) {
        while (true) {
            String line = nextLine();
            Matcher m = pattern.matcher(line);
            if (m.find()) {
                return m;
            }
        }
    }

    private String nextLine() {
        try {
            String line = lines.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (line == null) {
                throw new IllegalStateException("gdb did not answer within " + TIMEOUT.toSeconds() + " s; gdb said:\n"
                        + transcript());
            }
            return line;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void readOutput() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(gdb.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                synchronized (transcript) {
                    transcript.append(line).append('\n');
                    if (transcript.length() > 8000) {
                        transcript.delete(0, transcript.length() - 4000);
                    }
                }
                lines.add(line);
            }
        } catch (IOException e) {
            lines.add("@@gdb output closed: " + e.getMessage());
        }
    }

    private String transcript() {
        synchronized (transcript) {
            return transcript.toString();
        }
    }

    private static void mkfifo(Path fifo) {
        try {
            Process p = new ProcessBuilder("mkfifo", "-m", "600", fifo.toString()).inheritIO().start();
            if (p.waitFor() != 0) {
                throw new IllegalStateException("mkfifo " + fifo + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("mkfifo", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Kills the program and its checkpoints with gdb's own commands, then ends gdb. */
    @Override
    public void close() {
        try {
            if (running && gdb.isAlive()) {
                interrupt();
            }
            // On Linux, gdb's 'kill' also kills every checkpoint fork it holds.
            send("kill");
            send("quit");
            if (!gdb.waitFor(20, TimeUnit.SECONDS)) {
                gdb.destroyForcibly().waitFor();
            }
        } catch (RuntimeException e) {
            gdb.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            gdb.destroyForcibly();
        } finally {
            try {
                if (programInput != null) {
                    programInput.close();
                }
            } catch (IOException e) {
                // the program is gone already
            }
        }
    }
}

package dev.rewind.plugin.mi;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A gdb process spoken to through GDB/MI ({@code --interpreter=mi3}): commands go out with a
 * token, and the {@code ^} record with the same token completes the command's future. Async and
 * stream records go to the {@link MiListener}s.
 *
 * <p>Thread-safe: any thread may send; one daemon thread reads gdb's output.
 */
public final class GdbMi implements AutoCloseable {
    private final Process process;
    private final OutputStream in;
    private final AtomicLong tokens = new AtomicLong(1);
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private final List<MiListener> listeners = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Integer> exited = new CompletableFuture<>();

    private record Pending(String command, CompletableFuture<MiRecord.Result> answer) {
    }

    private GdbMi(Process process) {
        this.process = process;
        this.in = process.getOutputStream();
    }

    /**
     * Starts {@code gdb} with no init files. gdb's stderr is merged into its output (it
     * is rare in MI mode and shows as {@link MiRecord.Unparsed}).
     */
    public static GdbMi start(String gdbPath, MiListener listener) throws IOException {
        Process p = new ProcessBuilder(gdbPath, "--interpreter=mi3", "-nx", "-q").redirectErrorStream(true).start();
        GdbMi gdb = new GdbMi(p);
        gdb.listeners.add(listener);
        Thread reader = new Thread(gdb::read, "rewind-gdb-mi-" + p.pid());
        reader.setDaemon(true);
        reader.start();
        return gdb;
    }

    public void addListener(MiListener listener) {
        listeners.add(listener);
    }

    public void removeListener(MiListener listener) {
        listeners.remove(listener);
    }

    /**
     * Sends one MI command ({@code -break-insert ...}) and answers its result record;
     * fails with {@link MiCommandException} when gdb answers {@code ^error}.
     */
    public CompletableFuture<MiRecord.Result> send(String command) {
        long token = tokens.getAndIncrement();
        CompletableFuture<MiRecord.Result> answer = new CompletableFuture<>();
        if (exited.isDone()) {
            answer.completeExceptionally(new IOException("gdb has exited"));
            return answer;
        }
        pending.put(token, new Pending(command, answer));
        try {
            synchronized (in) {
                in.write((token + command + "\n").getBytes(StandardCharsets.UTF_8));
                in.flush();
            }
        } catch (IOException e) {
            pending.remove(token);
            answer.completeExceptionally(e);
        }
        return answer;
    }

    /** Runs a CLI command through MI ({@code -interpreter-exec console}). */
    public CompletableFuture<MiRecord.Result> console(String cliCommand) {
        return send("-interpreter-exec console " + quote(cliCommand));
    }

    /** An MI C-string argument: quoted, with backslashes, quotes and newlines escaped. */
    public static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
        return out.append('"').toString();
    }

    /** Asks gdb to exit, then kills it if it has not within a second. */
    @Override
    public void close() {
        if (process.isAlive()) {
            send("-gdb-exit");
            try {
                if (!process.waitFor(1, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    private void read() {
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                dispatch(MiParser.parse(line));
            }
        } catch (IOException e) {
            // gdb went away: handled below like an end of output.
        } finally {
            int code;
            try {
                code = process.waitFor();
            } catch (InterruptedException e) {
                code = -1;
            }
            IOException gone = new IOException("gdb exited (status " + code + ")");
            pending.values().forEach(p -> p.answer().completeExceptionally(gone));
            pending.clear();
            exited.complete(code);
            for (MiListener l : listeners) {
                l.onExit(code);
            }
        }
    }

    private void dispatch(MiRecord record) {
        if (record instanceof MiRecord.Result r) {
            Pending p = pending.remove(r.token());
            if (p == null) {
                return; // an answer to a command without a token: nobody waits for it
            }
            if (r.isError()) {
                String msg = r.results().string("msg");
                p.answer().completeExceptionally(new MiCommandException(p.command(), msg == null ? "error" : msg));
            } else {
                p.answer().complete(r);
            }
        } else if (record instanceof MiRecord.Async a) {
            listeners.forEach(l -> l.onAsync(a));
        } else if (record instanceof MiRecord.Stream s) {
            listeners.forEach(l -> l.onStream(s));
        } else if (record instanceof MiRecord.Unparsed u) {
            MiRecord.Stream text = new MiRecord.Stream(MiRecord.Stream.LOG, u.line() + "\n");
            listeners.forEach(l -> l.onStream(text));
        }
    }
}

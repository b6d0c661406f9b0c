package dev.rewind.backend.rpc;

import dev.rewind.protocol.ProgressParams;
import dev.rewind.protocol.RewindClient;
import dev.rewind.protocol.checkpoint.CheckpointDropped;
import dev.rewind.protocol.checkpoint.CheckpointInfo;
import dev.rewind.protocol.session.ExitedEvent;
import dev.rewind.protocol.session.OutputEvent;
import dev.rewind.protocol.session.StoppedEvent;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Keeps every notification the backend sends, for tests to wait on. Thread-safe. */
final class RecordingClient implements RewindClient {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    final BlockingQueue<StoppedEvent> stopped = new LinkedBlockingQueue<>();
    final BlockingQueue<ExitedEvent> exited = new LinkedBlockingQueue<>();
    final BlockingQueue<CheckpointInfo> created = new LinkedBlockingQueue<>();
    final BlockingQueue<CheckpointDropped> dropped = new LinkedBlockingQueue<>();
    final BlockingQueue<ProgressParams> progress = new LinkedBlockingQueue<>();
    private final StringBuilder stdout = new StringBuilder();

    @Override
    public void stopped(StoppedEvent event) {
        stopped.add(event);
    }

    @Override
    public void exited(ExitedEvent event) {
        exited.add(event);
    }

    @Override
    public synchronized void output(OutputEvent event) {
        if (event.stream().equals(OutputEvent.STDOUT)) {
            stdout.append(event.text());
            notifyAll();
        }
    }

    @Override
    public void checkpointCreated(CheckpointInfo checkpoint) {
        created.add(checkpoint);
    }

    @Override
    public void checkpointDropped(CheckpointDropped event) {
        dropped.add(event);
    }

    @Override
    public void progress(ProgressParams params) {
        progress.add(params);
    }

    synchronized int stdoutLength() {
        return stdout.length();
    }

    /** Waits until stdout from {@code from} on contains {@code text}; returns it. */
    synchronized String awaitStdout(int from, String text) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (stdout.indexOf(text, from) < 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no '" + text + "' in stdout: " + stdout.substring(from));
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return stdout.substring(from);
    }

    static <T> T next(BlockingQueue<T> q) throws InterruptedException {
        T t = q.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (t == null) {
            throw new AssertionError("no notification within " + TIMEOUT);
        }
        return t;
    }
}

package dev.rewind.backend.checkpoint;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * What a debuggee wrote to a piped stream, split into lines, for scripts, the demo and tests to
 * wait on. Thread-safe.
 */
public final class OutputLog {
    private final StringBuilder partial = new StringBuilder();
    private final List<String> lines = new ArrayList<>();
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

    synchronized void append(String text) {
        for (Consumer<String> l : listeners) {
            l.accept(text);
        }
        partial.append(text);
        int nl;
        while ((nl = partial.indexOf("\n")) >= 0) {
            lines.add(partial.substring(0, nl));
            partial.delete(0, nl + 1);
        }
        notifyAll();
    }

    public void addListener(Consumer<String> listener) {
        listeners.add(listener);
    }

    public synchronized List<String> lines() {
        return new ArrayList<>(lines);
    }

    public synchronized int lineCount() {
        return lines.size();
    }

    /**
     * Waits until line number {@code index} (0-based) exists and returns it.
     *
     * @throws IllegalStateException when it does not come within {@code timeout}
     */
    public synchronized String awaitLine(int index, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (lines.size() <= index) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new IllegalStateException("no output line " + index + " within " + timeout.toMillis() + " ms; got "
                        + lines);
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return lines.get(index);
    }

    /** Waits for the first line at or after {@code from} that starts with {@code prefix}; returns its index. */
    public synchronized int awaitLineStartingWith(int from, String prefix, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int i = from;
        while (true) {
            while (i < lines.size()) {
                if (lines.get(i).startsWith(prefix)) {
                    return i;
                }
                i++;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new IllegalStateException("no output line starting with '" + prefix + "' within "
                        + timeout.toMillis() + " ms; got " + lines);
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}

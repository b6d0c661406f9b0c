package dev.rewind.backend.cli;

import java.nio.file.Path;

/** The tree benchmark program run with nobody tracing it: the baseline forks and heap copies. */
final class BenchTreePlain implements AutoCloseable {
    private final BenchPlainProcess process;

    BenchTreePlain(Path program, int procs, int mib) {
        process = new BenchPlainProcess(program, procs, mib);
    }

    /** Sends one command byte; the answer must be {@code word} followed by {@code count} numbers. */
    long[] askNumbers(char command, String word, int count) {
        String line = process.ask(command);
        String[] parts = line.trim().split("\\s+");
        if (parts.length != count + 1 || !parts[0].equals(word)) {
            throw new IllegalStateException("expected '" + word + "' and " + count + " numbers, got: " + line);
        }
        long[] v = new long[count];
        for (int i = 0; i < count; i++) {
            v[i] = Long.parseLong(parts[i + 1]);
        }
        return v;
    }

    @Override
    public void close() {
        process.close();
    }
}

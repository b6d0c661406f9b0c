package dev.rewind.backend.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** The tree benchmark program run with nobody tracing it: the baseline forks and heap copies. */
final class BenchTreePlain implements AutoCloseable {
    private final Process process;
    private final OutputStream stdin;
    private final BufferedReader stdout;

    BenchTreePlain(Path program, int procs, int mib) {
        try {
            process = new ProcessBuilder(program.toString(), Integer.toString(procs), Integer.toString(mib))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            throw new UncheckedIOException("starting " + program, e);
        }
        stdin = process.getOutputStream();
        stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
        String first = readLine();
        if (!first.startsWith("ready pid ")) {
            throw new IllegalStateException("unexpected first line from the benchmark program: " + first);
        }
    }

    /** Sends one command byte; the answer must be {@code word} followed by {@code count} numbers. */
    long[] askNumbers(char command, String word, int count) {
        try {
            stdin.write(command);
            stdin.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to the benchmark program", e);
        }
        String line = readLine();
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

    private String readLine() {
        try {
            String line = stdout.readLine();
            if (line == null) {
                throw new IllegalStateException("the benchmark program ended unexpectedly");
            }
            return line;
        } catch (IOException e) {
            throw new UncheckedIOException("reading from the benchmark program", e);
        }
    }

    @Override
    public void close() {
        try {
            stdin.close();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}

package dev.rewind.backend.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A benchmark program run with nobody tracing it, for the baselines (bare {@code fork()}, heap
 * rewrites and copies): under ptrace with fork tracing on, a fork would stop for the tracer and no
 * longer be bare. It answers one line per command byte.
 */
final class BenchPlainProcess implements AutoCloseable {
    private final Process process;
    private final OutputStream stdin;
    private final BufferedReader stdout;

    BenchPlainProcess(Path program, int... args) {
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(program.toString()));
        for (int a : args) {
            command.add(Integer.toString(a));
        }
        try {
            process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
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

    /** Sends one command byte and returns the program's one-line answer. */
    String ask(char command) {
        try {
            stdin.write(command);
            stdin.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to the benchmark program", e);
        }
        return readLine();
    }

    /** Sends a command whose answer is a number of microseconds, and returns it. */
    long askMicros(char command) {
        String line = ask(command);
        try {
            return Long.parseLong(line.trim());
        } catch (NumberFormatException e) {
            throw new IllegalStateException("expected microseconds for '" + command + "', got: " + line, e);
        }
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

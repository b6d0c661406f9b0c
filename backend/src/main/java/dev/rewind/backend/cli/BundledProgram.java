package dev.rewind.backend.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Unpacks the benchmark's debuggee ({@code rewind-bench.c}, compiled into the jar by the build)
 * into a private temporary directory, which also holds the fifo gdb's inferior reads from.
 */
final class BenchProgram {
    private static final String RESOURCE = "/dev/rewind/backend/demo/rewind-bench";

    private final Path dir;
    private final Path executable;

    private BenchProgram(Path dir, Path executable) {
        this.dir = dir;
        this.executable = executable;
    }

    static BenchProgram extract() {
        try (InputStream in = BenchProgram.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the benchmark program is missing from the jar; rebuild with ./build.sh");
            }
            Path dir = Files.createTempDirectory("rewind-bench",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Path exe = dir.resolve("rewind-bench");
            Files.copy(in, exe, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(exe, PosixFilePermissions.fromString("rwx------"));
            return new BenchProgram(dir, exe);
        } catch (IOException e) {
            throw new UncheckedIOException("unpacking the benchmark program", e);
        }
    }

    Path executable() {
        return executable;
    }

    Path dir() {
        return dir;
    }

    /** Removes the directory and what is left in it (the program, fifos). */
    void delete() {
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.deleteIfExists(p);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            System.err.println("rewind bench: could not remove " + dir + ": " + e.getMessage());
        }
    }
}

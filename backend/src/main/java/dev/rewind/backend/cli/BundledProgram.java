package dev.rewind.backend.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A C program the build compiled into the jar (backend/src/main/c: the demo's sample, the
 * benchmark's debuggee), unpacked into a private temporary directory so that no compiler is
 * needed at run time. The directory also holds what the program's users put beside it (fifos).
 */
final class BundledProgram {
    private final Path dir;
    private final Path executable;

    private BundledProgram(Path dir, Path executable) {
        this.dir = dir;
        this.executable = executable;
    }

    /** Unpacks {@code name} (e.g. "rewind-demo"). */
    static BundledProgram unpack(String name) {
        try (InputStream in = BundledProgram.class.getResourceAsStream("/dev/rewind/backend/demo/" + name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the jar; rebuild with ./build.sh");
            }
            Path dir = Files.createTempDirectory(name,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Path exe = dir.resolve(name);
            Files.copy(in, exe, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(exe, PosixFilePermissions.fromString("rwx------"));
            return new BundledProgram(dir, exe);
        } catch (IOException e) {
            throw new UncheckedIOException("unpacking " + name, e);
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
            System.err.println("rewind: could not remove " + dir + ": " + e.getMessage());
        }
    }
}

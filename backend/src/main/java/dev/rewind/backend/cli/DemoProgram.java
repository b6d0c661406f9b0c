package dev.rewind.backend.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Unpacks the sample program the build compiled into the jar, so the demo needs no compiler. */
final class DemoProgram {
    private DemoProgram() {
    }

    static Path extract() {
        try (InputStream in = DemoProgram.class.getResourceAsStream("/dev/rewind/backend/demo/rewind-demo")) {
            if (in == null) {
                throw new IllegalStateException("the demo program is missing from the jar; rebuild with ./build.sh");
            }
            Path dir = Files.createTempDirectory("rewind-demo",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Path exe = dir.resolve("rewind-demo");
            Files.copy(in, exe, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(exe, PosixFilePermissions.fromString("rwx------"));
            exe.toFile().deleteOnExit();
            dir.toFile().deleteOnExit();
            return exe;
        } catch (IOException e) {
            throw new UncheckedIOException("unpacking the demo program", e);
        }
    }
}

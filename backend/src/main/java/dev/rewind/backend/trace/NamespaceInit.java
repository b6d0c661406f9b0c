package dev.rewind.backend.trace;

import dev.rewind.backend.linux.LinuxException;
import dev.rewind.backend.linux.ProcFs;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * The init of a debuggee's own PID namespace: {@code rewind-init} (backend/src/main/c), which the
 * build puts in the jar. It is unpacked once per backend into a private directory removed at exit.
 */
final class NamespaceInit {
    private static Path executable;

    private NamespaceInit() {
    }

    static synchronized Path executable() {
        if (executable == null) {
            try (InputStream in = NamespaceInit.class.getResourceAsStream("/dev/rewind/backend/demo/rewind-init")) {
                if (in == null) {
                    throw new IllegalStateException("rewind-init is missing from the jar; rebuild with ./build.sh");
                }
                Path dir = Files.createTempDirectory("rewind-init",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                Path exe = dir.resolve("rewind-init");
                Files.copy(in, exe);
                Files.setPosixFilePermissions(exe, PosixFilePermissions.fromString("rwx------"));
                dir.toFile().deleteOnExit();
                exe.toFile().deleteOnExit(); // runs first: files are deleted in reverse order of registration
                executable = exe;
            } catch (IOException e) {
                throw new UncheckedIOException("unpacking rewind-init", e);
            }
        }
        return executable;
    }

    /**
     * The first child of {@code init} once it has stopped itself: the launch trampoline, which is
     * init's child, not ours, so we cannot wait for it and watch /proc instead (bounded: 5 s).
     */
    static int stoppedChild(int init) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline) {
            try {
                List<Integer> children = ProcFs.children(init);
                if (!children.isEmpty() && "T".equals(state(children.get(0)))) {
                    return children.get(0);
                }
            } catch (LinuxException e) {
                throw new IllegalStateException("the namespace's init ended before the program started", e);
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting the program", e);
            }
        }
        throw new IllegalStateException("the program did not start in its PID namespace within 5 s");
    }

    private static String state(int pid) {
        String s = ProcFs.status(pid).get("State");
        return s == null || s.isEmpty() ? "?" : s.substring(0, 1);
    }
}

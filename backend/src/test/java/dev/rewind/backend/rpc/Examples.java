package dev.rewind.backend.rpc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Builds the example debuggees of examples/ (once per test JVM) and finds the repository. */
final class Examples {
    private static Path bin;

    private Examples() {
    }

    /** The repository root: backend's parent. */
    static Path root() {
        Path here = Path.of("").toAbsolutePath();
        return Files.isDirectory(here.resolve("examples")) ? here : here.getParent();
    }

    static synchronized Path bin() {
        if (bin == null) {
            Path out = Path.of("target", "examples-bin").toAbsolutePath();
            try {
                Process make = new ProcessBuilder("make", "-s", "-C", root().resolve("examples").toString(),
                        "OUT=" + out).inheritIO().start();
                if (make.waitFor() != 0) {
                    throw new IllegalStateException("make -C examples failed");
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            bin = out;
        }
        return bin;
    }

    static String program(String name) {
        return bin().resolve(name).toString();
    }
}

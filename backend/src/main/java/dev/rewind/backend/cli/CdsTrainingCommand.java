package dev.rewind.backend.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import dev.rewind.backend.gdb.GdbTrainingSession;
import picocli.CommandLine.Command;

/**
 * {@code rewind cds-training} (hidden): what the build runs under {@code -XX:ArchiveClassesAtExit} to make
 * {@code backend/target/rewind.jsa}, the class-data-sharing archive {@code ./rewind} starts with. It loads every
 * class of the jar (the archive then holds them parsed and verified) and plays a gdb session on the bundled
 * sample, which also records the JDK classes and lambda forms that path uses. Measured here: {@code rewind
 * --version} 0.31 s without the archive, 0.22 s with it; a gdb {@code run} to the first breakpoint through
 * {@code rewind gdbserver} about 80 ms sooner.
 */
@Command(name = "cds-training", hidden = true, description = "Load what a gdb session loads (for the build's class-data-sharing archive).")
final class CdsTrainingCommand implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
        int loaded = loadEveryClass();
        BundledProgram sample = BundledProgram.unpack("rewind-demo");
        try {
            int answered = new GdbTrainingSession(sample.executable(), System.err).run();
            System.err.println("rewind cds-training: " + loaded + " classes loaded, " + answered + " gdb requests answered");
        } catch (IOException | RuntimeException e) {
            // A build machine without ptrace still gets an archive of the loaded classes.
            System.err.println("rewind cds-training: " + loaded + " classes loaded; the gdb session failed: " + e.getMessage());
        } finally {
            sample.delete();
        }
        return 0;
    }

    private static int loadEveryClass() throws Exception {
        Path jar = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (!jar.toString().endsWith(".jar")) {
            return 0;
        }
        int loaded = 0;
        ClassLoader loader = Main.class.getClassLoader();
        try (JarFile file = new JarFile(jar.toFile())) {
            for (JarEntry e : java.util.Collections.list(file.entries())) {
                String name = e.getName();
                if (!name.endsWith(".class") || name.startsWith("META-INF/") || name.endsWith("module-info.class")) {
                    continue;
                }
                try {
                    Class.forName(name.substring(0, name.length() - 6).replace('/', '.'), false, loader);
                    loaded++;
                } catch (LinkageError | ClassNotFoundException ignored) {
                    // an optional dependency of a library that is not in the jar: that class is not needed
                }
            }
        }
        return loaded;
    }
}

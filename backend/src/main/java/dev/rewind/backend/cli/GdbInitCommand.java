package dev.rewind.backend.cli;

import dev.rewind.backend.gdb.GdbServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code rewind gdb-init}: prints the path of the gdb script that defines the rw-* commands. */
@Command(name = "gdb-init", mixinStandardHelpOptions = true, description = {
    "Print the path of Rewind's gdb script (rw-checkpoint, rw-restart, rw-list, rw-drop, rw-back).",
    "In gdb: source $(./rewind gdb-init)"})
final class GdbInitCommand implements Callable<Integer> {
    @Override
    public Integer call() throws IOException {
        System.out.println(scriptFile());
        return 0;
    }

    /** Writes the script (from the jar) to the user's cache directory, once per content, and returns its path. */
    static Path scriptFile() throws IOException {
        String text = GdbServer.script();
        String cache = System.getenv("XDG_CACHE_HOME");
        Path dir = cache != null && !cache.isEmpty() ? Path.of(cache, "rewind")
                : Path.of(System.getProperty("user.home"), ".cache", "rewind");
        Path file = dir.resolve("rewind-" + Integer.toHexString(text.hashCode()) + ".gdb");
        if (!Files.isRegularFile(file) || !Files.readString(file).equals(text)) {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "rewind", ".gdb.tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        return file;
    }
}

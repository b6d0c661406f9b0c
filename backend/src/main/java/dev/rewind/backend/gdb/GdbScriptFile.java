package dev.rewind.backend.gdb;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * Rewind's gdb script ({@link GdbServer#script()}) as a file gdb can {@code source}: what
 * {@code rewind gdb-init} prints and what {@code session/gdbserver} tells clients. Stateless.
 */
public final class GdbScriptFile {
    private GdbScriptFile() {
    }

    /**
     * Writes the script once per content and returns its path. The cache is $XDG_CACHE_HOME,
     * else $HOME/.cache (the environment's, which may differ from the passwd entry Java's
     * user.home reads), else user.home's; an account with no writable home (a service user) gets
     * a private 0700 directory under java.io.tmpdir instead.
     */
    public static Path path() throws IOException {
        String text = GdbServer.script();
        String name = "rewind-" + Integer.toHexString(text.hashCode()) + ".gdb";
        IOException last = null;
        for (Path dir : cacheDirectories()) {
            try {
                return writeOnce(dir, name, text);
            } catch (IOException e) {
                last = e;
            }
        }
        try {
            Path dir = Files.createTempDirectory("rewind-gdb-script-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            return writeOnce(dir, name, text);
        } catch (IOException e) {
            if (last != null) {
                e.addSuppressed(last);
            }
            throw e;
        }
    }

    private static List<Path> cacheDirectories() {
        List<Path> dirs = new ArrayList<>();
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isEmpty()) {
            dirs.add(Path.of(xdg, "rewind"));
        }
        String home = System.getenv("HOME");
        if (home != null && !home.isEmpty()) {
            dirs.add(Path.of(home, ".cache", "rewind"));
        }
        dirs.add(Path.of(System.getProperty("user.home"), ".cache", "rewind"));
        return dirs;
    }

    private static Path writeOnce(Path dir, String name, String text) throws IOException {
        Path file = dir.resolve(name);
        if (!Files.isRegularFile(file) || !Files.readString(file).equals(text)) {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "rewind", ".gdb.tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        return file;
    }
}

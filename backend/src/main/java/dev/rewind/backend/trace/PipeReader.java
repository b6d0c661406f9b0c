package dev.rewind.backend.trace;

import dev.rewind.backend.linux.LinuxException;
import dev.rewind.backend.linux.Spawn;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Drains the backend's end of a debuggee's stdout or stderr pipe on its own daemon thread and
 * hands each chunk on as text. The pipe stays open while any snapshot holds its write end, so
 * output of restarted processes comes through the same reader.
 */
public final class PipeReader {
    private PipeReader() {
    }

    public static Thread start(int fd, String name, Consumer<String> sink) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[8192];
            try {
                int n;
                while ((n = Spawn.read(fd, buf)) > 0) {
                    sink.accept(new String(buf, 0, n, StandardCharsets.UTF_8));
                }
            } catch (LinuxException e) {
                // closed under us: the debuggee is gone
            } finally {
                Spawn.close(fd);
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }
}

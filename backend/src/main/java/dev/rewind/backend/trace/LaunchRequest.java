package dev.rewind.backend.trace;

import java.util.List;
import java.util.Map;

/**
 * What to launch under the tracer.
 *
 * @param stdio where fds 0, 1 and 2 go: a file path, {@link #PIPE}, {@link #INHERIT} (the
 *              backend's own descriptor: never while the backend serves a protocol on its stdio)
 *              or null for /dev/null
 */
public record LaunchRequest(String program, List<String> args, String cwd, Map<String, String> env,
        List<String> stdio) {
    public static final String PIPE = "pipe";
    public static final String INHERIT = "inherit";

    public LaunchRequest {
        args = List.copyOf(args);
        env = env == null ? Map.of() : Map.copyOf(env);
        stdio = stdio == null ? java.util.Arrays.asList(null, null, null) : java.util.Collections.unmodifiableList(
                new java.util.ArrayList<>(stdio));
    }

    public String stdio(int fd) {
        return fd < stdio.size() ? stdio.get(fd) : null;
    }
}

package dev.rewind.backend.trace;

import java.util.List;
import java.util.Map;

/**
 * What to launch under the tracer.
 *
 * @param stdio where fds 0, 1 and 2 go: a file path, {@link #PIPE}, {@link #INHERIT} (the
 *              backend's own descriptor: never while the backend serves a protocol on its stdio)
 *              or null for /dev/null
 * @param pidNamespace start it as pid 2 of a PID namespace of its own, under an init of ours (needs
 *              root): its restarts then get their pids back without clashing with any process
 *              outside, and nothing of it outlives the backend
 */
public record LaunchRequest(String program, List<String> args, String cwd, Map<String, String> env,
        List<String> stdio, boolean pidNamespace) {
    public static final String PIPE = "pipe";
    public static final String INHERIT = "inherit";

    public LaunchRequest {
        args = List.copyOf(args);
        env = env == null ? Map.of() : Map.copyOf(env);
        stdio = stdio == null ? java.util.Arrays.asList(null, null, null) : java.util.Collections.unmodifiableList(
                new java.util.ArrayList<>(stdio));
    }

    public LaunchRequest(String program, List<String> args, String cwd, Map<String, String> env, List<String> stdio) {
        this(program, args, cwd, env, stdio, false);
    }

    public String stdio(int fd) {
        return fd < stdio.size() ? stdio.get(fd) : null;
    }
}

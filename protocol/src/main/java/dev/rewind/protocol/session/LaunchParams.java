package dev.rewind.protocol.session;

import java.util.List;
import java.util.Map;

/**
 * @param program      path of the executable
 * @param args         its arguments, without argv[0]; may be omitted
 * @param cwd          working directory; the backend's when omitted
 * @param env          added to (and overriding) the backend's environment; may be omitted
 * @param stdin        a file path, {@code "pipe"} (write with {@code session/input}), or omitted for /dev/null
 * @param stdout       a file path, {@code "pipe"} (comes as {@code session/output}), or omitted for /dev/null
 * @param stderr       as {@code stdout}
 * @param stopAtEntry  stay stopped at the program's first instruction (a {@code session/stopped}
 *                     with reason {@code "entry"} follows)
 * @param onDisconnect what happens when this client's connection ends: {@code "kill"} (default)
 *                     or {@code "keep"} (the session stays for any later client, until killed)
 * @param pidNamespace start the program in a PID namespace of its own (pid 2, under an init of the
 *                     backend's; needs a root backend): restarts give every process its pids back
 *                     even when another process has taken them outside; may be omitted (false)
 */
public record LaunchParams(String program, List<String> args, String cwd, Map<String, String> env, String stdin,
        String stdout, String stderr, boolean stopAtEntry, String onDisconnect, boolean pidNamespace) {
    /** The value of a stdio field that makes a pipe to the backend. */
    public static final String PIPE = "pipe";
    /** {@code onDisconnect}: kill the debuggee and its snapshots. */
    public static final String KILL = "kill";
    /** {@code onDisconnect}: the session outlives the connection. */
    public static final String KEEP = "keep";
    /** {@code onDisconnect} of an attached session: let the process go, running as it was found. */
    public static final String DETACH = "detach";

    /** Without a PID namespace of its own. */
    public LaunchParams(String program, List<String> args, String cwd, Map<String, String> env, String stdin,
            String stdout, String stderr, boolean stopAtEntry, String onDisconnect) {
        this(program, args, cwd, env, stdin, stdout, stderr, stopAtEntry, onDisconnect, false);
    }
}

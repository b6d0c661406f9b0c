package dev.rewind.backend.trace;

import dev.rewind.backend.linux.LinuxException;
import dev.rewind.backend.linux.PidNamespaces;
import dev.rewind.backend.linux.Ptrace;
import dev.rewind.backend.linux.Signals;
import dev.rewind.backend.linux.Spawn;
import dev.rewind.backend.linux.Wait;
import dev.rewind.backend.linux.WaitStatus;
import java.io.File;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Starts a program under the tracer, traced from its first instruction.
 *
 * <p>We cannot run Java code between fork and exec, so the child is a {@code /bin/sh} that stops
 * itself ({@code kill -STOP $$}) before it execs the program. While it is stopped we seize it
 * with the tree options; the exec then arrives as a PTRACE_EVENT_EXEC stop, where the program is
 * at its ELF entry and has run nothing. Runs on the tracer thread.
 */
public final class Launcher {
    private static final String TRAMPOLINE = "kill -STOP $$; exec \"$0\" \"$@\"";

    /** The launched process, stopped at exec, and the backend's ends of piped stdio (-1 when not piped). */
    public record Launched(TracedProcess process, int stdinWrite, int stdoutRead, int stderrRead) {
    }

    private static final Logger LOG = Logger.getLogger(Launcher.class.getName());

    private Launcher() {
    }

    /**
     * The PTRACE_EVENT_EXEC stop is inside execve, before the kernel writes its return value
     * into rax: a call injected there would find its number overwritten with 0 on the way out.
     * One single-step finishes execve and stops on the syscall's return, at the program's entry,
     * before its first instruction; from there the process is in an ordinary stop.
     */
    private static void finishExec(int pid) {
        long entry = Ptrace.getRegs(pid).rip;
        Ptrace.singleStep(pid, 0);
        while (true) {
            WaitStatus ws = Wait.waitFor(pid);
            if (ws.gone()) {
                throw new IllegalStateException("the program ended at exec: " + ws);
            }
            if (ws.event() == 0 && ws.stopSignal() == Signals.SIGTRAP) {
                break;
            }
            Ptrace.singleStep(pid, 0);
        }
        long rip = Ptrace.getRegs(pid).rip;
        if (rip != entry) {
            throw new IllegalStateException("stepping out of execve moved the program from 0x" + Long.toHexString(entry)
                    + " to 0x" + Long.toHexString(rip));
        }
    }

    public static Launched launch(Tracer tracer, LaunchRequest request) {
        tracer.checkThread();
        File program = new File(request.program());
        if (!program.isFile()) {
            throw new IllegalArgumentException("no such program: " + request.program());
        }
        if (!program.canExecute()) {
            throw new IllegalArgumentException("not executable: " + request.program());
        }
        Map<Integer, Integer> dups = new HashMap<>();
        List<Spawn.OpenFile> opens = new ArrayList<>();
        int[] backendEnds = {-1, -1, -1};
        List<Integer> childEnds = new ArrayList<>();
        for (int fd = 0; fd < 3; fd++) {
            String where = request.stdio(fd);
            if (LaunchRequest.PIPE.equals(where)) {
                int[] p = Spawn.pipe();
                int childEnd = fd == 0 ? p[0] : p[1];
                backendEnds[fd] = fd == 0 ? p[1] : p[0];
                dups.put(fd, childEnd);
                childEnds.add(childEnd);
            } else if (LaunchRequest.INHERIT.equals(where)) {
                dups.put(fd, fd);
            } else {
                String path = where == null ? "/dev/null" : where;
                int flags = fd == 0 ? Spawn.O_RDONLY : Spawn.O_WRONLY | Spawn.O_CREAT | Spawn.O_TRUNC;
                opens.add(new Spawn.OpenFile(fd, path, flags));
            }
        }
        Map<String, String> env = new HashMap<>(System.getenv());
        env.putAll(request.env());
        List<String> envList = env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).sorted().toList();
        List<String> argv = new ArrayList<>(List.of("sh", "-c", TRAMPOLINE, program.getAbsolutePath()));
        argv.addAll(request.args());
        int pid;
        int init = 0;
        try {
            if (request.pidNamespace()) {
                String initExe = NamespaceInit.executable().toString();
                List<String> initArgv = new ArrayList<>(List.of(initExe, "/bin/sh"));
                initArgv.addAll(argv.subList(1, argv.size()));
                try {
                    init = PidNamespaces.spawnAsInit(() -> Spawn.spawn(new Spawn.Request(initExe, initArgv, envList,
                            request.cwd(), dups, opens)));
                } catch (LinuxException e) {
                    throw new IllegalStateException("cannot start it in a PID namespace of its own: " + e.getMessage(), e);
                }
                tracer.addNamespaceInit(init);
                pid = 0;
            } else {
                pid = Spawn.spawn(new Spawn.Request("/bin/sh", argv, envList, request.cwd(), dups, opens));
            }
        } finally {
            childEnds.forEach(Spawn::close);
        }
        try {
            if (init > 0) {
                pid = NamespaceInit.stoppedChild(init);
            } else {
                WaitStatus ws = Wait.waitUntraced(pid);
                if (!ws.stopped()) {
                    throw new IllegalStateException("the launcher shell ended before exec: " + ws);
                }
            }
            Ptrace.seize(pid, Tracer.TREE_OPTIONS | Ptrace.O_EXITKILL);
            Signals.kill(pid, Signals.SIGCONT);
            while (true) {
                WaitStatus ws = Wait.waitFor(pid);
                if (ws.gone()) {
                    throw new IllegalStateException("could not start " + request.program() + ": " + ws);
                }
                if (ws.event() == Ptrace.EVENT_EXEC) {
                    finishExec(pid);
                    break;
                }
                Ptrace.cont(pid, 0); // the attach stop, the SIGCONT, the shell's own steps
            }
        } catch (RuntimeException e) {
            if (init > 0) {
                Signals.kill(init, Signals.SIGKILL); // and with it every process of its namespace
            }
            if (pid > 0) { // never kill(0): that is the backend's own process group
                try {
                    Signals.kill(pid, Signals.SIGKILL);
                    while (!Wait.waitFor(pid).gone()) {
                        Ptrace.cont(pid, 0);
                    }
                } catch (LinuxException ignored) {
                    // already gone
                }
            }
            for (int end : backendEnds) {
                if (end >= 0) {
                    Spawn.close(end);
                }
            }
            throw e;
        }
        TracedProcess p = tracer.track(pid, TracedProcess.Origin.LAUNCHED, List.of(pid));
        if (init > 0) {
            p.markNamespaced();
        }
        try {
            // Now, while it is stopped at its exec anyway: at the first checkpoint the injected
            // mmap was part of the downtime (the first in a backend held the program 8-10 ms).
            CallStub.in(p.leader());
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "no call stub at launch; the first checkpoint maps it", e);
        }
        return new Launched(p, backendEnds[0], backendEnds[1], backendEnds[2]);
    }
}

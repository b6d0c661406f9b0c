package dev.rewind.backend.checkpoint;

import dev.rewind.backend.linux.LinuxException;
import dev.rewind.backend.linux.Syscall;
import dev.rewind.backend.trace.Attacher;
import dev.rewind.backend.trace.LaunchRequest;
import dev.rewind.backend.trace.Launcher;
import dev.rewind.backend.trace.PipeReader;
import dev.rewind.backend.trace.TraceListener;
import dev.rewind.backend.trace.TracedProcess;
import dev.rewind.backend.trace.Tracer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The checkpoint engine: one tracer thread and the debuggees it owns. Closing it (also from a
 * shutdown hook) kills launched debuggees and every snapshot, and detaches attached processes,
 * so nothing is left stopped or traced. Thread-safe.
 */
public final class Engine implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Engine.class.getName());

    private final Tracer tracer;
    private final MemoryBudget budget;
    private final AtomicLong crids = new AtomicLong();
    private final List<Debuggee> debuggees = new CopyOnWriteArrayList<>();

    public Engine(MemoryBudget budget) {
        this.budget = budget;
        try {
            // Orphaned processes of a debuggee tree (a snapshot whose attached parent we killed)
            // come to us instead of init, so we can still reap and reuse their pids.
            Syscall.becomeChildSubreaper();
        } catch (LinuxException e) {
            LOG.log(Level.FINE, "child subreaper", e);
        }
        this.tracer = new Tracer();
        tracer.addListener(new TraceListener() {
            @Override
            public void processCreated(TracedProcess parent, TracedProcess child) {
                for (Debuggee d : debuggees) {
                    d.processCreated(parent, child);
                }
            }

            @Override
            public boolean processForked(dev.rewind.backend.trace.TracedThread parent, TracedProcess child, boolean vfork) {
                for (Debuggee d : debuggees) {
                    if (d.owns(parent.process())) {
                        return d.processForked(parent, child, vfork);
                    }
                }
                return false;
            }

            @Override
            public boolean vforkDone(dev.rewind.backend.trace.TracedThread parent) {
                for (Debuggee d : debuggees) {
                    if (d.owns(parent.process())) {
                        return d.vforkDone(parent);
                    }
                }
                return false;
            }

            @Override
            public boolean processExeced(TracedProcess process, boolean canHold) {
                boolean hold = false;
                for (Debuggee d : debuggees) {
                    hold |= d.processExeced(process, canHold);
                }
                return hold;
            }

            @Override
            public void processExited(TracedProcess process, int status) {
                for (Debuggee d : debuggees) {
                    d.processExited(process, status);
                }
            }

            @Override
            public int signalReceived(dev.rewind.backend.trace.TracedThread thread, int signal) {
                for (Debuggee d : debuggees) {
                    if (d.owns(thread.process())) {
                        return d.signalReceived(thread, signal);
                    }
                    if (d.holdsFork(thread.process())) {
                        return d.forkSignalReceived(thread, signal);
                    }
                }
                return signal;
            }
        });
    }

    public Engine() {
        this(MemoryBudget.UNLIMITED);
    }

    /** Whether restarts can keep pids and tids (clone3 set_tid needs CAP_CHECKPOINT_RESTORE). */
    public static boolean canPreservePids() {
        return Tracer.canPreservePids();
    }

    public Tracer tracer() {
        return tracer;
    }

    /** Launches {@code request}; it stays stopped at its first instruction when {@code stopAtEntry}. */
    public Debuggee launch(LaunchRequest request, boolean stopAtEntry) {
        Launcher.Launched l = tracer.call(() -> Launcher.launch(tracer, request));
        return adopt(l.process(), l, stopAtEntry);
    }

    /** A debuggee restored from an image file, and what could not be restored. */
    public record ImageRestore(Debuggee debuggee, List<String> warnings) {
    }

    /**
     * Makes a live process from checkpoint {@code crid} of the image file {@code image} (see
     * {@link ImageRestorer}); {@code stdio} as in {@link LaunchRequest}. It stays stopped at the
     * checkpoint's point (a stop with reason ENTRY) when {@code stopped}. The new debuggee has no
     * checkpoint yet: its crids are this backend's.
     */
    public ImageRestore restoreImage(java.nio.file.Path image, long crid, List<String> stdio, boolean stopped) {
        ImageRestorer.Restored r = tracer.call(() -> ImageRestorer.restore(tracer, image, crid, stdio));
        Debuggee d = adopt(r.process(), r.host(), stopped);
        // As after a restart: the root's other processes are not under a debugger's all-stop control; they run on.
        tracer.run(() -> r.children().forEach(c -> c.threads().forEach(t -> tracer.resume(t, 0))));
        return new ImageRestore(d, r.warnings());
    }

    /** A debuggee for {@code live}, with the piped stdio of {@code l}. */
    private Debuggee adopt(TracedProcess live, Launcher.Launched l, boolean stopAtEntry) {
        Debuggee d = new Debuggee(tracer, crids, budget, live, l.stdinWrite());
        if (l.stdoutRead() >= 0) {
            PipeReader.start(l.stdoutRead(), "rewind-stdout-" + live.pid(), d.stdout()::append);
        }
        if (l.stderrRead() >= 0) {
            PipeReader.start(l.stderrRead(), "rewind-stderr-" + live.pid(), d.stderr()::append);
        }
        debuggees.add(d);
        if (stopAtEntry) {
            tracer.run(d::heldAtEntry);
        } else {
            d.resume();
        }
        return d;
    }

    /** Attaches to a running process; it stays stopped until {@link Debuggee#resume()}. */
    public Debuggee attach(int pid) {
        TracedProcess p = tracer.call(() -> Attacher.attach(tracer, pid));
        Debuggee d = new Debuggee(tracer, crids, budget, p, -1);
        debuggees.add(d);
        return d;
    }

    /**
     * Ends the backend's hold on {@code d}: kills a launched debuggee, detaches an attached one
     * (see {@link Debuggee#detach()}), frees its snapshots and forgets it.
     */
    public void release(Debuggee d) {
        try {
            d.detach();
        } finally {
            debuggees.remove(d);
        }
    }

    public List<Debuggee> debuggees() {
        return List.copyOf(debuggees);
    }

    @Override
    public void close() {
        tracer.close();
    }
}

package dev.rewind.backend.trace;

import dev.rewind.backend.linux.LinuxException;
import dev.rewind.backend.linux.ProcFs;
import dev.rewind.backend.linux.Ptrace;
import dev.rewind.backend.linux.Signals;
import dev.rewind.backend.linux.Spawn;
import dev.rewind.backend.linux.Syscall;
import dev.rewind.backend.linux.Wait;
import dev.rewind.backend.linux.WaitStatus;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one thread that makes every ptrace call, and its event loop.
 *
 * <p>Linux accepts ptrace requests only from the thread that attached, so all tracing runs here
 * and other threads {@link #call submit} work. The loop blocks in {@code waitpid(-1, __WALL |
 * __WNOTHREAD)}; {@code __WNOTHREAD} keeps it away from the children of other JVM threads (the
 * JVM's own process reaper waits for those). To wake it for new work we keep a "doorbell": a
 * traced {@code sleep} process. Any thread may send the doorbell a signal; a traced process
 * stops on every signal, even an ignored one, and that stop ends the tracer's wait.
 *
 * <p>Thread-safe: {@link #call} and {@link #submit} may be used from any thread. Everything
 * else is confined to the tracer thread.
 */
public final class Tracer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Tracer.class.getName());

    /**
     * Options for every debuggee: see the whole tree and when a vfork is over (the parent's
     * memory is its own again); launched ones add EXITKILL, so they die with the backend.
     */
    /** The options that make a fork, vfork or clone stop its parent with an event. */
    public static final int FORK_EVENTS = Ptrace.O_TRACEFORK | Ptrace.O_TRACEVFORK | Ptrace.O_TRACECLONE;

    public static final int TREE_OPTIONS = FORK_EVENTS | Ptrace.O_TRACEEXEC | Ptrace.O_TRACEEXIT
            | Ptrace.O_TRACEVFORKDONE;

    private final ConcurrentLinkedQueue<Runnable> work = new ConcurrentLinkedQueue<>();
    private final Map<Integer, TracedProcess> processes = new HashMap<>();
    private final Map<Integer, TracedThread> threads = new HashMap<>();
    private final List<TraceListener> listeners = new ArrayList<>();
    private final Thread thread;
    private final CountDownLatch started = new CountDownLatch(1);
    private volatile boolean running = true;
    private volatile int doorbell;
    private final List<Integer> namespaceInits = new ArrayList<>();
    /** The tracer is (about to be) blocked in waitpid: new work must ring the doorbell. */
    private volatile boolean idle;
    private volatile Throwable startFailure;

    public Tracer() {
        thread = new Thread(this::loop, "rewind-tracer");
        thread.setDaemon(true);
        thread.start();
        try {
            started.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (startFailure != null) {
            throw new IllegalStateException("the tracer thread could not start: " + startFailure.getMessage(),
                    startFailure);
        }
    }

    public void addListener(TraceListener listener) {
        call(() -> listeners.add(listener));
    }

    /** Runs {@code task} on the tracer thread. */
    public <T> CompletableFuture<T> submit(Callable<T> task) {
        CompletableFuture<T> f = new CompletableFuture<>();
        if (!running) {
            f.completeExceptionally(new IllegalStateException("the tracer has stopped"));
            return f;
        }
        work.add(() -> {
            try {
                f.complete(task.call());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        if (idle) {
            ring();
        }
        return f;
    }

    /** Runs {@code task} on the tracer thread and waits for it; exceptions come back unwrapped. */
    public <T> T call(Callable<T> task) {
        if (Thread.currentThread() == thread) {
            try {
                return task.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        try {
            return submit(task).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the tracer", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException r) {
                throw r;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(c);
        }
    }

    public void run(Runnable task) {
        call(() -> {
            task.run();
            return null;
        });
    }

    /** Fails unless called on the tracer thread. */
    public void checkThread() {
        if (Thread.currentThread() != thread) {
            throw new IllegalStateException("ptrace work must run on the tracer thread");
        }
    }

    private void ring() {
        int d = doorbell;
        if (d > 0) {
            try {
                Signals.kill(d, Signals.SIGURG);
            } catch (LinuxException e) {
                LOG.log(Level.FINE, "doorbell", e);
            }
        }
    }

    private void loop() {
        try {
            doorbell = startDoorbell();
        } catch (Throwable t) {
            startFailure = t;
            running = false;
            started.countDown();
            return;
        }
        started.countDown();
        while (running) {
            Runnable r;
            while ((r = work.poll()) != null) {
                r.run();
            }
            if (!running) {
                break;
            }
            WaitStatus ws;
            try {
                // Submitters ring the doorbell only while this is set (a ring costs a signal and
                // two process wakeups): set it, then look at the queue once more, so that no work
                // is left waiting for a ring. (Polling here before blocking was tried: on two
                // CPUs the spinning tracer slowed the debuggee and gdb far more than it saved.)
                idle = true;
                if (!work.isEmpty()) {
                    idle = false;
                    continue;
                }
                try {
                    ws = Wait.waitFor(-1);
                } finally {
                    idle = false;
                }
            } catch (LinuxException e) {
                LOG.log(Level.WARNING, "waitpid", e);
                continue;
            }
            try {
                dispatch(ws);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "handling " + ws, e);
            }
        }
        Runnable r;
        while ((r = work.poll()) != null) {
            r.run();
        }
    }

    private int startDoorbell() {
        int pid = Spawn.spawn(new Spawn.Request("/bin/sleep", List.of("rewind-doorbell", "infinity"), List.of(), "/",
                Map.of(), List.of(new Spawn.OpenFile(0, "/dev/null", Spawn.O_RDONLY),
                        new Spawn.OpenFile(1, "/dev/null", Spawn.O_WRONLY),
                        new Spawn.OpenFile(2, "/dev/null", Spawn.O_WRONLY))));
        Ptrace.seize(pid, Ptrace.O_EXITKILL);
        return pid;
    }

    private void dispatch(WaitStatus ws) {
        if (ws.tid() == doorbell) {
            if (ws.stopped()) {
                Ptrace.cont(ws.tid(), 0);
            } else {
                doorbell = startDoorbell();
            }
            return;
        }
        TracedThread t = threads.get(ws.tid());
        if (t == null) {
            t = adopt(ws.tid());
            if (t == null) {
                return; // an untraced child of ours that ended; nothing to do
            }
        }
        TracedProcess p = t.process();
        if (ws.gone()) {
            threadGone(t, ws);
            return;
        }
        if (p.isParked()) {
            if (ws.event() == Ptrace.EVENT_EXIT) {
                resume(t, 0); // killed (a released stand-in): let it finish dying
            } else {
                t.setStopped(true); // snapshots and stand-ins stay parked
            }
            return;
        }
        switch (ws.event()) {
            case Ptrace.EVENT_FORK, Ptrace.EVENT_VFORK, Ptrace.EVENT_CLONE -> {
                int child = (int) Ptrace.eventMessage(t.tid());
                if (!threads.containsKey(child)) {
                    register(child, ws.event() == Ptrace.EVENT_CLONE && isThreadOf(child, p) ? p : null, t);
                }
                TracedProcess forked = ws.event() != Ptrace.EVENT_CLONE ? processes.get(child) : null;
                boolean hold = false;
                if (forked != null && forked != p) {
                    t.setStopped(true);
                    for (TraceListener l : listeners) {
                        hold |= l.processForked(t, forked, ws.event() == Ptrace.EVENT_VFORK);
                    }
                }
                if (!hold) {
                    resume(t, 0);
                }
            }
            case Ptrace.EVENT_EXEC -> {
                TracedThread leader = noteExec(p, true);
                if (!leader.stopped()) {
                    resume(leader, 0);
                }
            }
            case Ptrace.EVENT_EXIT -> resume(t, 0);
            case Ptrace.EVENT_VFORK_DONE -> {
                t.setStopped(true);
                boolean hold = false;
                for (TraceListener l : listeners) {
                    hold |= l.vforkDone(t);
                }
                if (!hold) {
                    resume(t, 0);
                }
            }
            case Ptrace.EVENT_STOP -> {
                if (t.held()) {
                    t.setFresh(false);
                    t.setStopped(true); // a debugger decides when it runs
                } else if (t.fresh()) {
                    t.setFresh(false);
                    resume(t, 0); // the first stop of a new tracee
                } else if (Signals.isStopSignal(ws.stopSignal()) && !t.stopped()) {
                    // A real group-stop (SIGSTOP/SIGTSTP...): keep the job-control semantics.
                    t.setStopped(true);
                    t.setJobControlStop(ws.stopSignal());
                    if (t.tid() == p.pid()) {
                        // Nobody may be looking: a restored background group that reads its
                        // terminal (SIGTTIN) would otherwise hang in silence.
                        LOG.warning("process " + p.pid() + " stopped by " + Signals.name(ws.stopSignal())
                                + Signals.jobControlHint(ws.stopSignal()));
                    }
                    try {
                        Ptrace.listen(t.tid());
                    } catch (LinuxException e) {
                        resume(t, 0);
                    }
                } else {
                    // An initial attach stop, or a leftover PTRACE_INTERRUPT: carry on.
                    resume(t, 0);
                }
            }
            default -> {
                t.setStopped(true); // it is, and a listener that stops the other threads must know
                int deliver = ws.stopSignal();
                for (TraceListener l : listeners) {
                    if (deliver != TraceListener.HOLD) {
                        deliver = l.signalReceived(t, deliver);
                    }
                }
                if (deliver == TraceListener.HOLD) {
                    t.setStopped(true);
                } else {
                    resume(t, deliver);
                }
            }
        }
    }

    /**
     * After an exec the kernel has killed every other thread and the execing one carries the
     * leader's tid; the vDSO moved. Returns the leader, marked stopped when a listener holds it
     * (only if {@code canHold}).
     */
    TracedThread noteExec(TracedProcess p, boolean canHold) {
        for (TracedThread other : p.threads()) {
            if (other.tid() != p.pid()) {
                threads.remove(other.tid());
            }
        }
        p.execed();
        TracedThread leader = p.addThread(p.pid(), true);
        threads.put(p.pid(), leader);
        boolean hold = false;
        for (TraceListener l : listeners) {
            hold |= l.processExeced(p, canHold);
        }
        leader.setStopped(canHold && hold);
        return leader;
    }

    private boolean isThreadOf(int tid, TracedProcess p) {
        return ProcFs.exists(p.pid()) && java.nio.file.Files.exists(java.nio.file.Path.of("/proc", Integer.toString(p.pid()),
                "task", Integer.toString(tid)));
    }

    /** A stop from a tid we do not know yet: a new thread or process whose creation event is still queued. */
    private TracedThread adopt(int tid) {
        if (!ProcFs.exists(tid)) {
            return null;
        }
        Map<String, String> status;
        try {
            status = ProcFs.status(tid);
        } catch (LinuxException e) {
            return null;
        }
        int tgid = Integer.parseInt(status.get("Tgid"));
        int ppid = Integer.parseInt(status.get("PPid"));
        TracedProcess owner = processes.get(tgid);
        if (owner == null && tgid == tid) {
            TracedProcess parent = processes.get(ppid);
            if (parent == null) {
                return null;
            }
            return register(tid, null, parent.leader());
        }
        if (owner == null) {
            return null;
        }
        return register(tid, owner, null);
    }

    /** Records a new tracee: a thread of {@code owner}, or else a new process created by {@code creator}. */
    private TracedThread register(int tid, TracedProcess owner, TracedThread creator) {
        if (owner != null) {
            TracedThread t = owner.addThread(tid, false);
            t.setFresh(true);
            threads.put(tid, t);
            return t;
        }
        TracedProcess child = new TracedProcess(tid, TracedProcess.Origin.CHILD);
        if (creator != null) {
            child.inheritOptions(creator.process());
            child.sharePidNamespace(creator.process());
            CallStub.inherit(child, creator.process());
        }
        processes.put(tid, child);
        TracedThread t = child.addThread(tid, false);
        t.setFresh(true);
        threads.put(tid, t);
        if (creator != null) {
            for (TraceListener l : listeners) {
                l.processCreated(creator.process(), child);
            }
        }
        return t;
    }

    private void threadGone(TracedThread t, WaitStatus ws) {
        TracedProcess p = t.process();
        threads.remove(t.tid());
        p.removeThread(t.tid());
        if (t.tid() == p.pid()) {
            forget(p);
            p.markExited(ws.raw());
            for (TraceListener l : listeners) {
                l.processExited(p, ws.raw());
            }
        }
    }

    /** Resumes a stopped thread, delivering {@code signal} (0 for none); a vanished thread is ignored. */
    public void resume(TracedThread t, int signal) {
        checkThread();
        int sig = signal != 0 ? signal : t.deferredSignal();
        t.setDeferredSignal(0);
        t.setJobControlStop(0);
        try {
            Ptrace.cont(t.tid(), sig);
        } catch (LinuxException e) {
            if (e.errno() != LinuxException.ESRCH) {
                throw e;
            }
        }
        t.setStopped(false);
    }

    // ---- the process table, for code running on the tracer thread ----

    public TracedProcess process(int pid) {
        checkThread();
        return processes.get(pid);
    }

    public Collection<TracedProcess> processes() {
        checkThread();
        return new ArrayList<>(processes.values());
    }

    /** Starts tracking a process whose every thread is already seized and ptrace-stopped. */
    public TracedProcess track(int pid, TracedProcess.Origin origin, List<Integer> stoppedTids) {
        checkThread();
        TracedProcess p = new TracedProcess(pid, origin);
        processes.put(pid, p);
        for (int tid : stoppedTids) {
            threads.put(tid, p.addThread(tid, true));
        }
        return p;
    }

    /** Adds a thread, already ptrace-stopped, to a tracked process. */
    public TracedThread trackThread(TracedProcess p, int tid) {
        checkThread();
        TracedThread t = p.addThread(tid, true);
        threads.put(tid, t);
        return t;
    }

    /** Drops a process from the table without waiting for it (the caller reaped it). */
    public void forget(TracedProcess p) {
        checkThread();
        processes.remove(p.pid());
        for (TracedThread t : p.threads()) {
            threads.remove(t.tid());
        }
    }

    /** Records the child a fork/clone event of {@code parent} announced, without resuming the parent. */
    public void dispatchChildEvent(TracedThread parent, WaitStatus ws) {
        checkThread();
        int child = (int) Ptrace.eventMessage(parent.tid());
        if (!threads.containsKey(child)) {
            TracedProcess p = parent.process();
            register(child, ws.event() == Ptrace.EVENT_CLONE && isThreadOf(child, p) ? p : null, parent);
        }
    }

    /** The traced thread with id {@code tid}, or null. */
    public TracedThread thread(int tid) {
        checkThread();
        return threads.get(tid);
    }

    /**
     * Handles a wait status that a task received while waiting for something else, as the loop
     * would have.
     */
    /**
     * Wakes the tracer thread from a blocking wait, from any thread: work that waits for a
     * tracee on the tracer thread (a single-step blocked in a system call) can then look at
     * flags set meanwhile.
     */
    public void wake() {
        ring();
    }

    public void dispatchLater(WaitStatus ws) {
        checkThread();
        work.add(() -> dispatch(ws));
    }

    /** Kills launched processes and snapshots, detaches attached ones, and ends the thread. */
    @Override
    public void close() {
        if (!running) {
            return;
        }
        try {
            call(() -> {
                shutdownTracees();
                running = false;
                return null;
            });
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "closing the tracer", e);
            running = false;
            ring();
        }
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void shutdownTracees() {
        List<TracedProcess> killed = new ArrayList<>();
        for (TracedProcess p : new ArrayList<>(processes.values())) {
            if (p.origin() == TracedProcess.Origin.ATTACHED) {
                Detacher.detach(this, p);
            } else {
                Reaper.killAndReap(this, p);
                killed.add(p);
            }
        }
        // A child killed before its parent was reaped only as a tracee: it stayed its parent's zombie,
        // and came to the backend (child subreaper) when the parent died. Reap it, or it holds its pid.
        for (TracedProcess p : killed) {
            try {
                Wait.reapOrphan(p.pid());
            } catch (LinuxException e) {
                // reaped already, or not ours
            }
        }
        // Killing a namespace's init kills whatever is left in its namespace; it is our child, reaped here.
        namespaceInits.forEach(Tracer::killChild);
        namespaceInits.clear();
        int d = doorbell;
        doorbell = 0;
        if (d > 0) {
            killChild(d);
        }
    }

    /** Kills and reaps a child of the tracer thread that is not a tracee (the doorbell, a namespace's init). */
    private static void killChild(int pid) {
        try {
            Signals.kill(pid, Signals.SIGKILL);
            while (!Wait.waitFor(pid).gone()) {
                // keep waiting for its end
            }
        } catch (LinuxException e) {
            LOG.log(Level.FINE, "process " + pid + " ended already", e);
        }
    }

    /** Records the init of a debuggee's PID namespace, a child of this thread, to end it with the tracer. */
    void addNamespaceInit(int pid) {
        checkThread();
        namespaceInits.add(pid);
    }

    public static boolean canPreservePids() {
        return Syscall.isRoot();
    }
}

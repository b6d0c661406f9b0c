package dev.rewind.backend.trace;

import dev.rewind.backend.linux.MemoryMapping;
import dev.rewind.backend.linux.ProcFs;
import dev.rewind.backend.linux.ProcessMemory;
import dev.rewind.backend.linux.Ptrace;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One traced process and its threads. Confined to the tracer thread.
 */
public final class TracedProcess {
    /**
     * How the backend came to trace it: launched processes are killed at exit, attached ones
     * detached. A stand-in holds a killed process's memory until its teardown (see {@link Teardown}).
     */
    public enum Origin { LAUNCHED, ATTACHED, CHILD, RESTORED, SNAPSHOT, STAND_IN }

    private final int pid;
    private final Origin origin;
    private final Map<Integer, TracedThread> threads = new LinkedHashMap<>();
    private long syscallInstruction;
    private long callStub;
    private int ptraceOptions;
    private boolean exited;
    /** A stopped CLONE_VM copy holding this process's memory and descriptor table (see {@link Teardown}), or null. */
    private TracedProcess standIn;
    private int exitStatus;
    private boolean namespaced;
    private int nsPid;

    TracedProcess(int pid, Origin origin) {
        this.pid = pid;
        this.origin = origin;
        // A process we attached to must outlive the backend; everything else dies with it.
        this.ptraceOptions = origin == Origin.ATTACHED ? Tracer.TREE_OPTIONS : Tracer.TREE_OPTIONS | Ptrace.O_EXITKILL;
    }

    /**
     * The ptrace options its threads carry (the kernel has no request to read them back): those
     * it was seized with, or its parent's, which an auto-attached child inherits.
     */
    public int ptraceOptions() {
        return ptraceOptions;
    }

    void inheritOptions(TracedProcess parent) {
        ptraceOptions = parent.ptraceOptions;
    }

    public int pid() {
        return pid;
    }

    /**
     * Its pid as its program sees it (getpid()): {@link #pid()} unless it lives in a PID namespace
     * below the backend's, where it is the innermost pid. What a checkpoint saves and what a restart
     * asks for with set_tid, and every pid passed to an injected call, are these.
     */
    public int nsPid() {
        if (!namespaced) {
            return pid;
        }
        if (nsPid == 0) {
            nsPid = dev.rewind.backend.linux.PidNamespaces.innermost(pid);
        }
        return nsPid;
    }

    /** Whether it lives in a PID namespace below the backend's (so its pids differ from the backend's). */
    public boolean namespaced() {
        return namespaced;
    }

    /** Marks it as living in a PID namespace below the backend's. */
    public void markNamespaced() {
        namespaced = true;
    }

    /** It lives where {@code relative} (its creator or its snapshot) lives. */
    public void sharePidNamespace(TracedProcess relative) {
        namespaced = relative.namespaced;
    }

    public Origin origin() {
        return origin;
    }

    /** A snapshot or a stand-in: never resumed, only killed. */
    public boolean isParked() {
        return origin == Origin.SNAPSHOT || origin == Origin.STAND_IN;
    }

    /** The threads, leader first. */
    public List<TracedThread> threads() {
        return new ArrayList<>(threads.values());
    }

    public TracedThread thread(int tid) {
        return threads.get(tid);
    }

    public TracedThread leader() {
        TracedThread t = threads.get(pid);
        return t != null ? t : threads.values().stream().findFirst().orElse(null);
    }

    TracedThread addThread(int tid, boolean stopped) {
        TracedThread t = threads.computeIfAbsent(tid, id -> new TracedThread(id, this, stopped));
        return t;
    }

    void removeThread(int tid) {
        threads.remove(tid);
    }

    /** After exec the kernel kills every other thread; the execing thread takes the leader's tid. */
    void execed() {
        threads.keySet().removeIf(tid -> tid != pid);
        syscallInstruction = 0;
        callStub = 0;
        releaseStandIn(); // it holds the old program's memory
    }

    /** The stand-in made ahead for this process (at its first checkpoint), or null. */
    public TracedProcess standIn() {
        return standIn != null && !standIn.exited() ? standIn : null;
    }

    public void setStandIn(TracedProcess s) {
        standIn = s;
    }

    /** Lets the stand-in go: killed, its exit frees what it held (off our path); the event loop reaps it. */
    void releaseStandIn() {
        TracedProcess s = standIn;
        standIn = null;
        if (s != null && !s.exited()) {
            Teardown.release(s);
        }
    }

    public boolean exited() {
        return exited;
    }

    /** The raw wait status of the leader's end. */
    public int exitStatus() {
        return exitStatus;
    }

    void markExited(int status) {
        exited = true;
        exitStatus = status;
        releaseStandIn(); // the program ended: what it held must go (its pipes' other ends wait for EOF)
    }

    /**
     * The address of a {@code syscall} instruction (0f 05) in the process's vDSO: every process
     * has one, at an address that survives fork, so injected calls need no page of our own.
     */
    public long syscallInstruction() {
        if (syscallInstruction == 0) {
            syscallInstruction = findSyscallInVdso();
        }
        return syscallInstruction;
    }

    /**
     * Uses a {@code syscall} instruction at {@code address} for injected calls instead of the
     * vDSO's (0: find the vDSO's again). A transplant needs this while it moves the vDSO.
     */
    public void useSyscallInstruction(long address) {
        syscallInstruction = address;
    }

    /** The address of this process's {@link CallStub}, 0 until it is known. */
    long callStub() {
        return callStub;
    }

    void useCallStub(long address) {
        callStub = address;
    }

    private long findSyscallInVdso() {
        for (MemoryMapping m : ProcFs.maps(pid)) {
            if (m.path().equals("[vdso]")) {
                byte[] code = ProcessMemory.read(pid, m.start(), (int) m.size());
                for (int i = 0; i + 1 < code.length; i++) {
                    if (code[i] == 0x0f && code[i + 1] == 0x05) {
                        return m.start() + i;
                    }
                }
            }
        }
        throw new IllegalStateException("process " + pid + " has no vDSO with a syscall instruction");
    }

    @Override
    public String toString() {
        return "process " + pid + " (" + origin + ")";
    }
}

package dev.rewind.backend.checkpoint;

import dev.rewind.backend.linux.CloneArgs;
import dev.rewind.backend.linux.LinuxException;
import dev.rewind.backend.linux.ProcFs;
import dev.rewind.backend.linux.Ptrace;
import dev.rewind.backend.linux.SeccompFilter;
import dev.rewind.backend.linux.Syscall;
import dev.rewind.backend.trace.CallStub;
import dev.rewind.backend.trace.TracedProcess;
import dev.rewind.backend.trace.TracedThread;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether the calls that a checkpoint and a restart inject get through a process's seccomp
 * filters.
 *
 * <p>An injected call is filtered like the program's own. A filter that refused one would make
 * a checkpoint fail half-way, or a restart impossible (Docker's default profile fails clone3
 * with ENOSYS, for one), or kill the process (SECCOMP_RET_KILL). So every call is first run
 * through the filters of every thread, with the arguments the engine passes, as made from the
 * vDSO's {@code syscall} instruction (and the call stub's); a checkpoint that could not be taken or restarted is
 * refused, naming the call and what the filter does to it. Reading filters needs CAP_SYS_ADMIN
 * in the backend. Runs on the tracer thread, with the threads stopped. Stateless.
 */
final class SeccompCheck {
    private record Call(String name, int nr, long... args) {
    }

    private static final long RSEQ_SIGNATURE = 0x53053053L;

    /**
     * What SnapshotTaker, ThreadCapture, ProcessGroups, Restorer and Transplanter inject (keep in
     * step with them). Pointer arguments are 0: filters look at numbers and flags, not addresses.
     */
    private static final List<Call> ALWAYS = List.of(
            new Call("prctl(PR_GET_TID_ADDRESS)", Syscall.PRCTL, Syscall.PR_GET_TID_ADDRESS, 0),
            new Call("prctl(PR_GET_NAME)", Syscall.PRCTL, Syscall.PR_GET_NAME, 0),
            new Call("sigaltstack", Syscall.SIGALTSTACK, 0, 0),
            new Call("getitimer(ITIMER_REAL)", Syscall.GETITIMER, 0, 0),
            new Call("getitimer(ITIMER_VIRTUAL)", Syscall.GETITIMER, 1, 0),
            new Call("getitimer(ITIMER_PROF)", Syscall.GETITIMER, 2, 0),
            new Call("clone of the snapshot", Syscall.CLONE, CloneArgs.CLONE_PTRACE | CloneArgs.CLONE_PARENT, 0, 0, 0, 0),
            new Call("clone of the snapshot", Syscall.CLONE, CloneArgs.CLONE_PTRACE, 0, 0, 0, 0),
            new Call("mmap of the call stub", Syscall.MMAP, 0, 4096, 5, 0x22, -1, 0),
            new Call("setsid", Syscall.SETSID),
            new Call("setpgid", Syscall.SETPGID, 0, 0),
            new Call("clone3 of the restored process", Syscall.CLONE3, 0, CloneArgs.SIZE),
            new Call("set_robust_list", Syscall.SET_ROBUST_LIST, 0, 24),
            new Call("rseq", Syscall.RSEQ, 0, 32, 0, RSEQ_SIGNATURE),
            new Call("sigaltstack (restore)", Syscall.SIGALTSTACK, 0, 0),
            new Call("lseek", Syscall.LSEEK, 0, 0, 0),
            new Call("setitimer", Syscall.SETITIMER, 0, 0, 0),
            new Call("rt_sigqueueinfo", Syscall.RT_SIGQUEUEINFO, 0, 0, 0),
            new Call("rt_tgsigqueueinfo", Syscall.RT_TGSIGQUEUEINFO, 0, 0, 0, 0));

    /** A tree's children are recreated by transplant, which injects these as well. */
    private static final List<Call> TRANSPLANT = List.of(
            new Call("mmap", Syscall.MMAP, 0, 0, 0, 0, -1, 0),
            new Call("munmap", Syscall.MUNMAP, 0, 0),
            new Call("arch_prctl(ARCH_MAP_VDSO_64)", Syscall.ARCH_PRCTL, Syscall.ARCH_MAP_VDSO_64, 0),
            new Call("prctl(PR_SET_MM_MAP)", Syscall.PRCTL, Syscall.PR_SET_MM, Syscall.PR_SET_MM_MAP, 0, 0),
            new Call("pidfd_open", Syscall.PIDFD_OPEN, 0, 0),
            new Call("pidfd_getfd", Syscall.PIDFD_GETFD, 0, 0, 0),
            new Call("openat", Syscall.OPENAT, 0, 0, 0, 0),
            new Call("dup2", Syscall.DUP2, 0, 0),
            new Call("fcntl", Syscall.FCNTL, 0, 0, 0),
            new Call("close", Syscall.CLOSE, 0),
            new Call("rt_sigaction", Syscall.RT_SIGACTION, 0, 0, 0, 8),
            new Call("chdir", Syscall.CHDIR, 0),
            new Call("umask", Syscall.UMASK, 0),
            new Call("set_tid_address", Syscall.SET_TID_ADDRESS, 0));

    private SeccompCheck() {
    }

    /**
     * Throws {@link UnsupportedOperationException} when a call the engine needs would not get
     * through; {@code inTree}: the process is one of several, so transplant calls count too.
     * Returns the leader's filters, most recent first, for a transplant to install again.
     */
    static List<byte[]> check(TracedProcess p, boolean inTree) {
        String mode = mode(p.pid());
        if (mode.equals("0")) {
            return List.of();
        }
        if (mode.equals("1")) {
            throw refused(p, "runs in strict seccomp mode, where only read, write, exit and sigreturn are allowed");
        }
        List<Call> calls = new ArrayList<>(ALWAYS);
        if (inTree) {
            calls.addAll(TRANSPLANT);
        }
        // Calls run from the vDSO's syscall instruction, or from the call stub's once it exists.
        long[] ips = CallStub.known(p) != 0
                ? new long[] {p.syscallInstruction(), CallStub.known(p) + CallStub.SYSCALL_OFFSET}
                : new long[] {p.syscallInstruction()};
        List<byte[]> leaderFilters = List.of();
        for (TracedThread t : p.threads()) {
            List<byte[]> programs;
            try {
                programs = Ptrace.seccompFilters(t.tid());
            } catch (LinuxException e) {
                if (e.errno() == LinuxException.EACCES || e.errno() == LinuxException.EPERM) {
                    throw refused(p, "has seccomp filters, and reading them (to check that the calls a checkpoint "
                            + "injects get through) needs CAP_SYS_ADMIN in the backend");
                }
                throw e;
            }
            if (t.tid() == p.pid()) {
                leaderFilters = programs;
            }
            for (byte[] program : programs) {
                SeccompFilter filter = new SeccompFilter(program);
                for (Call c : calls) {
                    for (long ip : ips) {
                        int verdict = filter.evaluate(c.nr(), ip, c.args());
                        if (!SeccompFilter.allows(verdict)) {
                            throw refused(p, "has a seccomp filter (thread " + t.tid() + ") that " + SeccompFilter.describe(verdict)
                                    + " for " + c.name() + ", which a checkpoint or a restart must inject");
                        }
                    }
                }
            }
        }
        return leaderFilters;
    }

    /** The Seccomp field of /proc/PID/status: 0 none, 1 strict, 2 filters. Read before a freeze. */
    static String mode(int pid) {
        return ProcFs.status(pid).getOrDefault("Seccomp", "0");
    }

    private static UnsupportedOperationException refused(TracedProcess p, String why) {
        return new UnsupportedOperationException("process " + p.pid() + " " + why + "; it is not checkpointed");
    }
}

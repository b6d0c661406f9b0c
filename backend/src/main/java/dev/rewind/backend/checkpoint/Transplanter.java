package dev.rewind.backend.checkpoint;

import dev.rewind.backend.linux.CloneArgs;
import dev.rewind.backend.linux.FdInfo;
import dev.rewind.backend.linux.LinuxException;
import dev.rewind.backend.linux.MemoryMapping;
import dev.rewind.backend.linux.ProcFs;
import dev.rewind.backend.linux.ProcessMemory;
import dev.rewind.backend.linux.Ptrace;
import dev.rewind.backend.linux.RseqConfig;
import dev.rewind.backend.linux.Signals;
import dev.rewind.backend.linux.Syscall;
import dev.rewind.backend.trace.InjectedCall;
import dev.rewind.backend.trace.RemoteScratch;
import dev.rewind.backend.trace.SyscallInjector;
import dev.rewind.backend.trace.TracedProcess;
import dev.rewind.backend.trace.TracedThread;
import dev.rewind.backend.trace.Tracer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Recreates a non-root process of a tree under its restored parent.
 *
 * <p>A fork of the process's own snapshot would have the wrong parent (the snapshot's), so the
 * restored parent forks instead (with the original pid, through clone3 set_tid) and the child's
 * memory is then replaced by the snapshot's: every mapping of the parent's copy is unmapped
 * through injected munmap, the snapshot's layout is mapped again (files by path, the rest
 * anonymous), and the contents are copied through /proc/PID/mem, which writes read-only pages
 * too. Injected calls use the {@code syscall} instruction of the vDSO, which stays mapped at the
 * same place: a child that did not exec has its parent's vDSO address. What else a fork takes
 * from the parent and the snapshot had differently is set afterwards: the brk/stack/arg/env
 * layout and auxv (prctl PR_SET_MM_MAP, needs CAP_SYS_RESOURCE), descriptors (pidfd_getfd from
 * the snapshot), signal handlers, cwd and umask. The same {@link #fill} makes a process from an
 * image file ({@link ImageSource} instead of {@link SnapshotSource}). Runs on the tracer thread.
 * Stateless.
 */
final class Transplanter {
    private static final int PAGE = 4096;
    private static final int PROT_READ = 1;
    private static final int PROT_WRITE = 2;
    private static final int PROT_EXEC = 4;
    private static final int MAP_SHARED = 0x01;
    private static final int MAP_PRIVATE = 0x02;
    private static final int MAP_FIXED = 0x10;
    private static final int MAP_ANONYMOUS = 0x20;
    private static final int MAP_GROWSDOWN = 0x100;
    private static final int MAP_FIXED_NOREPLACE = 0x100000;
    private static final int F_SETFD = 2;
    private static final int AT_FDCWD = -100;
    private static final int O_RDWR = 2;
    private static final int RSEQ_FLAG_UNREGISTER = 1;
    private static final int F_DUPFD = 0;
    /** sizeof(struct prctl_mm_map). */
    private static final int MM_MAP_SIZE = 104;

    private Transplanter() {
    }

    static TracedProcess transplant(Tracer tracer, TracedProcess parent, TransplantSource source, SavedProcess saved,
            List<String> warnings) {
        TracedProcess x = forkFrom(tracer, parent, saved.pid());
        try {
            return fill(x, source, saved, warnings);
        } catch (RuntimeException e) {
            // Half made: it must not stay behind, stopped, holding the pid.
            dev.rewind.backend.trace.Reaper.killAndReap(tracer, x);
            throw e;
        }
    }

    /**
     * Replaces the memory and process-wide state of {@code x} (stopped, one thread) by those of
     * {@code source}; leaves it with the checkpoint's main-thread registers.
     */
    static TracedProcess fill(TracedProcess x, TransplantSource source, SavedProcess saved, List<String> warnings) {
        List<MemoryMapping> target = source.maps();
        TracedThread t = x.leader();
        long scratch = freeAddress(target, ProcFs.maps(x.pid()));
        SyscallInjector.call(t, "mmap scratch", Syscall.MMAP, scratch, PAGE, PROT_READ | PROT_WRITE,
                MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
        moveVdso(t, target, scratch);
        RseqConfig rseq = Ptrace.getRseqConfiguration(x.pid());
        if (rseq != null && rseq.registered()) {
            // The fork inherited the parent thread's rseq area, which is about to be unmapped.
            SyscallInjector.inject(t, Syscall.RSEQ, rseq.abiPointer(), rseq.abiSize(), RSEQ_FLAG_UNREGISTER,
                    rseq.signature());
        }
        List<MemoryMapping> inherited = ProcFs.maps(x.pid());
        for (MemoryMapping m : inherited) {
            if (!special(m) && m.start() != scratch && !keptShared(m, target)) {
                SyscallInjector.call(t, "munmap " + m.path(), Syscall.MUNMAP, m.start(), m.size());
            }
        }
        for (MemoryMapping m : target) {
            if (!special(m) && !keptShared(m, inherited)) {
                map(t, scratch, source, m, warnings);
            }
        }
        // Shared memory kept from the parent is the very same object: its contents come back once, for the tree.
        source.copyMemory(x.pid(), target.stream()
                .filter(m -> !special(m) && m.perms().charAt(0) == 'r' && !keptShared(m, inherited)).toList());
        setLayout(t, scratch, source, target, warnings);
        source.placeDescriptors(t, scratch, saved.fds(), warnings);
        SignalHandlers.install(t, scratch, source.signalHandlers()); // handlers installed after the fork differ
        setCwdAndUmask(t, scratch, source, warnings);
        SyscallInjector.call(t, "munmap scratch", Syscall.MUNMAP, scratch, PAGE);
        SavedThread main = saved.threads().get(0);
        if (main.clearChildTid() != 0) {
            SyscallInjector.call(t, "set_tid_address", Syscall.SET_TID_ADDRESS, main.clearChildTid());
        }
        // From here on injected calls may use the stack: give the thread the checkpoint's registers.
        Ptrace.setRegs(t.tid(), main.registers());
        // Credentials, personality and seccomp filters come back last (SecurityRestorer).
        return x;
    }

    /**
     * A child that exec'd has its vDSO elsewhere than its parent, and glibc keeps pointers into
     * it, so it must be where the snapshot had it. The kernel maps a vDSO only where none is
     * ({@code arch_prctl(ARCH_MAP_VDSO_64)} fails with EEXIST otherwise) and [vvar] cannot be
     * mmapped, so: run injected calls from a page of our own holding a {@code syscall}
     * instruction, unmap the old vDSO and vvar pages, and map them again at the snapshot's
     * address. The page of our own is the one after the scratch page.
     */
    private static void moveVdso(TracedThread t, List<MemoryMapping> target, long scratch) {
        MemoryMapping want = find(target, "[vdso]");
        List<MemoryMapping> have = ProcFs.maps(t.process().pid());
        MemoryMapping now = find(have, "[vdso]");
        if (want == null || now == null || want.start() == now.start()) {
            return;
        }
        long code = scratch + PAGE;
        SyscallInjector.call(t, "mmap syscall page", Syscall.MMAP, code, PAGE, PROT_READ | PROT_WRITE | PROT_EXEC,
                MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
        ProcessMemory.write(t.process().pid(), code, new byte[] {0x0f, 0x05}); // syscall
        t.process().useSyscallInstruction(code);
        for (MemoryMapping m : have) {
            if (m.path().startsWith("[vvar") || m.path().equals("[vdso]")) {
                SyscallInjector.call(t, "munmap " + m.path(), Syscall.MUNMAP, m.start(), m.size());
            }
        }
        // The kernel lays out [vvar...] first and the vDSO text after it: pass the lowest address.
        long base = target.stream().filter(m -> m.path().startsWith("[vvar") || m.path().equals("[vdso]"))
                .mapToLong(MemoryMapping::start).min().orElse(want.start());
        SyscallInjector.call(t, "arch_prctl(ARCH_MAP_VDSO_64)", Syscall.ARCH_PRCTL, Syscall.ARCH_MAP_VDSO_64, base);
        MemoryMapping moved = find(ProcFs.maps(t.process().pid()), "[vdso]");
        if (moved == null || moved.start() != want.start()) {
            throw new IllegalStateException("the vDSO of process " + t.process().pid() + " landed at "
                    + (moved == null ? "nowhere" : Long.toHexString(moved.start())) + ", not at "
                    + Long.toHexString(want.start()));
        }
        t.process().useSyscallInstruction(0);
        SyscallInjector.call(t, "munmap syscall page", Syscall.MUNMAP, code, PAGE);
    }

    private static TracedProcess forkFrom(Tracer tracer, TracedProcess parent, int pid) {
        TracedThread pl = parent.leader();
        int child;
        try (RemoteScratch s = RemoteScratch.below(pl)) {
            CloneArgs a = new CloneArgs();
            a.exit_signal = Signals.SIGCHLD;
            a.set_tid = s.put(Restorer.longs(pid));
            a.set_tid_size = 1;
            InjectedCall c = Restorer.clone3WithPid(pl, s.put(a.toBytes()), parent.namespaced());
            if (c.failed()) {
                throw new LinuxException("clone3 of process " + pid + " from its restored parent " + parent.pid(),
                        c.errno());
            }
            child = c.newChild() != 0 ? c.newChild() : (int) c.result();
            Restorer.awaitAttachStop(tracer, child);
            s.restoreInto(child);
        }
        TracedProcess made = tracer.track(child, TracedProcess.Origin.CHILD, List.of(child));
        made.sharePidNamespace(parent);
        return made;
    }

    private static void map(TracedThread t, long scratch, TransplantSource source, MemoryMapping m, List<String> warnings) {
        int prot = (m.perms().charAt(0) == 'r' ? PROT_READ : 0) | (m.perms().charAt(1) == 'w' ? PROT_WRITE : 0)
                | (m.perms().charAt(2) == 'x' ? PROT_EXEC : 0);
        if (m.shared() && m.path().startsWith("/dev/zero")) {
            // Shared anonymous memory the process made after its fork: a new shared mapping, so
            // that the children it forks (restored after it) share it with it again.
            SyscallInjector.call(t, "mmap " + describe(m), Syscall.MMAP, m.start(), m.size(), prot,
                    MAP_SHARED | MAP_FIXED | MAP_ANONYMOUS, -1, 0);
            return;
        }
        if (m.shared() && mapSharedAgain(t, scratch, source.sharedObject(m), m, prot)) {
            return;
        }
        if (m.shared()) {
            warnings.add("shared mapping " + describe(m) + " of process " + t.process().pid()
                    + " is restored as a private copy (the object it maps could not be opened again)");
        }
        if (isFile(m)) {
            ProcessMemory.write(t.process().pid(), scratch, (m.path() + "\0").getBytes(StandardCharsets.UTF_8));
            InjectedCall open = SyscallInjector.inject(t, Syscall.OPENAT, AT_FDCWD, scratch, 0 /* O_RDONLY */);
            if (!open.failed()) {
                long fd = open.result();
                InjectedCall mm = SyscallInjector.inject(t, Syscall.MMAP, m.start(), m.size(), prot,
                        MAP_PRIVATE | MAP_FIXED, fd, m.offset());
                SyscallInjector.inject(t, Syscall.CLOSE, fd);
                if (!mm.failed()) {
                    return;
                }
            }
            warnings.add("file mapping " + describe(m) + " could not be mapped again; restored as anonymous memory");
        }
        int growsDown = m.path().equals("[stack]") ? MAP_GROWSDOWN : 0;
        SyscallInjector.call(t, "mmap " + describe(m), Syscall.MMAP, m.start(), m.size(), prot,
                MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS | growsDown, -1, 0);
    }

    /**
     * A shared file mapping the process made after its fork (a memfd, a /dev/shm or SysV shm
     * segment, a file): the very same object, mapped shared again, so that the children it forks
     * (restored after it) share it with it again; its contents come back with the tree's shared
     * memory. {@code object} opens it (null: nothing does).
     */
    private static boolean mapSharedAgain(TracedThread t, long scratch, String object, MemoryMapping m, int prot) {
        if (object == null) {
            return false;
        }
        ProcessMemory.write(t.process().pid(), scratch, (object + "\0").getBytes(StandardCharsets.UTF_8));
        int flags = m.perms().charAt(1) == 'w' ? O_RDWR : 0;
        InjectedCall open = SyscallInjector.inject(t, Syscall.OPENAT, AT_FDCWD, scratch, flags);
        if (open.failed()) {
            return false;
        }
        InjectedCall mm = SyscallInjector.inject(t, Syscall.MMAP, m.start(), m.size(), prot, MAP_SHARED | MAP_FIXED,
                open.result(), m.offset());
        SyscallInjector.inject(t, Syscall.CLOSE, open.result());
        return !mm.failed();
    }

    /** brk, stack, argument and environment ranges and auxv, as the checkpoint had them. */
    private static void setLayout(TracedThread t, long scratch, TransplantSource source, List<MemoryMapping> target,
            List<String> warnings) {
        long[] f = source.layoutFields();
        MemoryMapping heap = find(target, "[heap]");
        long brk = heap != null ? heap.end() : f[4];
        byte[] auxv = source.auxv();
        // A child that exec'd runs another program: /proc/PID/exe must name it (exe_fd).
        String exe = source.exe();
        long exeFd = -1;
        if (!exe.equals(ProcFs.exe(t.process().pid()))) {
            ProcessMemory.write(t.process().pid(), scratch, (exe + "\0").getBytes(StandardCharsets.UTF_8));
            InjectedCall open = SyscallInjector.inject(t, Syscall.OPENAT, AT_FDCWD, scratch, 0);
            exeFd = open.failed() ? -1 : open.result();
        }
        long auxvAt = scratch + 512;
        ProcessMemory.write(t.process().pid(), auxvAt, auxv);
        ByteBuffer b = ByteBuffer.allocate(MM_MAP_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(f[0]).putLong(f[1]).putLong(f[2]).putLong(f[3]).putLong(f[4]).putLong(brk).putLong(f[5])
                .putLong(f[6]).putLong(f[7]).putLong(f[8]).putLong(f[9]).putLong(auxvAt).putInt(auxv.length).putInt((int) exeFd);
        ProcessMemory.write(t.process().pid(), scratch, b.array());
        InjectedCall c = SyscallInjector.inject(t, Syscall.PRCTL, Syscall.PR_SET_MM, Syscall.PR_SET_MM_MAP, scratch,
                MM_MAP_SIZE, 0);
        if (exeFd >= 0) {
            SyscallInjector.inject(t, Syscall.CLOSE, exeFd);
        }
        if (c.failed()) {
            warnings.add("process " + t.process().pid() + ": brk/stack/auxv layout not restored (PR_SET_MM_MAP errno "
                    + c.errno() + "; it needs CAP_SYS_RESOURCE)");
        }
    }

    /**
     * Makes the descriptor table that of a snapshot: the same open file descriptions, on the same
     * numbers, taken with pidfd_getfd; {@code snapshotPid} as the child's namespace knows it.
     */
    static void copyDescriptors(TracedThread t, int snapshotPid, List<FdInfo> wanted) {
        int highest = wanted.stream().mapToInt(FdInfo::fd).max().orElse(2);
        long pidfd = SyscallInjector.call(t, "pidfd_open", Syscall.PIDFD_OPEN, snapshotPid, 0);
        // Keep the pidfd above every descriptor we are about to place.
        long high = SyscallInjector.call(t, "fcntl(F_DUPFD)", Syscall.FCNTL, pidfd, F_DUPFD, highest + 1);
        SyscallInjector.inject(t, Syscall.CLOSE, pidfd);
        Set<Integer> numbers = new java.util.HashSet<>();
        for (FdInfo fd : wanted) {
            numbers.add(fd.fd());
            long got = SyscallInjector.call(t, "pidfd_getfd(" + fd.fd() + ")", Syscall.PIDFD_GETFD, high, fd.fd(), 0);
            if (got != fd.fd()) {
                SyscallInjector.call(t, "dup2", Syscall.DUP2, got, fd.fd());
                SyscallInjector.inject(t, Syscall.CLOSE, got);
            } else {
                SyscallInjector.inject(t, Syscall.FCNTL, got, F_SETFD, 0); // pidfd_getfd set close-on-exec
            }
        }
        for (Map.Entry<Integer, String> e : ProcFs.fdTargets(t.process().pid()).entrySet()) {
            if (!numbers.contains(e.getKey()) && e.getKey() != high) {
                SyscallInjector.inject(t, Syscall.CLOSE, e.getKey());
            }
        }
        SyscallInjector.inject(t, Syscall.CLOSE, high);
    }

    private static void setCwdAndUmask(TracedThread t, long scratch, TransplantSource source, List<String> warnings) {
        String cwd = source.cwd();
        ProcessMemory.write(t.process().pid(), scratch, (cwd + "\0").getBytes(StandardCharsets.UTF_8));
        if (SyscallInjector.inject(t, Syscall.CHDIR, scratch).failed()) {
            warnings.add("process " + t.process().pid() + ": working directory " + cwd + " is gone; it keeps "
                    + ProcFs.link(t.process().pid(), "cwd"));
        }
        if (source.umask() >= 0) {
            SyscallInjector.inject(t, Syscall.UMASK, source.umask());
        }
    }

    /**
     * A MAP_SHARED mapping that the restored parent passed on at fork and that the process had
     * in the same place: keeping it keeps the memory shared between them, as it was. Shared
     * anonymous memory that the parent itself got by transplant is a new object (another inode)
     * in the same place; it is the same memory for this purpose.
     */
    private static boolean keptShared(MemoryMapping m, List<MemoryMapping> other) {
        return m.shared() && other.stream().anyMatch(o -> o.shared() && o.start() == m.start() && o.end() == m.end()
                && o.offset() == m.offset()
                && (o.inode() == m.inode() || o.path().startsWith("/dev/zero") && m.path().startsWith("/dev/zero")));
    }

    /** Mappings the kernel places itself and that stay put: vDSO, vvar, vsyscall. */
    private static boolean special(MemoryMapping m) {
        return m.path().startsWith("[v");
    }

    static boolean isFile(MemoryMapping m) {
        return m.path().startsWith("/") && !m.path().endsWith(" (deleted)") && !m.path().startsWith("/memfd:")
                && !m.path().startsWith("/dev/zero") && !m.path().startsWith("/SYSV");
    }

    private static MemoryMapping find(List<MemoryMapping> maps, String name) {
        return maps.stream().filter(m -> m.path().equals(name)).findFirst().orElse(null);
    }

    static String describe(MemoryMapping m) {
        return String.format("%x-%x %s", m.start(), m.end(), m.path());
    }

    /** A page-aligned address where two pages fit that neither layout uses. */
    private static long freeAddress(List<MemoryMapping> a, List<MemoryMapping> b) {
        List<MemoryMapping> all = new ArrayList<>(a);
        all.addAll(b);
        for (long candidate = 0x10000000L; candidate < 0x7f0000000000L; candidate += 0x10000000L) {
            final long c = candidate;
            if (all.stream().noneMatch(m -> c + 2 * PAGE > m.start() && c < m.end())) {
                return c;
            }
        }
        throw new IllegalStateException("no free address for a scratch page");
    }
}

package dev.rewind.backend.trace;

import dev.rewind.backend.linux.LinuxException;
import dev.rewind.backend.linux.Ptrace;
import dev.rewind.backend.linux.Signals;
import dev.rewind.backend.linux.UserRegs;
import dev.rewind.backend.linux.Wait;
import dev.rewind.backend.linux.WaitStatus;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * System calls that one stopped thread runs in one go through the process's {@link CallStub}:
 * the thread is pointed at the stub with the call table in its {@link RemoteScratch}, continued,
 * and stops again at the stub's trap with every result in the table. Its registers are put back
 * afterwards, as for {@link SyscallInjector}: orig_rax is -1 while the stub runs, so an
 * interrupted call of the program's is not restarted with our registers, and the saved registers
 * bring its restart back. A signal that arrives meanwhile is held back (the thread's deferred
 * signal) and delivered when it resumes. Tracer thread only.
 */
public final class SyscallBatch {
    private final TracedThread thread;
    private final RemoteScratch scratch;
    private final List<long[]> calls = new ArrayList<>();

    public SyscallBatch(TracedThread thread, RemoteScratch scratch) {
        this.thread = thread;
        this.scratch = scratch;
    }

    public TracedThread thread() {
        return thread;
    }

    /** Where the table goes, and where the calls may put what they return. */
    public RemoteScratch scratch() {
        return scratch;
    }

    public boolean isEmpty() {
        return calls.isEmpty();
    }

    /** Adds a call; returns its index in the results. */
    public int add(long number, long... args) {
        long[] entry = new long[CallStub.ENTRY_WORDS];
        entry[0] = number;
        System.arraycopy(args, 0, entry, 1, Math.min(args.length, 6));
        calls.add(entry);
        return calls.size() - 1;
    }

    /**
     * Writes the table and lets the thread run it. No other ptrace request may touch the thread
     * before {@link Running#finish()}.
     */
    public Running start() {
        if (thread.jobControlStop() != 0) {
            return runOneByOne();
        }
        long stub = CallStub.in(thread);
        ByteBuffer table = ByteBuffer.allocate((calls.size() * CallStub.ENTRY_WORDS + 1) * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long[] entry : calls) {
            for (long word : entry) {
                table.putLong(word);
            }
        }
        table.putLong(-1);
        long at = scratch.put(table.array());
        int tid = thread.tid();
        UserRegs saved = Ptrace.getRegs(tid);
        UserRegs r = saved.copy();
        r.rip = stub;
        r.rbx = at;
        r.orig_rax = -1;
        Ptrace.setRegs(tid, r);
        try {
            Ptrace.cont(tid, 0);
        } catch (LinuxException e) {
            Ptrace.setRegs(tid, saved);
            throw e;
        }
        return new Running(at, stub + CallStub.END_OFFSET, saved);
    }

    /**
     * A thread in a job-control stop (SIGSTOP, SIGTTIN...) is not let run: continued, it would
     * take part in the group stop again before reaching the stub, and its stop signal would be
     * taken for one that arrived during the batch. Its calls are single-stepped one by one, as
     * {@link SyscallInjector} does, which runs exactly one instruction each.
     */
    private Running runOneByOne() {
        long[] results = new long[calls.size()];
        for (int i = 0; i < results.length; i++) {
            long[] c = calls.get(i);
            InjectedCall r = SyscallInjector.inject(thread, c[0], java.util.Arrays.copyOfRange(c, 1, 7));
            results[i] = r.result();
        }
        return new Running(results);
    }

    /** A batch the thread is running. */
    public final class Running {
        private final long table;
        private final long end;
        private final UserRegs saved;
        private final long[] done;

        private Running(long table, long end, UserRegs saved) {
            this.table = table;
            this.end = end;
            this.saved = saved;
            this.done = null;
        }

        private Running(long[] done) {
            this.table = 0;
            this.end = 0;
            this.saved = null;
            this.done = done;
        }

        /** Waits for the stub's trap and puts the registers back; returns each call's raw result (-errno on failure). */
        public long[] finish() {
            if (done != null) {
                return done;
            }
            int tid = thread.tid();
            try {
                while (true) {
                    WaitStatus ws = Wait.waitFor(tid);
                    if (ws.gone()) {
                        throw new LinuxException("injected calls in " + thread, LinuxException.ESRCH, "the thread ended: " + ws);
                    }
                    if (ws.event() == 0 && ws.stopSignal() == Signals.SIGTRAP && Ptrace.getRegs(tid).rip == end) {
                        break;
                    }
                    if (ws.event() == 0) {
                        thread.setDeferredSignal(ws.stopSignal()); // dequeued by the kernel; delivered at resume
                    }
                    // EVENT_STOP (an interrupt still pending) or an event: go on.
                    Ptrace.cont(tid, 0);
                }
            } finally {
                try {
                    Ptrace.setRegs(tid, saved);
                } catch (LinuxException e) {
                    // the thread is gone
                }
            }
            ByteBuffer b = ByteBuffer.wrap(scratch.read(table, calls.size() * CallStub.ENTRY_WORDS * 8))
                    .order(ByteOrder.LITTLE_ENDIAN);
            long[] results = new long[calls.size()];
            for (int i = 0; i < results.length; i++) {
                results[i] = b.getLong((i * CallStub.ENTRY_WORDS + 7) * 8);
            }
            return results;
        }
    }
}

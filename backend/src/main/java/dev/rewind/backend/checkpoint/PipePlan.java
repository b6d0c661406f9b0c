package dev.rewind.backend.checkpoint;

import dev.rewind.backend.linux.FdInfo;
import dev.rewind.backend.linux.Syscall;
import dev.rewind.backend.trace.RemoteScratch;
import dev.rewind.backend.trace.SyscallInjector;
import dev.rewind.backend.trace.TracedProcess;
import dev.rewind.backend.trace.TracedThread;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The pipes of a checkpointed tree, made again for a restore from an image, where no live pipe is
 * left to take them from. Every pipe with both ends in the tree is made in the first process
 * (the host the root is forked from), its ends parked on numbers from {@link #base()} on, above
 * every descriptor of the checkpoint: every process of the tree is forked, directly or not, from
 * the root, so each inherits them all and puts the ends it had on their numbers; once the whole
 * tree exists, the parked copies are closed everywhere. A pipe with one end outside the tree
 * (the old backend's stdio pipes) cannot come back: the new run's stdio stands in on fds 0 to 2.
 */
final class PipePlan {
    private static final int F_SETFL = 4;
    private static final int O_NONBLOCK = 04000;

    private final int base;
    /** Pipe ("pipe:[inode]") to the index k of its ends, parked at base + 2k (read) and base + 2k + 1 (write). */
    private final Map<String, Integer> pipes;

    private PipePlan(int base, Map<String, Integer> pipes) {
        this.base = base;
        this.pipes = pipes;
    }

    static PipePlan of(List<SavedProcess> states) {
        Set<String> readers = new LinkedHashSet<>();
        Set<String> writers = new LinkedHashSet<>();
        int highest = 2;
        for (SavedProcess p : states) {
            for (FdInfo fd : p.fds()) {
                highest = Math.max(highest, fd.fd());
                if (fd.isPipe()) {
                    (fd.readable() ? readers : writers).add(fd.target());
                }
            }
        }
        Map<String, Integer> pipes = new HashMap<>();
        for (String pipe : readers) {
            if (writers.contains(pipe)) {
                pipes.put(pipe, pipes.size());
            }
        }
        return new PipePlan(Math.max(64, highest + 1), pipes);
    }

    /** The lowest parked number: descriptors from here on belong to the plan until {@link #closeParked}. */
    int base() {
        return base;
    }

    /** Makes every pipe in {@code first} (stopped), parked. */
    void make(TracedProcess first) {
        TracedThread t = first.leader();
        try (RemoteScratch s = RemoteScratch.below(t)) {
            long fds = s.reserve(8);
            for (int k = 0; k < pipes.size(); k++) {
                SyscallInjector.call(t, "pipe2", Syscall.PIPE2, fds, 0);
                ByteBuffer b = ByteBuffer.wrap(s.read(fds, 8)).order(ByteOrder.LITTLE_ENDIAN);
                int read = b.getInt();
                int write = b.getInt();
                SyscallInjector.call(t, "dup2", Syscall.DUP2, read, base + 2 * k);
                SyscallInjector.call(t, "dup2", Syscall.DUP2, write, base + 2 * k + 1);
                SyscallInjector.inject(t, Syscall.CLOSE, read);
                SyscallInjector.inject(t, Syscall.CLOSE, write);
            }
        }
    }

    /** Puts the end {@code fd} had on its number, if the plan made its pipe; false if not. */
    boolean place(TracedThread t, FdInfo fd) {
        Integer k = pipes.get(fd.target());
        if (k == null) {
            return false;
        }
        int parked = base + 2 * k + (fd.readable() ? 0 : 1);
        SyscallInjector.call(t, "dup2", Syscall.DUP2, parked, fd.fd());
        if ((fd.flags() & O_NONBLOCK) != 0) {
            SyscallInjector.inject(t, Syscall.FCNTL, fd.fd(), F_SETFL, O_NONBLOCK);
        }
        return true;
    }

    /** Closes the parked ends in {@code p}. */
    void closeParked(TracedProcess p) {
        if (!pipes.isEmpty()) {
            SyscallInjector.inject(p.leader(), Syscall.CLOSE_RANGE, base, base + 2L * pipes.size(), 0);
        }
    }
}

package dev.rewind.backend.checkpoint;

import dev.rewind.backend.linux.Syscall;
import dev.rewind.backend.trace.InjectedCall;
import dev.rewind.backend.trace.RemoteScratch;
import dev.rewind.backend.trace.SyscallInjector;
import dev.rewind.backend.trace.TracedProcess;
import dev.rewind.backend.trace.TracedThread;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

/**
 * Gives a child recreated by transplant the personality, credentials, no_new_privs and seccomp
 * filters its original had; it started with its restored parent's. Called last, once nothing
 * else needs to be injected into it: a filter may refuse later calls, and dropped privileges may
 * forbid them. Where the original dropped root without no_new_privs, its filters were installed
 * while it was still privileged, so they go in before the credentials here too. Anything that
 * cannot be put back is a warning, never silent. Runs on the tracer thread. Stateless.
 */
final class SecurityRestorer {
    private static final int SETGROUPS = 116;
    private static final int SETRESUID = 117;
    private static final int SETRESGID = 119;
    private static final int PERSONALITY = 135;
    private static final int SECCOMP = 317;
    private static final int PR_SET_NO_NEW_PRIVS = 38;
    private static final int SECCOMP_SET_MODE_FILTER = 1;
    /** Install the filter on every thread of the process, as they all had it. */
    private static final int SECCOMP_FILTER_FLAG_TSYNC = 1;

    private SecurityRestorer() {
    }

    static void restore(TracedProcess x, SavedSecurity saved, List<String> warnings) {
        SavedSecurity now = SavedSecurity.read(x.pid(), List.of());
        TracedThread leader = x.leader();
        int filterBytes = saved.seccompFilters().stream().mapToInt(f -> f.length + 32).sum();
        try (RemoteScratch scratch = RemoteScratch.below(leader, 256 + filterBytes)) {
            if (saved.personality() != now.personality()) {
                inject(leader, warnings, "personality", PERSONALITY, saved.personality());
            }
            if (saved.noNewPrivs() && !now.noNewPrivs()) {
                inject(leader, warnings, "prctl(PR_SET_NO_NEW_PRIVS)", Syscall.PRCTL, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
            }
            if (saved.noNewPrivs()) {
                credentials(leader, scratch, saved, now, warnings);
                filters(leader, scratch, saved, warnings);
            } else {
                filters(leader, scratch, saved, warnings);
                credentials(leader, scratch, saved, now, warnings);
            }
        }
    }

    private static void credentials(TracedThread t, RemoteScratch scratch, SavedSecurity saved, SavedSecurity now,
            List<String> warnings) {
        // Groups, then gids, then uids: once the uid is dropped the others cannot be changed.
        if (!Arrays.equals(saved.groups(), now.groups())) {
            ByteBuffer b = ByteBuffer.allocate(4 * Math.max(1, saved.groups().length)).order(ByteOrder.LITTLE_ENDIAN);
            for (long g : saved.groups()) {
                b.putInt((int) g);
            }
            inject(t, warnings, "setgroups", SETGROUPS, saved.groups().length, scratch.put(b.array()));
        }
        if (!Arrays.equals(Arrays.copyOf(saved.gids(), 3), Arrays.copyOf(now.gids(), 3))) {
            inject(t, warnings, "setresgid", SETRESGID, saved.gids()[0], saved.gids()[1], saved.gids()[2]);
        }
        if (!Arrays.equals(Arrays.copyOf(saved.uids(), 3), Arrays.copyOf(now.uids(), 3))) {
            inject(t, warnings, "setresuid", SETRESUID, saved.uids()[0], saved.uids()[1], saved.uids()[2]);
        }
    }

    /** Oldest filter first, as the original installed them. */
    private static void filters(TracedThread t, RemoteScratch scratch, SavedSecurity saved, List<String> warnings) {
        List<byte[]> filters = saved.seccompFilters();
        for (int i = filters.size() - 1; i >= 0; i--) {
            byte[] program = filters.get(i);
            long code = scratch.put(program);
            // struct sock_fprog { unsigned short len; struct sock_filter *filter; }
            byte[] fprog = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN)
                    .putShort(0, (short) (program.length / 8)).putLong(8, code).array();
            InjectedCall c = SyscallInjector.inject(t, SECCOMP, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC,
                    scratch.put(fprog));
            if (c.result() != 0) {
                // With TSYNC a positive result names a thread that could not take the filter.
                warnings.add("seccomp filter " + (filters.size() - i) + " of process " + t.process().pid()
                        + " not installed again: " + (c.failed() ? "errno " + c.errno() : "thread " + c.result()));
            }
        }
    }

    private static void inject(TracedThread t, List<String> warnings, String name, long nr, long... args) {
        InjectedCall c = SyscallInjector.inject(t, nr, args);
        if (c.failed()) {
            warnings.add(name + " in process " + t.process().pid() + " failed: errno " + c.errno()
                    + "; it runs with its restored parent's setting instead");
        }
    }
}

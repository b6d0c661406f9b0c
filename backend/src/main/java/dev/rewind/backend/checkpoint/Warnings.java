package dev.rewind.backend.checkpoint;

import dev.rewind.backend.linux.FdInfo;
import dev.rewind.backend.linux.LinuxException;
import dev.rewind.backend.linux.ProcFs;
import dev.rewind.backend.trace.TracedProcess;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Names the state of a process that a fork-based checkpoint cannot rewind, so that it is
 * reported on the checkpoint and never silently wrong. Stateless.
 */
final class Warnings {
    private Warnings() {
    }

    static List<String> of(int pid, List<FdInfo> fds, TracedProcess.Origin origin) {
        List<String> out = new ArrayList<>();
        for (FdInfo fd : fds) {
            String t = fd.target();
            String what = null;
            if (t.startsWith("socket:")) {
                what = "a socket: its peer and buffers are not rewound";
            } else if (t.startsWith("anon_inode:[eventpoll]")) {
                what = "an epoll set: it is shared with the live process, not rewound";
            } else if (t.startsWith("anon_inode:[eventfd]") || t.startsWith("anon_inode:[timerfd]")
                    || t.startsWith("anon_inode:[signalfd]") || t.startsWith("anon_inode:inotify")
                    || t.startsWith("anon_inode:[io_uring]")) {
                what = t.substring("anon_inode:".length()) + ": its state is not rewound";
            } else if (fd.append() && fd.seekable()) {
                what = "opened O_APPEND: data written after the checkpoint stays in the file";
            }
            if (what != null) {
                out.add("fd " + fd.fd() + " is " + what);
            }
            // From the fd's fdinfo, not /proc/locks: reading that waits for an RCU grace period
            // (10-20 ms here), which every checkpoint's answer waited for.
            if (fd.locks() > 0) {
                out.add("fd " + fd.fd() + " holds file locks (fcntl/flock): shared with the live process, not rewound");
            }
        }
        int timers = ProcFs.posixTimerCount(pid);
        if (timers > 0) {
            out.add(timers + " POSIX timer(s) (timer_create) are not restored");
        }
        try {
            Map<String, String> status = ProcFs.status(pid);
            if (!status.getOrDefault("VmLck", "0 kB").startsWith("0 ")) {
                out.add("locked memory (mlock) is not locked again after restart");
            }
            java.util.Collection<List<String>> mappings = ProcFs.vmFlags(pid).values();
            if (mappings.stream().anyMatch(flags -> flags.contains("wf"))) {
                out.add("a MADV_WIPEONFORK mapping is zeroed in the snapshot");
            }
            if (mappings.stream().anyMatch(flags -> flags.contains("dd"))) {
                out.add("a MADV_DONTFORK mapping is missing from the snapshot");
            }
        } catch (LinuxException e) {
            // process gone; nothing more to say
        }
        if (origin == TracedProcess.Origin.ATTACHED) {
            out.add("attached process: its snapshots are its children with exit signal 0 (visible to __WALL waiters),"
                    + " and a restart makes it a child of the backend");
        }
        return out;
    }
}

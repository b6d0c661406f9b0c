package dev.rewind.backend.checkpoint;

import dev.rewind.backend.linux.FdInfo;
import dev.rewind.backend.linux.LinuxException;
import dev.rewind.backend.linux.MemoryMapping;
import dev.rewind.backend.linux.PageScan;
import dev.rewind.backend.linux.ProcFs;
import dev.rewind.backend.trace.TracedProcess;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Names the state of a process that a fork-based checkpoint cannot rewind, so that it is
 * reported on the checkpoint and never silently wrong. Stateless.
 */
final class Warnings {
    private Warnings() {
    }

    /**
     * {@code pid}: the live process, running again; {@code snapshot}: its snapshot;
     * {@code mapsBefore}: the live process's mappings, read just before the freeze.
     */
    static List<String> of(int pid, int snapshot, List<MemoryMapping> mapsBefore, List<FdInfo> fds,
            TracedProcess.Origin origin) {
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
            // From the fd's fdinfo (read for paths and pipes), not /proc/locks: reading that waits
            // for an RCU grace period (10-20 ms here), which every checkpoint's answer waited for.
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
            out.addAll(mappingsAForkDrops(pid, snapshot, mapsBefore));
        } catch (LinuxException e) {
            // process gone; nothing more to say
        }
        if (origin == TracedProcess.Origin.ATTACHED) {
            out.add("attached process: its snapshots are its children with exit signal 0 (visible to __WALL waiters),"
                    + " and a restart makes it a child of the backend");
        }
        return out;
    }

    /**
     * MADV_DONTFORK mappings (VmFlags "dc"), which the snapshot lacks, and MADV_WIPEONFORK ones
     * ("wf"), which it has empty. The flags show only in /proc/PID/smaps, whose read costs about
     * 25 ms per GiB shared with a snapshot; so it is read only when cheaper signs point there: a
     * mapping the live process had at the cut (and still has) that the snapshot lacks, or a
     * private anonymous writable mapping of the snapshot without one populated page (a fork
     * copies the pages of every other one; programs seldom keep one empty).
     */
    private static List<String> mappingsAForkDrops(int pid, int snapshot, List<MemoryMapping> mapsBefore) {
        List<MemoryMapping> snapshotMaps = ProcFs.maps(snapshot);
        Set<Long> inSnapshot = new HashSet<>();
        snapshotMaps.forEach(m -> inSnapshot.add(m.start()));
        List<String> out = new ArrayList<>();
        List<Long> missing = mapsBefore.stream().map(MemoryMapping::start).filter(a -> !inSnapshot.contains(a)).toList();
        if (!missing.isEmpty()) {
            // The live process's flags tell a DONTFORK mapping from one the program unmapped
            // between the maps read and the freeze (gone from both, so without flags).
            Map<Long, List<String>> flags = ProcFs.vmFlags(pid);
            if (missing.stream().anyMatch(a -> flags.getOrDefault(a, List.of()).contains("dc"))) {
                out.add("a MADV_DONTFORK mapping is missing from the snapshot");
            }
        }
        boolean emptyAnonymous = false;
        try (PageScan scan = PageScan.of(snapshot)) {
            for (MemoryMapping m : snapshotMaps) {
                if (m.anonymousPrivateWritable() && !scan.anyPopulated(m.start(), m.end())) {
                    emptyAnonymous = true;
                    break;
                }
            }
        } catch (LinuxException e) {
            emptyAnonymous = true; // no PAGEMAP_SCAN (a kernel before 6.7): read the flags
        }
        if (emptyAnonymous && ProcFs.vmFlags(snapshot).values().stream().anyMatch(f -> f.contains("wf"))) {
            out.add("a MADV_WIPEONFORK mapping is zeroed in the snapshot");
        }
        return out;
    }
}

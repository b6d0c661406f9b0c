package dev.rewind.protocol.session;

import java.util.List;

/**
 * One process of a session.
 *
 * @param role    {@code "live"} (the debuggee) or {@code "snapshot"} (a stopped copy-on-write
 *                copy that holds a checkpoint; it never runs)
 * @param crid    the checkpoint a snapshot holds; null for the live process
 * @param threads the thread ids (the live process's; a snapshot has one stopped thread)
 * @param ppid    the parent (live processes; 0 for snapshots)
 * @param pgid    the process group (live processes)
 * @param sid     the session (live processes)
 * @param exe     the executable (live processes)
 * @param state   the kernel's state letter and word, e.g. "S (sleeping)" (live processes)
 */
public record ProcessInfo(int pid, String role, Long crid, List<Integer> threads, int ppid, int pgid, int sid,
        String exe, String state) {
    public static final String LIVE = "live";
    public static final String SNAPSHOT = "snapshot";

    /** A snapshot entry: only its pid, crid and its one thread. */
    public static ProcessInfo snapshot(int pid, long crid) {
        return new ProcessInfo(pid, SNAPSHOT, crid, List.of(pid), 0, 0, 0, null, null);
    }
}

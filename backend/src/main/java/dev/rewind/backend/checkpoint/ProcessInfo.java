package dev.rewind.backend.checkpoint;

import java.util.List;

/** One process of a debuggee's tree, as {@link Debuggee#tree()} reports it. */
public record ProcessInfo(int pid, int ppid, int pgid, int sid, String exe, List<Integer> threads, String state) {
}

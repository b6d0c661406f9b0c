package dev.rewind.backend.checkpoint;

import java.util.Set;

/**
 * Who a process is to the filesystem: its filesystem uid, and its filesystem gid with its
 * supplementary groups.
 */
public record ProcessIdentity(int uid, Set<Integer> gids) {
}

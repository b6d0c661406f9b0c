package dev.rewind.backend.checkpoint;

/**
 * The contents of one MAP_SHARED mapping at checkpoint time. A fork shares such memory instead
 * of copying it, so the snapshot does not keep it: the checkpoint does.
 *
 * @param pid   the process that maps it (the first in the tree)
 * @param start its address there
 */
public record SharedRegion(int pid, long start, String path, long inode, byte[] content) {
}

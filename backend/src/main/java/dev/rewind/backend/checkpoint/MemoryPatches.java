package dev.rewind.backend.checkpoint;

/**
 * Bytes the backend patched into a process (breakpoints) that must never be captured in a
 * snapshot: removed while the tree is frozen, just before the snapshot is forked, and put back
 * right after.
 */
interface MemoryPatches {
    MemoryPatches NONE = new MemoryPatches() {
        @Override
        public void removeFrom(int pid) {
        }

        @Override
        public void insertInto(int pid) {
        }
    };

    void removeFrom(int pid);

    void insertInto(int pid);
}

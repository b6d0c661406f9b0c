package dev.rewind.backend.cli;

/** What {@code rewind bench tree} measured for one tree size, in microseconds. Not thread-safe. */
final class BenchTreeResults {
    final int procs;
    final int mib;
    /** Under Rewind: the whole tree's checkpoint downtime. */
    final BenchSamples downtime = new BenchSamples();
    /** Under Rewind: restart of the whole tree after every process rewrote its heap. */
    final BenchSamples restart = new BenchSamples();
    /**
     * The restart split by its progress reports: until the root is restored (the kill of the live
     * tree), the root, and the children (their transplants).
     */
    final BenchSamples restartKill = new BenchSamples();
    final BenchSamples restartRoot = new BenchSamples();
    final BenchSamples restartChildren = new BenchSamples();
    /** Untraced: each process forks itself once, in turn; the sum, the largest, the root's. */
    final BenchSamples forkSum = new BenchSamples();
    final BenchSamples forkMax = new BenchSamples();
    final BenchSamples forkRoot = new BenchSamples();
    /** Untraced: each child copies its heap into a fresh mapping; summed over the children. */
    final BenchSamples copyChildrenMemcpy = new BenchSamples();
    final BenchSamples copyChildrenPwrite = new BenchSamples();
    /** Untraced: the root's copy of its heap (one process's worth). */
    final BenchSamples copyOneMemcpy = new BenchSamples();
    final BenchSamples copyOnePwrite = new BenchSamples();

    BenchTreeResults(int procs, int mib) {
        this.procs = procs;
        this.mib = mib;
    }
}

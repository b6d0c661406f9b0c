package dev.rewind.backend.cli;

/** What {@code rewind bench checkpoint} measured at one heap size: times in microseconds, memory in bytes. */
final class BenchResults {
    final BenchSamples bareFork = new BenchSamples();
    final BenchSamples rewindDowntime = new BenchSamples();
    /** The checkpoint call from request to answer: the stop's delivery and the snapshot's adoption included. */
    final BenchSamples rewindCheckpointCall = new BenchSamples();
    final BenchSamples gdbCheckpoint = new BenchSamples();
    final BenchSamples rewindRestart = new BenchSamples();
    final BenchSamples rewindRestartUntouched = new BenchSamples();
    final BenchSamples gdbRestart = new BenchSamples();
    final BenchSamples privateAfterCheckpoint = new BenchSamples();
    final BenchSamples privateAfterRewrite = new BenchSamples();
    final BenchSamples snapshotPte = new BenchSamples();
    final BenchSamples rewritePlain = new BenchSamples();
    final BenchSamples rewriteAfterCheckpoint = new BenchSamples();
    /** Writing the checkpoint to an image file, while the program runs on. */
    final BenchSamples writeBack = new BenchSamples();
    /** The same write-back until its last page is written, before its two fsyncs: to the page cache. */
    final BenchSamples writeBackToCache = new BenchSamples();
    /** Its peers: the snapshot's memory read and written to a file, nothing else (BenchCopyPipeline), through /proc/PID/mem and process_vm_readv. */
    final BenchSamples copyPipeline = new BenchSamples();
    final BenchSamples copyPinned = new BenchSamples();
    /** A checkpoint restored from its image file by a second engine, until it is ready to run. */
    final BenchSamples imageRestore = new BenchSamples();
    /** The image file with that one checkpoint, and what a second one, 1% of the heap later, adds to it (bytes). */
    final BenchSamples imageBytes = new BenchSamples();
    final BenchSamples incrementBytes = new BenchSamples();
    /** The program's longest stall (gap between two clock reads) while the write-back ran, and before it. */
    final BenchSamples pingDuringWriteBack = new BenchSamples();
    final BenchSamples pingBefore = new BenchSamples();
}

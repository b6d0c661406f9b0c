package dev.rewind.backend.checkpoint;

import dev.rewind.backend.linux.FdInfo;
import dev.rewind.backend.linux.MemoryMapping;
import dev.rewind.backend.trace.TracedThread;
import java.util.List;

/**
 * Where a transplant ({@link Transplanter#fill}) takes a process's memory and process-wide state
 * from: a snapshot process of this backend, or a checkpoint in an image file.
 */
interface TransplantSource {
    /** The memory layout to make. */
    List<MemoryMapping> maps();

    /** Writes the contents of {@code mappings} (mapped already) into process {@code pid}. */
    void copyMemory(int pid, List<MemoryMapping> mappings);

    /** A path that opens the object the shared mapping {@code m} maps, or null if nothing does. */
    String sharedObject(MemoryMapping m);

    /** The /proc/PID/stat layout fields (see {@code ProcFs.layoutFields}). */
    long[] layoutFields();

    byte[] auxv();

    String exe();

    /** See {@link SignalHandlers#read}. */
    byte[][] signalHandlers();

    String cwd();

    /** The umask, or -1 if unknown. */
    int umask();

    /**
     * Puts {@code wanted} on their numbers in {@code t}'s process, closing the others; adds what it
     * could not to {@code warnings}. {@code scratch}: a page of that process for call arguments.
     */
    void placeDescriptors(TracedThread t, long scratch, List<FdInfo> wanted, List<String> warnings);
}

package dev.rewind.backend.checkpoint;

import dev.rewind.backend.linux.MemoryMapping;
import dev.rewind.backend.linux.ProcFs;
import dev.rewind.backend.linux.ProcessMemory;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.Set;

/**
 * Writes checkpoints into an image file, creating it or appending to it (see {@link ImageFormat}).
 * Memory is read from the snapshot processes, which are stopped forever and never run, through
 * /proc/PID/mem (see {@link ProcessMemory#readShared}: process_vm_readv would make the snapshot
 * copy every page it shares with the live process): never from the live debuggee, which goes on
 * running meanwhile (a write-back costs it no downtime). Runs on the caller's thread, not the
 * tracer's. Stateless.
 */
public final class ImageWriter {
    /** MEMORY sections hold at most this much of a mapping each, so a section fits in memory. */
    static final int CHUNK = 8 << 20;
    private static final Set<String> KERNEL_MAPPINGS = Set.of("[vvar]", "[vvar_vclock]", "[vsyscall]", "[vdso]");

    /** One checkpoint to write: its timeline entry, its processes' saved state, what restores need besides, and their snapshots' pids. */
    record Source(TimelineEntry entry, List<SavedProcess> states, List<ImageFormat.ProcessExtras> extras,
            List<Integer> snapshotPids) {
    }

    /** Told bytes done and bytes in all, as memory is written. */
    interface Progress {
        void report(long done, long total);
    }

    private ImageWriter() {
    }

    /** Appends {@code checkpoints} to {@code path}; returns the file's size afterwards. */
    static long append(Path path, List<Source> checkpoints, Progress progress) throws IOException {
        try (FileChannel out = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            List<ImageFormat.IndexEntry> index = new ArrayList<>();
            if (out.size() == 0) {
                ImageFormat.writeJson(out, ImageFormat.HEADER, new ImageFormat.Header("rewind-image", ImageFormat.VERSION,
                        System.getProperty("os.arch"), MemoryChunk.PAGE, kernel(), toolVersion()));
            } else {
                ImageReader.header(path, out);
                index.addAll(ImageReader.index(path, out).checkpoints());
                long end = ImageReader.completeEnd(path, out);
                if (end > 0 && end < out.size()) {
                    out.truncate(end); // what an append that did not finish left: nothing points at it
                }
            }
            Set<Long> present = new HashSet<>();
            index.forEach(e -> present.add(e.crid()));
            for (Source s : checkpoints) {
                if (present.contains(s.entry().crid().value())) {
                    throw new IllegalArgumentException(path + " holds a checkpoint " + s.entry().crid()
                            + " already (crids number the checkpoints of one backend run): write to another file");
                }
            }
            long total = 0;
            List<List<List<MemoryMapping>>> maps = new ArrayList<>();
            for (Source s : checkpoints) {
                List<List<MemoryMapping>> perProcess = new ArrayList<>();
                for (int snapshot : s.snapshotPids()) {
                    List<MemoryMapping> mine = ProcFs.maps(snapshot);
                    perProcess.add(mine);
                    for (MemoryMapping m : mine) {
                        total += keepsContents(m) ? m.size() : 0;
                    }
                }
                maps.add(perProcess);
            }
            long done = 0;
            out.position(out.size());
            for (int c = 0; c < checkpoints.size(); c++) {
                Source s = checkpoints.get(c);
                TimelineEntry e = s.entry();
                long offset = out.position();
                Long parent = e.parent() == null ? null : e.parent().value();
                // Incremental: with its parent in the file, a page that is what the parent had at that
                // address is left out (compared byte for byte with the parent's, read back from the file).
                PageIndex parentPages = parent != null && index.stream().anyMatch(x -> x.crid() == parent)
                        ? PageIndex.of(path, out, index, parent) : null;
                ImageFormat.writeJson(out, ImageFormat.CHECKPOINT, new ImageFormat.CheckpointRecord(e.crid().value(),
                        e.label(), e.reason().name(), e.createdAt().toString(), parent, s.states(), s.extras()));
                for (int p = 0; p < s.snapshotPids().size(); p++) {
                    int snapshot = s.snapshotPids().get(p);
                    int savedPid = s.states().get(p).pid();
                    List<Chunk> chunks = chunks(maps.get(c).get(p));
                    // The next chunk is read from the snapshot on another thread while this one is encoded and written.
                    Buffers buffers = new Buffers(parentPages == null);
                    CompletableFuture<Read> next = readAhead(snapshot, e.crid(), chunks, 0, buffers);
                    for (int i = 0; i < chunks.size(); i++) {
                        Chunk ch = chunks.get(i);
                        Read r = join(next);
                        next = readAhead(snapshot, e.crid(), chunks, i + 1, buffers);
                        MemoryMapping m = ch.mapping();
                        if (r.direct() != null) {
                            try {
                                MemoryChunk.writeDirect(out, savedPid, m, ch.at(), r.direct());
                            } finally {
                                buffers.release(r.direct());
                            }
                            done += ch.length();
                            progress.report(done, total);
                            continue;
                        }
                        if (r.data() == null) {
                            ImageFormat.writeSection(out, ImageFormat.MEMORY, MemoryChunk.encode(savedPid, m, m.start(), null));
                            continue;
                        }
                        // Only for memory that a restore maps fresh (zero): not for files, whose pages come from them.
                        boolean[] asParent = !Transplanter.isFile(m) && parentPages != null
                                ? sameAsParent(parentPages, savedPid, ch.at(), r.data()) : null;
                        byte[] section = r.fileOwn() != null
                                ? MemoryChunk.encode(savedPid, m, ch.at(), r.data(), r.fileOwn(), MemoryChunk.BY_REFERENCE)
                                : asParent != null ? MemoryChunk.encode(savedPid, m, ch.at(), r.data(), asParent, MemoryChunk.DELTA)
                                : MemoryChunk.encode(savedPid, m, ch.at(), r.data());
                        ImageFormat.writeSection(out, ImageFormat.MEMORY, section);
                        done += r.data().length;
                        progress.report(done, total);
                    }
                }
                index.add(new ImageFormat.IndexEntry(e.crid().value(), e.label(), e.createdAt().toString(), parent, offset,
                        out.position() - offset));
            }
            // The new sections are on disk before the trailer that makes them part of the file: a crash
            // in between leaves the earlier trailer the last valid one, and the earlier checkpoints readable.
            out.force(false);
            long indexOffset = out.position();
            ImageFormat.writeJson(out, ImageFormat.INDEX, new ImageFormat.Index(index));
            ImageFormat.writeTrailer(out, indexOffset);
            out.force(false);
            return out.size();
        }
    }

    /**
     * Removes checkpoint {@code crid} from the image file {@code path}, compacting it: the other
     * checkpoints' sections are copied as they are (checksums and all) into a new file beside it,
     * with a new index and trailer, which then replaces the old one (a rename: a crash leaves one or
     * the other). Returns the new size.
     */
    public static long remove(Path path, long crid) throws IOException {
        Path tmp = path.resolveSibling(path.getFileName() + ".compacting");
        try (FileChannel in = ImageReader.open(path);
                FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                        StandardOpenOption.WRITE)) {
            ImageReader.header(path, in);
            List<ImageFormat.IndexEntry> old = ImageReader.index(path, in).checkpoints();
            if (old.stream().noneMatch(e -> e.crid() == crid)) {
                throw new BadImageException(path, "holds no checkpoint " + crid);
            }
            for (ImageFormat.IndexEntry e : old) {
                if (e.parentCrid() != null && e.parentCrid() == crid) {
                    throw new IllegalArgumentException("checkpoint " + crid + " is the parent of checkpoint " + e.crid()
                            + " in " + path + ", which may keep only what differs from it: remove " + e.crid() + " first");
                }
            }
            ImageReader.Section header = ImageReader.section(path, in, 0);
            in.transferTo(0, header.next(), out);
            List<ImageFormat.IndexEntry> kept = new ArrayList<>();
            for (ImageFormat.IndexEntry e : old) {
                if (e.crid() != crid) {
                    long offset = out.position();
                    long done = 0;
                    while (done < e.bytes()) {
                        done += in.transferTo(e.offset() + done, e.bytes() - done, out);
                    }
                    kept.add(new ImageFormat.IndexEntry(e.crid(), e.label(), e.createdAt(), e.parentCrid(), offset, e.bytes()));
                }
            }
            long indexOffset = out.position();
            ImageFormat.writeJson(out, ImageFormat.INDEX, new ImageFormat.Index(kept));
            ImageFormat.writeTrailer(out, indexOffset);
            out.force(false);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, path, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return Files.size(path);
    }

    /** One MEMORY section to be: a stretch of a mapping ({@code length} 0: a mapping whose contents are not kept). */
    private record Chunk(MemoryMapping mapping, long at, int length) {
    }

    /**
     * A chunk as read from the snapshot: its bytes (null: none kept) and which pages are still its
     * file's own (null: not a private file mapping); or, for anonymous and shared memory written
     * whole, the bytes in a direct buffer of {@link Buffers} ({@code direct}, else null).
     */
    private record Read(byte[] data, boolean[] fileOwn, java.nio.ByteBuffer direct) {
        Read(byte[] data, boolean[] fileOwn) {
            this(data, fileOwn, null);
        }
    }

    /**
     * The two direct buffers of one process's write-back (one being written, one being read
     * ahead): the kernel reads the snapshot's pages straight into them and the section goes out
     * from them, with no copy on our side. Not used for incremental checkpoints (the comparison
     * with the parent works on arrays) nor for private file mappings (pages kept by reference).
     */
    private static final class Buffers {
        private final java.util.concurrent.ArrayBlockingQueue<java.nio.ByteBuffer> free =
                new java.util.concurrent.ArrayBlockingQueue<>(2);
        private final boolean enabled;
        private int made;

        Buffers(boolean enabled) {
            this.enabled = enabled;
        }

        boolean enabled() {
            return enabled;
        }

        /** A free buffer, made on first need; waits while both are in use. */
        java.nio.ByteBuffer take() {
            synchronized (this) {
                if (free.isEmpty() && made < 2) {
                    made++;
                    return java.nio.ByteBuffer.allocateDirect(CHUNK);
                }
            }
            try {
                return free.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while writing an image", e);
            }
        }

        void release(java.nio.ByteBuffer b) {
            free.add(b);
        }
    }

    /** The thread that reads the next chunk from the snapshot meanwhile; idle between write-backs. */
    private static final java.util.concurrent.Executor READ_AHEAD = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "rewind-write-back-reader");
        t.setDaemon(true);
        return t;
    });

    private static List<Chunk> chunks(List<MemoryMapping> mappings) {
        List<Chunk> out = new ArrayList<>();
        for (MemoryMapping m : mappings) {
            if (!keepsContents(m)) {
                out.add(new Chunk(m, m.start(), 0));
                continue;
            }
            for (long at = m.start(); at < m.end(); at += CHUNK) {
                out.add(new Chunk(m, at, (int) Math.min(CHUNK, m.end() - at)));
            }
        }
        return out;
    }

    private static CompletableFuture<Read> readAhead(int snapshot, Crid crid, List<Chunk> chunks, int i, Buffers buffers) {
        if (i >= chunks.size()) {
            return null;
        }
        Chunk ch = chunks.get(i);
        return CompletableFuture.supplyAsync(() -> {
            if (ch.length() == 0) {
                return new Read(null, null);
            }
            if (buffers.enabled() && !(Transplanter.isFile(ch.mapping()) && !ch.mapping().shared())) {
                java.nio.ByteBuffer b = buffers.take();
                b.clear().limit(ch.length());
                try {
                    ProcessMemory.readSharedInto(snapshot, ch.at(), b);
                    return new Read(null, null, b);
                } catch (RuntimeException unreadable) {
                    buffers.release(b); // a page that cannot be read: the array path keeps it as zeros
                }
            }
            // Pages of a private file mapping that were never written are the file's: kept by reference
            // (the restore maps the file again and checks it did not change); they need not be read.
            boolean[] fileOwn = Transplanter.isFile(ch.mapping()) && !ch.mapping().shared()
                    ? ProcFs.filePages(snapshot, ch.at(), ch.length() / MemoryChunk.PAGE) : null;
            byte[] data = fileOwn != null && allTrue(fileOwn) ? new byte[ch.length()] : read(snapshot, crid, ch.at(), ch.length());
            return new Read(data, fileOwn);
        }, READ_AHEAD);
    }

    private static Read join(CompletableFuture<Read> f) {
        try {
            return f.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    /** Per page of {@code data} (at {@code at} of process {@code pid}): the parent had the same; null if no page is. */
    private static boolean[] sameAsParent(PageIndex parent, int pid, long at, byte[] data) throws IOException {
        boolean[] same = new boolean[data.length / MemoryChunk.PAGE];
        boolean any = false;
        for (int i = 0; i < same.length; i++) {
            same[i] = parent.same(pid, at + (long) i * MemoryChunk.PAGE, data, i * MemoryChunk.PAGE);
            any |= same[i];
        }
        return any ? same : null;
    }

    private static boolean allTrue(boolean[] b) {
        for (boolean x : b) {
            if (!x) {
                return false;
            }
        }
        return true;
    }

    /** Readable memory the process owns; the kernel's own mappings and inaccessible ones hold nothing to keep. */
    private static boolean keepsContents(MemoryMapping m) {
        return m.perms().charAt(0) == 'r' && !KERNEL_MAPPINGS.contains(m.path());
    }

    /**
     * Reads a stretch of a snapshot's memory. Pages that cannot be read (a file mapping past the
     * end of its file) are kept as zeros; a snapshot that is gone (dropped meanwhile) is an error.
     */
    private static byte[] read(int snapshot, Crid crid, long at, int len) {
        try {
            return ProcessMemory.readShared(snapshot, at, len);
        } catch (RuntimeException whole) {
            if (!ProcFs.exists(snapshot)) {
                throw new IllegalStateException("checkpoint " + crid + " was dropped while it was being written", whole);
            }
            byte[] out = new byte[len];
            for (int off = 0; off < len; off += MemoryChunk.PAGE) {
                int n = Math.min(MemoryChunk.PAGE, len - off);
                try {
                    System.arraycopy(ProcessMemory.readShared(snapshot, at + off, n), 0, out, off, n);
                } catch (RuntimeException page) {
                    // unreadable: stays zero
                }
            }
            return out;
        }
    }

    private static String kernel() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String toolVersion() {
        Package p = ImageWriter.class.getPackage();
        return p != null && p.getImplementationVersion() != null ? p.getImplementationVersion() : "rewind";
    }
}

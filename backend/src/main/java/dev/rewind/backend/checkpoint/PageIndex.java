package dev.rewind.backend.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where an image file holds each page of a checkpoint, following its chain of parents: what an
 * incremental checkpoint (one whose MEMORY sections have {@link MemoryChunk#DELTA}) leaves out is
 * its parent's page at the same address. Built by reading the chain oldest first: a full section
 * sets every page it covers (held: where its bytes are; not held: zero, or unknown when it keeps
 * them by reference to a file), a delta section only the pages it holds.
 */
final class PageIndex {
    /** The page was zero. */
    static final long ZERO = -1;

    /** Page key (process, page address) to the file position of its 4096 bytes, or {@link #ZERO}. */
    private final Map<Long, Long> pages;
    private final Path path;
    private final FileChannel in;

    private PageIndex(Map<Long, Long> pages, Path path, FileChannel in) {
        this.pages = pages;
        this.path = path;
        this.in = in;
    }

    static long key(int pid, long address) {
        return ((long) pid << 36) ^ (address >>> 12);
    }

    /** The pages of checkpoint {@code crid} of the file ({@code index} lists its checkpoints). */
    static PageIndex of(Path path, FileChannel in, List<ImageFormat.IndexEntry> index, long crid) throws IOException {
        Map<Long, ImageFormat.IndexEntry> byCrid = new HashMap<>();
        index.forEach(e -> byCrid.put(e.crid(), e));
        Deque<ImageFormat.IndexEntry> chain = new ArrayDeque<>();
        Long c = crid;
        while (c != null && byCrid.containsKey(c) && chain.size() <= index.size()) {
            ImageFormat.IndexEntry e = byCrid.get(c);
            chain.addFirst(e);
            c = e.parentCrid();
        }
        Map<Long, Long> pages = new HashMap<>();
        for (ImageFormat.IndexEntry e : chain) {
            long pos = ImageReader.section(path, in, e.offset()).next();
            long end = e.offset() + e.bytes();
            while (pos < end) {
                ImageReader.Section s = ImageReader.section(path, in, pos);
                long payloadAt = pos + ImageFormat.SECTION_HEADER;
                pos = s.next();
                if (s.type() != ImageFormat.MEMORY) {
                    continue;
                }
                MemoryChunk.Head h = MemoryChunk.head(s.payload());
                if (!h.delta()) {
                    for (long a = h.chunkStart(); a < h.chunkEnd(); a += MemoryChunk.PAGE) {
                        if (h.byReference()) {
                            pages.remove(key(h.pid(), a));
                        } else {
                            pages.put(key(h.pid(), a), ZERO);
                        }
                    }
                }
                MemoryChunk.runs(s.payload(), (at, data, offset, len) -> {
                    for (int k = 0; k < len; k += MemoryChunk.PAGE) {
                        pages.put(key(h.pid(), at + k), payloadAt + offset + k);
                    }
                });
            }
        }
        return new PageIndex(pages, path, in);
    }

    /** Where page {@code address} of {@code pid} is: a file position, {@link #ZERO}, or null if the chain does not say. */
    Long where(int pid, long address) {
        return pages.get(key(pid, address));
    }

    /** Whether the page of {@code pid} at {@code address} had the {@link MemoryChunk#PAGE} bytes at {@code offset} of {@code data}. */
    boolean same(int pid, long address, byte[] data, int offset) throws IOException {
        Long at = where(pid, address);
        if (at == null) {
            return false;
        }
        if (at == ZERO) {
            return Arrays.mismatch(data, offset, offset + MemoryChunk.PAGE, new byte[MemoryChunk.PAGE], 0, MemoryChunk.PAGE) < 0;
        }
        return Arrays.equals(read(at), 0, MemoryChunk.PAGE, data, offset, offset + MemoryChunk.PAGE);
    }

    /** The page's bytes at file position {@code at}. */
    byte[] read(long at) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(MemoryChunk.PAGE);
        while (b.hasRemaining()) {
            if (in.read(b, at + b.position()) < 0) {
                throw new BadImageException(path, "truncated at offset " + (at + b.position()));
            }
        }
        return b.array();
    }
}

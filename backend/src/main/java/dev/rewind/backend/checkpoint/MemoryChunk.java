package dev.rewind.backend.checkpoint;

import dev.rewind.backend.linux.MemoryMapping;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The payload of one MEMORY section: a stretch of one mapping of one process, with the mapping's
 * description (so that a restore can rebuild the layout) and its contents as runs of pages that
 * are not all zero (a page the image does not hold was zero). Stateless.
 */
final class MemoryChunk {
    static final int PAGE = 4096;
    private static final int READ = 1;
    private static final int WRITE = 2;
    private static final int EXEC = 4;
    private static final int SHARED = 8;
    /** The pages a section does not hold are the mapped file's own (clean pages kept by reference), not zero. */
    static final int BY_REFERENCE = 16;
    /** The pages a section does not hold are those of the parent checkpoint at the same address (an incremental image). */
    static final int DELTA = 32;

    private MemoryChunk() {
    }

    /** {@code data} holds [chunkStart, chunkStart + data.length) of the mapping, or is null (no contents kept). */
    static byte[] encode(int pid, MemoryMapping m, long chunkStart, byte[] data) {
        return encode(pid, m, chunkStart, data, null, 0);
    }

    /**
     * As {@link #encode(int, MemoryMapping, long, byte[])}; with {@code notHeld} (per page of
     * {@code data}) those pages are left out and every other page is kept, zero or not, and the
     * section carries {@code meaning} ({@link #BY_REFERENCE} or {@link #DELTA}): what the pages left
     * out are.
     */
    static byte[] encode(int pid, MemoryMapping m, long chunkStart, byte[] data, boolean[] notHeld, int meaning) {
        byte[] path = m.path().getBytes(StandardCharsets.UTF_8);
        int n = data == null ? 0 : data.length;
        // The runs of non-zero pages as (from, to) offsets, found first, so that the payload is
        // allocated once and each byte copied once: write-back moves gigabytes through here.
        int[] runs = new int[16];
        int count = 0;
        int size = 0;
        int page = 0;
        while (page < n) {
            while (page < n && skipped(data, page, notHeld)) {
                page += PAGE;
            }
            int from = page;
            while (page < n && !skipped(data, page, notHeld)) {
                page += PAGE;
            }
            if (page > from) {
                if (count + 2 > runs.length) {
                    runs = java.util.Arrays.copyOf(runs, runs.length * 2);
                }
                runs[count++] = from;
                runs[count++] = Math.min(page, n);
                size += 12 + Math.min(page, n) - from;
            }
        }
        int flags = (m.perms().charAt(0) == 'r' ? READ : 0) | (m.perms().charAt(1) == 'w' ? WRITE : 0)
                | (m.perms().charAt(2) == 'x' ? EXEC : 0) | (m.shared() ? SHARED : 0) | (notHeld != null ? meaning : 0);
        ByteBuffer b = ByteBuffer.allocate(4 + 8 * 3 + 4 + 4 + path.length + 16 + size + 12)
                .order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(pid).putLong(m.start()).putLong(m.end()).putLong(m.offset()).putInt(flags).putInt(path.length).put(path);
        b.putLong(chunkStart).putLong(chunkStart + n);
        for (int i = 0; i < count; i += 2) {
            b.putLong(chunkStart + runs[i]).putInt(runs[i + 1] - runs[i]).put(data, runs[i], runs[i + 1] - runs[i]);
        }
        b.putLong(0).putInt(0);
        return b.array();
    }

    /**
     * The head of a MEMORY section: whose, which mapping, and which stretch of it; {@code byReference}:
     * the pages it does not hold are the file's own, else they were zero.
     */
    record Head(int pid, MemoryMapping mapping, long chunkStart, long chunkEnd, boolean byReference, boolean delta) {
    }

    /** A run of bytes a MEMORY section holds. */
    interface RunSink {
        void run(long address, byte[] payload, int offset, int length);
    }

    static Head head(byte[] payload) {
        ByteBuffer b = ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
        int pid = b.getInt();
        long start = b.getLong();
        long end = b.getLong();
        long offset = b.getLong();
        int flags = b.getInt();
        byte[] path = new byte[b.getInt()];
        b.get(path);
        String perms = "" + ((flags & READ) != 0 ? 'r' : '-') + ((flags & WRITE) != 0 ? 'w' : '-')
                + ((flags & EXEC) != 0 ? 'x' : '-') + ((flags & SHARED) != 0 ? 's' : 'p');
        MemoryMapping m = new MemoryMapping(start, end, perms, offset, "00:00", 0, new String(path, StandardCharsets.UTF_8));
        return new Head(pid, m, b.getLong(), b.getLong(), (flags & BY_REFERENCE) != 0, (flags & DELTA) != 0);
    }

    /** Hands each run of {@code payload} to {@code sink}. */
    static void runs(byte[] payload, RunSink sink) {
        ByteBuffer b = ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
        b.position(4 + 8 * 3 + 4);
        int pathLength = b.getInt();
        b.position(b.position() + pathLength + 16);
        while (true) {
            long at = b.getLong();
            int len = b.getInt();
            if (len == 0) {
                return;
            }
            sink.run(at, payload, b.position(), len);
            b.position(b.position() + len);
        }
    }

    private static final byte[] ZERO_PAGE = new byte[PAGE];

    private static boolean skipped(byte[] data, int page, boolean[] notHeld) {
        return notHeld != null ? notHeld[page / PAGE] : zero(data, page);
    }

    /** Whether the page at {@code from} is all zero (Arrays.mismatch is vectorized by the JIT). */
    private static boolean zero(byte[] data, int from) {
        int to = Math.min(from + PAGE, data.length);
        return java.util.Arrays.mismatch(data, from, to, ZERO_PAGE, 0, to - from) < 0;
    }

    private static final ByteBuffer ZERO_DIRECT = ByteBuffer.allocateDirect(PAGE);

    /**
     * Writes the MEMORY section of {@code data} (a buffer holding the chunk from position 0 to its
     * limit) at the channel's position: byte for byte what {@link #encode} and
     * {@link ImageFormat#writeSection} write, without copying the pages. The runs of non-zero pages
     * go out as slices of {@code data} in one gathering write, and the checksum is taken over them
     * where they are: the write-back's hot path for anonymous memory.
     */
    static long writeDirect(FileChannel out, int pid, MemoryMapping m, long chunkStart, ByteBuffer data) throws IOException {
        int n = data.limit();
        List<ByteBuffer> parts = new ArrayList<>();
        byte[] path = m.path().getBytes(StandardCharsets.UTF_8);
        int flags = (m.perms().charAt(0) == 'r' ? READ : 0) | (m.perms().charAt(1) == 'w' ? WRITE : 0)
                | (m.perms().charAt(2) == 'x' ? EXEC : 0) | (m.shared() ? SHARED : 0);
        ByteBuffer head = ByteBuffer.allocate(4 + 8 * 3 + 4 + 4 + path.length + 16).order(ByteOrder.LITTLE_ENDIAN);
        head.putInt(pid).putLong(m.start()).putLong(m.end()).putLong(m.offset()).putInt(flags).putInt(path.length).put(path);
        head.putLong(chunkStart).putLong(chunkStart + n).flip();
        parts.add(head);
        long size = head.remaining();
        int page = 0;
        while (page < n) {
            while (page < n && zero(data, page)) {
                page += PAGE;
            }
            int from = page;
            while (page < n && !zero(data, page)) {
                page += PAGE;
            }
            int to = Math.min(page, n);
            if (to > from) {
                parts.add(ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putLong(chunkStart + from).putInt(to - from).flip());
                parts.add(data.slice(from, to - from));
                size += 12 + to - from;
            }
        }
        parts.add(ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putLong(0).putInt(0).flip());
        size += 12;
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        for (ByteBuffer b : parts) {
            crc.update(b.duplicate());
        }
        ByteBuffer header = ByteBuffer.allocate(ImageFormat.SECTION_HEADER).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(ImageFormat.SECTION_MAGIC).putInt(ImageFormat.MEMORY).putLong(size).putInt((int) crc.getValue()).flip();
        parts.add(0, header);
        ByteBuffer[] all = parts.toArray(ByteBuffer[]::new);
        long left = ImageFormat.SECTION_HEADER + size;
        while (left > 0) {
            left -= out.write(all);
        }
        return ImageFormat.SECTION_HEADER + size;
    }

    /** {@link #zero(byte[], int)} on a buffer. */
    private static boolean zero(ByteBuffer data, int from) {
        int len = Math.min(PAGE, data.limit() - from);
        return data.slice(from, len).mismatch(ZERO_DIRECT.slice(0, len)) < 0;
    }
}

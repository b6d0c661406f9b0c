package dev.rewind.backend.checkpoint;

import dev.rewind.backend.linux.MemoryMapping;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

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

    private MemoryChunk() {
    }

    /** {@code data} holds [chunkStart, chunkStart + data.length) of the mapping, or is null (no contents kept). */
    static byte[] encode(int pid, MemoryMapping m, long chunkStart, byte[] data) {
        byte[] path = m.path().getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream runs = new ByteArrayOutputStream();
        int n = data == null ? 0 : data.length;
        int page = 0;
        while (page < n) {
            while (page < n && zero(data, page)) {
                page += PAGE;
            }
            int from = page;
            while (page < n && !zero(data, page)) {
                page += PAGE;
            }
            if (page > from) {
                int len = Math.min(page, n) - from;
                ByteBuffer h = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
                h.putLong(chunkStart + from).putInt(len);
                runs.write(h.array(), 0, 12);
                runs.write(data, from, len);
            }
        }
        int flags = (m.perms().charAt(0) == 'r' ? READ : 0) | (m.perms().charAt(1) == 'w' ? WRITE : 0)
                | (m.perms().charAt(2) == 'x' ? EXEC : 0) | (m.shared() ? SHARED : 0);
        ByteBuffer b = ByteBuffer.allocate(4 + 8 * 3 + 4 + 4 + path.length + 16 + runs.size() + 12)
                .order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(pid).putLong(m.start()).putLong(m.end()).putLong(m.offset()).putInt(flags).putInt(path.length).put(path);
        b.putLong(chunkStart).putLong(chunkStart + n);
        b.put(runs.toByteArray());
        b.putLong(0).putInt(0);
        return b.array();
    }

    /** Copies what {@code payload} holds of [address, address + out.length) of process {@code pid} into {@code out}. */
    static void copyRuns(byte[] payload, int pid, long address, byte[] out) {
        ByteBuffer b = ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt() != pid) {
            return;
        }
        b.position(b.position() + 8 * 3 + 4);
        int pathLength = b.getInt();
        b.position(b.position() + pathLength + 16);
        while (true) {
            long at = b.getLong();
            int len = b.getInt();
            if (len == 0) {
                return;
            }
            long from = Math.max(at, address);
            long to = Math.min(at + len, address + out.length);
            if (from < to) {
                System.arraycopy(payload, b.position() + (int) (from - at), out, (int) (from - address), (int) (to - from));
            }
            b.position(b.position() + len);
        }
    }

    private static boolean zero(byte[] data, int from) {
        int to = Math.min(from + PAGE, data.length);
        for (int i = from; i < to; i++) {
            if (data[i] != 0) {
                return false;
            }
        }
        return true;
    }
}

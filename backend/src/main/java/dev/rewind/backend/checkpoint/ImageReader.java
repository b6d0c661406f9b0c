package dev.rewind.backend.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads image files (see {@link ImageFormat}): the index of the checkpoints a file holds, found
 * from its trailer without reading the rest; a checkpoint's metadata and memory; and a full
 * check of every section's checksum. Every problem is a {@link BadImageException} naming the
 * file, the offset and what is wrong. Stateless.
 */
public final class ImageReader {
    /** A section read back: its type and payload, and where the next thing in the file starts. */
    record Section(int type, byte[] payload, long next) {
    }

    /** What the reader returns for a checkpoint of the index. */
    public record Entry(long crid, String label, String createdAt, Long parentCrid, long bytes) {
    }

    private ImageReader() {
    }

    /** The checkpoints the file holds, in the order they were written. */
    public static List<Entry> list(Path path) {
        try (FileChannel in = open(path)) {
            header(path, in);
            List<Entry> out = new ArrayList<>();
            for (ImageFormat.IndexEntry e : index(path, in).checkpoints()) {
                out.add(new Entry(e.crid(), e.label(), e.createdAt(), e.parentCrid(), e.bytes()));
            }
            return out;
        } catch (IOException e) {
            throw new BadImageException(path, "cannot be read: " + e.getMessage());
        }
    }

    /**
     * Reads every section and checks its checksum; returns the problems found, one line each
     * (none for a good file). Reading stops at the first section that cannot be framed.
     */
    public static List<String> verify(Path path) {
        List<String> problems = new ArrayList<>();
        try (FileChannel in = open(path)) {
            long size = in.size();
            header(path, in);
            ImageFormat.Index index = index(path, in);
            long pos = 0;
            while (pos < size) {
                if (isTrailer(in, pos, size)) {
                    pos += ImageFormat.TRAILER_SIZE; // an earlier append's trailer, superseded
                    continue;
                }
                try {
                    pos = section(path, in, pos).next();
                } catch (BadImageException e) {
                    problems.add(e.getMessage());
                    break;
                }
            }
            for (ImageFormat.IndexEntry e : index.checkpoints()) {
                try {
                    Section s = section(path, in, e.offset());
                    if (s.type() != ImageFormat.CHECKPOINT) {
                        problems.add(path + ": the index points checkpoint " + e.crid() + " at offset " + e.offset()
                                + ", which holds no checkpoint");
                    } else {
                        problems.addAll(ImageFormat.changedFiles(ImageFormat.GSON.fromJson(
                                new String(s.payload(), StandardCharsets.UTF_8), ImageFormat.CheckpointRecord.class)));
                    }
                } catch (BadImageException ex) {
                    problems.add(ex.getMessage());
                }
            }
        } catch (BadImageException e) {
            problems.add(e.getMessage());
        } catch (IOException e) {
            problems.add(path + ": cannot be read: " + e.getMessage());
        }
        return problems;
    }

    /** The metadata of checkpoint {@code crid}: its timeline entry and its processes' saved state. */
    static ImageFormat.CheckpointRecord checkpoint(Path path, long crid) {
        try (FileChannel in = open(path)) {
            Section s = section(path, in, entry(path, in, crid).offset());
            return ImageFormat.GSON.fromJson(new String(s.payload(), StandardCharsets.UTF_8),
                    ImageFormat.CheckpointRecord.class);
        } catch (IOException e) {
            throw new BadImageException(path, "cannot be read: " + e.getMessage());
        }
    }

    /**
     * Reads {@code length} bytes at {@code address} of process {@code pid} (its pid when the
     * checkpoint was taken) from checkpoint {@code crid}'s memory, through its parents for what an
     * incremental checkpoint left out; zero pages, and pages kept by reference to a file, read as zero.
     */
    public static byte[] readMemory(Path path, long crid, int pid, long address, int length) {
        byte[] out = new byte[length];
        try (FileChannel in = open(path)) {
            entry(path, in, crid); // it must be there
            // Through the chain of parents: an incremental checkpoint leaves its parent's pages out.
            PageIndex pages = PageIndex.of(path, in, index(path, in).checkpoints(), crid);
            long first = address & ~(long) (MemoryChunk.PAGE - 1);
            for (long page = first; page < address + length; page += MemoryChunk.PAGE) {
                Long at = pages.where(pid, page);
                if (at != null && at != PageIndex.ZERO) {
                    byte[] bytes = pages.read(at);
                    long from = Math.max(page, address);
                    long to = Math.min(page + MemoryChunk.PAGE, address + length);
                    System.arraycopy(bytes, (int) (from - page), out, (int) (from - address), (int) (to - from));
                }
            }
            return out;
        } catch (IOException ex) {
            throw new BadImageException(path, "cannot be read: " + ex.getMessage());
        }
    }

    /** Hands the payload of each MEMORY section of checkpoint {@code crid} to {@code sink}, in file order (checksums checked). */
    static void forEachMemory(Path path, long crid, java.util.function.Consumer<byte[]> sink) {
        try (FileChannel in = open(path)) {
            ImageFormat.IndexEntry e = entry(path, in, crid);
            long pos = section(path, in, e.offset()).next();
            long end = e.offset() + e.bytes();
            while (pos < end) {
                Section s = section(path, in, pos);
                pos = s.next();
                if (s.type() == ImageFormat.MEMORY) {
                    sink.accept(s.payload());
                }
            }
        } catch (IOException ex) {
            throw new BadImageException(path, "cannot be read: " + ex.getMessage());
        }
    }

    /**
     * The index of the last complete append: the one the trailer at the end points at, or, when the
     * file does not end with one (an append that did not finish: the machine went down, the disk
     * filled), the one of the last trailer before the torn part.
     */
    static ImageFormat.Index index(Path path, FileChannel in) throws IOException {
        long size = in.size();
        if (size < ImageFormat.TRAILER_SIZE) {
            throw new BadImageException(path, "too short to be an image (" + size + " bytes)");
        }
        ByteBuffer t = read(path, in, size - ImageFormat.TRAILER_SIZE, ImageFormat.TRAILER_SIZE);
        long indexOffset = t.getLong();
        if (t.getLong() != ImageFormat.TRAILER_MAGIC) {
            long end = completeEnd(path, in);
            if (end < 0) {
                throw new BadImageException(path, "no image trailer at its end (truncated, or an append did not finish)");
            }
            indexOffset = read(path, in, end - ImageFormat.TRAILER_SIZE, 8).getLong();
        }
        Section s = section(path, in, indexOffset);
        if (s.type() != ImageFormat.INDEX) {
            throw new BadImageException(path, "the trailer points at offset " + indexOffset + ", which holds no index");
        }
        return ImageFormat.GSON.fromJson(new String(s.payload(), StandardCharsets.UTF_8), ImageFormat.Index.class);
    }

    static ImageFormat.Header header(Path path, FileChannel in) throws IOException {
        if (in.size() < 4 || read(path, in, 0, 4).getInt() != ImageFormat.SECTION_MAGIC) {
            throw new BadImageException(path, "not a Rewind image (it does not start with an image header)");
        }
        Section s = section(path, in, 0);
        ImageFormat.Header h = s.type() == ImageFormat.HEADER
                ? ImageFormat.GSON.fromJson(new String(s.payload(), StandardCharsets.UTF_8), ImageFormat.Header.class)
                : null;
        if (h == null || !"rewind-image".equals(h.magic())) {
            throw new BadImageException(path, "not a Rewind image (no header)");
        }
        if (h.formatVersion() != ImageFormat.VERSION) {
            throw new BadImageException(path, "image format " + h.formatVersion() + "; this Rewind reads format "
                    + ImageFormat.VERSION);
        }
        if (!System.getProperty("os.arch").equals(h.arch()) || h.pageSize() != MemoryChunk.PAGE) {
            throw new BadImageException(path, "written on " + h.arch() + " with " + h.pageSize() + "-byte pages; this is "
                    + System.getProperty("os.arch") + " with " + MemoryChunk.PAGE + "-byte pages");
        }
        return h;
    }

    static Section section(Path path, FileChannel in, long pos) throws IOException {
        long size = in.size();
        if (pos < 0 || pos + ImageFormat.SECTION_HEADER > size) {
            throw new BadImageException(path, "truncated: a section at offset " + pos + " does not fit in " + size + " bytes");
        }
        ByteBuffer h = read(path, in, pos, ImageFormat.SECTION_HEADER);
        if (h.getInt() != ImageFormat.SECTION_MAGIC) {
            throw new BadImageException(path, "no section at offset " + pos + " (corrupt)");
        }
        int type = h.getInt();
        long length = h.getLong();
        int crc = h.getInt();
        long body = pos + ImageFormat.SECTION_HEADER;
        if (length < 0 || length > Integer.MAX_VALUE - 16 || body + length > size) {
            throw new BadImageException(path, "truncated: the section at offset " + pos + " says " + length
                    + " bytes, the file ends " + (size - body) + " bytes later");
        }
        byte[] payload = new byte[(int) length];
        ByteBuffer b = ByteBuffer.wrap(payload);
        long at = body;
        while (b.hasRemaining()) {
            int n = in.read(b, at);
            if (n < 0) {
                throw new BadImageException(path, "truncated at offset " + at);
            }
            at += n;
        }
        if (ImageFormat.crc(payload, 0, payload.length) != crc) {
            throw new BadImageException(path, "checksum mismatch in the section at offset " + pos + " (type " + type
                    + ", " + length + " bytes): the file is corrupt");
        }
        return new Section(type, payload, body + length);
    }

    private static ImageFormat.IndexEntry entry(Path path, FileChannel in, long crid) throws IOException {
        header(path, in);
        return index(path, in).checkpoints().stream().filter(e -> e.crid() == crid).findFirst()
                .orElseThrow(() -> new BadImageException(path, "holds no checkpoint " + crid));
    }

    /**
     * Where the last complete append ends (just after its trailer), walking the file's sections and
     * trailers from the start and stopping at the first thing that is neither (a torn append); -1
     * if no trailer comes before that. Reads section headers only, and the payloads of indexes.
     */
    static long completeEnd(Path path, FileChannel in) throws IOException {
        long size = in.size();
        long pos = 0;
        long end = -1;
        long lastIndex = -1;
        while (pos < size) {
            if (isTrailer(in, pos, size)) {
                if (read(path, in, pos, 8).getLong() != lastIndex) {
                    break; // a trailer that does not point at the index before it
                }
                end = pos + ImageFormat.TRAILER_SIZE;
                pos = end;
                continue;
            }
            if (pos + ImageFormat.SECTION_HEADER > size) {
                break;
            }
            ByteBuffer h = read(path, in, pos, ImageFormat.SECTION_HEADER);
            int type = h.getInt(4);
            long length = h.getLong(8);
            if (h.getInt(0) != ImageFormat.SECTION_MAGIC || length < 0 || pos + ImageFormat.SECTION_HEADER + length > size) {
                break;
            }
            if (type == ImageFormat.INDEX) {
                try {
                    section(path, in, pos); // its checksum
                } catch (BadImageException e) {
                    break;
                }
                lastIndex = pos;
            }
            pos += ImageFormat.SECTION_HEADER + length;
        }
        return end;
    }

    private static boolean isTrailer(FileChannel in, long pos, long size) throws IOException {
        if (pos + ImageFormat.TRAILER_SIZE > size) {
            return false;
        }
        ByteBuffer t = ByteBuffer.allocate(ImageFormat.TRAILER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        in.read(t, pos);
        return t.getLong(8) == ImageFormat.TRAILER_MAGIC;
    }

    private static ByteBuffer read(Path path, FileChannel in, long pos, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (in.read(b, pos + b.position()) < 0) {
                throw new BadImageException(path, "truncated at offset " + (pos + b.position()));
            }
        }
        return b.flip();
    }

    static FileChannel open(Path path) throws IOException {
        try {
            return FileChannel.open(path, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new BadImageException(path, "no such file");
        }
    }
}

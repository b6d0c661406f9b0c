package dev.rewind.backend.checkpoint;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The layout of image files (docs/image-format.md): a file is a run of checksummed sections, and
 * ends with a trailer that points at the index of the checkpoints it holds. Appending a
 * checkpoint writes its sections, a new index and a new trailer after the old ones, so a file is
 * never rewritten in place: if an append fails, the previous trailer is still the last valid
 * one. Stateless.
 */
final class ImageFormat {
    static final int VERSION = 1;
    /** Every section starts with these four bytes: "RWSC". */
    static final int SECTION_MAGIC = 0x43535752;
    /** The last 16 bytes of a file: the index's offset, then "RWIMGEND". */
    static final long TRAILER_MAGIC = 0x444e45474d495752L;
    static final int TRAILER_SIZE = 16;
    /** u32 magic, u32 type, u64 length, u32 crc32c of the payload. */
    static final int SECTION_HEADER = 20;

    static final int HEADER = 1;
    static final int CHECKPOINT = 2;
    static final int MEMORY = 3;
    static final int INDEX = 4;

    /** JSON for metadata sections; byte arrays as base64. */
    static final Gson GSON = new GsonBuilder().disableHtmlEscaping()
            .registerTypeAdapter(byte[].class, new TypeAdapter<byte[]>() {
                @Override
                public void write(JsonWriter out, byte[] value) throws IOException {
                    if (value == null) {
                        out.nullValue();
                    } else {
                        out.value(Base64.getEncoder().encodeToString(value));
                    }
                }

                @Override
                public byte[] read(JsonReader in) throws IOException {
                    if (in.peek() == com.google.gson.stream.JsonToken.NULL) {
                        in.nextNull();
                        return null;
                    }
                    return Base64.getDecoder().decode(in.nextString());
                }
            }).create();

    /** The first section of a file. */
    record Header(String magic, int formatVersion, String arch, int pageSize, String kernel, String tool) {
    }

    /** The last section before a trailer: where each checkpoint's sections start, by crid. */
    record Index(List<IndexEntry> checkpoints) {
    }

    /**
     * @param offset where its CHECKPOINT section starts; its MEMORY sections follow
     * @param bytes  how many bytes its sections take
     */
    record IndexEntry(long crid, String label, String createdAt, Long parentCrid, long offset, long bytes) {
    }

    /**
     * One checkpoint's metadata: the timeline entry and every process's saved state, root first;
     * {@code extras}, in the same order, what a restore from the file needs besides (absent from
     * files written before restores from images existed).
     */
    record CheckpointRecord(long crid, String label, String reason, String createdAt, Long parentCrid,
            List<SavedProcess> processes, List<ProcessExtras> extras) {
    }

    /**
     * What a snapshot process holds that the saved state does not, read from it at write-back time:
     * the /proc/PID/stat layout fields, auxv, the signal dispositions (index: signal number; null:
     * not settable), the working directory, the umask (-1: unknown), the vDSO's bytes (glibc
     * keeps pointers into it: a restore on a kernel whose vDSO differs is refused), and the files it
     * maps privately, whose clean pages the image keeps by reference.
     */
    record ProcessExtras(long[] layout, byte[] auxv, byte[][] signalHandlers, String cwd, int umask, byte[] vdso,
            List<FileIdentity> files) {
        static ProcessExtras of(SnapshotSource s) {
            return new ProcessExtras(s.layoutFields(), s.auxv(), s.signalHandlers(), s.cwd(), s.umask(), s.vdso(),
                    s.mappedFiles());
        }
    }

    /** What of the files {@code rec} takes pages from changed since it was written, a line each. */
    static List<String> changedFiles(CheckpointRecord rec) {
        List<String> out = new java.util.ArrayList<>();
        for (ProcessExtras x : rec.extras() == null ? List.<ProcessExtras>of() : rec.extras()) {
            for (FileIdentity f : x.files() == null ? List.<FileIdentity>of() : x.files()) {
                FileIdentity now = FileIdentity.of(f.path());
                String change = now == null ? "is gone" : f.changeTo(now);
                if (change != null) {
                    out.add("checkpoint " + rec.crid() + " takes pages from " + f.path() + ", which " + change);
                }
            }
        }
        return out;
    }

    /**
     * A file as it was at write-back: a restore that would take pages from it refuses a file that
     * changed since.
     *
     * @param inode   for the record (a copy of the same file elsewhere has another one), or 0
     * @param buildId the ELF build-id, or null (not ELF, none, or an image written before build-ids)
     */
    record FileIdentity(String path, long size, long modifiedMillis, long inode, String buildId) {
        /** The file at {@code path} now, or null if it cannot be read. */
        static FileIdentity of(String path) {
            try {
                java.nio.file.Path p = java.nio.file.Path.of(path);
                Object ino = java.nio.file.Files.getAttribute(p, "unix:ino");
                dev.rewind.backend.elf.BuildId.Note id = dev.rewind.backend.elf.BuildId.read(p);
                return new FileIdentity(path, java.nio.file.Files.size(p), java.nio.file.Files.getLastModifiedTime(p).toMillis(),
                        ino instanceof Long l ? l : 0, id == null ? null : id.hex());
            } catch (IOException | UnsupportedOperationException e) {
                return null;
            }
        }

        /**
         * How {@code now} differs from this in a way that matters, or null when its pages can be
         * used: an ELF file with a build-id must have the same build-id and size (a copy of the
         * same build, on another machine, with another mtime and inode, is accepted); any other
         * file the same size and modification time.
         */
        String changeTo(FileIdentity now) {
            if (buildId != null && now.buildId() != null) {
                if (!buildId.equals(now.buildId())) {
                    return "is another build now (build-id " + buildId + " -> " + now.buildId() + ")";
                }
                return size == now.size() ? null : "changed since it was written (size " + size + " -> " + now.size() + ")";
            }
            if (size == now.size() && modifiedMillis == now.modifiedMillis()) {
                return null;
            }
            return "changed since it was written (size " + size + " -> " + now.size() + ", modified "
                    + java.time.Instant.ofEpochMilli(modifiedMillis) + " -> " + java.time.Instant.ofEpochMilli(now.modifiedMillis()) + ")";
        }
    }

    private ImageFormat() {
    }

    static int crc(byte[] data, int offset, int length) {
        CRC32C c = new CRC32C();
        c.update(data, offset, length);
        return (int) c.getValue();
    }

    /** Writes one section at the channel's position; returns the bytes written. */
    static long writeSection(FileChannel out, int type, byte[] payload) throws IOException {
        ByteBuffer h = ByteBuffer.allocate(SECTION_HEADER).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(SECTION_MAGIC).putInt(type).putLong(payload.length).putInt(crc(payload, 0, payload.length)).flip();
        writeFully(out, h);
        writeFully(out, ByteBuffer.wrap(payload));
        return SECTION_HEADER + (long) payload.length;
    }

    static long writeJson(FileChannel out, int type, Object value) throws IOException {
        return writeSection(out, type, GSON.toJson(value).getBytes(StandardCharsets.UTF_8));
    }

    static void writeTrailer(FileChannel out, long indexOffset) throws IOException {
        ByteBuffer t = ByteBuffer.allocate(TRAILER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        t.putLong(indexOffset).putLong(TRAILER_MAGIC).flip();
        writeFully(out, t);
    }

    static void writeFully(FileChannel out, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            out.write(b);
        }
    }
}

package dev.rewind.backend.elf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;

/**
 * The GNU build-id of an ELF64 file: the note the linker writes (NT_GNU_BUILD_ID in a PT_NOTE
 * segment, elf.h), a hash of the file's contents at link time. Two files with the same build-id
 * hold the same code, even with other inodes or mtimes (a copy on another machine). Stateless.
 */
public final class BuildId {
    private static final int PT_NOTE = 4;
    private static final int NT_GNU_BUILD_ID = 3;
    private static final int ELFCLASS64 = 2;
    private static final int MAX_NOTES_BYTES = 1 << 16;

    /** The build-id in hex and where its bytes sit in the file. */
    public record Note(String hex, long offset, int length) {
    }

    private BuildId() {
    }

    /** The file's build-id, or null when it is not a 64-bit ELF file or has none. */
    public static Note read(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer h = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
            if (ch.read(h, 0) < 64 || h.getInt(0) != 0x464c457f || h.get(4) != ELFCLASS64) {
                return null;
            }
            long phoff = h.getLong(32);
            int phentsize = Short.toUnsignedInt(h.getShort(54));
            int phnum = Short.toUnsignedInt(h.getShort(56));
            for (int i = 0; i < phnum; i++) {
                ByteBuffer ph = ByteBuffer.allocate(56).order(ByteOrder.LITTLE_ENDIAN);
                if (ch.read(ph, phoff + (long) i * phentsize) < 56 || ph.getInt(0) != PT_NOTE) {
                    continue;
                }
                long offset = ph.getLong(8);
                long size = Math.min(ph.getLong(32), MAX_NOTES_BYTES);
                ByteBuffer notes = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
                ch.read(notes, offset);
                Note n = find(notes, offset);
                if (n != null) {
                    return n;
                }
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return null; // unreadable or malformed: no build-id to go by
        }
    }

    /** Walks the notes of one segment: namesz, descsz, type, then name and desc, each 4-byte aligned. */
    private static Note find(ByteBuffer notes, long segmentOffset) {
        int at = 0;
        while (at + 12 <= notes.limit()) {
            int namesz = notes.getInt(at);
            int descsz = notes.getInt(at + 4);
            int type = notes.getInt(at + 8);
            int name = at + 12;
            int desc = name + align4(namesz);
            if (namesz < 0 || descsz < 0 || desc + descsz > notes.limit()) {
                return null;
            }
            if (type == NT_GNU_BUILD_ID && namesz == 4 && notes.get(name) == 'G' && notes.get(name + 1) == 'N'
                    && notes.get(name + 2) == 'U' && notes.get(name + 3) == 0) {
                byte[] id = new byte[descsz];
                notes.get(desc, id);
                return new Note(HexFormat.of().formatHex(id), segmentOffset + desc, descsz);
            }
            at = desc + align4(descsz);
        }
        return null;
    }

    private static int align4(int n) {
        return (n + 3) & ~3;
    }
}

package dev.rewind.backend.elf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Function and object symbols of one ELF64 file (from .symtab, else .dynsym), and its PT_LOAD
 * segments so that file offsets map to link-time addresses. Immutable, thread-safe.
 */
public final class ElfSymbols {
    private static final int SHT_SYMTAB = 2;
    private static final int SHT_DYNSYM = 11;
    private static final int PT_LOAD = 1;
    private static final int STT_OBJECT = 1;
    private static final int STT_FUNC = 2;
    private static final int STT_GNU_IFUNC = 10;

    /** A defined symbol: link-time address, size, name. */
    public record Symbol(String name, long value, long size, boolean function) {
    }

    private record Segment(long offset, long vaddr, long fileSize) {
    }

    private final List<Symbol> symbols;
    private final List<Segment> segments;

    private ElfSymbols(List<Symbol> symbols, List<Segment> segments) {
        this.symbols = symbols;
        this.segments = segments;
    }

    public static ElfSymbols load(Path file) throws IOException {
        ByteBuffer b;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            b = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size()).order(ByteOrder.LITTLE_ENDIAN);
        }
        if (b.limit() < 64 || b.getInt(0) != 0x464c457f || b.get(4) != 2) {
            throw new IOException(file + " is not an ELF64 file");
        }
        long phoff = b.getLong(0x20);
        long shoff = b.getLong(0x28);
        int phentsize = b.getShort(0x36) & 0xffff;
        int phnum = b.getShort(0x38) & 0xffff;
        int shentsize = b.getShort(0x3a) & 0xffff;
        int shnum = b.getShort(0x3c) & 0xffff;
        List<Segment> segments = new ArrayList<>();
        for (int i = 0; i < phnum; i++) {
            int ph = (int) (phoff + (long) i * phentsize);
            if (b.getInt(ph) == PT_LOAD) {
                segments.add(new Segment(b.getLong(ph + 8), b.getLong(ph + 16), b.getLong(ph + 32)));
            }
        }
        List<Symbol> symtab = readSymbols(b, shoff, shentsize, shnum, SHT_SYMTAB);
        List<Symbol> symbols = symtab.isEmpty() ? readSymbols(b, shoff, shentsize, shnum, SHT_DYNSYM) : symtab;
        return new ElfSymbols(List.copyOf(symbols), List.copyOf(segments));
    }

    private static List<Symbol> readSymbols(ByteBuffer b, long shoff, int shentsize, int shnum, int type) {
        List<Symbol> out = new ArrayList<>();
        for (int i = 0; i < shnum; i++) {
            int sh = (int) (shoff + (long) i * shentsize);
            if (b.getInt(sh + 4) != type) {
                continue;
            }
            long off = b.getLong(sh + 0x18);
            long size = b.getLong(sh + 0x20);
            int link = b.getInt(sh + 0x28);
            long entsize = b.getLong(sh + 0x38);
            int strsh = (int) (shoff + (long) link * shentsize);
            long stroff = b.getLong(strsh + 0x18);
            for (long e = off; e + entsize <= off + size; e += entsize) {
                int st = (int) e;
                int kind = b.get(st + 4) & 0xf;
                int shndx = b.getShort(st + 6) & 0xffff;
                long value = b.getLong(st + 8);
                if (shndx == 0 || value == 0 || (kind != STT_FUNC && kind != STT_OBJECT && kind != STT_GNU_IFUNC)) {
                    continue;
                }
                String name = cString(b, (int) (stroff + (b.getInt(st) & 0xffffffffL)));
                int at = name.indexOf('@');
                out.add(new Symbol(at > 0 ? name.substring(0, at) : name, value, b.getLong(st + 16), kind != STT_OBJECT));
            }
        }
        return out;
    }

    private static String cString(ByteBuffer b, int at) {
        int end = at;
        while (end < b.limit() && b.get(end) != 0) {
            end++;
        }
        byte[] raw = new byte[end - at];
        b.get(at, raw);
        return new String(raw, StandardCharsets.UTF_8);
    }

    /** The link-time address of the byte at {@code fileOffset}, if a loaded segment holds it. */
    public Optional<Long> addressOfOffset(long fileOffset) {
        for (Segment s : segments) {
            if (fileOffset >= s.offset && fileOffset < s.offset + Math.max(s.fileSize, 1)) {
                return Optional.of(fileOffset - s.offset + s.vaddr);
            }
        }
        return Optional.empty();
    }

    /** The file offset that holds link-time address {@code vaddr}. */
    public Optional<Long> offsetOfAddress(long vaddr) {
        for (Segment s : segments) {
            if (vaddr >= s.vaddr && vaddr < s.vaddr + Math.max(s.fileSize, 1)) {
                return Optional.of(vaddr - s.vaddr + s.offset);
            }
        }
        return Optional.empty();
    }

    /** The symbol that covers link-time address {@code vaddr}. */
    public Optional<Symbol> symbolAt(long vaddr) {
        Symbol best = null;
        for (Symbol s : symbols) {
            boolean inside = s.size() > 0 ? vaddr >= s.value() && vaddr < s.value() + s.size() : vaddr == s.value();
            if (inside && (best == null || s.value() > best.value())) {
                best = s;
            }
        }
        return Optional.ofNullable(best);
    }

    public Optional<Symbol> symbol(String name) {
        return symbols.stream().filter(s -> s.name().equals(name)).findFirst();
    }
}

package dev.rewind.backend.elf;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Symbolizes addresses of a running process from the ELF files its mappings come from, and
 * finds symbols' run-time addresses. Takes the mappings as plain values, so it knows nothing of
 * /proc. Thread-safe; caches parsed files.
 */
public final class AddressSpaceSymbols {
    /** A file mapping: [start, end) maps file bytes from {@code offset}. */
    public record FileMapping(long start, long end, long offset, String path) {
    }

    private final Map<String, Optional<ElfSymbols>> cache = new ConcurrentHashMap<>();

    private Optional<ElfSymbols> elf(String path) {
        return cache.computeIfAbsent(path, p -> {
            try {
                return Optional.of(ElfSymbols.load(Path.of(p)));
            } catch (IOException | RuntimeException e) {
                return Optional.empty();
            }
        });
    }

    /** "function+0x12" for {@code pc}, or null when no symbol covers it. */
    public String describe(List<FileMapping> maps, long pc) {
        for (FileMapping m : maps) {
            if (pc >= m.start() && pc < m.end() && m.path().startsWith("/")) {
                Optional<ElfSymbols> elf = elf(m.path());
                if (elf.isEmpty()) {
                    return null;
                }
                long fileOffset = pc - m.start() + m.offset();
                return elf.get().addressOfOffset(fileOffset)
                        .flatMap(vaddr -> elf.get().symbolAt(vaddr)
                                .map(s -> vaddr == s.value() ? s.name() : s.name() + "+0x" + Long.toHexString(vaddr - s.value())))
                        .orElse(null);
            }
        }
        return null;
    }

    /** The run-time address of {@code name} in the first mapped file that defines it. */
    public Optional<Long> address(List<FileMapping> maps, String name) {
        for (FileMapping m : maps) {
            if (!m.path().startsWith("/")) {
                continue;
            }
            Optional<ElfSymbols> elf = elf(m.path());
            if (elf.isEmpty()) {
                continue;
            }
            Optional<ElfSymbols.Symbol> s = elf.get().symbol(name);
            Optional<Long> linkAddress = elf.get().addressOfOffset(m.offset());
            if (s.isPresent() && linkAddress.isPresent()) {
                // The load bias is the same for every segment of a file.
                long bias = m.start() - linkAddress.get();
                return Optional.of(bias + s.get().value());
            }
        }
        return Optional.empty();
    }
}

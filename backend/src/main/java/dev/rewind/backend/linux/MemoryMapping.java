package dev.rewind.backend.linux;

/**
 * One line of /proc/PID/maps.
 *
 * @param perms "rwxp"-style; the last letter is 'p' for private, 's' for shared
 * @param path  file path, or a pseudo name like "[heap]", "[vdso]", or "" for anonymous memory
 */
public record MemoryMapping(long start, long end, String perms, long offset, String device, long inode, String path) {
    static MemoryMapping parse(String line) {
        String[] f = line.trim().split("\\s+", 6);
        String[] range = f[0].split("-");
        return new MemoryMapping(Long.parseUnsignedLong(range[0], 16), Long.parseUnsignedLong(range[1], 16), f[1],
                Long.parseUnsignedLong(f[2], 16), f[3], Long.parseLong(f[4]), f.length > 5 ? f[5] : "");
    }

    public boolean contains(long address) {
        return address >= start && address < end;
    }

    public boolean executable() {
        return perms.charAt(2) == 'x';
    }

    public boolean shared() {
        return perms.charAt(3) == 's';
    }

    /** Private anonymous memory the process can write ([heap], [stack], unnamed or named anonymous). */
    public boolean anonymousPrivateWritable() {
        return inode == 0 && device.equals("00:00") && perms.charAt(1) == 'w' && !shared();
    }

    public long size() {
        return end - start;
    }
}

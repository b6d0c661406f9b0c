package dev.rewind.backend.linux;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * Whether any page of a range of another process's memory is populated (present or swapped
 * out), through the PAGEMAP_SCAN ioctl on /proc/PID/pagemap (Linux 6.7). The kernel walks only
 * the page tables that exist and stops at the first hit, so the question costs microseconds,
 * where /proc/PID/smaps costs about 25 ms per GiB of pages shared with a snapshot (it computes
 * each page's proportional share). Needs ptrace access to the process.
 */
public final class PageScan implements AutoCloseable {
    /** _IOWR('f', 16, struct pm_scan_arg): 0xC0000000 | 96 << 16 | 'f' << 8 | 16. */
    private static final long PAGEMAP_SCAN = 0xC0606610L;
    private static final int ARG_SIZE = 96;
    /** struct page_region: start, end, categories. */
    private static final int REGION_SIZE = 24;
    private static final long PAGE_IS_PRESENT = 1L << 3;
    private static final long PAGE_IS_SWAPPED = 1L << 4;
    private static final int O_RDONLY_CLOEXEC = 02000000;

    private final int pid;
    private final int fd;
    private final Memory arg = new Memory(ARG_SIZE);
    private final Memory region = new Memory(REGION_SIZE);

    private PageScan(int pid) {
        this.pid = pid;
        this.fd = LibC.open("/proc/" + pid + "/pagemap", O_RDONLY_CLOEXEC);
        if (fd < 0) {
            throw new LinuxException("open /proc/" + pid + "/pagemap", Native.getLastError());
        }
    }

    /** Opens {@code pid}'s pagemap for scans. */
    public static PageScan of(int pid) {
        return new PageScan(pid);
    }

    /** Whether any page in [start, end) is present or swapped out. */
    public boolean anyPopulated(long start, long end) {
        long populated = PAGE_IS_PRESENT | PAGE_IS_SWAPPED;
        arg.clear();
        arg.setLong(0, ARG_SIZE); // size
        arg.setLong(16, start);
        arg.setLong(24, end);
        arg.setLong(40, Pointer.nativeValue(region)); // vec
        arg.setLong(48, 1); // vec_len
        arg.setLong(56, 1); // max_pages: the first populated page is answer enough
        arg.setLong(80, populated); // category_anyof_mask
        arg.setLong(88, populated); // return_mask
        int regions = LibC.ioctl(fd, PAGEMAP_SCAN, arg);
        if (regions < 0) {
            throw new LinuxException("PAGEMAP_SCAN of process " + pid, Native.getLastError());
        }
        return regions > 0;
    }

    @Override
    public void close() {
        LibC.close(fd);
    }
}

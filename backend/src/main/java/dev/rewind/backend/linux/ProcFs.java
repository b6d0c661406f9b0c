package dev.rewind.backend.linux;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Parsers for the /proc files the engine reads: maps, status, the task list, fdinfo and
 * smaps_rollup. Each call reads the file afresh; the kernel builds them on every read.
 * Stateless.
 */
public final class ProcFs {
    private ProcFs() {
    }

    private static String proc(int pid, String name) {
        return "/proc/" + pid + "/" + name;
    }

    private static String task(int pid, int tid, String name) {
        return "/proc/" + pid + "/task/" + tid + "/" + name;
    }

    /** The lines of a /proc file; a file that is gone with its process is ESRCH. */
    private static List<String> lines(String path) {
        String text = read(path);
        List<String> out = new ArrayList<>();
        int from = 0;
        while (from < text.length()) {
            int nl = text.indexOf('\n', from);
            int end = nl < 0 ? text.length() : nl;
            out.add(text.substring(from, end));
            from = end + 1;
        }
        return out;
    }

    private static String read(String path) {
        try {
            return ProcReader.text(path);
        } catch (LinuxException e) {
            throw gone(e, path);
        }
    }

    /** A /proc entry that vanished means its process or thread did: say so as ESRCH. */
    private static LinuxException gone(LinuxException e, String path) {
        return e.errno() == LinuxException.ENOENT ? new LinuxException("reading " + path, LinuxException.ESRCH) : e;
    }

    public static boolean exists(int pid) {
        return Files.exists(Path.of("/proc", Integer.toString(pid)));
    }

    /** /proc/PID/maps. */
    public static List<MemoryMapping> maps(int pid) {
        List<MemoryMapping> out = new ArrayList<>();
        for (String line : lines(proc(pid, "maps"))) {
            out.add(MemoryMapping.parse(line));
        }
        return out;
    }

    /** personality(2) flags of a process, from /proc/PID/personality (readable by its tracer). */
    public static long personality(int pid) {
        return Long.parseLong(lines(proc(pid, "personality")).get(0).trim(), 16);
    }

    /** The fields of /proc/PID/status, by name ("State", "PPid", "Seccomp", ...). */
    public static Map<String, String> status(int pid) {
        Map<String, String> m = new HashMap<>();
        for (String line : lines(proc(pid, "status"))) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                m.put(line.substring(0, colon), line.substring(colon + 1).trim());
            }
        }
        return m;
    }

    /** Resident memory of a process in KiB, from /proc/PID/statm (one short line; status is long to parse). */
    public static long residentKib(int pid) {
        String[] f = read(proc(pid, "statm")).trim().split(" ");
        return Long.parseLong(f[1]) * 4; // in 4 KiB pages
    }

    /** The thread ids of a process, from /proc/PID/task, leader first. */
    public static List<Integer> tasks(int pid) {
        List<Integer> tids = new ArrayList<>(numbers(proc(pid, "task")));
        tids.sort(null);
        if (tids.remove(Integer.valueOf(pid))) {
            tids.add(0, pid);
        }
        return tids;
    }

    /** The numeric names in a /proc directory (task ids, descriptors). */
    private static List<Integer> numbers(String dir) {
        List<Integer> out = new ArrayList<>();
        try {
            for (String name : ProcReader.names(dir)) {
                out.add(Integer.parseInt(name));
            }
        } catch (LinuxException e) {
            throw gone(e, dir);
        }
        return out;
    }

    /** What each open descriptor points to: fd → link target ("/path", "pipe:[ino]", ...). */
    public static Map<Integer, String> fdTargets(int pid) {
        Map<Integer, String> out = new java.util.TreeMap<>();
        String dir = proc(pid, "fd");
        for (int fd : numbers(dir)) {
            try {
                out.put(fd, ProcReader.link(dir + "/" + fd));
            } catch (LinuxException e) {
                // closed while we looked
            }
        }
        return out;
    }

    /**
     * Open file descriptors with their offsets and flags. {@code known} holds targets read
     * earlier (reading links is the slow part); the offsets, which move with every read and
     * write, are read now, and only for descriptors whose offset means something (files).
     */
    public static List<FdInfo> fds(int pid, Map<Integer, String> known) {
        List<FdInfo> out = new ArrayList<>();
        String dir = proc(pid, "fd");
        List<Integer> numbers = numbers(dir);
        java.util.Collections.sort(numbers); // in fd order, without a comparator lambda to link inside the freeze
        for (int fd : numbers) {
            try {
                String target = known.get(fd);
                if (target == null) {
                    target = ProcReader.link(dir + "/" + fd);
                }
                FdInfo bare = new FdInfo(fd, target, 0, 0, 0);
                out.add(bare.seekable() || bare.isPipe() ? FdInfo.parse(fd, target, lines(proc(pid, "fdinfo/" + fd))) : bare);
            } catch (LinuxException e) {
                // closed while we looked
            }
        }
        return out;
    }

    /** Fields of /proc/PID/smaps_rollup in bytes ("Rss", "Pss", "Private_Dirty", ...). */
    public static Map<String, Long> smapsRollup(int pid) {
        Map<String, Long> m = new HashMap<>();
        for (String line : lines(proc(pid, "smaps_rollup"))) {
            String[] parts = line.trim().split("\\s+");
            if (parts.length == 3 && parts[0].endsWith(":") && parts[2].equals("kB")) {
                m.put(parts[0].substring(0, parts[0].length() - 1), Long.parseLong(parts[1]) * 1024);
            }
        }
        return m;
    }

    /** The VmFlags of every mapping in /proc/PID/smaps, keyed by start address. */
    public static Map<Long, List<String>> vmFlags(int pid) {
        Map<Long, List<String>> out = new HashMap<>();
        long current = -1;
        for (String line : lines(proc(pid, "smaps"))) {
            if (line.startsWith("VmFlags:")) {
                out.put(current, List.of(line.substring(8).trim().split("\\s+")));
            } else if (MAPPING_HEADER.matcher(line).lookingAt()) {
                // Not the kernel's own mappings ([vvar], [vdso], ...), whose flags are its business.
                current = line.trim().endsWith("]") && line.contains("[v") ? -1
                        : Long.parseUnsignedLong(line.substring(0, line.indexOf('-')), 16);
            }
        }
        out.remove(-1L);
        return out;
    }

    private static final java.util.regex.Pattern MAPPING_HEADER = java.util.regex.Pattern.compile("[0-9a-f]+-[0-9a-f]+ ");

    /**
     * The wait status an exited, unreaped process (a zombie) will report to its parent: field 52
     * of /proc/PID/stat ({@code exit_code}).
     */
    public static int exitStatus(int pid) {
        String[] f = statFields(pid);
        return Integer.parseInt(f[f.length - 1].trim()); // the last field, exit_code, is field 52
    }

    /** The fields of /proc/PID/stat from the third (state) on. */
    private static String[] statFields(int pid) {
        String stat = read(proc(pid, "stat"));
        // The command name may hold spaces and parentheses: the fields start after the last ')'.
        return stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    }

    /** /proc/PID/timers: POSIX timers the process created (one "ID:" line per timer). */
    public static int posixTimerCount(int pid) {
        try {
            return (int) lines(proc(pid, "timers")).stream().filter(l -> l.startsWith("ID:")).count();
        } catch (LinuxException e) {
            return 0;
        }
    }

    /**
     * Parent, process group and session of a process, from /proc/PID/stat, with its controlling
     * terminal ({@code tty_nr}, encoded as a dev_t; 0 for none) and that terminal's foreground
     * process group ({@code tpgid}; -1 for none).
     */
    public record ProcessIds(int ppid, int pgid, int sid, int ttyNr, int foregroundPgid) {
    }

    public static ProcessIds ids(int pid) {
        String[] f = statFields(pid);
        return new ProcessIds(Integer.parseInt(f[1]), Integer.parseInt(f[2]), Integer.parseInt(f[3]),
                Integer.parseInt(f[4]), Integer.parseInt(f[5]));
    }

    /**
     * The memory-layout fields of /proc/PID/stat, in the order of {@code struct prctl_mm_map}:
     * start_code, end_code, start_data, end_data, start_brk, start_stack, arg_start, arg_end,
     * env_start, env_end (fields 26, 27, 45, 46, 47, 28, 48..51 of proc(5)).
     */
    public static long[] layoutFields(int pid) {
        String[] f = statFields(pid); // from field 3 on
        int[] fields = {26, 27, 45, 46, 47, 28, 48, 49, 50, 51};
        long[] out = new long[fields.length];
        for (int i = 0; i < fields.length; i++) {
            out[i] = Long.parseUnsignedLong(f[fields[i] - 3]);
        }
        return out;
    }

    /** Bytes of a /proc/PID file (auxv, ...). */
    public static byte[] bytes(int pid, String name) {
        try {
            return ProcReader.bytes(proc(pid, name));
        } catch (LinuxException e) {
            throw new LinuxException("reading /proc/" + pid + "/" + name, LinuxException.ESRCH);
        }
    }

    /** The target of a /proc/PID link (cwd, root, exe). */
    public static String link(int pid, String name) {
        try {
            return ProcReader.link(proc(pid, name));
        } catch (LinuxException e) {
            throw new LinuxException("reading /proc/" + pid + "/" + name, LinuxException.ESRCH);
        }
    }

    /** The children of every thread of {@code pid}, zombies included (/proc/PID/task/TID/children). */
    public static List<Integer> children(int pid) {
        List<Integer> out = new ArrayList<>();
        for (int tid : tasks(pid)) {
            try {
                String s = ProcReader.text(task(pid, tid, "children")).trim();
                for (String c : s.isEmpty() ? new String[0] : s.split("\\s+")) {
                    out.add(Integer.parseInt(c));
                }
            } catch (LinuxException e) {
                // thread ended while we looked
            }
        }
        return out;
    }

    /**
     * Which of {@code pages} pages from {@code start} still are the file's own pages in a private
     * file mapping (/proc/PID/pagemap): not present and not swapped (never touched: the file's), or
     * present as a file page (bit 61); a page written since is an anonymous copy (bit 61 clear).
     */
    public static boolean[] filePages(int pid, long start, int pages) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(ProcReader.pread(proc(pid, "pagemap"), start / 4096 * 8, pages * 8))
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        boolean[] out = new boolean[pages];
        for (int i = 0; i < pages; i++) {
            long e = b.getLong();
            boolean present = (e & (1L << 63)) != 0;
            boolean swapped = (e & (1L << 62)) != 0;
            boolean filePage = (e & (1L << 61)) != 0;
            out[i] = present ? filePage : !swapped;
        }
        return out;
    }

    /** The executable's path, from the /proc/PID/exe link. */
    public static String exe(int pid) {
        try {
            return ProcReader.link(proc(pid, "exe"));
        } catch (LinuxException e) {
            return "?";
        }
    }

    /** /proc/PID/comm, or of a thread: /proc/PID/task/TID/comm. */
    public static String comm(int pid, int tid) {
        try {
            return ProcReader.text(task(pid, tid, "comm")).trim();
        } catch (LinuxException e) {
            return "?";
        }
    }

    /** The syscall a stopped thread is in, from /proc/PID/task/TID/syscall: its number, or -1 when running user code. */
    public static long currentSyscall(int pid, int tid) {
        try {
            String s = ProcReader.text(task(pid, tid, "syscall")).trim();
            if (s.startsWith("running")) {
                return -2;
            }
            return Long.parseLong(s.split("\\s+")[0]);
        } catch (LinuxException | NumberFormatException e) {
            return -2;
        }
    }
}

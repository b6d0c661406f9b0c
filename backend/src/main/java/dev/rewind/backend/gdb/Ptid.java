package dev.rewind.backend.gdb;

/**
 * A thread id as the multiprocess remote protocol writes it: {@code p<pid>.<tid>} in hex, where
 * either part may be {@code -1} (all) or {@code 0} (any) (gdb manual, "thread-id syntax").
 */
record Ptid(int pid, int tid) {
    static final int ALL = -1;
    static final int ANY = 0;
    static final Ptid ALL_THREADS = new Ptid(ALL, ALL);

    static Ptid parse(String s) {
        if (s.startsWith("p")) {
            int dot = s.indexOf('.');
            if (dot < 0) {
                return new Ptid(part(s.substring(1)), ALL);
            }
            return new Ptid(part(s.substring(1, dot)), part(s.substring(dot + 1)));
        }
        // Without "p", only a thread is named (gdb without multiprocess, or a bare "-1"/"0").
        int tid = part(s);
        return new Ptid(tid == ALL ? ALL : ANY, tid);
    }

    private static int part(String s) {
        if (s.equals("-1")) {
            return ALL;
        }
        return Hex.parseInt(s);
    }

    boolean matchesAllThreads() {
        return tid == ALL;
    }

    String format() {
        return "p" + Integer.toHexString(pid) + "." + Integer.toHexString(tid);
    }
}

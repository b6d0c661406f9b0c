package dev.rewind.backend.checkpoint;

import dev.rewind.backend.linux.ProcFs;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Who a process runs as and under which restrictions, at checkpoint time. A process restored by
 * a fork of its snapshot keeps all of it; a child recreated by transplant starts with its
 * restored parent's, and gets these back last (see {@link SecurityRestorer}).
 *
 * @param uids           real, effective, saved and filesystem uid
 * @param gids           the same for the group
 * @param groups         supplementary groups
 * @param personality    the personality(2) flags (ADDR_NO_RANDOMIZE, READ_IMPLIES_EXEC...)
 * @param noNewPrivs     PR_SET_NO_NEW_PRIVS was set
 * @param seccompFilters the leader's seccomp filters as classic-BPF programs, most recent first
 */
public record SavedSecurity(long[] uids, long[] gids, long[] groups, long personality, boolean noNewPrivs,
        List<byte[]> seccompFilters) {

    /** Reads ids, groups, personality and no_new_privs from /proc; the filters come from the caller. */
    static SavedSecurity read(int pid, List<byte[]> seccompFilters) {
        Map<String, String> status = ProcFs.status(pid);
        return new SavedSecurity(numbers(status.get("Uid")), numbers(status.get("Gid")), numbers(status.get("Groups")),
                ProcFs.personality(pid), "1".equals(status.get("NoNewPrivs")), List.copyOf(seccompFilters));
    }

    /** The numbers of a /proc/PID/status field such as "Uid" or "Groups". */
    static long[] numbers(String field) {
        if (field == null || field.isBlank()) {
            return new long[0];
        }
        return Arrays.stream(field.trim().split("\\s+")).mapToLong(Long::parseLong).toArray();
    }
}

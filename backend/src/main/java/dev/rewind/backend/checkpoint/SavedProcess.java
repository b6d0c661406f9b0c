package dev.rewind.backend.checkpoint;

import dev.rewind.backend.linux.FdInfo;
import java.util.List;

/**
 * The process-wide state of a checkpoint that the snapshot's memory does not hold.
 *
 * @param ids            parent, process group and session at checkpoint time
 * @param threads        leader first
 * @param sharedPending  siginfo of each signal queued to the whole process
 * @param itimers        struct itimerval bytes for ITIMER_REAL, ITIMER_VIRTUAL, ITIMER_PROF
 * @param fds            descriptors with the offsets they had
 * @param pipes          bytes buffered in the pipes this process is the first in the tree to read
 * @param sharedMemory   contents of the MAP_SHARED mappings this process is the first in the tree to map
 * @param security       credentials, personality and seccomp filters
 * @param jobControlStop the signal of the job-control stop (SIGSTOP, SIGTSTP...) it was in, or 0
 * @param zombies        its children that had exited and were not reaped yet
 */
public record SavedProcess(int pid, dev.rewind.backend.linux.ProcFs.ProcessIds ids, String exe, List<SavedThread> threads, List<byte[]> sharedPending,
        List<byte[]> itimers, List<FdInfo> fds, List<SharedRegion> sharedMemory, List<PipeContent> pipes,
        SavedSecurity security, int jobControlStop, List<Zombies.SavedZombie> zombies) {
}

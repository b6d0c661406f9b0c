package dev.rewind.backend.checkpoint;

import dev.rewind.backend.linux.FdInfo;
import dev.rewind.backend.linux.MemoryMapping;
import dev.rewind.backend.linux.ProcFs;
import dev.rewind.backend.linux.ProcessMemory;
import dev.rewind.backend.trace.TracedProcess;
import dev.rewind.backend.trace.TracedThread;
import java.util.List;

/** A transplant from a snapshot process, which holds everything: read through /proc and injected calls. */
final class SnapshotSource implements TransplantSource {
    private final TracedProcess snapshot;

    SnapshotSource(TracedProcess snapshot) {
        this.snapshot = snapshot;
    }

    @Override
    public List<MemoryMapping> maps() {
        return ProcFs.maps(snapshot.pid());
    }

    @Override
    public void copyMemory(int pid, List<MemoryMapping> mappings) {
        for (MemoryMapping m : mappings) {
            try {
                ProcessMemory.copy(snapshot.pid(), pid, m.start(), m.size(), !Transplanter.isFile(m));
            } catch (RuntimeException e) {
                throw new IllegalStateException(e.getMessage() + " (" + Transplanter.describe(m) + ")", e);
            }
        }
    }

    /** The snapshot's own mapping of it (/proc/PID/map_files, opened only with CAP_SYS_ADMIN): a memfd or a removed segment has no path. */
    @Override
    public String sharedObject(MemoryMapping m) {
        return "/proc/" + snapshot.pid() + "/map_files/" + Long.toHexString(m.start()) + "-" + Long.toHexString(m.end());
    }

    @Override
    public long[] layoutFields() {
        return ProcFs.layoutFields(snapshot.pid());
    }

    @Override
    public byte[] auxv() {
        return ProcFs.bytes(snapshot.pid(), "auxv");
    }

    @Override
    public String exe() {
        return ProcFs.exe(snapshot.pid());
    }

    @Override
    public byte[][] signalHandlers() {
        return SignalHandlers.read(snapshot);
    }

    @Override
    public String cwd() {
        return ProcFs.link(snapshot.pid(), "cwd");
    }

    @Override
    public int umask() {
        String umask = ProcFs.status(snapshot.pid()).get("Umask");
        return umask == null ? -1 : Integer.parseInt(umask, 8);
    }

    /** The files it maps privately (their clean pages go into images by reference), as they are now. */
    List<ImageFormat.FileIdentity> mappedFiles() {
        return maps().stream().filter(m -> Transplanter.isFile(m) && !m.shared()).map(MemoryMapping::path).distinct()
                .map(ImageFormat.FileIdentity::of).filter(java.util.Objects::nonNull).toList();
    }

    /** The bytes of its [vdso], or null if it has none. */
    byte[] vdso() {
        return MachineFingerprint.vdso(snapshot.pid());
    }

    @Override
    public void placeDescriptors(TracedThread t, long scratch, List<FdInfo> wanted, List<String> warnings) {
        // pidfd_open runs in the child: the snapshot's pid as its namespace knows it.
        Transplanter.copyDescriptors(t, snapshot.nsPid(), wanted);
    }
}

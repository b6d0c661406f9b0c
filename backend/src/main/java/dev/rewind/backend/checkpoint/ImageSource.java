package dev.rewind.backend.checkpoint;

import dev.rewind.backend.linux.FdInfo;
import dev.rewind.backend.linux.MemoryMapping;
import dev.rewind.backend.linux.ProcFs;
import dev.rewind.backend.linux.ProcessMemory;
import dev.rewind.backend.linux.Syscall;
import dev.rewind.backend.trace.InjectedCall;
import dev.rewind.backend.trace.SyscallInjector;
import dev.rewind.backend.trace.TracedThread;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A transplant from a checkpoint in an image file: the layout and contents from its MEMORY
 * sections (streamed, never all in memory), the rest from the saved state and the extras read at
 * write-back. What only a live snapshot has cannot come back: descriptors are opened again by
 * path (pipes, sockets and the like cannot; the new run's stdio takes fds 0 to 2), and shared
 * objects without a path (memfd, removed segments) become private copies.
 */
final class ImageSource implements TransplantSource {
    private static final int AT_FDCWD = -100;
    private static final int O_CREAT = 0100;
    private static final int O_EXCL = 0200;
    private static final int O_TRUNC = 01000;
    private static final int O_CLOEXEC = 02000000;
    private static final int F_SETFD = 2;
    private static final int FD_CLOEXEC = 1;

    private final Path image;
    private final long crid;
    private final SavedProcess saved;
    private final ImageFormat.ProcessExtras extras;
    private final List<MemoryMapping> maps;
    private final PipePlan pipes;
    private final Long parentCrid;

    private ImageSource(Path image, long crid, Long parentCrid, SavedProcess saved, ImageFormat.ProcessExtras extras,
            List<MemoryMapping> maps, PipePlan pipes) {
        this.parentCrid = parentCrid;
        this.image = image;
        this.crid = crid;
        this.saved = saved;
        this.extras = extras;
        this.maps = maps;
        this.pipes = pipes;
    }

    /** Reads process {@code saved}'s layout from checkpoint {@code crid} of {@code image}; its pipes come from {@code pipes}. */
    static ImageSource of(Path image, long crid, Long parentCrid, SavedProcess saved, ImageFormat.ProcessExtras extras,
            PipePlan pipes) {
        Map<Long, MemoryMapping> byStart = new LinkedHashMap<>();
        ImageReader.forEachMemory(image, crid, payload -> {
            MemoryChunk.Head h = MemoryChunk.head(payload);
            if (h.pid() == saved.pid()) {
                byStart.putIfAbsent(h.mapping().start(), h.mapping());
            }
        });
        if (byStart.isEmpty()) {
            throw new BadImageException(image, "checkpoint " + crid + " holds no memory for process " + saved.pid());
        }
        return new ImageSource(image, crid, parentCrid, saved, extras, List.copyOf(byStart.values()), pipes);
    }

    @Override
    public List<MemoryMapping> maps() {
        return maps;
    }

    /**
     * Pages the image does not hold were zero. A fresh anonymous mapping is zero already; a file
     * mapping shows the file there, so its missing pages are zeroed explicitly.
     */
    @Override
    public void copyMemory(int pid, List<MemoryMapping> mappings) {
        Set<Long> wanted = new HashSet<>();
        mappings.forEach(m -> wanted.add(m.start()));
        List<Long> fromParent = new ArrayList<>();
        ImageReader.forEachMemory(image, crid, payload -> {
            MemoryChunk.Head h = MemoryChunk.head(payload);
            if (h.pid() != saved.pid() || !wanted.contains(h.mapping().start())) {
                return;
            }
            if (h.delta()) {
                Set<Long> held = new HashSet<>();
                MemoryChunk.runs(payload, (at, data, offset, len) -> {
                    for (int k = 0; k < len; k += MemoryChunk.PAGE) {
                        held.add(at + k);
                    }
                    ProcessMemory.write(pid, at, Arrays.copyOfRange(data, offset, offset + len));
                });
                for (long a = h.chunkStart(); a < h.chunkEnd(); a += MemoryChunk.PAGE) {
                    if (!held.contains(a)) {
                        fromParent.add(a);
                    }
                }
                return;
            }
            long[] covered = {h.chunkStart()};
            // Pages the section does not hold were zero, unless it keeps the file's own pages by reference.
            boolean file = Transplanter.isFile(h.mapping()) && !h.byReference();
            MemoryChunk.runs(payload, (at, data, offset, len) -> {
                if (file && at > covered[0]) {
                    ProcessMemory.write(pid, covered[0], new byte[(int) (at - covered[0])]);
                }
                ProcessMemory.write(pid, at, Arrays.copyOfRange(data, offset, offset + len));
                covered[0] = at + len;
            });
            if (file && h.chunkEnd() > covered[0]) {
                ProcessMemory.write(pid, covered[0], new byte[(int) (h.chunkEnd() - covered[0])]);
            }
        });
        if (!fromParent.isEmpty()) {
            copyFromParents(pid, fromParent);
        }
    }

    /** The pages an incremental checkpoint left out: its parent's (or an older one's) at the same addresses. */
    private void copyFromParents(int pid, List<Long> pages) {
        try (java.nio.channels.FileChannel in = ImageReader.open(image)) {
            PageIndex parent = PageIndex.of(image, in, ImageReader.index(image, in).checkpoints(), parentCrid);
            for (long a : pages) {
                Long at = parent.where(saved.pid(), a);
                if (at == null) {
                    throw new BadImageException(image, "checkpoint " + crid + " leaves page 0x" + Long.toHexString(a)
                            + " of process " + saved.pid() + " to its parent " + parentCrid + ", which does not hold it");
                }
                if (at != PageIndex.ZERO) { // a left-out zero page is zero already: incremental sections are anonymous memory
                    ProcessMemory.write(pid, a, parent.read(at));
                }
            }
        } catch (java.io.IOException e) {
            throw new BadImageException(image, "cannot be read: " + e.getMessage());
        }
    }

    /** A file by its path; a memfd, a SysV segment or a removed file has none. */
    @Override
    public String sharedObject(MemoryMapping m) {
        return Transplanter.isFile(m) ? m.path() : null;
    }

    @Override
    public long[] layoutFields() {
        return extras.layout();
    }

    @Override
    public byte[] auxv() {
        return extras.auxv();
    }

    @Override
    public String exe() {
        return saved.exe();
    }

    @Override
    public byte[][] signalHandlers() {
        return extras.signalHandlers();
    }

    @Override
    public String cwd() {
        return extras.cwd();
    }

    @Override
    public int umask() {
        return extras.umask();
    }

    @Override
    public void placeDescriptors(TracedThread t, long scratch, List<FdInfo> wanted, List<String> warnings) {
        int pid = t.process().pid();
        Map<Integer, String> inherited = ProcFs.fdTargets(pid);
        Set<Integer> placed = new HashSet<>();
        List<String> lost = new ArrayList<>();
        for (FdInfo fd : wanted) {
            if (fd.target().startsWith("/") && !fd.target().endsWith(" (deleted)")) {
                ProcessMemory.write(pid, scratch, (fd.target() + "\0").getBytes(StandardCharsets.UTF_8));
                InjectedCall open = SyscallInjector.inject(t, Syscall.OPENAT, AT_FDCWD, scratch,
                        fd.flags() & ~(O_CREAT | O_EXCL | O_TRUNC));
                if (open.failed()) {
                    lost.add(fd.fd() + " (" + fd.target() + ": errno " + open.errno() + ")");
                    continue;
                }
                if (open.result() != fd.fd()) {
                    SyscallInjector.call(t, "dup2", Syscall.DUP2, open.result(), fd.fd());
                    SyscallInjector.inject(t, Syscall.CLOSE, open.result());
                    if ((fd.flags() & O_CLOEXEC) != 0) {
                        SyscallInjector.inject(t, Syscall.FCNTL, fd.fd(), F_SETFD, FD_CLOEXEC);
                    }
                }
                placed.add(fd.fd());
            } else if (fd.isPipe() && pipes.place(t, fd)) {
                placed.add(fd.fd());
            } else if (fd.fd() <= 2 && inherited.containsKey(fd.fd())) {
                placed.add(fd.fd()); // the new run's stdio stands in for the checkpoint's
            } else {
                lost.add(fd.fd() + " (" + fd.target() + ")");
            }
        }
        for (int fd : inherited.keySet()) {
            if (!placed.contains(fd) && fd < pipes.base()) { // parked pipe ends stay until the tree is made
                SyscallInjector.inject(t, Syscall.CLOSE, fd);
            }
        }
        if (!lost.isEmpty()) {
            warnings.add("descriptors not restored from the image (files are opened again by path, pipes within "
                    + "the tree made again; the rest cannot be): "
                    + String.join(", ", lost));
        }
    }
}
